"""Links that leave the browser: in an exported file, an e-mail, a push message.

They are made from the configured ``BASE_URL``, never from the request's ``Host`` header,
which the client chooses: a workbook sent up to the province must not carry links to
wherever a crafted request said the app lives.
"""
from flask import current_app, url_for


def external_url(endpoint: str, **values) -> str:
    """``BASE_URL`` (scheme, host and port) followed by the path ``url_for`` gives."""
    return current_app.config["BASE_URL"].rstrip("/") + url_for(endpoint, **values)
