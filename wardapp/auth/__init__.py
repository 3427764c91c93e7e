"""Accounts: sign-in, roles, the unit a user belongs to, and their administration."""
from flask import Blueprint

bp = Blueprint("auth", __name__)

from wardapp.auth import views, admin_views  # noqa: E402,F401  (registers the routes)
