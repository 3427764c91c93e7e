"""The file store of the running app: the one module of ``media`` that reads the app's config.

Made once per app from its settings and kept on the app, so every request, command and job of
one process shares it.
"""

from flask import current_app

from wardapp.media.storage import LocalStorage, Storage


def storage() -> Storage:
    store = current_app.extensions.get("wardapp.storage")
    if store is None:
        store = LocalStorage(current_app.config["MEDIA_DIR"])
        current_app.extensions["wardapp.storage"] = store
    return store
