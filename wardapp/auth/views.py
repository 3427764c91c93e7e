"""Sign-in and sign-out."""

import time

from flask import current_app, flash, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_user, logout_user

from wardapp.auth import services, two_factor
from wardapp.auth.blueprint import bp
from wardapp.auth.forms import FirstPasswordForm, LoginForm
from wardapp.auth.models import User
from wardapp.auth.passwords import WeakPassword
from wardapp.core.access import allow, public
from wardapp.core.roles import SIGNED_IN
from wardapp.core.urls import safe_path
from wardapp.extensions import db, limiter, login_manager

login_manager.login_view = "auth.login"


@login_manager.user_loader
def load_user(session_id: str) -> User | None:
    """The session names the user and the account's version: a reset or a lock ends it."""
    user_id, _sep, version = session_id.partition(":")
    if not user_id.isdigit():
        return None
    user = db.session.get(User, int(user_id))
    if user is None or not user.active or str(user.session_version) != version:
        return None
    return user


@bp.route("/login", methods=["GET", "POST"])
@public
@limiter.limit(lambda: current_app.config["LOGIN_RATE_LIMIT"], methods=["POST"])
def login():
    if current_user.is_authenticated and request.method == "GET":
        return redirect(safe_path(request.args.get("next")))
    form = LoginForm()
    status = 200
    if form.validate_on_submit():
        result = services.authenticate(
            form.username.data, form.password.data, request.remote_addr or ""
        )
        if result.user:
            user, remember = result.user, form.remember.data
            if two_factor.enabled(user) or two_factor.required_for(user):
                # The password was right; the second factor (or its enrolment) comes next,
                # and until then nobody is signed in.
                _hold_sign_in(user, remember, request.args.get("next"))
                step = "auth.login_code" if two_factor.enabled(user) else "auth.login_enrol"
                return redirect(url_for(step), code=303)
            _finish_sign_in(user, remember)
            return redirect(safe_path(request.args.get("next")))
        form.password.errors.append(result.message)
        status = 429 if result.wait_seconds else 401
    elif request.method == "POST":
        status = 422
    remember_days = current_app.config["REMEMBER_COOKIE_DURATION"].days
    return render_template("auth/login.html", form=form, remember_days=remember_days), status


PENDING = "pending_sign_in"


def _hold_sign_in(user: User, remember: bool, next_path: str | None) -> None:
    session[PENDING] = {
        "user": user.id,
        "version": user.session_version,
        "remember": bool(remember),
        "next": next_path or "",
        "until": int(time.time()) + current_app.config["MFA_PENDING_SECONDS"],
    }


def pending_user() -> User | None:
    """The account whose password was just given, while its second step is open."""
    held = session.get(PENDING)
    if not isinstance(held, dict) or held.get("until", 0) < time.time():
        return None
    user = db.session.get(User, held.get("user") or 0)
    if user is None or not user.active or user.session_version != held.get("version"):
        return None
    return user


def _finish_sign_in(user: User, remember: bool) -> None:
    session.pop(PENDING, None)
    login_user(user, remember=remember)
    if user.language in current_app.config["LANGUAGES"]:
        session["lang"] = user.language  # the one chosen on /account


def finish_held_sign_in(user: User):
    """Sign the held account in; where to go next."""
    held = session.get(PENDING) or {}
    _finish_sign_in(user, bool(held.get("remember")))
    return redirect(safe_path(held.get("next")), code=303)


def keep_this_session(user: User) -> None:
    """After ``services.end_sessions`` for the signed-in user: this browser stays signed in,
    under the new generation, remembered if it was."""
    cookie = current_app.config.get("REMEMBER_COOKIE_NAME", "remember_token")
    login_user(user, remember=cookie in request.cookies)


@bp.route("/logout", methods=["POST"])
@allow(*SIGNED_IN)
def logout():
    services.sign_out(current_user._get_current_object())
    logout_user()
    flash(_("Bạn đã đăng xuất."), "info")
    return redirect(url_for("auth.login"))


@bp.route("/welcome/<token>", methods=["GET", "POST"])
@public
@limiter.limit(lambda: current_app.config["LOGIN_RATE_LIMIT"])
def welcome(token: str):
    """A new account's one-time sign-in link: set the first password, and be signed in.

    Opening the link spends nothing (a chat app that fetches a preview of it must not use it
    up); setting the password does, once.
    """
    link = services.sign_in_link(token)
    if link is None:
        return render_template("auth/welcome.html", link=None, form=None), 404
    form = FirstPasswordForm(account_username=link.user.username)
    if form.validate_on_submit():
        try:
            user = services.use_sign_in_link(link, form.password.data)
        except WeakPassword as exc:
            form.password.errors.append(str(exc))
        except services.LinkSpent:
            return render_template("auth/welcome.html", link=None, form=None), 404
        else:
            logout_user()
            login_user(user)
            flash(_("Đã đặt mật khẩu. Chào mừng %(n)s!", n=user.display_name), "success")
            return redirect(url_for("core.home"), code=303)
    status = 422 if form.errors else 200
    return render_template("auth/welcome.html", link=link, form=form), status
