"""WSGI entry point: ``gunicorn wsgi:app``."""

from quali_kompass import create_app

app = create_app()
