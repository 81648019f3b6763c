"""Statistics (Statistik): catalogue size, most used materials and the fulfilment of mandatory training.

Aggregates only, read from small tables kept up to date as records change (see ``models``), so that the page
stays fast for a federal organisation; figures about fewer than five people are suppressed.
"""

from flask import Blueprint

blueprint = Blueprint("statistics", __name__)
