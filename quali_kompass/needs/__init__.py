"""Qualifizierungsbedarf: people state what training they miss; editors answer and see what to produce next."""

from flask import Blueprint

blueprint = Blueprint("needs", __name__)
