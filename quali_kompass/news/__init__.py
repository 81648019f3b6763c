"""News (Neuigkeiten): editors' announcements for everyone or chosen departments, with a private read state."""

from flask import Blueprint

blueprint = Blueprint("news", __name__)
