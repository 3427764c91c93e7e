"""The follow-up blueprint; its routes live in views."""

from wardapp.core.blueprints import DomainBlueprint

bp = DomainBlueprint("followup", __package__, "views")
