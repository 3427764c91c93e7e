"""The review blueprint; its routes live in views and map."""

from wardapp.core.blueprints import DomainBlueprint

bp = DomainBlueprint("review", __package__, "views", "map")
