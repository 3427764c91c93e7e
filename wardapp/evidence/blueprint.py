"""The evidence blueprint; its routes live in views, api and place_history."""

from wardapp.core.blueprints import DomainBlueprint

bp = DomainBlueprint("evidence", __package__, "views", "api", "place_history")
