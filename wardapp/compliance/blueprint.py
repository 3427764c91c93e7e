"""The compliance blueprint; its routes live in views, settings_views and export_views."""

from flask import Blueprint

bp = Blueprint("compliance", __name__)
