"""The admin's pages for accounts: list, create, edit, lock, reset a password, a new
one-time sign-in link."""

from flask import current_app, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from wardapp.auth import services, two_factor
from wardapp.auth.blueprint import bp
from wardapp.auth.forms import ConfirmForm, PasswordResetForm, UserForm
from wardapp.auth.models import User
from wardapp.auth.views import keep_this_session
from wardapp.core.access import allow
from wardapp.core.roles import ADMINS, ROLE_LABELS, Role
from wardapp.core.urls import external_url
from wardapp.extensions import db
from wardapp.units.models import Unit


def _units() -> list[Unit]:
    return list(db.session.scalars(select(Unit).order_by(Unit.kind.desc(), Unit.name)))


def _fill_choices(form: UserForm, units: list[Unit]) -> None:
    form.role.choices = [(r.value, ROLE_LABELS[r]) for r in Role]
    form.unit_id.choices = [(0, "—")] + [(u.id, u.name) for u in units]
    form.scoped_unit_ids.choices = [(u.id, u.name) for u in units]


def _get_user(user_id: int) -> User:
    return db.get_or_404(User, user_id)


@bp.get("/admin/users")
@allow(*ADMINS)
def users():
    rows = db.session.scalars(select(User).order_by(User.role, User.username)).all()
    return render_template("auth/users.html", users=rows, role_labels=ROLE_LABELS)


@bp.route("/admin/users/new", methods=["GET", "POST"])
@allow(*ADMINS)
def user_new():
    units = _units()
    form = UserForm()
    _fill_choices(form, units)
    if form.validate_on_submit():
        if not form.password.data:
            form.password.errors.append(_("Hãy đặt mật khẩu cho tài khoản mới."))
        elif services.find_user(form.username.data):
            form.username.errors.append(_("Tên đăng nhập này đã có người dùng."))
        else:
            by_id = {u.id: u for u in units}
            user = services.create_user(
                current_user,
                username=form.username.data,
                password=form.password.data,
                display_name=form.display_name.data,
                role=form.role.data,
                unit=by_id.get(form.unit_id.data),
                scoped_units=[by_id[i] for i in form.scoped_unit_ids.data if i in by_id],
            )
            flash(_("Đã tạo tài khoản %(u)s.", u=user.username), "success")
            return redirect(url_for("auth.users"))
    status = 422 if form.errors else 200
    return render_template("auth/user_form.html", form=form, user=None), status


@bp.route("/admin/users/<int:user_id>", methods=["GET", "POST"])
@allow(*ADMINS)
def user_edit(user_id: int):
    user = _get_user(user_id)
    units = _units()
    form = UserForm(obj=user)
    _fill_choices(form, units)
    del form.password
    form.username.data = user.username
    if form.is_submitted() is False:
        form.unit_id.data = user.unit_id or 0
        form.scoped_unit_ids.data = [u.id for u in user.scoped_units]
    if form.validate_on_submit():
        by_id = {u.id: u for u in units}
        if user.id == current_user.id and (not form.active.data or form.role.data != "admin"):
            flash(_("Bạn không thể tự khóa hay bỏ quyền quản trị của chính mình."), "error")
        else:
            services.update_user(
                current_user,
                user,
                display_name=form.display_name.data,
                role=form.role.data,
                unit=by_id.get(form.unit_id.data),
                scoped_units=[by_id[i] for i in form.scoped_unit_ids.data if i in by_id],
                active=form.active.data,
            )
            flash(_("Đã lưu tài khoản %(u)s.", u=user.username), "success")
            return redirect(url_for("auth.users"))
    status = 422 if form.errors else 200
    return render_template(
        "auth/user_form.html",
        form=form,
        user=user,
        reset_form=PasswordResetForm(account_username=user.username),
    ), status


@bp.route("/admin/users/<int:user_id>/password", methods=["POST"])
@allow(*ADMINS)
def user_password(user_id: int):
    user = _get_user(user_id)
    form = PasswordResetForm(account_username=user.username)
    if form.validate_on_submit():
        own = user.id == current_user.id
        services.reset_password(current_user, user, form.password.data)
        if own:  # every other session of this admin ends; this one goes on
            keep_this_session(user)
        flash(_("Đã đặt lại mật khẩu cho %(u)s.", u=user.username), "success")
        return redirect(url_for("auth.users"))
    units = _units()
    edit = UserForm(obj=user)
    _fill_choices(edit, units)
    del edit.password
    edit.unit_id.data = user.unit_id or 0
    return render_template("auth/user_form.html", form=edit, user=user, reset_form=form), 422


@bp.post("/admin/users/<int:user_id>/sign-in-link")
@allow(*ADMINS)
def user_sign_in_link(user_id: int):
    """A new one-time sign-in link for an account (an imported officer whose link expired or
    was lost, or one who forgot the password); the links before it stop working. Shown once,
    with its QR code: only its hash is kept."""
    user = _get_user(user_id)
    if not ConfirmForm().validate_on_submit() or not user.active:
        return redirect(url_for("auth.user_edit", user_id=user.id), code=303)
    link = external_url("auth.welcome", token=services.issue_sign_in_link(current_user, user))
    return render_template(
        "auth/sign_in_link.html",
        user=user,
        link=link,
        qr=two_factor.qr_data_uri(link),
        hours=current_app.config["SIGN_IN_LINK_HOURS"],
    )
