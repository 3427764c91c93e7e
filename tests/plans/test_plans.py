"""The shipped 2024 plan, seeding it idempotently, and importing a new year's plan."""

import csv
import unicodedata
from datetime import date, datetime

import pytest
from openpyxl import Workbook
from sqlalchemy import func, select

from support.plans import GOOD_ROWS, HEADER
from wardapp.extensions import db
from wardapp.plans.commands import import_plan_command, seed_plan_command
from wardapp.plans.importer import PlanImportError, import_plan
from wardapp.plans.models import Plan, Task, TaskUnit
from wardapp.plans.seed import load_shipped_plan, seed_plan
from wardapp.plans.vocabulary import parse_when
from wardapp.units.models import Unit
from wardapp.units.names import unit_code


def count(model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


def seeded(runner):
    result = runner.invoke(seed_plan_command)
    assert result.exit_code == 0, result.output
    return result


def task(year: int, number: int) -> Task:
    return db.session.scalar(
        select(Task).join(Plan).where(Plan.year == year, Task.number == number)
    )


def codes(t: Task, role: str) -> set[str]:
    return {u.code for u in t.units(role)}


def write_csv(path, rows, *, delimiter=",", bom=False):
    with open(path, "w", encoding="utf-8-sig" if bom else "utf-8", newline="") as f:
        csv.writer(f, delimiter=delimiter).writerows(rows)
    return path


def check_2025_plan():
    plan = db.session.scalar(select(Plan).where(Plan.year == 2025))
    assert plan is not None and plan.city == "Bắc Giang"
    assert [t.number for t in plan.tasks] == [1, 2, 3, 4, 5]
    t1, t2, t3, t4, t5 = plan.tasks
    assert (t1.rule, t1.kinds) == ("weekly", ["broadcast"])
    assert len(codes(t1, "lead")) == 16 and codes(t1, "coordinating") == {"van-hoa-va-thong-tin"}
    assert (t2.rule, t2.deadline, t2.kinds) == ("deadline", date(2025, 6, 30), ["site_photo"])
    assert codes(t2, "lead") == {"van-hoa-va-thong-tin"}
    assert codes(t2, "coordinating") == {"van-hoa-thong-tin-va-the-thao"}
    assert (t3.rule, t3.kinds) == ("on_change", ["procedure_update", "meeting"])
    assert len(codes(t3, "lead")) == 21 and not codes(t3, "coordinating")
    assert (t4.rule, t4.min_count, t4.kinds) == ("per_period", None, ["site_photo", "publication"])
    assert codes(t4, "lead") == {"hdnd-ubnd-thanh-pho"} and len(codes(t4, "coordinating")) == 20
    assert (t5.rule, t5.deadline, t5.kinds) == ("deadline", date(2025, 11, 30), ["meeting"])
    assert codes(t5, "coordinating") == {"truong-thcs"}


def test_seeding_twice_gives_the_same_rows(app, runner):
    seeded(runner)
    with app.app_context():
        before = {m: sorted(db.session.scalars(select(m.id))) for m in (Unit, Plan, Task, TaskUnit)}
    second = seeded(runner)
    assert "Không có gì thay đổi" in second.output
    with app.app_context():
        after = {m: sorted(db.session.scalars(select(m.id))) for m in (Unit, Plan, Task, TaskUnit)}
        assert not seed_plan(db.session, load_shipped_plan()).changed
    assert after == before
    assert [len(before[m]) for m in (Unit, Plan, Task)] == [23, 1, 10]


def test_reseeding_updates_changed_texts_and_keeps_a_reviewers_minimum(app, runner):
    seeded(runner)
    with app.app_context():
        task(2024, 1).min_count, task(2024, 1).period = 1, "month"
        db.session.commit()
        data = load_shipped_plan()
        data["tasks"][8]["text"] = "Nội dung mới cho nhiệm vụ 9"
        data["units"][0]["short_name"] = "Tho\u0302\u0300 Xương"  # decomposed on purpose
        result = seed_plan(db.session, data)
        db.session.commit()
        assert (result.updated, result.created) == ({"unit": 1, "task": 1}, {})
        assert task(2024, 9).text == "Nội dung mới cho nhiệm vụ 9"
        assert (task(2024, 1).min_count, task(2024, 1).period) == (1, "month")
        unit = db.session.scalar(select(Unit).where(Unit.code == "tho-xuong"))
        assert unicodedata.is_normalized("NFC", unit.short_name)
        assert (count(Task), count(Unit)) == (10, 23)


def test_ten_tasks_and_23_units_have_the_right_leads(app, runner):
    seeded(runner)
    with app.app_context():
        kinds = dict(db.session.execute(select(Unit.kind, func.count()).group_by(Unit.kind)).all())
        assert kinds == {"ward": 10, "commune": 6, "agency": 7}
        assert [t.number for t in db.session.scalars(select(Task).order_by(Task.number))] == list(
            range(1, 11)
        )
        local = set(db.session.scalars(select(Unit.code).where(Unit.kind != "agency")))
        city = {
            "van-hoa-va-thong-tin",
            "noi-vu",
            "hdnd-ubnd-thanh-pho",
            "giao-duc-va-dao-tao",
            "van-hoa-thong-tin-va-the-thao",
        }
        assert codes(task(2024, 9), "lead") == {"van-hoa-va-thong-tin"}
        assert not codes(task(2024, 9), "coordinating")
        assert codes(task(2024, 3), "lead") == {"van-hoa-thong-tin-va-the-thao"} | local
        assert codes(task(2024, 3), "coordinating") == {"van-hoa-va-thong-tin"}
        assert codes(task(2024, 1), "lead") == city | local == codes(task(2024, 7), "lead")
        assert codes(task(2024, 2), "lead") == {"van-hoa-thong-tin-va-the-thao"}
        assert codes(task(2024, 2), "coordinating") == (city | local) - {
            "van-hoa-thong-tin-va-the-thao"
        }
        assert codes(task(2024, 6), "coordinating") == {
            "van-hoa-va-thong-tin",
            "van-hoa-thong-tin-va-the-thao",
        }
        assert codes(task(2024, 8), "lead") == {"giao-duc-va-dao-tao"}
        assert codes(task(2024, 8), "coordinating") == {"truong-thcs"}
        assert all(a.scored == (a.role == "lead") for a in db.session.scalars(select(TaskUnit)))


def test_every_name_and_text_is_nfc(app, runner):
    data = load_shipped_plan()
    strings = [u[k] for u in data["units"] for k in ("name", "short_name")]
    strings += [
        t[k]
        for t in data["tasks"]
        for k in ("text", "short_title", "lead_text", "coordinating_text", "notes")
    ]
    strings += [p for t in data["tasks"] for p in t["places"]] + [data["plan"]["title"]]
    assert all(unicodedata.is_normalized("NFC", s) for s in strings)
    assert "Phường Thọ Xương" in strings and all(len(t["short_title"]) <= 80 for t in data["tasks"])
    seeded(runner)
    with app.app_context():
        stored = (
            list(db.session.scalars(select(Unit.name)))
            + list(db.session.scalars(select(Task.text)))
            + list(db.session.scalars(select(Plan.title)))
        )
        assert all(unicodedata.is_normalized("NFC", s) for s in stored)


def test_unit_codes_are_derived_from_names():
    units = load_shipped_plan()["units"]
    assert all(u["code"] == unit_code(u["name"]) for u in units)
    assert {"tho-xuong", "song-mai", "da-mai", "noi-vu", "van-hoa-va-thong-tin"} <= {
        u["code"] for u in units
    }
    assert len({u["code"] for u in units}) == 23
    assert unit_code("Phường Đa Mai") == "da-mai" and unit_code("Xã Đồng Sơn") == "dong-son"


def test_rules_follow_the_when_column(app, runner):
    seeded(runner)
    with app.app_context():
        rules = {
            t.number: (t.rule, t.deadline, t.min_count, t.period)
            for t in db.session.scalars(select(Task))
        }
    assert rules[3] == ("weekly", None, None, None)
    assert rules[9] == rules[10] == ("deadline", date(2024, 3, 31), None, None)
    assert rules[7] == ("on_change", None, None, None)
    assert all(rules[n] == ("per_period", None, None, None) for n in (1, 2, 4, 5, 6, 8))


@pytest.mark.parametrize(
    "text, expected",
    [
        ("Mỗi tuần/1 lần", ("weekly", None)),
        ("Quý I/2025", ("deadline", date(2025, 3, 31))),
        ("Quý 4/2025", ("deadline", date(2025, 12, 31))),
        ("Trước ngày 15/05/2025", ("deadline", date(2025, 5, 15))),
        ("Tháng 2/2025", ("deadline", date(2025, 2, 28))),
        ("Thường xuyên (thực hiện khi có sự thay đổi về TTHC)", ("on_change", None)),
        ("Thường xuyên", ("per_period", None)),
        ("31/02/2025", None),
        ("Khi nào thuận tiện", None),
    ],
)
def test_when_text_reads_as_a_rule(text, expected):
    assert parse_when(text, 2025) == expected


def test_import_plan_loads_a_good_csv(app, runner, tmp_path):
    seeded(runner)
    path = write_csv(tmp_path / "ke-hoach-2025.csv", [HEADER] + GOOD_ROWS)
    result = runner.invoke(import_plan_command, [str(path), "--year", "2025"])
    assert result.exit_code == 0, result.output
    assert "5 nhiệm vụ" in result.output
    with app.app_context():
        check_2025_plan()


def test_import_plan_loads_a_good_xlsx(app, runner, tmp_path):
    seeded(runner)
    wb = Workbook()
    ws = wb.active
    ws.append(["PHỤ LỤC: CÁC NỘI DUNG, NHIỆM VỤ CỤ THỂ NĂM 2025"])
    ws.append([])
    ws.append(
        [
            "TT",
            "Nội dung,\nnhiệm vụ",
            "Cơ quan  chủ trì",
            "Cơ quan\nphối hợp",
            "THỜI GIAN THỰC HIỆN",
            "Loại minh chứng",
        ]
    )
    for row in GOOD_ROWS:
        ws.append(
            [int(row[0])] + row[1:4] + [datetime(2025, 11, 30) if row[0] == "5" else row[4], row[5]]
        )
    wb.save(tmp_path / "ke-hoach-2025.xlsx")
    result = runner.invoke(
        import_plan_command,
        [str(tmp_path / "ke-hoach-2025.xlsx"), "--year", "2025", "--title", "Kế hoạch 2025"],
    )
    assert result.exit_code == 0, result.output
    with app.app_context():
        check_2025_plan()
        assert db.session.scalar(select(Plan.title).where(Plan.year == 2025)) == "Kế hoạch 2025"


def test_import_plan_reads_a_csv_with_bom_and_semicolons(app, runner, tmp_path):
    seeded(runner)
    path = write_csv(tmp_path / "plan.csv", [HEADER] + GOOD_ROWS, delimiter=";", bom=True)
    assert path.read_bytes().startswith(b"\xef\xbb\xbfTT;")
    result = runner.invoke(import_plan_command, [str(path), "--year", "2025"])
    assert result.exit_code == 0, result.output
    with app.app_context():
        check_2025_plan()


def test_a_file_with_bad_rows_reports_each_row_and_loads_nothing(app, runner, tmp_path):
    seeded(runner)
    rows = [
        HEADER,
        GOOD_ROWS[0],
        ["2", "Pano về CCHC.", "Phòng Tài chính và Phòng VHTT", "", "Quý I/2025", ""],
        ["1", "Pano về CCHC.", "Phòng VHTT", "", "Quý I/2025", ""],
        ["3", "Pano về CCHC.", "Phòng VHTT", "", "Khi nào thuận tiện", ""],
        ["4", "Tuyên truyền CCHC.", "Phòng VHTT", "", "Thường xuyên", "Ảnh, Phim tài liệu"],
    ]
    path = write_csv(tmp_path / "bad.csv", rows)
    result = runner.invoke(import_plan_command, [str(path), "--year", "2025"])
    assert result.exit_code == 1
    for line in (
        'Dòng 3: không tìm thấy đơn vị "Phòng Tài chính"',
        "Dòng 4: số TT 1 bị trùng",
        'Dòng 5: không hiểu thời gian thực hiện "Khi nào thuận tiện"',
        'Dòng 6: không hiểu loại minh chứng "Phim tài liệu"',
    ):
        assert line in result.output
    assert "Dòng 2" not in result.output
    with app.app_context():
        assert db.session.scalar(select(Plan).where(Plan.year == 2025)) is None
        assert (count(Plan), count(Task), count(TaskUnit)) == (1, 10, 146)


def test_an_existing_plan_or_a_file_without_header_is_refused(app, runner, tmp_path):
    seeded(runner)
    with app.app_context():
        with pytest.raises(PlanImportError) as exc:
            import_plan(
                db.session,
                write_csv(tmp_path / "a.csv", [HEADER] + GOOD_ROWS),
                year=2024,
                title=None,
                city="Bắc Giang",
            )
        assert exc.value.messages == ["Đã có kế hoạch năm 2024 của Bắc Giang."]
        with pytest.raises(PlanImportError, match="Không tìm thấy dòng tiêu đề"):
            import_plan(
                db.session,
                write_csv(tmp_path / "b.csv", GOOD_ROWS),
                year=2025,
                title=None,
                city="Bắc Giang",
            )
        (tmp_path / "c.csv").write_bytes(b"")
        with pytest.raises(PlanImportError, match="Tệp rỗng"):
            import_plan(db.session, tmp_path / "c.csv", year=2025, title=None, city="Bắc Giang")
        assert count(Plan) == 1
