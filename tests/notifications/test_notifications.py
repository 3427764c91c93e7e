"""Notices: a return tells each officer of the unit why and leads to the correction form, the
day's approvals are gathered into one, the API lists newest first and read marks stick."""

from sqlalchemy import select

from support.client import SignedIn
from support.evidence import Officer, officer_of, photo, unit_coded
from support.review import Reviewer
from wardapp.auth.models import User
from wardapp.extensions import db
from wardapp.notifications.models import Notification

FIELDS = {"id", "kind", "text", "url", "evidence_id", "created_at", "read"}


def submitted(app, officer="tho-xuong", seed=0) -> int:
    response = Officer(app, officer).site_photo(photos=[photo(seed=seed)])
    assert response.status_code == 201, response.json
    return response.json["id"]


def second_officer(app, code="tho-xuong") -> str:
    with app.app_context():
        user = officer_of(unit_coded(code))
        user.username = f"{code}-2"
        user.set_password("wardapp-demo")
        db.session.commit()
        return user.username


def notices_of(app, username: str) -> list[Notification]:
    with app.app_context():
        user = db.session.scalars(select(User).where(User.username == username)).one()
        return list(
            db.session.scalars(
                select(Notification)
                .where(Notification.user_id == user.id)
                .order_by(Notification.id)
            )
        )


def test_a_return_notifies_each_officer_of_the_unit_and_nobody_else(seeded):
    evidence_id = submitted(seeded)
    other = second_officer(seeded)
    response = Reviewer(seeded).return_(evidence_id, pick="Ảnh không rõ", reason="chụp gần hơn")
    assert response.status_code == 200
    for username in ("tho-xuong", other):
        [notice] = notices_of(seeded, username)
        assert notice.kind == "returned" and notice.evidence_id == evidence_id
        assert "Ảnh không rõ — chụp gần hơn" in notice.text
        assert f"supersedes={evidence_id}" in notice.url and notice.url.startswith("/tasks/")
    for username in ("song-mai", "vhtt", "noivu", "admin"):
        assert notices_of(seeded, username) == []
    # The link opens the correction form of the returned item.
    officer = SignedIn(seeded, "tho-xuong")
    form = officer.client.get(notices_of(seeded, "tho-xuong")[0].url)
    assert form.status_code == 200
    assert f'name="supersedes" value="{evidence_id}"' in form.get_data(as_text=True)


def test_the_days_approvals_are_gathered_into_one_notice(seeded):
    first, second = submitted(seeded, seed=1), submitted(seeded, seed=2)
    reviewer = Reviewer(seeded)
    assert reviewer.approve(first).status_code == 200
    [notice] = notices_of(seeded, "tho-xuong")
    assert notice.kind == "approved" and notice.count == 1 and notice.evidence_id == first
    officer = SignedIn(seeded, "tho-xuong")
    read = officer.client.post(
        "/api/v1/notifications/read", json={"all": True}, headers={"X-CSRFToken": officer.token}
    )
    assert read.status_code == 200 and read.json["unread"] == 0
    assert reviewer.approve(second).status_code == 200
    [notice] = notices_of(seeded, "tho-xuong")
    assert notice.count == 2 and not notice.read and notice.evidence_id is None
    assert "2 minh chứng" in notice.text


def test_the_api_lists_newest_first_with_the_unread_count_in_pages_and_read_marks_stick(seeded):
    ids = [submitted(seeded, seed=n) for n in range(3)]
    reviewer = Reviewer(seeded)
    for evidence_id in ids:
        assert reviewer.return_(evidence_id, reason=f"lý do {evidence_id}").status_code == 200
    officer = SignedIn(seeded, "tho-xuong")
    first = officer.client.get("/api/v1/notifications?limit=2")
    assert first.status_code == 200 and first.json["unread"] == 3
    assert [set(n) for n in first.json["items"]] == [FIELDS, FIELDS]
    assert [n["evidence_id"] for n in first.json["items"]] == [ids[2], ids[1]]
    assert all(n["kind"] == "returned" and n["read"] is False for n in first.json["items"])
    rest = officer.client.get(first.json["next"])
    assert [n["evidence_id"] for n in rest.json["items"]] == [ids[0]] and rest.json["next"] is None

    newest = first.json["items"][0]["id"]
    marked = officer.client.post(
        "/api/v1/notifications/read", json={"ids": [newest]}, headers={"X-CSRFToken": officer.token}
    )
    assert marked.status_code == 200 and marked.json == {"marked": 1, "unread": 2}
    again = SignedIn(seeded, "tho-xuong").client.get("/api/v1/notifications").json
    assert [n["read"] for n in again["items"]] == [True, False, False] and again["unread"] == 2
    # Another user's ids change nothing of theirs.
    stranger = SignedIn(seeded, "song-mai")
    other = stranger.client.post(
        "/api/v1/notifications/read",
        json={"ids": [n["id"] for n in again["items"]]},
        headers={"X-CSRFToken": stranger.token},
    )
    assert other.json == {"marked": 0, "unread": 0}
    assert SignedIn(seeded, "tho-xuong").client.get("/api/v1/notifications").json["unread"] == 2


def test_bad_read_requests_are_refused_in_vietnamese_and_change_nothing(seeded):
    evidence_id = submitted(seeded)
    Reviewer(seeded).return_(evidence_id, reason="mờ")
    officer = SignedIn(seeded, "tho-xuong")
    headers = {"X-CSRFToken": officer.token}
    for body in ({}, {"ids": []}, {"ids": ["x"]}, {"ids": [True]}, [1], {"ids": [10**30]}):
        response = officer.client.post("/api/v1/notifications/read", json=body, headers=headers)
        assert response.status_code == 422, body
        assert "thông báo" in response.json["error"]
    assert officer.client.get("/api/v1/notifications").json["unread"] == 1
    refused = officer.client.post("/api/v1/notifications/read", json={"all": True})
    assert refused.status_code == 400  # no CSRF token
    assert officer.client.get("/api/v1/notifications").json["unread"] == 1


def test_the_bell_counts_unread_and_the_list_marks_all_read(seeded):
    evidence_id = submitted(seeded)
    Reviewer(seeded).return_(evidence_id, reason="Ảnh mờ")
    officer = SignedIn(seeded, "tho-xuong")
    home = officer.client.get("/").get_data(as_text=True)
    assert 'class="bell" href="/notifications" data-count="1"' in home
    page = officer.client.get("/notifications").get_data(as_text=True)
    assert "Ảnh mờ" in page and "unread" in page
    done = officer.client.post("/notifications/read", data={"csrf_token": officer.token})
    assert done.status_code == 303
    home = officer.client.get("/").get_data(as_text=True)
    assert 'data-count="0"' in home
    assert notices_of(seeded, "tho-xuong")[0].read
