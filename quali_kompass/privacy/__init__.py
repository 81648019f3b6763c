"""Privacy: the transparency page, the personal data export, retention and the access log page."""

from flask import Blueprint

blueprint = Blueprint("privacy", __name__)
