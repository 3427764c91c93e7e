"""An officer's own account: the password, the other sessions, the language, the e-mail."""

from flask import current_app, flash, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_login import current_user

from wardapp.auth import services
from wardapp.auth.blueprint import bp
from wardapp.auth.forms import OwnPasswordForm, PreferencesForm, SignOutOthersForm
from wardapp.auth.passwords import WeakPassword
from wardapp.auth.views import keep_this_session
from wardapp.core.access import allow
from wardapp.core.roles import SIGNED_IN

LANGUAGE_NAMES = {"vi": "Tiếng Việt", "en": "English"}


def _forms(password=None, preferences=None):
    user = current_user._get_current_object()
    preferences = preferences or PreferencesForm(
        formdata=None, data={"language": user.language or "", "email": user.email or ""}
    )
    preferences.language.choices = [("", _("Theo mặc định của hệ thống"))] + [
        (code, LANGUAGE_NAMES.get(code, code)) for code in current_app.config["LANGUAGES"]
    ]
    return {
        "user": user,
        "password_form": password or OwnPasswordForm(account_username=user.username),
        "preferences_form": preferences,
        "others_form": SignOutOthersForm(),
    }


@bp.get("/account")
@allow(*SIGNED_IN)
def account():
    return render_template("auth/account.html", **_forms())


@bp.post("/account/password")
@allow(*SIGNED_IN)
def account_password():
    user = current_user._get_current_object()
    form = OwnPasswordForm(account_username=user.username)
    if form.validate_on_submit():
        try:
            services.change_own_password(
                user, form.old_password.data, form.password.data, request.remote_addr or ""
            )
        except services.WrongPassword as exc:
            form.old_password.errors.append(str(exc))
        except WeakPassword as exc:
            form.password.errors.append(str(exc))
        else:
            keep_this_session(user)
            flash(_("Đã đổi mật khẩu. Các phiên đăng nhập khác đã kết thúc."), "success")
            return redirect(url_for("auth.account"), code=303)
    return render_template("auth/account.html", **_forms(password=form)), 422


@bp.post("/account/sessions")
@allow(*SIGNED_IN)
def account_sessions():
    if not SignOutOthersForm().validate_on_submit():
        return render_template("auth/account.html", **_forms()), 422
    user = current_user._get_current_object()
    services.end_other_sessions(user)
    keep_this_session(user)
    flash(_("Đã đăng xuất khỏi mọi thiết bị khác."), "success")
    return redirect(url_for("auth.account"), code=303)


@bp.post("/account/preferences")
@allow(*SIGNED_IN)
def account_preferences():
    form = PreferencesForm()
    forms = _forms(preferences=form)
    if form.validate_on_submit():
        user = current_user._get_current_object()
        services.set_preferences(user, language=form.language.data, email=form.email.data)
        if user.language:
            session["lang"] = user.language
        else:
            session.pop("lang", None)
        flash(_("Đã lưu."), "success")
        return redirect(url_for("auth.account"), code=303)
    return render_template("auth/account.html", **forms), 422
