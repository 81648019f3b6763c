"""Needs surveys (Bedarfsabfragen): editors ask a department about topics and tools, and read only aggregates."""

from flask import Blueprint

blueprint = Blueprint("surveys", __name__)
