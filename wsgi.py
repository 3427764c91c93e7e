"""The WSGI entry point for gunicorn: ``gunicorn wsgi:app``."""
from wardapp import create_app

app = create_app()
