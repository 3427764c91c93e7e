"""HTTPS behind a proxy: trust the proxy's word about the client, and mark cookies Secure.

The app usually runs behind nginx or a cloud load balancer that ends TLS and talks plain HTTP
to gunicorn. Without ``PROXY_FIX`` the app cannot tell an HTTPS visitor from an HTTP one, and
a forged ``X-Forwarded-Proto`` must not be believed; with it (set to the number of proxies in
front), ``request.is_secure`` and ``request.remote_addr`` are the visitor's, so sign-in
throttling counts the right address and every cookie set over HTTPS carries ``Secure``.
"""

from flask import has_request_context, request
from flask.sessions import SecureCookieSessionInterface
from werkzeug.middleware.proxy_fix import ProxyFix
from werkzeug.routing import IntegerConverter

LARGEST_ID = 2**31 - 1  # an INTEGER primary key on PostgreSQL


class IdConverter(IntegerConverter):
    """``<int:…>`` in every route, bounded to ids the database can hold: a number past them is
    a 404, never a driver's overflow error."""

    def __init__(self, url_map, fixed_digits=0, min=None, max=LARGEST_ID, signed=False):
        super().__init__(url_map, fixed_digits, min, max, signed)


class HttpsAwareSessionInterface(SecureCookieSessionInterface):
    """Signed-cookie sessions whose cookies are Secure whenever the request came over HTTPS.

    The session cookie asks ``get_cookie_secure``; the remember-me cookie (Flask-Login) and
    any other cookie set on the way out are marked in ``save_session``, which Flask runs after
    every ``after_request`` function, so nothing set later can escape the rule.
    """

    def get_cookie_secure(self, app) -> bool:
        return bool(app.config["SESSION_COOKIE_SECURE"]) or _over_https()

    def save_session(self, app, session, response) -> None:
        super().save_session(app, session, response)
        if _over_https():
            mark_cookies_secure(response)


def _over_https() -> bool:
    return has_request_context() and request.is_secure


# A year, subdomains too: the browser never again tries plain HTTP for this site, so nobody
# on the ward's Wi-Fi can strip the TLS off the next visit and read the session cookie.
HSTS = "max-age=31536000; includeSubDomains"


def strict_transport_security(app) -> str | None:
    """The ``Strict-Transport-Security`` header this answer carries, if any: when the request
    came over HTTPS, or the installation says it is served over HTTPS (``SESSION_COOKIE_SECURE``,
    as behind a proxy that ends TLS without ``PROXY_FIX``). Not otherwise: an installation
    served over plain HTTP alone must not promise browsers HTTPS for a year."""
    if _over_https() or app.config["SESSION_COOKIE_SECURE"]:
        return HSTS
    return None


def mark_cookies_secure(response) -> None:
    cookies = response.headers.getlist("Set-Cookie")
    if not cookies:
        return
    response.headers.remove("Set-Cookie")
    for cookie in cookies:
        attributes = {part.strip().lower() for part in cookie.split(";")[1:]}
        if "secure" not in attributes:
            cookie += "; Secure"
        response.headers.add("Set-Cookie", cookie)


def init_app(app) -> None:
    """Before any blueprint is registered: the converter applies to the routes made after it."""
    app.url_map.converters["int"] = IdConverter
    proxies = int(app.config.get("PROXY_FIX") or 0)
    if proxies > 0:
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=proxies, x_proto=proxies)
    app.session_interface = HttpsAwareSessionInterface()
