"""The plans blueprint; its routes live in views."""

from wardapp.core.blueprints import DomainBlueprint

bp = DomainBlueprint("plans", __package__, "views")
