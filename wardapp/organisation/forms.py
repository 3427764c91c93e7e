"""The organisation's forms; messages in Vietnamese, marked for translation."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileAllowed, FileField, FileRequired, FileSize
from wtforms import (
    BooleanField,
    DateField,
    HiddenField,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
)
from wtforms.validators import DataRequired, Length, Optional, Regexp
from wtforms.widgets import CheckboxInput, ListWidget

KIND_CHOICES = [("ward", _l("Phường")), ("commune", _l("Xã")), ("agency", _l("Cơ quan, đơn vị"))]


class UnitForm(FlaskForm):
    name = StringField(
        _l("Tên đơn vị"), validators=[DataRequired(_l("Hãy nhập tên đơn vị.")), Length(max=200)]
    )
    short_name = StringField(_l("Tên ngắn"), validators=[Optional(), Length(max=100)])
    code = StringField(
        _l("Mã (để trống: tạo từ tên)"),
        validators=[
            Optional(),
            Length(max=64),
            Regexp(
                r"^[a-z0-9][a-z0-9-]*$",
                message=_l("Mã chỉ gồm chữ thường không dấu, số và gạch ngang."),
            ),
        ],
    )
    kind = SelectField(_l("Loại"), choices=KIND_CHOICES)
    active = BooleanField(_l("Đang hoạt động"), default=True)


class MergeForm(FlaskForm):
    source_ids = SelectMultipleField(
        _l("Các đơn vị được sáp nhập"),
        coerce=int,
        choices=[],
        validators=[DataRequired(_l("Hãy chọn các đơn vị được sáp nhập."))],
    )
    into_id = SelectField(_l("Sáp nhập vào"), coerce=int, choices=[])
    new_name = StringField(_l("hoặc tên đơn vị mới"), validators=[Optional(), Length(max=200)])
    new_code = StringField(
        _l("Mã đơn vị mới (để trống: tạo từ tên)"),
        validators=[
            Optional(),
            Length(max=64),
            Regexp(
                r"^[a-z0-9][a-z0-9-]*$",
                message=_l("Mã chỉ gồm chữ thường không dấu, số và gạch ngang."),
            ),
        ],
    )
    on = DateField(
        _l("Từ ngày"), validators=[DataRequired(_l("Hãy nhập ngày sáp nhập (dd/mm/yyyy)."))]
    )


MAX_ACCOUNTS_FILE = 2 * 1024 * 1024
CHOOSE_ACCOUNTS = _l("Hãy chọn tệp XLSX hoặc CSV có danh sách tài khoản.")


class AccountImportForm(FlaskForm):
    file = FileField(
        _l("Tệp danh sách tài khoản"),
        validators=[
            FileRequired(CHOOSE_ACCOUNTS),
            FileAllowed(["xlsx", "csv"], CHOOSE_ACCOUNTS),
            FileSize(MAX_ACCOUNTS_FILE, min_size=1, message=_l("Tệp quá lớn (tối đa 2 MB).")),
        ],
    )


class AccountConfirmForm(FlaskForm):
    """The checked file again, carried by the preview page, and its name."""

    content = HiddenField(validators=[DataRequired()])
    filename = HiddenField(validators=[Optional(), Length(max=200)])


class TaskForm(FlaskForm):
    """One task of a plan, as the admin corrects it."""

    text = TextAreaField(
        _l("Nội dung nhiệm vụ"),
        validators=[DataRequired(_l("Hãy nhập nội dung nhiệm vụ.")), Length(max=5000)],
    )
    short_title = StringField(
        _l("Tên ngắn (để trống: lấy từ nội dung)"), validators=[Optional(), Length(max=200)]
    )
    kinds = SelectMultipleField(
        _l("Loại minh chứng"),
        choices=[],
        widget=ListWidget(prefix_label=False),
        option_widget=CheckboxInput(),
    )
    places = TextAreaField(
        _l("Địa điểm gợi ý (mỗi dòng một nơi)"), validators=[Optional(), Length(max=5000)]
    )
    lead_ids = SelectMultipleField(_l("Đơn vị chủ trì"), coerce=int, choices=[])
    coordinating_ids = SelectMultipleField(_l("Đơn vị phối hợp"), coerce=int, choices=[])
    rule = SelectField(_l("Cách tính"), choices=[])
    deadline = DateField(_l("Hạn (với nhiệm vụ có hạn)"), validators=[Optional()])
    when_text = StringField(
        _l("Thời gian thực hiện, như kế hoạch ghi (để trống: theo cách tính)"),
        validators=[Optional(), Length(max=300)],
    )


class RetireForm(FlaskForm):
    retired = HiddenField()


CHOOSE_UNITS = _l("Hãy chọn tệp XLSX hoặc CSV có danh sách đơn vị.")


class UnitImportForm(FlaskForm):
    file = FileField(
        _l("Tệp danh sách đơn vị"),
        validators=[
            FileRequired(CHOOSE_UNITS),
            FileAllowed(["xlsx", "csv"], CHOOSE_UNITS),
            FileSize(MAX_ACCOUNTS_FILE, min_size=1, message=_l("Tệp quá lớn (tối đa 2 MB).")),
        ],
    )
