"""The officer's pages: the capture form posts without JavaScript, "My submissions",
resubmitting."""

import io
import re

import pytest
from sqlalchemy import select
from werkzeug.datastructures import MultiDict

from support.evidence import Officer, photo, task_id
from wardapp.evidence.models import Evidence
from wardapp.extensions import db


def form_page(officer, number, kind):
    return officer.client.get(f"/tasks/{task_id(officer.app, number)}/new?kind={kind}")


def hidden(body: str, name: str) -> str:
    return re.search(rf'name="{name}" value="([^"]*)"', body).group(1)


def test_the_capture_form_is_built_for_a_phone(seeded):
    body = form_page(Officer(seeded, "tho-xuong"), 6, "site_photo").get_data(as_text=True)
    assert 'accept="image/*"' in body and 'capture="environment"' in body and "multiple" in body
    assert 'type="datetime-local"' in body and 'inputmode="numeric"' in body
    assert '<datalist id="places-place">' in body
    assert re.fullmatch(r"[0-9a-f-]{36}", hidden(body, "client_uuid"))


def test_the_form_for_a_task_the_unit_does_not_have_is_refused(seeded):
    assert form_page(Officer(seeded, "tho-xuong"), 9, "site_photo").status_code == 403


def test_a_task_with_several_kinds_asks_which_one_first(seeded):
    officer = Officer(seeded, "tho-xuong")
    body = officer.client.get(f"/tasks/{task_id(seeded, 6)}/new").get_data(as_text=True)
    assert "Chọn loại minh chứng" in body and "kind=broadcast" in body


def post_form(officer, number, kind, fields, photos=()):
    page = form_page(officer, number, kind).get_data(as_text=True)
    data = MultiDict(
        {
            "csrf_token": hidden(page, "csrf_token"),
            "client_uuid": hidden(page, "client_uuid"),
            "task_id": str(task_id(officer.app, number)),
            "kind": kind,
            **fields,
        }
    )
    for i, content in enumerate(photos):
        data.add("photo", (io.BytesIO(content), f"anh-{i}.jpg"))
    return officer.client.post(
        f"/tasks/{task_id(officer.app, number)}/new?kind={kind}",
        data=data,
        content_type="multipart/form-data",
    )


def test_without_javascript_the_form_posts_and_lands_in_my_submissions(seeded):
    officer = Officer(seeded, "tho-xuong")
    response = post_form(
        officer,
        6,
        "site_photo",
        {
            "occurred_at": "2024-03-20T09:00",
            "place": "Trụ sở UBND phường",
            "installed": "Áp phích CCHC",
            "quantity": "4",
        },
        photos=[photo(seed=30)],
    )
    assert response.status_code == 303 and response.headers["Location"].endswith("/mine")
    mine = officer.client.get("/mine").get_data(as_text=True)
    assert "Chờ duyệt" in mine and "Nhiệm vụ 6" in mine


def test_a_form_with_mistakes_comes_back_with_messages_beside_the_fields(seeded):
    officer = Officer(seeded, "tho-xuong")
    response = post_form(
        officer,
        6,
        "site_photo",
        {"occurred_at": "2024-03-20T09:00", "place": "", "installed": "Pano", "quantity": "-1"},
    )
    assert response.status_code == 422
    body = response.get_data(as_text=True)
    assert 'id="e-place"' in body and 'id="e-quantity"' in body and 'id="e-photo"' in body
    assert 'value="Pano"' in body  # what was typed is kept
    with seeded.app_context():
        assert db.session.scalars(select(Evidence)).all() == []


def test_a_returned_item_is_corrected_and_sent_again_as_a_new_evidence(seeded):
    officer = Officer(seeded, "tho-xuong")
    first = officer.site_photo(photos=[photo(seed=31)]).json
    with seeded.app_context():
        old = db.session.get(Evidence, first["id"])
        old.status, old.review_note = "returned", "Ảnh không rõ"
        db.session.commit()
    mine = officer.client.get("/mine").get_data(as_text=True)
    assert "Ảnh không rõ" in mine and f"supersedes={first['id']}" in mine
    page = officer.client.get(
        f"/tasks/{task_id(seeded, 6)}/new?kind=site_photo&supersedes={first['id']}"
    )
    assert 'value="Dải phân cách đường Hùng Vương"' in page.get_data(as_text=True)
    again = officer.site_photo(photos=[photo(seed=31)], supersedes=str(first["id"]))
    assert again.status_code == 201
    assert again.json["supersedes_id"] == first["id"]
    assert again.json["warnings"] == []  # reusing the returned version's photo is expected
    twice = officer.site_photo(photos=[photo(seed=32)], supersedes=str(first["id"]))
    assert twice.status_code == 422 and "supersedes" in twice.json["fields"]


def test_only_a_returned_item_can_be_superseded(seeded):
    officer = Officer(seeded, "tho-xuong")
    first = officer.site_photo().json
    again = officer.site_photo(supersedes=str(first["id"]))
    assert again.status_code == 422
    assert again.json["fields"]["supersedes"] == "Chỉ gửi lại được minh chứng đã bị trả lại."


@pytest.mark.parametrize(
    "today, expected, banner",
    [
        ((2026, 12, 1, 10, 15), "2024-12-31T10:15", True),  # after the plan: its last day
        ((2023, 11, 5, 8, 0), "2024-01-01T08:00", True),  # before it: its first day
        ((2024, 5, 2, 9, 30), "2024-05-02T09:30", False),  # inside: today
    ],
)
def test_a_fresh_form_s_date_lies_inside_the_plan_and_says_why(
    seeded, monkeypatch, today, expected, banner
):
    from datetime import datetime

    import wardapp.evidence.views as views
    from wardapp.core.i18n import city_tz

    monkeypatch.setattr(views, "now_local", lambda: datetime(*today, tzinfo=city_tz()))
    officer = Officer(seeded, "tho-xuong")
    body = officer.client.get(f"/tasks/{task_id(seeded, 6)}/new?kind=site_photo").get_data(
        as_text=True
    )
    assert f'value="{expected}"' in body
    assert ("plan-date-banner" in body) is banner
    if banner:
        assert f"Hôm nay ({today[2]:02d}/{today[1]:02d}/{today[0]})" in body
        assert "không thuộc năm 2024 của kế hoạch" in body
