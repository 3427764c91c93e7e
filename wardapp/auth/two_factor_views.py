"""Two-factor pages: the second step of a sign-in, enrolment (at sign-in for the roles that
must, or on /account/two-factor), recovery codes, turning it off, the admin's reset."""

from flask import (
    current_app,
    flash,
    jsonify,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user, login_user

from wardapp.audit.services import record
from wardapp.auth import two_factor
from wardapp.auth.blueprint import bp
from wardapp.auth.forms import CodeForm, ConfirmForm, TurnOffForm
from wardapp.auth.models import User
from wardapp.auth.views import finish_held_sign_in, keep_this_session, pending_user
from wardapp.core.access import allow, is_api_request, public
from wardapp.core.roles import ADMINS, SIGNED_IN
from wardapp.extensions import db, limiter

NEW_SECRET = "mfa_new_secret"


def _enrolment(user: User) -> dict:
    """The secret being enrolled (kept in the session until confirmed), its QR code."""
    held = session.get(NEW_SECRET)
    if not isinstance(held, dict) or held.get("user") != user.id:
        held = session[NEW_SECRET] = {"user": user.id, "secret": two_factor.new_secret()}
    uri = two_factor.provisioning_uri(user, held["secret"])
    return {"secret": held["secret"], "qr": two_factor.qr_data_uri(uri)}


def _confirm(user: User, form: CodeForm) -> list[str] | None:
    held = session.get(NEW_SECRET)
    secret = held.get("secret") if isinstance(held, dict) and held.get("user") == user.id else ""
    codes = two_factor.confirm_enrolment(
        user, secret if isinstance(secret, str) else "", form.code.data
    )
    if codes is None:
        form.code.errors.append(_("Mã không đúng. Hãy nhập mã đang hiện trong ứng dụng."))
    else:
        session.pop(NEW_SECRET, None)
    return codes


@bp.route("/login/code", methods=["GET", "POST"])
@public
@limiter.limit(lambda: current_app.config["LOGIN_RATE_LIMIT"], methods=["POST"])
def login_code():
    user = pending_user()
    if user is None or not two_factor.enabled(user):
        return redirect(url_for("auth.login"))
    form = CodeForm()
    status = 200
    if form.validate_on_submit():
        accepted, wait = two_factor.check_code(user, form.code.data, request.remote_addr or "")
        if accepted:
            return finish_held_sign_in(user)
        if wait:
            form.code.errors.append(
                _("Nhập sai quá nhiều lần. Vui lòng thử lại sau %(s)s giây.", s=wait)
            )
            status = 429
        else:
            form.code.errors.append(_("Mã không đúng hoặc đã dùng."))
            status = 401
    elif request.method == "POST":
        status = 422
    return render_template("auth/login_code.html", form=form, user=user), status


@bp.route("/login/enrol", methods=["GET", "POST"])
@public
@limiter.limit(lambda: current_app.config["LOGIN_RATE_LIMIT"], methods=["POST"])
def login_enrol():
    """For a role that must use a second factor and has none yet: enrol, then sign in."""
    user = pending_user()
    if user is None or two_factor.enabled(user):
        return redirect(url_for("auth.login"))
    form = CodeForm()
    if form.validate_on_submit():
        codes = _confirm(user, form)
        if codes is not None:
            finish_held_sign_in(user)
            return render_template("auth/recovery_codes.html", codes=codes)
    status = 422 if form.errors else 200
    return render_template(
        "auth/two_factor.html", form=form, user=user, at_sign_in=True, **_enrolment(user)
    ), status


@bp.route("/account/two-factor", methods=["GET", "POST"])
@allow(*SIGNED_IN)
def account_two_factor():
    user = current_user._get_current_object()
    if two_factor.enabled(user):
        return render_template(
            "auth/two_factor_on.html",
            user=user,
            left=two_factor.recovery_codes_left(user),
            required=two_factor.required_for(user),
            off_form=TurnOffForm(),
            codes_form=ConfirmForm(),
        )
    form = CodeForm()
    if form.validate_on_submit():
        codes = _confirm(user, form)
        if codes is not None:
            return render_template("auth/recovery_codes.html", codes=codes)
    status = 422 if form.errors else 200
    return render_template(
        "auth/two_factor.html", form=form, user=user, at_sign_in=False, **_enrolment(user)
    ), status


@bp.post("/account/two-factor/codes")
@allow(*SIGNED_IN)
def account_recovery_codes():
    user = current_user._get_current_object()
    if not ConfirmForm().validate_on_submit() or not two_factor.enabled(user):
        return redirect(url_for("auth.account_two_factor"), code=303)
    codes = two_factor.new_recovery_codes(user)
    record(user, "user.mfa_codes", user)
    return render_template("auth/recovery_codes.html", codes=codes)


@bp.post("/account/two-factor/off")
@allow(*SIGNED_IN)
def account_two_factor_off():
    user = current_user._get_current_object()
    form = TurnOffForm()
    if two_factor.required_for(user):
        flash(_("Vai trò của bạn bắt buộc xác thực hai bước."), "error")
        return redirect(url_for("auth.account_two_factor"), code=303)
    if not form.validate_on_submit() or not user.check_password(form.password.data):
        flash(_("Mật khẩu hiện tại không đúng."), "error")
        return redirect(url_for("auth.account_two_factor"), code=303)
    two_factor.turn_off(user, user)
    keep_this_session(user)
    flash(_("Đã tắt xác thực hai bước."), "success")
    return redirect(url_for("auth.account"), code=303)


@bp.post("/admin/users/<int:user_id>/two-factor/reset")
@allow(*ADMINS)
def user_two_factor_reset(user_id: int):
    """For an officer who lost their phone: the second factor off, every session ended; the
    next sign-in enrols again where the role requires it."""
    user = db.get_or_404(User, user_id)
    if ConfirmForm().validate_on_submit():
        two_factor.turn_off(current_user, user)
        if user.id == current_user.id:
            login_user(user)
        flash(_("Đã đặt lại xác thực hai bước của %(u)s.", u=user.username), "success")
    return redirect(url_for("auth.user_edit", user_id=user.id), code=303)


# What an account that must enrol may still reach before it has.
BEFORE_ENROLMENT = frozenset(
    {
        "auth.account_two_factor",
        "auth.logout",
        "auth.login",
        "core.set_language",
        "core.healthz",
        "static",
        "offline.service_worker",
        "offline.manifest",
    }
)


@bp.before_app_request
def enrol_first():
    """A session of a role that must use a second factor, opened before it had one (the
    setting changed, or an admin reset it): nothing but enrolment until it has."""
    if not current_user.is_authenticated or request.endpoint in BEFORE_ENROLMENT:
        return None
    if two_factor.enabled(current_user) or not two_factor.required_for(current_user):
        return None
    if is_api_request():
        return jsonify(error=_("Hãy bật xác thực hai bước trước."), fields={}), 403
    return redirect(url_for("auth.account_two_factor"))
