"""The queue: filters that return exactly the right rows, kept in the URL; counts; paging;
bulk approval that skips what needs a look; a fixed number of queries per page."""

import html
import re
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import event, select, text

from support.evidence import make_evidence, task_numbered, unit_coded
from support.review import Reviewer, status
from wardapp.extensions import db
from wardapp.plans.models import Task
from wardapp.review.services import QUICK_REASONS
from wardapp.units.models import Unit


def ids_on(page) -> list[int]:
    return [int(i) for i in re.findall(r'id="review-(\d+)"', page.get_data(as_text=True))]


def ref(app, model, **by):
    with app.app_context():
        return db.session.scalar(select(model.id).filter_by(**by))


def test_the_queue_shows_new_evidence_oldest_first_by_default(mix):
    app, rows = mix
    assert ids_on(Reviewer(app).queue()) == [rows[k] for k in "abcf"]


@pytest.mark.parametrize(
    "query,expected",
    [
        ("task={task6}", "ac"),
        ("unit={song_mai}", "c"),
        ("kind=broadcast", "bf"),
        ("status=approved", "d"),
        ("status=returned", "e"),
        ("status=all", "abcdef"),
        ("from=2024-05-09&to=2024-05-16", "bc"),
        ("warnings=1", "cf"),
        ("status=all&unit={song_mai}&task={task6}", "cd"),
        ("kind=broadcast&warnings=1&from=2024-05-20", "f"),
        ("status=all&unit={da_mai}&to=2024-05-20", "e"),
    ],
)
def test_each_filter_and_their_combinations_return_exactly_the_right_rows(mix, query, expected):
    app, rows = mix
    query = query.format(
        task6=ref(app, Task, number=6),
        song_mai=ref(app, Unit, code="song-mai"),
        da_mai=ref(app, Unit, code="da-mai"),
    )
    assert sorted(ids_on(Reviewer(app).queue(query))) == sorted(rows[k] for k in expected)


def test_filters_are_answered_as_a_partial_and_the_counts_follow_them(mix):
    app, rows = mix
    response = Reviewer(app).queue(f"unit={ref(app, Unit, code='song-mai')}", htmx=True)
    body = response.get_data(as_text=True)
    assert "<html" not in body and 'class="counts"' in body
    assert "HX-Request" in response.headers["Vary"]
    counts = dict(re.findall(r">([^<>]+) <strong>(\d+)</strong>", body))
    assert counts["Chờ duyệt"] == "1" and counts["Đã duyệt"] == "1" and counts["Tất cả"] == "2"


def test_pages_follow_on_without_gaps_or_repeats(seeded):
    start = datetime(2024, 6, 1, tzinfo=UTC)
    with seeded.app_context():
        task, unit = task_numbered(6), unit_coded("tho-xuong")
        made = [
            make_evidence(task, unit, created_at=start + timedelta(minutes=i)).id for i in range(30)
        ]
        db.session.commit()
    reviewer = Reviewer(seeded)
    first = reviewer.queue()
    seen = ids_on(first)
    assert seen == made[:25]
    more = re.search(r'hx-get="(/review\?[^"]*after=[^"]+)"', first.get_data(as_text=True)).group(1)
    rest = reviewer.client.get(more.replace("&amp;", "&"), headers={"HX-Request": "true"})
    assert ids_on(rest) == made[25:]
    assert "<html" not in rest.get_data(as_text=True)


def test_a_date_range_orders_by_when_things_happened_and_pages_follow_on(seeded):
    """Sent in one order, happened in the reverse: with a date range the list follows the
    happening, says so, and its pages neither skip nor repeat a row."""
    sent = datetime(2024, 6, 1, tzinfo=UTC)
    happened = datetime(2024, 5, 1, 3, tzinfo=UTC)
    with seeded.app_context():
        task, unit = task_numbered(6), unit_coded("tho-xuong")
        made = [
            make_evidence(
                task,
                unit,
                created_at=sent + timedelta(minutes=i),
                occurred_at=happened + timedelta(hours=30 - i),
            ).id
            for i in range(30)
        ]
        db.session.commit()
    reviewer = Reviewer(seeded)
    first = reviewer.queue("from=2024-05-01&to=2024-05-31")
    body = first.get_data(as_text=True)
    assert "Xếp theo thời gian thực hiện, cũ nhất trước." in body
    assert ids_on(first) == made[::-1][:25]
    more = re.search(r'hx-get="(/review\?[^"]*after=[^"]+)"', body).group(1)
    rest = reviewer.client.get(more.replace("&amp;", "&"), headers={"HX-Request": "true"})
    assert ids_on(rest) == made[::-1][25:]
    plain = reviewer.queue().get_data(as_text=True)
    assert (
        "Xếp theo thời gian gửi, cũ nhất trước." in plain and ids_on(reviewer.queue())[0] == made[0]
    )


@pytest.mark.parametrize("cursor", ["nan_1", "1e400_5", "-1e20_3", "abc", "1_2_3", "1700000000_x"])
def test_a_mangled_page_link_gives_the_first_page(seeded, cursor):
    with seeded.app_context():
        made = make_evidence(task_numbered(6), unit_coded("tho-xuong")).id
        db.session.commit()
    response = Reviewer(seeded).queue(f"after={cursor}")
    assert response.status_code == 200 and ids_on(response) == [made]


def confirm_form(page) -> dict:
    """The fields the confirmation page posts back, as a browser would send them."""
    body = page.get_data(as_text=True)
    form = body[body.index('<form method="post"') :]
    form = form[: form.index("</form>")]
    fields: dict = {}
    for name, value in re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)"', form):
        fields.setdefault(name, []).append(value)
    return fields


def test_bulk_approval_states_the_count_then_approves_and_skips_items_with_warnings(mix):
    app, rows = mix
    reviewer = Reviewer(app)
    page = reviewer.client.get("/review/bulk?status=submitted")
    confirm = page.get_data(as_text=True)
    assert "Bạn sắp duyệt 2 minh chứng không có cảnh báo." in confirm
    assert "2 mục có cảnh báo sẽ được bỏ qua" in confirm
    done = reviewer.client.post("/review/bulk", data=confirm_form(page))
    assert done.status_code == 303
    assert [status(app, rows[k])[0] for k in "abcf"] == [
        "approved",
        "approved",
        "submitted",
        "submitted",
    ]
    flash = reviewer.queue().get_data(as_text=True)
    assert "Đã duyệt 2 minh chứng." in flash


def test_bulk_approval_approves_what_it_showed_not_what_arrived_since(mix):
    app, rows = mix
    reviewer = Reviewer(app)
    page = reviewer.client.get("/review/bulk?status=submitted")
    assert "Bạn sắp duyệt 2 minh chứng" in page.get_data(as_text=True)
    with app.app_context():  # while the reviewer read the count
        arrived = make_evidence(task_numbered(6), unit_coded("tho-xuong")).id
        db.session.commit()
    reviewer.client.post("/review/bulk", data=confirm_form(page))
    assert [status(app, rows[k])[0] for k in "ab"] == ["approved", "approved"]
    assert status(app, arrived)[0] == "submitted"


def test_a_confirmation_without_the_list_it_showed_only_asks_again(mix):
    app, rows = mix
    reviewer = Reviewer(app)
    asked = reviewer.client.post(
        "/review/bulk", data={"csrf_token": reviewer.token, "status": "submitted", "confirm": "yes"}
    )
    assert asked.status_code == 200 and "Bạn sắp duyệt 2 minh chứng" in asked.get_data(as_text=True)
    assert status(app, rows["a"])[0] == "submitted"


def test_bulk_approval_of_selected_items_touches_only_those(mix):
    app, rows = mix
    reviewer = Reviewer(app)
    page = reviewer.client.post(
        "/review/bulk", data={"csrf_token": reviewer.token, "ids": [rows["a"], rows["c"]]}
    )
    assert "Bạn sắp duyệt 1 minh chứng" in page.get_data(as_text=True)
    response = reviewer.client.post("/review/bulk", data=confirm_form(page))
    assert response.status_code == 303
    assert status(app, rows["a"])[0] == "approved"
    assert status(app, rows["c"])[0] == "submitted"  # has a warning
    assert status(app, rows["b"])[0] == "submitted"  # not selected


def test_overseers_read_the_queue_without_decision_buttons(mix):
    app, rows = mix
    body = Reviewer(app, "noivu").queue().get_data(as_text=True)
    assert f'id="review-{rows["a"]}"' in body
    assert "approve-form" not in body and "Duyệt tất cả" not in body


def test_the_queue_page_makes_a_fixed_number_of_queries_whatever_the_page_size(seeded):
    with seeded.app_context():
        task = task_numbered(6)
        for i in range(40):
            make_evidence(task, unit_coded(("tho-xuong", "song-mai", "da-mai")[i % 3]))
        db.session.commit()
    reviewer = Reviewer(seeded)

    def queries_for(size):
        count = [0]

        def counter(*args):
            count[0] += 1

        with seeded.app_context():
            engine = db.engine
        event.listen(engine, "before_cursor_execute", counter)
        try:
            assert len(ids_on(reviewer.queue(f"size={size}"))) == size
        finally:
            event.remove(engine, "before_cursor_execute", counter)
        return count[0]

    assert queries_for(5) == queries_for(35)


def test_the_gallery_shows_a_tasks_photos_across_units_with_their_warnings(seeded):
    from support.evidence import Officer, photo

    Officer(seeded, "tho-xuong").site_photo(photos=[photo(seed=50)])
    flagged = Officer(seeded, "song-mai").site_photo(
        photos=[photo(seed=51, gps=None)], lat="", lon=""
    )
    body = (
        Reviewer(seeded)
        .client.get(f"/review/gallery?task={ref(seeded, Task, number=6)}")
        .get_data(as_text=True)
    )
    assert body.count('class="tile') == 2
    assert "Thọ Xương" in body and "Song Mai" in body
    assert "tile flagged" in body and "Không có vị trí" in body
    assert f"#{flagged.json['id']}" in body


def test_counts_past_the_cap_say_so_instead_of_counting_everything(mix, monkeypatch):
    app, rows = mix
    from wardapp.review import queue

    monkeypatch.setattr(queue, "COUNT_CAP", 2)
    body = Reviewer(app).queue().get_data(as_text=True)
    counts = dict(re.findall(r">([^<>]+) <strong>([^<]+)</strong>", body))
    assert counts["Chờ duyệt"] == "2+" and counts["Đã duyệt"] == "1" and counts["Tất cả"] == "4+"


@pytest.mark.parametrize("backend", ["postgresql"])
def test_postgresql_plans_each_statement_for_its_own_values(app):
    """psycopg prepares a statement it has run five times; PostgreSQL's generic plan for it
    would then ignore the filter's values and read the whole table for a capped count."""
    with app.app_context():
        for _ in range(7):  # past psycopg's prepare threshold: the setting must hold after it
            mode = db.session.execute(text("SHOW plan_cache_mode")).scalar()
        assert mode == "force_custom_plan"
        assert db.session.execute(text("SHOW lock_timeout")).scalar() == "10s"


def test_every_decision_form_on_every_row_carries_the_token_and_the_way_back(mix):
    """Approved and returned rows keep a way to change the decision; each form needs its
    token (a plain form post without JavaScript) and the page to come back to. The return
    form is sent once, not once per row: a row links to it and the page holds one copy."""
    app, rows = mix
    body = Reviewer(app).queue("status=all").get_data(as_text=True)
    forms = re.findall(r'<form method="post" action="/review/\d+/[a-z_]+".*?</form>', body, re.S)
    assert len(forms) == 4 + 1  # approve on four submitted rows, "change to approve" on one
    for form in forms:
        assert re.search(r'name="csrf_token" value="[^"]{20,}"', form), form
        assert 'name="next" value="/review?status=all"' in form, form
    links = re.findall(r'<a class="btn danger return-open" href="([^"]+)"', body)
    assert len(links) == 4 + 1  # return on four submitted rows, "change to return" on one
    assert all("next=/review?status%3Dall" in html.unescape(u) for u in links), links
    assert body.count('name="reason_pick"') == len(QUICK_REASONS)  # one form's chips
    page = Reviewer(app).client.get(html.unescape(links[0]))  # without JavaScript: its page
    text = page.get_data(as_text=True)
    assert page.status_code == 200 and 'name="reason_pick"' in text
    assert 'name="next" value="/review?status=all"' in text
