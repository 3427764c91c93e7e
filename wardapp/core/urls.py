"""Links that leave the browser: in an exported file, an e-mail, a push message.

They are made from the configured ``BASE_URL``, never from the request's ``Host`` header,
which the client chooses: a workbook sent up to the province must not carry links to
wherever a crafted request said the app lives.
"""

from urllib.parse import urlsplit

from flask import current_app, has_request_context, url_for


def external_url(endpoint: str, **values) -> str:
    """``BASE_URL`` (scheme, host and port) followed by the path ``url_for`` gives; outside a
    request (a worker building an export) the path comes from the app's URL map directly."""
    base = current_app.config["BASE_URL"].rstrip("/")
    if has_request_context():
        return base + url_for(endpoint, **values)
    where = urlsplit(base)
    current_app.inject_url_defaults(endpoint, values)
    adapter = current_app.url_map.bind(where.netloc, url_scheme=where.scheme or "http")
    return base + adapter.build(endpoint, values)


def safe_path(target: str | None, default_endpoint: str = "core.home") -> str:
    """``target`` if it is a path on this site, else the default page: never an open redirect
    (``//evil.example`` and ``/\\evil.example`` are other sites to a browser)."""
    if (
        target
        and target.startswith("/")
        and not target.startswith(("//", "/\\"))
        and "\\" not in target
        and not urlsplit(target).netloc
    ):
        return target
    return url_for(default_endpoint)
