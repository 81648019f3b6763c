"""Feedback on material: "War das hilfreich?" with a rating and a comment; editors read it without names."""

from flask import Blueprint

blueprint = Blueprint("feedback", __name__)
