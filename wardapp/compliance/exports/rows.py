"""The accepted evidence behind a picture, one row per item, streamed from the database.

Rows are read task by task and unit by unit, each an indexed range read in order, in batches
(``yield_per``: a server-side cursor on PostgreSQL), each item with its photos joined in, so
memory stays flat and the database never sorts, however many items there are.
The window per task is the one its cells used, so an export counts what the dashboard shows.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, tzinfo

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import ColumnElement, and_, select

from wardapp.compliance.counting import between_days, counted
from wardapp.compliance.picture import Picture
from wardapp.core.i18n import fmt_date, fmt_day_month
from wardapp.core.labels import KIND_LABELS
from wardapp.core.periods import Week
from wardapp.core.urls import external_url
from wardapp.db import DbSession
from wardapp.evidence.models import Evidence, Media
from wardapp.evidence.schema import SCHEMAS
from wardapp.extensions import db
from wardapp.plans.models import Task
from wardapp.units.models import Unit

BATCH = 2000
SENTINEL = 987654321


class Links:
    """Absolute links to an item and its photos, made once from ``url_for`` and filled in per
    row: a quarter of 250,000 items would spend longer in ``url_for`` than in the database."""

    def __init__(self):
        self.detail = self._template("evidence.detail", evidence_id=SENTINEL)
        self.photo = self._template("evidence.media_file", media_id=SENTINEL, variant="display")
        self.unit_page = self._template("compliance.unit_page", unit=SENTINEL)

    @staticmethod
    def _template(endpoint: str, **values) -> str:
        return external_url(endpoint, **values).replace(str(SENTINEL), "{}")

    def evidence(self, evidence_id: int) -> str:
        return self.detail.format(evidence_id)

    def media(self, media_id: int) -> str:
        return self.photo.format(media_id)

    def unit(self, unit_id: int) -> str:
        return self.unit_page.format(unit_id)


@dataclass(frozen=True)
class Column:
    """One column of the evidence files: the ``EvidenceRow`` field it shows, its heading and
    its width in the workbook (characters). CSV and XLSX both follow ``EVIDENCE_COLUMNS``, so
    a new column is one line here (and its value in each file's ``VALUES``)."""

    key: str
    header: object  # a lazy string
    width: float


EVIDENCE_COLUMNS = (
    Column("id", _l("Mã minh chứng"), 10),
    Column("task_number", _l("TT nhiệm vụ"), 8),
    Column("task_title", _l("Nhiệm vụ"), 40),
    Column("unit_name", _l("Đơn vị"), 18),
    Column("role", _l("Vai trò"), 10),
    Column("kind", _l("Loại minh chứng"), 24),
    Column("occurred_at", _l("Thực hiện lúc"), 17),
    Column("week", _l("Tuần"), 26),
    Column("summary", _l("Nội dung"), 50),
    Column("note", _l("Ghi chú"), 30),
    Column("reviewed_at", _l("Duyệt lúc"), 17),
    Column("link", _l("Liên kết minh chứng"), 14),
    Column("photo_count", _l("Số ảnh"), 8),
)
PHOTOS_HEADER = _l("Ảnh")  # the photo links come last, however many


@dataclass
class EvidenceRow:
    id: int
    task_number: int
    task_title: str
    unit_name: str
    role: str
    kind: str
    occurred_at: datetime  # local
    reviewed_at: datetime | None  # local
    summary: str
    note: str
    link: str
    week: str = ""  # "Tuần 12 (18/03–24/03/2024)"
    photos: list[str] = field(default_factory=list)
    photo_ids: list[int] = field(default_factory=list)

    @property
    def photo_count(self) -> int:
        return len(self.photos)


@dataclass(frozen=True)
class Labels:
    """Every translated word a row needs, resolved once in the request: a streamed body runs
    after the request's context is gone, and per-row lookups would be slow anyway."""

    headers: list[str]
    week: str  # the week's label, to fill in: "Tuần %(n)s (%(a)s–%(b)s)"
    kinds: dict[str, str]
    roles: dict[str, str]
    fields: dict[str, list[tuple[str, str]]]
    explanation: str = "Giải trình"  # the kind column of an accepted explanation's row

    @classmethod
    def resolve(cls) -> Labels:
        return cls(
            headers=[str(c.header) for c in EVIDENCE_COLUMNS] + [str(PHOTOS_HEADER)],
            week=_("Tuần %(n)s (%(a)s–%(b)s)"),
            kinds={k: str(v) for k, v in KIND_LABELS.items()},
            roles={"lead": _("Chủ trì"), "coordinating": _("Phối hợp")},
            fields={
                code: [(f.name, str(f.label)) for f in kind.fields]
                for code, kind in SCHEMAS.items()
            },
            explanation=_("Giải trình"),
        )


def unit_ranges(picture: Picture, tz: tzinfo) -> Iterator[tuple[Task, Unit, str, ColumnElement]]:
    """Each task of the picture and each unit responsible for it, with its role and the
    condition picking their evidence in the window the task's cells used: one range of the
    (task, unit, occurred_at) index. The exports read one such range at a time."""
    for task in picture.tasks:
        roles = {a.unit_id: a.role for a in task.assignments}
        start, end = picture.expectations[task.id].window
        for unit in picture.units:
            if unit.id in roles:
                yield (
                    task,
                    unit,
                    roles[unit.id],
                    and_(
                        Evidence.task_id == task.id,
                        Evidence.unit_id == unit.id,
                        between_days(start, end, tz),
                    ),
                )


def accepted_rows(
    picture: Picture, tz: tzinfo, links: Links, labels: Labels, session: DbSession | None = None
) -> Iterator[EvidenceRow]:
    """Every accepted item the picture counted, task by task, unit by unit, oldest first.

    Needs no request: ``links`` and ``labels`` are made in one beforehand, and ``session``
    may be the stream's own. One query per task and unit (``unit_ranges``), read in order,
    so the database never sorts."""
    session = session or db.session
    weeks: dict[date, str] = {}

    def week_of(moment: datetime) -> str:
        monday = Week.of(moment.date()).monday
        if monday not in weeks:
            week = Week(monday)
            weeks[monday] = labels.week % {
                "n": week.number,
                "a": fmt_day_month(week.monday),
                "b": fmt_date(week.sunday),
            }
        return weeks[monday]

    for task, unit, role, in_range in unit_ranges(picture, tz):
        query = counted(
            select(
                Evidence.id,
                Evidence.kind,
                Evidence.occurred_at,
                Evidence.reviewed_at,
                Evidence.fields,
                Evidence.note,
                Media.id,
            )
            .outerjoin(Media, and_(Media.evidence_id == Evidence.id, Media.role == "photo"))
            .where(in_range),
            ("approved",),
        )
        query = query.order_by(Evidence.occurred_at, Evidence.id, Media.position)
        row = None
        for e_id, kind, occurred, reviewed, fields, note, media_id in session.execute(
            query.execution_options(yield_per=BATCH)
        ):
            if row is None or row.id != e_id:
                if row is not None:
                    yield row
                local_time = occurred.astimezone(tz)
                row = EvidenceRow(
                    id=e_id,
                    task_number=task.number,
                    task_title=task.short_title,
                    unit_name=unit.short_name,
                    role=labels.roles.get(role, role),
                    kind=labels.kinds.get(kind, kind),
                    occurred_at=local_time,
                    reviewed_at=reviewed.astimezone(tz) if reviewed else None,
                    summary=summary(fields, labels.fields.get(kind, ())),
                    note=note or "",
                    link=links.evidence(e_id),
                    week=week_of(local_time),
                )
            if media_id is not None:
                row.photos.append(links.media(media_id))
                row.photo_ids.append(media_id)
        if row is not None:
            yield row


def summary(fields: dict | None, labelled: Sequence[tuple[str, str]]) -> str:
    """ "Địa điểm: …; Số lượng: 2": the kind's fields in the order the form asks them."""
    if not fields:
        return ""
    return "; ".join(
        f"{label}: {fields[name]}" for name, label in labelled if fields.get(name) not in (None, "")
    )
