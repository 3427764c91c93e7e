"""Every domain's blueprint: routes declared in its view modules, loaded when an app registers
it, so importing a package does no work and the factory need not know each view module.

A domain that has something for the home page offers it with ``@bp.home_section``: core's home
view gathers the sections of the registered blueprints, so core imports no domain. A count to
show beside a menu entry (what waits for the user there) is offered the same way, with
``@bp.menu_count("endpoint")``.
"""

from collections.abc import Callable, Iterator
from importlib import import_module

from flask import Blueprint, current_app

HomeSection = Callable[..., dict]  # (user, today) -> values for the home page's template
MenuCount = Callable[..., int]  # (user) -> how many things wait for the user at that entry


class DomainBlueprint(Blueprint):
    def __init__(self, name: str, package: str, *view_modules: str) -> None:
        super().__init__(name, package)
        self.view_modules = tuple(f"{package}.{module}" for module in view_modules)
        self.home_sections: list[HomeSection] = []
        self.menu_counts: dict[str, MenuCount] = {}

    def home_section(self, provide: HomeSection) -> HomeSection:
        self.home_sections.append(provide)
        return provide

    def menu_count(self, endpoint: str) -> Callable[[MenuCount], MenuCount]:
        def keep(count: MenuCount) -> MenuCount:
            self.menu_counts[endpoint] = count
            return count

        return keep

    def register(self, app, options) -> None:
        for module in self.view_modules:
            import_module(module)  # attaches its routes to this blueprint, once per process
        super().register(app, options)


def home_sections() -> Iterator[HomeSection]:
    """The registered domains' home sections, in the order the domains were registered."""
    for blueprint in current_app.blueprints.values():
        yield from getattr(blueprint, "home_sections", ())


def menu_counts() -> dict[str, MenuCount]:
    """The registered domains' menu counts, by the endpoint of their menu entry."""
    counts: dict[str, MenuCount] = {}
    for blueprint in current_app.blueprints.values():
        counts.update(getattr(blueprint, "menu_counts", {}))
    return counts
