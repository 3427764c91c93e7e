"""The places blueprint; its routes live in api."""

from wardapp.core.blueprints import DomainBlueprint

bp = DomainBlueprint("places", __package__, "api")
