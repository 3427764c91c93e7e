"""The offline blueprint; its routes live in views."""

from wardapp.core.blueprints import DomainBlueprint

bp = DomainBlueprint("offline", __package__, "views")
