"""Every domain's blueprint: routes declared in its view modules, loaded when an app registers
it, so importing a package does no work and the factory need not know each view module."""

from importlib import import_module

from flask import Blueprint


class DomainBlueprint(Blueprint):
    def __init__(self, name: str, package: str, *view_modules: str) -> None:
        super().__init__(name, package)
        self.view_modules = tuple(f"{package}.{module}" for module in view_modules)

    def register(self, app, options) -> None:
        for module in self.view_modules:
            import_module(module)  # attaches its routes to this blueprint, once per process
        super().register(app, options)
