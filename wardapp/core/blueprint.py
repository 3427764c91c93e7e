"""The core blueprint; its routes live in views, which the factory imports."""

from flask import Blueprint

bp = Blueprint("core", __name__)
