"""The places blueprint; its routes live in views (the registry's pages) and api."""

from wardapp.core.blueprints import DomainBlueprint

bp = DomainBlueprint("places", __package__, "views", "api")
