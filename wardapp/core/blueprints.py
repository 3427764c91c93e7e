"""Every domain's blueprint: routes declared in its view modules, loaded when an app registers
it, so importing a package does no work and the factory need not know each view module.

A domain that has something for the home page offers it with ``@bp.home_section``: core's home
view gathers the sections of the registered blueprints, so core imports no domain.
"""

from collections.abc import Callable, Iterator
from importlib import import_module

from flask import Blueprint, current_app

HomeSection = Callable[..., dict]  # (user, today) -> values for the home page's template


class DomainBlueprint(Blueprint):
    def __init__(self, name: str, package: str, *view_modules: str) -> None:
        super().__init__(name, package)
        self.view_modules = tuple(f"{package}.{module}" for module in view_modules)
        self.home_sections: list[HomeSection] = []

    def home_section(self, provide: HomeSection) -> HomeSection:
        self.home_sections.append(provide)
        return provide

    def register(self, app, options) -> None:
        for module in self.view_modules:
            import_module(module)  # attaches its routes to this blueprint, once per process
        super().register(app, options)


def home_sections() -> Iterator[HomeSection]:
    """The registered domains' home sections, in the order the domains were registered."""
    for blueprint in current_app.blueprints.values():
        yield from getattr(blueprint, "home_sections", ())
