"""The audit log and the page where admins and auditors read it."""

from flask import Blueprint

blueprint = Blueprint("audit", __name__, url_prefix="/protokoll")
