"""Sign-in and account forms; messages in Vietnamese, marked for translation."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, PasswordField, SelectField, SelectMultipleField, StringField
from wtforms.validators import DataRequired, Length, Optional, Regexp, ValidationError

from wardapp.auth.passwords import password_problem


def password_rules(form, field):
    """The password policy (auth/passwords.py), for the account the form is about: the name
    typed on a new account's form, or the one the form was made for."""
    if not field.data:
        return
    username = getattr(form, "account_username", None) or getattr(
        getattr(form, "username", None), "data", None
    )
    problem = password_problem(field.data, username)
    if problem is not None:
        raise ValidationError(problem)


class LoginForm(FlaskForm):
    username = StringField(
        _l("Tên đăng nhập"), validators=[DataRequired(_l("Hãy nhập tên đăng nhập."))]
    )
    password = PasswordField(_l("Mật khẩu"), validators=[DataRequired(_l("Hãy nhập mật khẩu."))])
    # Off unless ticked: on a shared or borrowed phone nobody stays signed in by accident.
    remember = BooleanField(_l("Ghi nhớ trên thiết bị này"), default=False)


class UserForm(FlaskForm):
    username = StringField(
        _l("Tên đăng nhập"),
        validators=[
            DataRequired(_l("Hãy nhập tên đăng nhập.")),
            Length(max=64),
            Regexp(
                r"^[a-z0-9][a-z0-9._-]*$",
                message=_l("Chỉ dùng chữ thường không dấu, số, dấu chấm, gạch ngang."),
            ),
        ],
    )
    display_name = StringField(
        _l("Họ và tên"), validators=[DataRequired(_l("Hãy nhập họ và tên.")), Length(max=200)]
    )
    role = SelectField(_l("Vai trò"), choices=[])
    unit_id = SelectField(_l("Đơn vị"), coerce=int, choices=[])
    scoped_unit_ids = SelectMultipleField(
        _l("Chỉ duyệt các đơn vị (để trống: tất cả)"), coerce=int, choices=[]
    )
    password = PasswordField(_l("Mật khẩu"), validators=[Optional(), password_rules])
    active = BooleanField(_l("Đang hoạt động"), default=True)

    def validate_unit_id(self, field):
        if self.role.data == "officer" and not field.data:
            raise ValidationError(_l("Cán bộ cần thuộc một đơn vị."))


class PasswordResetForm(FlaskForm):
    password = PasswordField(
        _l("Mật khẩu mới"), validators=[DataRequired(_l("Hãy nhập mật khẩu mới.")), password_rules]
    )

    def __init__(self, *args, account_username: str | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.account_username = account_username


class OwnPasswordForm(FlaskForm):
    """/account: the current password, then the new one twice."""

    old_password = PasswordField(
        _l("Mật khẩu hiện tại"), validators=[DataRequired(_l("Hãy nhập mật khẩu hiện tại."))]
    )
    password = PasswordField(
        _l("Mật khẩu mới"), validators=[DataRequired(_l("Hãy nhập mật khẩu mới.")), password_rules]
    )
    confirm = PasswordField(
        _l("Nhập lại mật khẩu mới"),
        validators=[DataRequired(_l("Hãy nhập lại mật khẩu mới."))],
    )

    def __init__(self, *args, account_username: str | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.account_username = account_username

    def validate_confirm(self, field):
        if field.data != self.password.data:
            raise ValidationError(_l("Hai lần nhập mật khẩu mới không giống nhau."))


EMAIL = r"^[^@\s]+@[^@\s]+\.[^@\s]+$"


class PreferencesForm(FlaskForm):
    """/account: the language of the pages and where digests are sent."""

    language = SelectField(_l("Ngôn ngữ"), choices=[])
    email = StringField(
        _l("Thư điện tử nhận bản tin"),
        filters=[lambda value: value.strip() if isinstance(value, str) else value],
        validators=[
            Optional(),
            Length(max=254),
            Regexp(EMAIL, message=_l("Địa chỉ thư điện tử không hợp lệ.")),
        ],
    )


class SignOutOthersForm(FlaskForm):
    """Only its CSRF token: the button that ends the account's other sessions."""


class FirstPasswordForm(FlaskForm):
    """The page a one-time sign-in link opens: the new account's first password, twice."""

    password = PasswordField(
        _l("Mật khẩu"), validators=[DataRequired(_l("Hãy đặt mật khẩu.")), password_rules]
    )
    confirm = PasswordField(
        _l("Nhập lại mật khẩu"), validators=[DataRequired(_l("Hãy nhập lại mật khẩu."))]
    )

    def __init__(self, *args, account_username: str | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.account_username = account_username

    def validate_confirm(self, field):
        if field.data != self.password.data:
            raise ValidationError(_l("Hai lần nhập mật khẩu không giống nhau."))


class CodeForm(FlaskForm):
    """The second step of a sign-in, or the enrolment's check: a code from the app, or a
    recovery code."""

    code = StringField(
        _l("Mã xác thực"),
        validators=[
            DataRequired(_l("Hãy nhập mã 6 chữ số trong ứng dụng xác thực.")),
            Length(max=40),
        ],
    )


class ConfirmForm(FlaskForm):
    """Only its CSRF token: a button that asks nothing more."""


class TurnOffForm(FlaskForm):
    password = PasswordField(
        _l("Mật khẩu hiện tại"), validators=[DataRequired(_l("Hãy nhập mật khẩu hiện tại."))]
    )
