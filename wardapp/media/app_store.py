"""The file store of the running app: the one module of ``media`` that reads the app's config.

Made once per app from its settings and kept on the app, so every request, command and job of
one process shares it: the local folder (``WARDAPP_STORAGE=local``, the default) or an S3
bucket (``WARDAPP_STORAGE=s3``).
"""

from collections.abc import Mapping
from typing import Any

from flask import current_app

from wardapp.media.storage import LocalStorage, Storage, StorageUnavailable

KINDS = ("local", "s3")


def make_storage(config: Mapping[str, Any]) -> Storage:
    """The store the settings ask for."""
    kind = str(config.get("STORAGE") or "local").lower()
    if kind == "local":
        return LocalStorage(config["MEDIA_DIR"])
    if kind == "s3":
        from wardapp.media.s3 import connect

        if not config.get("S3_BUCKET"):
            raise RuntimeError("WARDAPP_STORAGE=s3 needs WARDAPP_S3_BUCKET")
        return connect(
            bucket=str(config["S3_BUCKET"]),
            endpoint_url=config.get("S3_ENDPOINT_URL") or None,
            region=config.get("S3_REGION") or None,
            prefix=str(config.get("S3_PREFIX") or ""),
            attempts=int(config.get("S3_MAX_ATTEMPTS") or 3),
        )
    raise RuntimeError(f"WARDAPP_STORAGE={kind!r}: choose one of {', '.join(KINDS)}")


def storage() -> Storage:
    store = current_app.extensions.get("wardapp.storage")
    if store is None:
        store = make_storage(current_app.config)
        current_app.extensions["wardapp.storage"] = store
    return store


def init_app(app: Any) -> None:
    app.register_error_handler(StorageUnavailable, _unavailable)


def _unavailable(exc: StorageUnavailable) -> Any:
    """The store is down: 503 with Retry-After, so the outbox and the pages try again."""
    from flask_babel import gettext as _

    from wardapp.core.hooks import ERROR_MESSAGES, error_response

    current_app.logger.error("file store unavailable: %s", exc)
    response = error_response(503, _(ERROR_MESSAGES[503]))
    response.headers["Retry-After"] = "5"
    return response
