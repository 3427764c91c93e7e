"""``flask wardapp remind --now``: weekly tasks on Thursday to the units with nothing that week,
deadlines 7 and 2 days before, a period's minimum in its last week, the reviewers' Monday
digest; never the same reminder twice."""

from datetime import datetime

from sqlalchemy import select

from support.compliance import local
from support.evidence import make_evidence, task_numbered, unit_coded
from wardapp.auth.models import User
from wardapp.extensions import db
from wardapp.jobs.queue import DECLARED
from wardapp.notifications.models import Notification
from wardapp.plans.models import TaskUnit
from wardapp.units.models import Unit


def remind(app, moment: str) -> str:
    result = app.test_cli_runner().invoke(args=["wardapp", "remind", "--now", moment])
    assert result.exit_code == 0, result.output
    return result.output


def reminded(app, since_id: int = 0, about: str = "") -> dict[str, list[str]]:
    """Officer's unit code (or a reviewer's name) → the reminders' texts (those saying
    ``about``), newer than an id."""
    with app.app_context():
        rows = db.session.execute(
            select(User.username, Notification.text)
            .join(User, User.id == Notification.user_id)
            .where(Notification.kind == "reminder", Notification.id > since_id)
            .order_by(Notification.id)
        )
        found: dict[str, list[str]] = {}
        for username, text in rows:
            if about in text:
                found.setdefault(username, []).append(text)
        return found


def scored_leads(app, number: int) -> set[str]:
    with app.app_context():
        task = task_numbered(number)
        return set(
            db.session.scalars(
                select(Unit.code)
                .join(TaskUnit, TaskUnit.unit_id == Unit.id)
                .where(TaskUnit.task_id == task.id, TaskUnit.scored.is_(True))
            )
        )


def last_id(app) -> int:
    with app.app_context():
        return db.session.scalar(select(Notification.id).order_by(Notification.id.desc())) or 0


def test_thursday_reminds_exactly_the_units_with_nothing_that_week_and_only_once(seeded):
    with seeded.app_context():
        task3 = task_numbered(3)
        make_evidence(task3, unit_coded("tho-xuong"), local(2024, 3, 12), "submitted")
        make_evidence(task3, unit_coded("ngo-quyen"), local(2024, 3, 11, 7), "returned")
        make_evidence(task3, unit_coded("da-mai"), local(2024, 3, 8), "approved")  # last week
        db.session.commit()
    assert "0 reminder(s)" in remind(seeded, "2024-03-14T07:59")  # before the hour
    output = remind(seeded, "2024-03-14T08:00")
    expected = scored_leads(seeded, 3) - {"tho-xuong", "ngo-quyen"}
    found = reminded(seeded)
    assert set(found) == expected and "da-mai" in expected
    assert all(len(texts) == 1 and "nhiệm vụ 3" in texts[0] for texts in found.values())
    assert all("Tuần 11" in texts[0] for texts in found.values())
    assert f"{len(expected)} reminder(s)" in output
    # However often it runs that week, nobody hears it twice.
    before = last_id(seeded)
    again = remind(seeded, "2024-03-14T15:00")
    assert "0 reminder(s)" in again and f"{len(expected)} already sent" in again
    assert remind(seeded, "2024-03-14T08:00") and reminded(seeded, before) == {}
    # The next Thursday is another week.
    remind(seeded, "2024-03-21T08:30")
    assert set(reminded(seeded, before)) == scored_leads(seeded, 3)


def test_a_deadline_is_reminded_on_the_seventh_and_the_second_day_before(seeded):
    with seeded.app_context():
        make_evidence(
            task_numbered(9), unit_coded("van-hoa-va-thong-tin"), local(2024, 3, 1), "approved"
        )
        db.session.commit()
    for day in ("2024-03-23", "2024-03-25", "2024-03-28", "2024-03-30"):
        remind(seeded, f"{day}T09:00")
    assert reminded(seeded, about="đến hạn") == {}
    remind(seeded, "2024-03-24T09:00")
    seventh = reminded(seeded, about="đến hạn")
    assert set(seventh) == {"van-hoa-thong-tin-va-the-thao"}  # task 10's lead; task 9 is done
    assert (
        "còn 7 ngày đến hạn 31/03/2024 của nhiệm vụ 10"
        in seventh["van-hoa-thong-tin-va-the-thao"][0]
    )
    before = last_id(seeded)
    remind(seeded, "2024-03-24T18:00")
    assert reminded(seeded, before, "đến hạn") == {}
    remind(seeded, "2024-03-29T08:00")
    second = reminded(seeded, before, "đến hạn")
    assert list(second) == ["van-hoa-thong-tin-va-the-thao"]
    assert "còn 2 ngày" in second["van-hoa-thong-tin-va-the-thao"][0]


def test_a_quarters_minimum_in_its_last_week_and_the_monday_digest(seeded):
    with seeded.app_context():
        task6 = task_numbered(6)
        task6.min_count, task6.period = 1, "quarter"
        make_evidence(task6, unit_coded("song-mai"), local(2024, 2, 2), "approved")
        make_evidence(task6, unit_coded("my-do"), local(2024, 2, 2), "submitted")
        db.session.commit()
    remind(seeded, "2024-03-22T09:00")  # a Friday ten days before the quarter ends
    assert not any("nhiệm vụ 6" in t for texts in reminded(seeded).values() for t in texts)
    remind(seeded, "2024-03-26T09:00")
    short = {u for u, texts in reminded(seeded).items() if any("nhiệm vụ 6" in t for t in texts)}
    assert short == scored_leads(seeded, 6) - {"song-mai"}  # waiting is not accepted
    remind(seeded, "2024-03-18T08:00")  # a Monday
    digest = reminded(seeded)["vhtt"]
    assert len(digest) == 1 and "1 minh chứng và 0 giải trình chờ duyệt" in digest[0]
    remind(seeded, "2024-03-18T20:00")
    assert len(reminded(seeded)["vhtt"]) == 1


def test_the_pass_is_also_an_hourly_job_and_a_bad_moment_is_refused(seeded):
    job = DECLARED["wardapp.reminders.jobs.remind_hourly"]
    assert job.schedule is not None and job.schedule(datetime(2024, 3, 14, 1, 7))
    assert not job.schedule(datetime(2024, 3, 14, 1, 8))
    result = seeded.test_cli_runner().invoke(args=["wardapp", "remind", "--now", "Thursday"])
    assert result.exit_code != 0 and "2024-03-14T08:00" in result.output
