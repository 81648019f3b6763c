"""Team review: the leads' compliance matrix, drill-down, exports, and the access log that records who looked."""

from flask import Blueprint

blueprint = Blueprint("review", __name__)
