"""The review blueprint; its routes live in views."""

from wardapp.core.blueprints import DomainBlueprint

bp = DomainBlueprint("review", __package__, "views")
