"""Curricula: requirements per organisation, department and team, completion records, Mein Kompass and the plan."""

from flask import Blueprint

blueprint = Blueprint("curricula", __name__)
