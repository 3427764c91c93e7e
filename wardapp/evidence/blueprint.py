"""The evidence blueprint; its routes live in api and views, which the factory imports."""

from flask import Blueprint

bp = Blueprint("evidence", __name__)
