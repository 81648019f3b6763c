"""Organisation: departments, teams, people, leads, roles and the HR import."""

from flask import Blueprint

blueprint = Blueprint("organisation", __name__)
