"""The plans blueprint; its routes live in views, which the factory imports."""

from flask import Blueprint

bp = Blueprint("plans", __name__)
