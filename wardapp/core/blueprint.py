"""The core blueprint; its routes live in views."""

from wardapp.core.blueprints import DomainBlueprint

bp = DomainBlueprint("core", __package__, "views")
