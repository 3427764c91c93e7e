"""Signing in through the real login page, with the CSRF token it carries: the one way the
suite signs anybody in, whether through the test client or over HTTP."""

import re

CSRF_META = re.compile(r'<meta name="csrf-token" content="([^"]+)"')
PASSWORD = "wardapp-demo"  # every demo account's


def page_token(page: str) -> str:
    """The token a page carries, read the way htmx and the outbox read it."""
    match = CSRF_META.search(page)
    assert match, "no csrf meta on the page"
    return match.group(1)


def sign_in_form(
    login_page: str, username: str, password: str = PASSWORD, *, remember: bool = False
) -> dict:
    """What the login form posts: the account, "remember me" if ticked, the page's token."""
    form = {"username": username, "password": password, "csrf_token": page_token(login_page)}
    if remember:
        form["remember"] = "y"
    return form


def csrf_token(client, path: str = "/login", **request) -> str:
    """The token the page at ``path`` carries for this client's session."""
    page = client.get(path, follow_redirects=True, **request)
    match = CSRF_META.search(page.get_data(as_text=True))
    assert match, f"no csrf meta on {path}"
    return match.group(1)


class AuthActions:
    """Signs in and out through the real pages, with the CSRF token they carry."""

    def __init__(self, client):
        self.client = client

    def login(self, username: str, password: str = PASSWORD, *, remember: bool = False, **request):
        """The login page's answer; ``request`` (headers, base_url) goes with both requests."""
        page = self.client.get("/login", follow_redirects=True, **request)
        form = sign_in_form(page.get_data(as_text=True), username, password, remember=remember)
        return self.client.post("/login", data=form, **request)

    def logout(self):
        token = csrf_token(self.client, "/")
        return self.client.post("/logout", data={"csrf_token": token})

    def token(self, path: str = "/") -> str:
        return csrf_token(self.client, path)


class SignedIn:
    """A client of its own, signed in as ``username``, with the token of its session."""

    def __init__(self, app, username: str):
        self.app = app
        self.client = app.test_client()
        self.auth = AuthActions(self.client)
        assert self.auth.login(username).status_code == 302
        self.token = self.auth.token()


def signed_in(app, username: str):
    """A signed-in client and its token."""
    person = SignedIn(app, username)
    return person.client, person.token
