"""The notifications blueprint; its routes live in views and api."""

from wardapp.core.blueprints import DomainBlueprint

bp = DomainBlueprint("notifications", __package__, "views", "api")
