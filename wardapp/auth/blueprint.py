"""The auth blueprint; its routes live in views and admin_views, which the factory imports."""

from flask import Blueprint

bp = Blueprint("auth", __name__)
