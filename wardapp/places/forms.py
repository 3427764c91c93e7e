"""The place form; messages in Vietnamese, marked for translation."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, FloatField, SelectField, StringField
from wtforms.validators import DataRequired, Length, NumberRange, Optional

KIND_CHOICES = [
    ("panel", _l("Pano, áp phích")),
    ("loudspeaker", _l("Cụm loa, trạm truyền thanh")),
    ("notice_board", _l("Bảng tin")),
    ("one_stop_desk", _l("Bộ phận một cửa")),
    ("other", _l("Khác")),
]


class PlaceForm(FlaskForm):
    unit_id = SelectField(_l("Đơn vị"), coerce=int, choices=[])
    name = StringField(
        _l("Tên địa điểm"),
        validators=[DataRequired(_l("Hãy nhập tên địa điểm.")), Length(max=200)],
    )
    kind = SelectField(_l("Loại"), choices=KIND_CHOICES)
    lat = FloatField(
        _l("Vĩ độ"),
        validators=[Optional(), NumberRange(-90, 90, _l("Vĩ độ từ -90 đến 90."))],
    )
    lon = FloatField(
        _l("Kinh độ"),
        validators=[Optional(), NumberRange(-180, 180, _l("Kinh độ từ -180 đến 180."))],
    )
    street = StringField(_l("Tuyến đường"), validators=[Optional(), Length(max=200)])
    active = BooleanField(_l("Đang dùng"), default=True)
