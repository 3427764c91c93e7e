"""Sign-in and sign-out."""

from flask import current_app, flash, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_user, logout_user

from wardapp.auth import services
from wardapp.auth.blueprint import bp
from wardapp.auth.forms import LoginForm
from wardapp.auth.models import User
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
            login_user(result.user, remember=form.remember.data)
            if result.user.language in current_app.config["LANGUAGES"]:
                session["lang"] = result.user.language  # the one chosen on /account
            return redirect(safe_path(request.args.get("next")))
        form.password.errors.append(result.message)
        status = 429 if result.wait_seconds else 401
    elif request.method == "POST":
        status = 422
    remember_days = current_app.config["REMEMBER_COOKIE_DURATION"].days
    return render_template("auth/login.html", form=form, remember_days=remember_days), status


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
