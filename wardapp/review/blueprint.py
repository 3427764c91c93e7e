"""The review blueprint; its routes live in views, which the factory imports."""

from flask import Blueprint

bp = Blueprint("review", __name__)
