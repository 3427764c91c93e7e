"""What every page shares: the home page per role, health, language, errors, access."""
from flask import Blueprint

bp = Blueprint("core", __name__)

from wardapp.core import views  # noqa: E402,F401  (registers the routes)
