"""The rules engine: how the plan's "when" column turns evidence into đạt / chưa đạt."""

from datetime import date

from sqlalchemy import event

from support.compliance import local, make_plan, make_task, make_unit, weekly_from
from support.evidence import make_evidence
from wardapp.compliance.picture import compliance_for
from wardapp.compliance.rules import Cell, expectation_for, judge
from wardapp.compliance.tally import Tally
from wardapp.core.periods import Period, Week
from wardapp.extensions import db


class Rule:
    """A task's rule parameters, without a database."""

    def __init__(self, rule, deadline=None, min_count=None, period=None):
        self.rule, self.deadline, self.min_count, self.period = rule, deadline, min_count, period


def judged(rule: Rule, period: Period, days: dict, *, scored=True, as_of=None) -> Cell:
    tally = Tally()
    for day, statuses in days.items():
        for status in statuses:
            tally.add(day, status)
    return judge(Cell(1, 1, "lead", scored), expectation_for(rule, period), tally, as_of)


# The straddling week --------------------------------------------------------------------


def test_a_week_belongs_to_the_quarter_that_holds_its_thursday():
    q3, q4 = Period.quarter(2024, 3), Period.quarter(2024, 4)
    # 30/09/2024 is a Monday: its week (30/09–06/10) has its Thursday in October.
    assert q3.weeks()[-1] == Week(date(2024, 9, 23))
    assert q4.weeks()[0] == Week(date(2024, 9, 30))
    # 31/12/2026 is a Thursday: the week 28/12/2026–03/01/2027 is the last of Q4/2026.
    assert Period.quarter(2026, 4).weeks()[-1].sunday == date(2027, 1, 3)
    assert Period.quarter(2027, 1).weeks()[0].monday == date(2027, 1, 4)


def test_quarters_share_out_the_years_weeks_without_counting_one_twice():
    for year in (2024, 2026):
        quarters = [Period.quarter(year, q).weeks() for q in range(1, 5)]
        flat = [w for weeks in quarters for w in weeks]
        assert len(flat) == len(set(flat)) == len(Period.whole_year(year).weeks())
    assert len(Period.whole_year(2026).weeks()) == 53


def test_a_broadcast_on_the_monday_of_a_straddling_week_counts_in_the_next_quarter():
    weekly = Rule("weekly")
    monday = date(2024, 9, 30)  # still Q3 by the calendar; its week is Q4's first
    q3 = judged(weekly, Period.quarter(2024, 3), {monday: ["approved"]})
    q4 = judged(weekly, Period.quarter(2024, 4), {monday: ["approved"]})
    assert (q3.done, q3.expected) == (0, 13)
    assert (q4.done, q4.expected) == (1, 13)
    assert q4.missing[0].start == date(2024, 10, 7)  # the first week is the one done


def test_weekly_is_met_only_when_every_week_has_an_accepted_item():
    q1 = Period.quarter(2024, 1)
    every_week = {w.monday: ["approved"] for w in q1.weeks()}
    assert judged(Rule("weekly"), q1, every_week).verdict == "met"
    two_in_one_week = dict(every_week)
    two_in_one_week.pop(date(2024, 2, 5))
    two_in_one_week[date(2024, 2, 12)] = ["approved", "approved"]
    cell = judged(Rule("weekly"), q1, two_in_one_week)
    assert (cell.verdict, cell.done, cell.accepted) == ("unmet", 12, 13)
    assert [s.start for s in cell.missing] == [date(2024, 2, 5)]


# Pending, returned, minimums ---------------------------------------------------------------


def test_only_approved_evidence_makes_a_cell_met_and_waiting_evidence_makes_it_pending():
    q1 = Period.quarter(2024, 1)
    weeks = {w.monday: ["approved"] for w in q1.weeks()}
    weeks[date(2024, 3, 25)] = ["submitted"]
    assert judged(Rule("weekly"), q1, weeks).verdict == "pending"
    weeks[date(2024, 3, 18)] = ["returned"]  # a missed week nothing waiting can fill
    assert judged(Rule("weekly"), q1, weeks).verdict == "unmet"


def test_a_monthly_minimum_must_be_met_in_every_month_of_the_quarter():
    monthly = Rule("per_period", min_count=1, period="month")
    q1 = Period.quarter(2024, 1)
    cell = judged(
        monthly, q1, {date(2024, 1, 5): ["approved", "approved"], date(2024, 3, 5): ["approved"]}
    )
    assert (cell.verdict, cell.done, cell.expected, cell.accepted) == ("unmet", 2, 3, 3)
    assert [s.label for s in cell.missing] == ["Tháng 2/2024"]


def test_a_regular_task_without_a_minimum_is_reported_not_scored():
    cell = judged(Rule("per_period"), Period.quarter(2024, 1), {date(2024, 1, 5): ["approved"]})
    assert (cell.verdict, cell.accepted) == ("unscored", 1)
    assert "tối thiểu" in cell.reason


def test_a_quarterly_minimum_is_not_judged_in_a_single_month():
    quarterly = Rule("per_period", min_count=2, period="quarter")
    assert judged(quarterly, Period.month(2024, 2), {}).verdict == "unscored"
    assert judged(quarterly, Period.whole_year(2024), {}).expected == 8


def test_an_on_change_task_is_never_scored():
    assert judged(Rule("on_change"), Period.quarter(2024, 2), {}).verdict == "unscored"


def test_a_deadline_task_is_judged_in_the_period_holding_the_deadline_only():
    by_march = Rule("deadline", deadline=date(2024, 3, 31))
    assert judged(by_march, Period.quarter(2024, 1), {}).verdict == "unmet"
    assert judged(by_march, Period.quarter(2024, 2), {}).verdict == "unscored"
    done_in_april = {date(2024, 4, 2): ["approved"]}
    assert judged(by_march, Period.whole_year(2024), done_in_april).verdict == "unmet"


def test_a_running_week_is_due_not_missed_and_the_future_is_not_expected():
    q2 = Period.quarter(2024, 2)
    done = {w.monday: ["approved"] for w in q2.weeks() if w.sunday < date(2024, 5, 8)}
    cell = judged(Rule("weekly"), q2, done, as_of=date(2024, 5, 8))  # a Wednesday
    assert (cell.verdict, cell.done, cell.expected) == ("met", 5, 5)
    assert cell.open_slot.start == date(2024, 5, 6) and cell.missing == []
    nothing_due = judged(
        Rule("deadline", deadline=date(2024, 6, 30)), q2, {}, as_of=date(2024, 5, 8)
    )
    assert nothing_due.verdict == "unscored" and nothing_due.open_slot is not None


# Through the database: time zone, review date, corrections, who is scored -----------------


def test_a_deadline_counts_the_last_local_day_not_the_utc_one(ward):
    plan, unit = ward
    task = make_task(plan, 9, "deadline", leads=[unit], deadline=date(2024, 3, 31))
    q1 = Period.quarter(2024, 1)
    # 00:30 on 01/04 in the city is still 31/03 in UTC: too late all the same.
    make_evidence(task, unit, local(2024, 4, 1, 0, 30), "approved")
    assert compliance_for(plan, q1).cell(task.id, unit.id).verdict == "unmet"
    # 23:30 on 31/03 in the city is 16:30 UTC: in time.
    make_evidence(task, unit, local(2024, 3, 31, 23, 30), "approved")
    cell = compliance_for(plan, q1).cell(task.id, unit.id)
    assert (cell.verdict, cell.accepted) == ("met", 1)


def test_evidence_reviewed_after_the_quarter_counts_when_the_work_was_done(ward):
    plan, unit = ward
    task = make_task(plan, 9, "deadline", leads=[unit], deadline=date(2024, 3, 31))
    make_evidence(task, unit, local(2024, 3, 28), "approved", reviewed_at=local(2024, 4, 15))
    assert compliance_for(plan, Period.quarter(2024, 1)).cell(task.id, unit.id).verdict == "met"
    assert compliance_for(plan, Period.quarter(2024, 2)).cell(task.id, unit.id).accepted == 0


def test_a_returned_report_sent_again_counts_once(ward):
    plan, unit = ward
    task = make_task(plan, 6, "per_period", leads=[unit], min_count=2, period="quarter")
    first = make_evidence(task, unit, local(2024, 2, 10), "returned")
    make_evidence(task, unit, local(2024, 2, 10), "approved", supersedes=first)
    cell = compliance_for(plan, Period.quarter(2024, 1)).cell(task.id, unit.id)
    assert (cell.accepted, cell.returned, cell.done, cell.verdict) == (1, 0, 1, "unmet")
    make_evidence(task, unit, local(2024, 3, 3), "returned")  # not sent again: still returned
    cell = compliance_for(plan, Period.quarter(2024, 1)).cell(task.id, unit.id)
    assert (cell.accepted, cell.returned) == (1, 1)


def test_a_withdrawn_correction_brings_back_the_returned_report(ward):
    plan, unit = ward
    task = make_task(plan, 6, "per_period", leads=[unit], min_count=1, period="quarter")
    first = make_evidence(task, unit, local(2024, 2, 10), "returned")
    make_evidence(task, unit, local(2024, 2, 11), "withdrawn", supersedes=first)
    cell = compliance_for(plan, Period.quarter(2024, 1)).cell(task.id, unit.id)
    assert (cell.accepted, cell.returned, cell.verdict) == (0, 1, "unmet")


def test_units_that_coordinate_but_do_not_lead_are_not_scored(ward):
    plan, lead = ward
    helper = make_unit("Phòng Văn hóa và Thông tin", "agency")
    task = make_task(plan, 3, "weekly", leads=[lead], coordinating=[helper])
    make_evidence(task, helper, local(2024, 1, 3), "approved")
    picture = compliance_for(plan, Period.quarter(2024, 1))
    helping = picture.cell(task.id, helper.id)
    assert (helping.verdict, helping.accepted) == ("unscored", 1)
    assert picture.cell(task.id, lead.id).verdict == "unmet"


def test_inactive_units_are_left_out(ward):
    plan, unit = ward
    closed = make_unit("Xã Đã Sáp Nhập", "commune", active=False)
    task = make_task(plan, 3, "weekly", leads=[unit, closed])
    make_evidence(task, closed, local(2024, 1, 3), "approved")
    picture = compliance_for(plan, Period.quarter(2024, 1))
    assert [u.id for u in picture.units] == [unit.id]
    assert picture.cell(task.id, closed.id) is None


def test_a_week_straddling_the_quarter_counts_in_the_quarter_of_its_thursday_in_the_database(ward):
    plan, unit = ward
    task = make_task(plan, 3, "weekly", leads=[unit])
    weekly_from(task, unit, date(2024, 7, 1), 13)  # every week of Q3
    make_evidence(task, unit, local(2024, 9, 30, 6, 30), "approved")  # Monday of Q4's first week
    q3 = compliance_for(plan, Period.quarter(2024, 3)).cell(task.id, unit.id)
    q4 = compliance_for(plan, Period.quarter(2024, 4)).cell(task.id, unit.id)
    assert (q3.verdict, q3.done, q3.expected, q3.accepted) == ("met", 13, 13, 13)
    assert (q4.done, q4.accepted) == (1, 1)


def test_the_picture_takes_the_same_few_queries_for_many_units_as_for_one(ward, app):
    plan, unit = ward

    def queries_for(n_units: int) -> int:
        units = [make_unit(f"Phường {i}") for i in range(n_units)]
        p = make_plan(2024)
        for number in range(1, 6):
            task = make_task(p, number, "weekly", leads=units)
            for u in units:
                make_evidence(task, u, local(2024, 2, number), "approved")
        db.session.expire_all()
        assert p.id  # loaded before counting
        statements = []
        listener = lambda *args: statements.append(args[2])  # noqa: E731
        event.listen(db.engine, "before_cursor_execute", listener)
        try:
            compliance_for(p, Period.quarter(2024, 1))
        finally:
            event.remove(db.engine, "before_cursor_execute", listener)
        return len(statements)

    # The tasks, their parts, their units, the counts, the weekly counts, the units left out
    # of the period, the accepted explanations, the last urges.
    assert queries_for(1) == queries_for(12) <= 8
