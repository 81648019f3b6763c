"""Accounts: login, logout, own password and language, password-reset links."""

from flask import Blueprint

blueprint = Blueprint("accounts", __name__)
