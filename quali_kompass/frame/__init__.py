"""The page frame: start page, navigation, language switch, error pages, health check, security headers."""

from flask import Blueprint

blueprint = Blueprint("frame", __name__)
