"""The admin's form for next year's plan: the appendix file, the year, the title, the city."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileAllowed, FileField, FileRequired, FileSize
from wtforms import DateField, IntegerField, StringField
from wtforms.validators import InputRequired, Length, NumberRange, Optional

from wardapp.core.i18n import today_local

MAX_PLAN_FILE = 2 * 1024 * 1024
CHOOSE_A_FILE = _l("Hãy chọn tệp XLSX hoặc CSV có bảng phụ lục của kế hoạch.")


class PlanImportForm(FlaskForm):
    file = FileField(
        _l("Tệp kế hoạch"),
        validators=[
            FileRequired(CHOOSE_A_FILE),
            FileAllowed(["xlsx", "csv"], CHOOSE_A_FILE),
            FileSize(MAX_PLAN_FILE, min_size=1, message=_l("Tệp quá lớn (tối đa 2 MB).")),
        ],
    )
    year = IntegerField(
        _l("Năm"),
        default=lambda: today_local().year,
        validators=[
            InputRequired(_l("Năm của kế hoạch không hợp lệ.")),
            NumberRange(2000, 2100, _l("Năm của kế hoạch không hợp lệ.")),
        ],
    )
    title = StringField(_l("Tên kế hoạch"), validators=[Optional(), Length(max=300)])
    city = StringField(
        _l("Thành phố"), default="Bắc Giang", validators=[InputRequired(), Length(max=100)]
    )


class PlanCopyForm(FlaskForm):
    """A plan again for a new year: the year and the new decision's number and date."""

    year = IntegerField(
        _l("Năm của kế hoạch mới"),
        validators=[
            InputRequired(_l("Năm của kế hoạch không hợp lệ.")),
            NumberRange(2000, 2100, _l("Năm của kế hoạch không hợp lệ.")),
        ],
    )
    number = StringField(
        _l("Số quyết định, kế hoạch"),
        validators=[InputRequired(_l("Hãy nhập số của kế hoạch mới.")), Length(max=50)],
    )
    decision_date = DateField(
        _l("Ngày ban hành"), validators=[InputRequired(_l("Hãy nhập ngày ban hành."))]
    )
    title = StringField(_l("Tên kế hoạch"), validators=[Optional(), Length(max=300)])
