"""Catalogue: training material by department, topic and tool; editing, publishing and versions."""

from flask import Blueprint

blueprint = Blueprint("catalogue", __name__)
