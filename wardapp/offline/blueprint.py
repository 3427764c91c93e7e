"""The offline blueprint; its routes live in views, which the factory imports."""

from flask import Blueprint

bp = Blueprint("offline", __name__)
