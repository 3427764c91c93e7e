"""A year of demo evidence for one plan, sent through the real submission service: the
whole of 2024 for the shipped plan, and for the demo's copy of it in the current year,
everything up to today (nothing is dated after it, and the last fortnight waits for review).

Most units report most weeks; a few fall behind, so the compliance picture has something to
say. Photos are drawn on the spot with camera EXIF; a few carry the signs a reviewer must
catch (a reused photo, a photo from elsewhere, an old photo). Decisions are made as Phòng
VHTT would: most approved, some returned with a reason, December's still waiting.
"""

import random
import uuid
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import func, select

from wardapp.auth.models import User
from wardapp.compliance.scoring import update_task_rule
from wardapp.core.roles import Role
from wardapp.demo.photos import site_photo
from wardapp.evidence import services
from wardapp.evidence.models import Evidence
from wardapp.evidence.submission import RawFile, RawSubmission
from wardapp.extensions import db
from wardapp.plans.models import Plan, Task, TaskUnit

CITY = ZoneInfo("Asia/Ho_Chi_Minh")
CENTRE = (21.2731, 106.1946)
BEHIND = {"tan-tien": 0.45, "song-khe": 0.7, "dinh-tri": 0.8}  # share of weeks reported
RETURN_REASONS = (
    "Ảnh không rõ",
    "Sai địa điểm",
    "Thiếu số người tham dự",
    "Trùng ảnh đã nộp",
    "Nội dung chưa đúng nhiệm vụ",
)
STREETS = (
    "Dải phân cách đường Hùng Vương",
    "Dải phân cách đường Võ Nguyên Giáp",
    "Ngã tư Nguyễn Văn Cừ - Hoàng Văn Thụ",
    "Trước trụ sở UBND",
    "Bộ phận một cửa",
)


def seed_evidence(year: int = 2024, until: datetime | None = None) -> str:
    tasks = {
        t.number: t for t in db.session.scalars(select(Task).join(Plan).where(Plan.year == year))
    }
    if not tasks:
        return f"No plan for {year}; no demo evidence."
    ids = [t.id for t in tasks.values()]
    if db.session.scalar(select(func.count(Evidence.id)).where(Evidence.task_id.in_(ids))):
        return f"Demo evidence for {year} already present; nothing added."
    # Up to an hour before ``until``: a report is received a little after the work.
    until = until or datetime(year, 12, 31, 23, 59, tzinfo=CITY)
    rng = random.Random(year)
    officers = {
        u.unit_id: u for u in db.session.scalars(select(User).where(User.role == Role.OFFICER))
    }
    reviewer = db.session.scalars(select(User).where(User.username == "vhtt")).one()
    made: list[Evidence] = []

    def send(task: Task, unit_id: int, kind: str, when: datetime, fields: dict, photos=()):
        officer = officers.get(unit_id)
        if officer is None or when > until:
            return
        lat, lon = _near_centre(rng)
        form = {
            "client_uuid": str(uuid.UUID(int=rng.getrandbits(128), version=4)),
            "task_id": str(task.id),
            "kind": kind,
            "occurred_at": when.isoformat(timespec="minutes"),
            "lat": f"{lat:.6f}",
            "lon": f"{lon:.6f}",
            "accuracy": str(rng.choice((8, 15, 30, 65))),
            **{k: str(v) for k, v in fields.items()},
        }
        raw = RawSubmission(
            form=form, photos=[RawFile(f"IMG_{rng.randrange(10**4):04d}.jpg", p) for p in photos]
        )
        received = min(when + timedelta(hours=rng.randrange(1, 30)), until).astimezone(UTC)
        made.append(services.submit(officer, raw, now=received).evidence)

    # The plan sets task 6 no number ("thường xuyên"); the demo's Phòng VHTT asks one item a
    # quarter of each unit leading it, as the settings page allows, so the matrix has verdicts.
    update_task_rule(
        reviewer,
        tasks[6],
        min_count=1,
        period="quarter",
        scored_unit_ids=[a.unit_id for a in tasks[6].assignments if a.scored],
    )
    weekly = tasks[3]
    for assignment in _leads(weekly):
        share = BEHIND.get(assignment.unit.code, 0.95)
        for week_start in _weeks_of(year):
            if rng.random() < share:
                when = week_start + timedelta(days=rng.randrange(5), hours=6, minutes=30)
                if when.year != year:
                    continue
                send(
                    weekly,
                    assignment.unit_id,
                    "broadcast",
                    when,
                    {
                        "station": f"Đài truyền thanh {assignment.unit.short_name}",
                        "start_time": "06:30",
                        "minutes": rng.choice((10, 15, 20)),
                        "topic": rng.choice(
                            (
                                "Chuyển đổi số",
                                "Dịch vụ công trực tuyến",
                                "Thanh toán không dùng tiền mặt",
                            )
                        ),
                    },
                )
    for assignment in _leads(tasks[6]):
        for quarter in range(4):
            when = _local(year, 3 * quarter + 1 + rng.randrange(3), rng.randrange(1, 28), 9)
            if when > until:
                continue
            photo = site_photo(rng, when, _near_centre(rng))
            send(
                tasks[6],
                assignment.unit_id,
                "site_photo",
                when,
                {
                    "place": rng.choice(STREETS),
                    "installed": "Pano tuyên truyền CCHC",
                    "quantity": rng.randrange(1, 5),
                },
                [photo],
            )
    for number, place in ((9, "Đường Võ Nguyên Giáp"), (10, "Pano tấm lớn cửa ngõ thành phố")):
        for assignment in _leads(tasks[number]):
            when = _local(year, 3, rng.randrange(5, 28), 10)
            if when > until:
                continue
            send(
                tasks[number],
                assignment.unit_id,
                "site_photo",
                when,
                {"place": place, "installed": "Khẩu hiệu CCHC, chuyển đổi số", "quantity": 6},
                [site_photo(rng, when, _near_centre(rng)) for _ in range(2)],
            )
    _signs_to_catch(rng, tasks[6], send, year, until)
    _decide(rng, made, reviewer, year, until)
    return f"Demo evidence: {len(made)} items for the {year} plan."


def _signs_to_catch(rng, task: Task, send, year: int, until: datetime) -> None:
    """Three items a careful reviewer should stop at (a fortnight before ``until`` at most)."""
    units = [a.unit_id for a in _leads(task)][:3]
    when = min(_local(year, 11, 12, 9), until - timedelta(days=14))
    reused = site_photo(rng, when, _near_centre(rng))
    send(
        task,
        units[0],
        "site_photo",
        when,
        {"place": STREETS[0], "installed": "Pano", "quantity": 1},
        [reused],
    )
    send(
        task,
        units[1],
        "site_photo",
        when + timedelta(days=2),
        {"place": STREETS[1], "installed": "Pano", "quantity": 1},
        [reused],
    )
    send(
        task,
        units[2],
        "site_photo",
        when,
        {"place": STREETS[2], "installed": "Áp phích", "quantity": 3},
        [site_photo(rng, when - timedelta(days=300), (21.0285, 105.8542))],
    )


def _decide(rng, made: list[Evidence], reviewer: User, year: int, until: datetime) -> None:
    """Most approved, a few returned; the last weeks, and anything with a warning, wait."""
    waiting_from = min(datetime(year, 12, 1, tzinfo=CITY), until - timedelta(days=14))
    for evidence in made:
        if evidence.occurred_at >= waiting_from or evidence.warnings:
            continue
        evidence.reviewer_id = reviewer.id
        evidence.reviewed_at = min(
            evidence.created_at + timedelta(days=rng.randrange(1, 6)), until.astimezone(UTC)
        )
        if rng.random() < 0.04:
            evidence.status, evidence.review_note = "returned", rng.choice(RETURN_REASONS)
        else:
            evidence.status = "approved"
    db.session.flush()


def _leads(task: Task) -> list[TaskUnit]:
    return [a for a in task.assignments if a.role == "lead"]


def _weeks_of(year: int):
    """The Monday of every ISO week that has days in the year."""
    day = date(year, 1, 1) - timedelta(days=date(year, 1, 1).weekday())
    while day.year <= year:
        yield datetime(day.year, day.month, day.day, tzinfo=CITY)
        day += timedelta(days=7)


def _local(year: int, month: int, day: int, hour: int) -> datetime:
    return datetime(year, month, day, hour, tzinfo=CITY)


def _near_centre(rng) -> tuple[float, float]:
    return CENTRE[0] + rng.uniform(-0.03, 0.03), CENTRE[1] + rng.uniform(-0.03, 0.03)
