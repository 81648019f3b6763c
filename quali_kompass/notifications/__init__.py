"""Notifications: reminders about mandatory training and plan decisions, in the app and by e-mail."""

from flask import Blueprint

blueprint = Blueprint("notifications", __name__)
