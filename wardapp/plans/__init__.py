"""Plans, their tasks and units; a plan is loaded from shipped data or imported."""
from flask import Blueprint

bp = Blueprint("plans", __name__)

from wardapp.plans import views  # noqa: E402,F401  (registers the routes)
