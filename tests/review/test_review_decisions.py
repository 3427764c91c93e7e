"""Approving and returning: reasons required, one decision wins, everything audited."""

import re

from sqlalchemy import select

from support.evidence import Officer, photo
from support.races import at_once
from support.review import Reviewer, status
from wardapp.audit.models import AuditEvent
from wardapp.auth.models import User
from wardapp.evidence.models import Evidence
from wardapp.extensions import db
from wardapp.units.models import Unit


def submitted(app, officer="tho-xuong", seed=0, **fields) -> int:
    response = Officer(app, officer).site_photo(photos=[photo(seed=seed)], **fields)
    assert response.status_code == 201, response.json
    return response.json["id"]


def add_second_reviewer(app) -> None:
    with app.app_context():
        second = User(username="vhtt2", display_name="Lê Văn Hai", role="reviewer", active=True)
        second.set_password("wardapp-demo")
        db.session.add(second)
        db.session.commit()


def test_approving_updates_the_row_in_place(seeded):
    evidence_id = submitted(seeded)
    response = Reviewer(seeded).approve(evidence_id)
    assert response.status_code == 200
    body = response.get_data(as_text=True)
    assert f'id="review-{evidence_id}"' in body and "Đã duyệt" in body
    assert status(seeded, evidence_id) == ("approved", None)


def test_returning_needs_a_reason(seeded):
    evidence_id = submitted(seeded)
    reviewer = Reviewer(seeded)
    refused = reviewer.return_(evidence_id)
    assert refused.status_code == 422
    assert "Hãy nêu lý do trả lại." in refused.get_data(as_text=True)
    assert status(seeded, evidence_id) == ("submitted", None)
    done = reviewer.return_(evidence_id, pick="Ảnh không rõ", reason="chụp lại gần hơn")
    assert done.status_code == 200
    assert status(seeded, evidence_id) == ("returned", "Ảnh không rõ — chụp lại gần hơn")


def test_without_javascript_a_decision_redirects_back_to_the_queue(seeded):
    evidence_id = submitted(seeded)
    response = Reviewer(seeded).approve(evidence_id, htmx=False)
    assert response.status_code == 303 and "/review" in response.headers["Location"]
    assert status(seeded, evidence_id)[0] == "approved"


def test_two_reviewers_deciding_at_once_one_wins_and_the_other_is_told(seeded):
    evidence_id = submitted(seeded)
    add_second_reviewer(seeded)
    first, other = Reviewer(seeded), Reviewer(seeded, "vhtt2")
    # Both looked at version 1; the second decision arrives after the first.
    assert first.approve(evidence_id, version=1).status_code == 200
    late = other.return_(evidence_id, pick="Sai địa điểm", version=1)
    assert late.status_code == 409
    assert "vừa được người khác quyết định" in late.get_data(as_text=True)
    assert status(seeded, evidence_id) == ("approved", None)


def test_racing_decisions_leave_exactly_one_winner(seeded):
    evidence_id = submitted(seeded)
    add_second_reviewer(seeded)
    first, second = Reviewer(seeded), Reviewer(seeded, "vhtt2")
    results = at_once(
        lambda: first.approve(evidence_id, version=1),
        lambda: second.return_(evidence_id, pick="Sai thời gian", version=1),
    )
    assert sorted(r.status_code for r in results) == [200, 409]
    with seeded.app_context():
        decisions = db.session.scalars(
            select(AuditEvent).where(AuditEvent.action.in_(["evidence.approve", "evidence.return"]))
        ).all()
    assert len(decisions) == 1


def test_a_changed_decision_keeps_both_in_the_audit_record(seeded):
    evidence_id = submitted(seeded)
    reviewer = Reviewer(seeded)
    reviewer.approve(evidence_id)
    changed = reviewer.return_(evidence_id, pick="Trùng ảnh đã nộp")
    assert changed.status_code == 200
    with seeded.app_context():
        events = db.session.scalars(
            select(AuditEvent)
            .where(
                AuditEvent.object_type == "evidence",
                AuditEvent.object_id == evidence_id,
                AuditEvent.action.like("evidence.%"),
            )
            .order_by(AuditEvent.id)
        ).all()
        actor = events[2].actor.username
    assert [e.action for e in events] == ["evidence.submit", "evidence.approve", "evidence.return"]
    assert events[1].details["previous"]["status"] == "submitted"
    assert events[2].details["previous"]["status"] == "approved"
    assert events[2].details["reason"] == "Trùng ảnh đã nộp"
    assert actor == "vhtt"


def test_officers_and_overseers_cannot_decide(seeded):
    evidence_id = submitted(seeded)
    for name in ("tho-xuong", "noivu", "admin"):
        client = Reviewer.__new__(Reviewer)
        Reviewer.__init__(client, seeded, name)
        assert client.approve(evidence_id).status_code == 403
    assert status(seeded, evidence_id)[0] == "submitted"


def test_a_reviewer_scoped_to_three_wards_cannot_see_or_decide_a_fourths(seeded):
    inside = submitted(seeded, "tho-xuong", seed=1)
    outside = submitted(seeded, "song-mai", seed=2)
    with seeded.app_context():
        units = db.session.scalars(
            select(Unit).where(Unit.code.in_(["tho-xuong", "da-mai", "le-loi"]))
        ).all()
        scoped = User(
            username="scoped",
            display_name="Phạm Thu",
            role="reviewer",
            active=True,
            scoped_units=units,
        )
        scoped.set_password("wardapp-demo")
        db.session.add(scoped)
        db.session.commit()
    reviewer = Reviewer(seeded, "scoped")
    page = reviewer.queue().get_data(as_text=True)
    assert f'id="review-{inside}"' in page and f'id="review-{outside}"' not in page
    assert reviewer.approve(outside).status_code == 404
    assert reviewer.client.get(f"/api/v1/evidence/{outside}").status_code == 404
    assert status(seeded, outside)[0] == "submitted"
    assert reviewer.approve(inside).status_code == 200


def test_the_officer_sees_the_decision_and_can_resubmit(seeded):
    evidence_id = submitted(seeded)
    Reviewer(seeded).return_(evidence_id, pick="Sai địa điểm")
    officer = Officer(seeded, "tho-xuong")
    mine = officer.client.get("/mine").get_data(as_text=True)
    assert "Trả lại" in mine and "Sai địa điểm" in mine
    again = officer.site_photo(photos=[photo(seed=5)], supersedes=str(evidence_id))
    assert again.status_code == 201
    page = Reviewer(seeded).queue().get_data(as_text=True)
    assert "Các lần gửi trước (1)" in page and "Sai địa điểm" in page
    # The returned version cannot be approved behind the correction's back.
    assert Reviewer(seeded).approve(evidence_id).status_code == 409


def test_a_decision_posted_with_a_next_address_elsewhere_returns_to_the_queue(seeded):
    evidence_id = submitted(seeded)
    reviewer = Reviewer(seeded)
    for elsewhere in ("https://evil.example/", "//evil.example/", "/\\evil.example/"):
        response = reviewer.client.post(
            f"/review/{evidence_id}/return",
            data={"csrf_token": reviewer.token, "reason": "Ảnh không rõ", "next": elsewhere},
        )
        assert response.status_code == 303
        assert response.headers["Location"] in ("/review", "http://localhost/review"), elsewhere
        reviewer.approve(evidence_id, htmx=False)  # back to a state that can be returned again


def _counts(body: str) -> dict:
    counts = body[body.index('id="queue-counts"') :]
    counts = counts[: counts.index("</nav>")]
    return dict(re.findall(r'data-status="(\w+)">[^<]+ <strong>([^<]+)</strong>', counts))


def test_a_decision_answers_with_the_queues_counts_out_of_band(seeded):
    first, second = submitted(seeded, seed=1), submitted(seeded, seed=2)
    reviewer = Reviewer(seeded)
    before = _counts(reviewer.queue().get_data(as_text=True))
    assert before["submitted"] == "2" and before["approved"] == "0"
    response = reviewer.client.post(
        f"/review/{first}/approve",
        data={"csrf_token": reviewer.token, "next": "/review?status=submitted"},
        headers={"HX-Request": "true"},
    )
    body = response.get_data(as_text=True)
    assert 'id="queue-counts" aria-label="Số lượng theo trạng thái" hx-swap-oob="true"' in body
    assert _counts(body) == {"submitted": "1", "approved": "1", "returned": "0", "all": "2"}
    assert 'name="next" value="/review?status=submitted"' in body  # the way back is kept
    assert second


def test_the_last_decision_can_be_undone_for_a_few_seconds_and_is_audited(seeded, monkeypatch):
    evidence_id = submitted(seeded)
    reviewer = Reviewer(seeded)
    approved = reviewer.approve(evidence_id, version=1).get_data(as_text=True)
    assert f'action="/review/{evidence_id}/undo"' in approved and 'data-seconds="10"' in approved
    undone = reviewer._post(f"/review/{evidence_id}/undo", {"version": 2}, True)
    assert undone.status_code == 200 and "Chờ duyệt" in undone.get_data(as_text=True)
    assert status(seeded, evidence_id) == ("submitted", None)
    with seeded.app_context():
        evidence = db.session.get(Evidence, evidence_id)
        assert evidence.reviewer_id is None and evidence.reviewed_at is None
        assert evidence.version == 3
        actions = db.session.scalars(
            select(AuditEvent.action).where(AuditEvent.object_id == evidence_id)
        ).all()
        assert actions[-2:] == ["evidence.approve", "evidence.undo"]
    # Too late: the window is over.
    reviewer.return_(evidence_id, pick="Ảnh không rõ", version=3)
    seeded.config["REVIEW_UNDO_SECONDS"] = 0
    late = reviewer._post(f"/review/{evidence_id}/undo", {"version": 4}, True)
    assert late.status_code == 409 and "Không còn hoàn tác" in late.get_data(as_text=True)
    assert status(seeded, evidence_id) == ("returned", "Ảnh không rõ")


def test_only_the_one_who_decided_may_undo_and_only_the_version_they_saw(seeded):
    evidence_id = submitted(seeded)
    add_second_reviewer(seeded)
    first, other = Reviewer(seeded), Reviewer(seeded, "vhtt2")
    first.approve(evidence_id, version=1)
    assert other._post(f"/review/{evidence_id}/undo", {"version": 2}, True).status_code == 409
    assert first._post(f"/review/{evidence_id}/undo", {"version": 1}, True).status_code == 409
    assert first._post(f"/review/{evidence_id}/undo", {}, True).status_code == 409
    assert status(seeded, evidence_id) == ("approved", None)
    other.return_(evidence_id, pick="Sai địa điểm", version=2)  # a change of decision …
    first.approve(evidence_id, version=3)  # … changed back; undo restores the return
    assert first._post(f"/review/{evidence_id}/undo", {"version": 4}, True).status_code == 200
    assert status(seeded, evidence_id) == ("returned", "Sai địa điểm")


def test_bulk_return_sends_the_selected_items_back_with_one_reason(seeded):
    ids = [submitted(seeded, seed=n) for n in (1, 2, 3)]
    reviewer = Reviewer(seeded)
    reviewer.approve(ids[2], version=1)
    response = reviewer.client.post(
        "/review/bulk-return",
        data={
            "csrf_token": reviewer.token,
            "status": "submitted",
            "ids": ids,
            "reason_pick": "Sai thời gian",
            "reason": "ghi lại ngày",
        },
    )
    assert response.status_code == 303
    page = reviewer.client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Đã trả lại 2 minh chứng." in page and "1 mục không còn chờ duyệt" in page
    for evidence_id in ids[:2]:
        assert status(seeded, evidence_id) == ("returned", "Sai thời gian — ghi lại ngày")
    assert status(seeded, ids[2]) == ("approved", None)
    without = reviewer.client.post(
        "/review/bulk-return", data={"csrf_token": reviewer.token, "ids": [ids[0]]}
    )
    assert without.status_code == 303
    assert "Hãy nêu lý do" in reviewer.client.get(without.headers["Location"]).get_data(
        as_text=True
    )
    with seeded.app_context():
        event = db.session.scalar(
            select(AuditEvent).where(AuditEvent.action == "evidence.bulk_return")
        )
        assert event.details["ids"] == ids[:2]


def test_a_duplicate_warning_offers_the_two_photos_side_by_side(seeded):
    first = submitted(seeded, seed=5)
    again = submitted(seeded, officer="ngo-quyen", seed=5)  # the very same photo
    body = Reviewer(seeded).queue().get_data(as_text=True)
    row = body[body.index(f'id="review-{again}"') :]
    row = row[: row.index("</li>\n</ul>") if "</li>\n</ul>" in row else len(row)]
    pair = re.search(r'data-compare="(/media/\S+) (/media/\S+)"', row)
    assert pair, row[:2000]
    with seeded.app_context():
        mine = db.session.get(Evidence, again).media[0].id
        theirs = db.session.get(Evidence, first).media[0].id
    assert pair.group(1) == f"/media/{mine}/display" and pair.group(2) == f"/media/{theirs}/display"
