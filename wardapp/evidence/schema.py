"""The fields of each evidence kind, and checking what a form or the API sent.

One definition serves the capture form (its input names are the API's) and the API, so a
field added here appears in both and is checked the same way.

Every value goes through the house's text policy (``wardapp.core.text``) once, here: NFC,
line breaks as LF, control characters removed without a word (nobody types them). A bidi
control (U+202A–U+202E, U+2066–U+2069) or a non-character (U+FFFE, U+FFFF, …) in any field
or the note is refused, never removed: a 422 names the field and each character, so the
officer knows what to type again, and what is stored is what they saw. Numbers are ASCII
digits only: "²" and "①" pass ``str.isdigit`` and are not numbers.
"""

import re
from dataclasses import dataclass, field
from datetime import UTC, datetime, tzinfo

from flask_babel import lazy_gettext as _l

from wardapp.core import dates
from wardapp.core.text import clean_text, code_points, has_bidi_control, refused_characters

MAX_TEXT = 2000
URL_RE = re.compile(r"^https?://[^\s/$.?#][^\s]*$", re.IGNORECASE)
WHOLE_NUMBER = re.compile(r"[0-9]+")
NOTE_LABEL = _l("Ghi chú")


@dataclass(frozen=True)
class Field:
    name: str
    label: object
    type: str = "text"  # text | textarea | int | url | select | time
    required: bool = True
    choices: tuple = ()
    max_length: int = 300
    minimum: int | None = None
    hint: object = None
    suggest_places: bool = False
    # Not asked on the form: the server takes it from the kind's date and time (the city's
    # HH:MM) when it is not sent; an API client or an older phone may still send it.
    from_occurred: bool = False


@dataclass(frozen=True)
class Kind:
    code: str
    occurred_label: object
    fields: tuple[Field, ...]
    photos: str = "optional"  # required | optional | none
    attachments: bool = False
    files_required: bool = False  # at least one photo or attachment
    attachment_hint: object = None
    # Fields "Ghi như lần trước" copies from the unit's last item of this kind (weekly work).
    repeat_fields: tuple[str, ...] = ()


MEETING_TYPES = (
    "Hội nghị",
    "Lớp tập huấn",
    "Học sinh tham quan bộ phận một cửa",
    "Hướng dẫn tại bộ phận một cửa",
    "Khác",
)
CHANNELS = (
    "Cổng/Trang thông tin điện tử thành phố",
    "Đài truyền thanh thành phố",
    "Đài truyền thanh phường, xã",
    "Phát thanh - Truyền hình tỉnh",
    "Zalo",
    "Facebook",
    "Màn hình LED, cổng chào",
    "Bản tin thành phố",
    "Khác",
)

# The fields and files of each kind of evidence, by its code (evidence.models.EVIDENCE_KINDS).
SCHEMAS: dict[str, Kind] = {
    k.code: k
    for k in (
        Kind(
            "site_photo",
            _l("Thời điểm chụp ảnh"),
            (
                Field("place", _l("Địa điểm (tuyến đường, nơi đặt)"), suggest_places=True),
                Field("installed", _l("Nội dung đã lắp đặt (pano, khẩu hiệu, áp phích…)")),
                Field("quantity", _l("Số lượng"), "int", minimum=1),
            ),
            photos="required",
        ),
        Kind(
            "broadcast",
            _l("Ngày và giờ bắt đầu phát"),
            (
                Field("station", _l("Đài, trạm phát")),
                Field("start_time", _l("Giờ bắt đầu"), "time", from_occurred=True),
                Field("minutes", _l("Thời lượng (phút)"), "int", minimum=1),
                Field("topic", _l("Chủ đề")),
                Field(
                    "summary",
                    _l("Tóm tắt nội dung"),
                    "textarea",
                    required=False,
                    max_length=MAX_TEXT,
                ),
            ),
            photos="none",
            attachments=True,
            attachment_hint=_l("Kịch bản (PDF, DOCX) hoặc bản ghi âm (MP3, M4A, WAV), nếu có."),
            repeat_fields=("station", "minutes", "topic"),
        ),
        Kind(
            "meeting",
            _l("Ngày giờ tổ chức"),
            (
                Field("meeting_type", _l("Hình thức"), "select", choices=MEETING_TYPES),
                Field("place", _l("Địa điểm")),
                Field("organiser", _l("Đơn vị tổ chức")),
                Field("attendees", _l("Số người tham dự"), "int", minimum=1),
            ),
            photos="optional",
            attachments=True,
            files_required=True,
            attachment_hint=_l("Danh sách ký tên (ảnh chụp, PDF) hoặc ảnh buổi làm việc."),
        ),
        Kind(
            "publication",
            _l("Ngày đăng, phát"),
            (
                Field("channel", _l("Kênh"), "select", choices=CHANNELS),
                Field(
                    "url",
                    _l("Đường dẫn (URL)"),
                    "url",
                    required=False,
                    max_length=1000,
                    hint=_l("Bắt buộc nếu không có ảnh chụp màn hình."),
                ),
                Field("title", _l("Tiêu đề")),
            ),
            photos="optional",
        ),
        Kind(
            "procedure_update",
            _l("Ngày cập nhật"),
            (
                Field("procedures", _l("Số thủ tục được cập nhật"), "int", minimum=1),
                Field(
                    "summary",
                    _l("Nội dung cập nhật"),
                    "textarea",
                    required=False,
                    max_length=MAX_TEXT,
                ),
            ),
            photos="none",
            attachments=True,
            attachment_hint=_l("Quyết định, danh mục (PDF, DOCX, XLSX), nếu có."),
        ),
    )
}


@dataclass
class Checked:
    """What a submission carried, cleaned; ``errors`` maps a field name to its message."""

    values: dict = field(default_factory=dict)
    errors: dict = field(default_factory=dict)


def refusal(label, raw: str | None):
    """The message for a value holding characters the policy refuses, or None."""
    found = refused_characters(raw)
    if not found:
        return None
    if has_bidi_control(found):
        return _l(
            "%(label)s chứa ký tự điều khiển hướng chữ (%(chars)s), làm chữ hiện khác "
            "với nội dung thật; ký tự này không được phép. Hãy gõ lại mục này.",
            label=label,
            chars=code_points(found),
        )
    return _l(
        "%(label)s chứa ký tự không phải chữ (%(chars)s), không lưu hay xuất ra được; "
        "ký tự này không được phép. Hãy gõ lại mục này.",
        label=label,
        chars=code_points(found),
    )


def check_note(raw: str | None, errors: dict) -> str:
    """The note, cleaned; a refusal or one over ``MAX_TEXT`` goes into ``errors["note"]``."""
    note = clean_text(raw)
    problem = refusal(NOTE_LABEL, raw)
    if problem is None and len(note) > MAX_TEXT:  # refused, never cut: the words are theirs
        problem = _l("Tối đa %(n)s ký tự.", n=MAX_TEXT)
    if problem is not None:
        errors["note"] = problem
    return note


def check_kind_fields(kind: Kind, form) -> Checked:
    """Check the kind's own fields from a form-like mapping (``form.get(name)``)."""
    out = Checked()
    for f in kind.fields:
        problem = refusal(f.label, form.get(f.name))
        if problem is not None:
            out.errors[f.name] = problem
            continue
        raw = clean_text(form.get(f.name))
        if not raw:
            if f.required:
                out.errors[f.name] = _l("Hãy nhập %(label)s.", label=f.label)
            continue
        if len(raw) > f.max_length:
            out.errors[f.name] = _l("Tối đa %(n)s ký tự.", n=f.max_length)
        elif f.type == "int":
            if not WHOLE_NUMBER.fullmatch(raw) or int(raw) > 1_000_000:
                out.errors[f.name] = _l("Hãy nhập một số nguyên.")
            elif f.minimum is not None and int(raw) < f.minimum:
                out.errors[f.name] = _l("Ít nhất là %(n)s.", n=f.minimum)
            else:
                out.values[f.name] = int(raw)
        elif f.type == "url" and not URL_RE.match(raw):
            out.errors[f.name] = _l("Đường dẫn phải bắt đầu bằng http:// hoặc https://.")
        elif f.type == "select" and raw not in f.choices:
            out.errors[f.name] = _l("Hãy chọn một mục trong danh sách.")
        elif f.type == "time" and not re.fullmatch(r"([01]\d|2[0-3]):[0-5]\d", raw):
            out.errors[f.name] = _l("Giờ theo dạng HH:MM, ví dụ 06:30.")
        else:
            out.values[f.name] = raw
    return out


def with_derived(kind: Kind, form, occurred_at: datetime | None, city: tzinfo) -> dict:
    """The form with the fields the kind takes from its date and time filled in, where the
    form did not send them."""
    out = dict(form)
    for f in kind.fields:
        if f.from_occurred and occurred_at is not None and not clean_text(out.get(f.name)):
            out[f.name] = occurred_at.astimezone(city).strftime("%H:%M")
    return out


def parse_occurred_at(raw: str | None, city: tzinfo) -> datetime | None:
    """ISO 8601 date-time; without an offset it is the city's local time. Returned in UTC.

    Outside the years ``core.dates`` allows it is None: year 1 in Hà Nội is before year 1
    in UTC, which a datetime cannot hold."""
    text = clean_text(raw)
    if not text:
        return None
    try:
        value = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        return None
    if not dates.in_range(value.date()):
        return None
    if value.tzinfo is None:
        value = value.replace(tzinfo=city)
    return value.astimezone(UTC)


def parse_float(raw: str | None, low: float, high: float) -> float | None:
    try:
        value = float(clean_text(raw))
    except ValueError:
        return None
    return value if low <= value <= high else None
