"""The officer's own items: what was returned comes first (the home's card, the menu's count,
the reason above the correction form, a filter on /mine), and an item still waiting for
review can be withdrawn, kept and audited, never deleted."""

from sqlalchemy import select

from support.evidence import Officer, photo
from support.review import Reviewer
from wardapp.audit.models import AuditEvent
from wardapp.evidence.models import Evidence
from wardapp.extensions import db


def sent(app, officer: Officer, seed: int) -> int:
    response = officer.site_photo(photos=[photo(seed=seed)])
    assert response.status_code == 201, response.json
    return response.json["id"]


def test_returned_items_are_counted_on_the_home_and_the_menu_until_corrected(seeded):
    officer = Officer(seeded, "tho-xuong")
    first, second, kept = (sent(seeded, officer, s) for s in (70, 71, 72))
    reviewer = Reviewer(seeded)
    reviewer.return_(first, reason="Ảnh mờ, chụp lại pano")
    reviewer.return_(second, pick="Sai địa điểm")
    home = officer.client.get("/").get_data(as_text=True)
    assert "Cần sửa (2)" in home
    assert "Ảnh mờ, chụp lại pano" in home
    assert home.index("Cần sửa (2)") < home.index('class="tasks"')  # before the tasks
    nav = home[home.index('<nav class="nav"') : home.index("</nav>")]
    assert '<span class="nav-count">2' in nav

    # The correction form says why, at the top; once sent, the count drops.
    form = officer.client.get(
        f"/tasks/{_task(seeded, first)}/new?kind=site_photo&supersedes={first}"
    )
    page = form.get_data(as_text=True)
    assert page.index("Ảnh mờ, chụp lại pano") < page.index("<form")
    correction = officer.site_photo(photos=[photo(seed=73)], supersedes=str(first))
    assert correction.status_code == 201, correction.json
    home = officer.client.get("/").get_data(as_text=True)
    assert "Cần sửa (1)" in home and "Ảnh mờ" not in home
    # Another ward sees none of it.
    other = Officer(seeded, "tran-phu").client.get("/").get_data(as_text=True)
    assert "Cần sửa" not in other and 'class="nav-count"' not in other
    assert kept


def test_mine_filters_by_status(seeded):
    officer = Officer(seeded, "tho-xuong")
    waiting, returned, approved = (sent(seeded, officer, s) for s in (80, 81, 82))
    reviewer = Reviewer(seeded)
    reviewer.return_(returned, pick="Ảnh không rõ")
    reviewer.approve(approved)

    def listed(query: str) -> set[int]:
        page = officer.client.get(f"/mine{query}").get_data(as_text=True)
        return {i for i in (waiting, returned, approved) if f'id="evidence-{i}"' in page}

    assert listed("") == {waiting, returned, approved}
    assert listed("?status=submitted") == {waiting}
    assert listed("?status=returned") == {returned}
    assert listed("?status=approved") == {approved}
    assert listed("?status=nonsense") == {waiting, returned, approved}
    assert "Không có minh chứng nào ở trạng thái này." in officer.client.get(
        "/mine?status=withdrawn"
    ).get_data(as_text=True)


def test_a_waiting_item_is_withdrawn_audited_and_kept(seeded):
    officer = Officer(seeded, "tho-xuong")
    item = sent(seeded, officer, 90)
    response = officer.client.post(
        f"/evidence/{item}/withdraw", data={"csrf_token": officer.token, "version": "1"}
    )
    assert response.status_code == 303
    with seeded.app_context():
        evidence = db.session.get(Evidence, item)
        assert evidence is not None and evidence.status == "withdrawn" and evidence.media
        [event] = db.session.scalars(
            select(AuditEvent).where(AuditEvent.action == "evidence.withdraw")
        ).all()
        assert event.object_id == item and event.details["previous"]["status"] == "submitted"
    page = officer.client.get("/mine?status=withdrawn").get_data(as_text=True)
    assert f'id="evidence-{item}"' in page
    # The reviewer can no longer decide it.
    assert Reviewer(seeded).approve(item).status_code == 409


def test_only_a_waiting_item_of_the_unit_can_be_withdrawn(seeded):
    officer = Officer(seeded, "tho-xuong")
    approved, raced, theirs = sent(seeded, officer, 91), sent(seeded, officer, 92), None
    theirs = sent(seeded, Officer(seeded, "tran-phu"), 93)
    Reviewer(seeded).approve(approved)

    def withdraw(item, **data):
        return officer.client.post(
            f"/evidence/{item}/withdraw", data={"csrf_token": officer.token, **data}
        )

    assert withdraw(theirs).status_code == 404
    response = withdraw(approved)
    assert response.status_code == 303
    assert "Chỉ rút được minh chứng đang chờ duyệt." in officer.client.get("/mine").get_data(
        as_text=True
    )
    # The reviewer approved after the officer's page was drawn (version 1): the decision stands.
    Reviewer(seeded).approve(raced)
    withdraw(raced, version="1")
    with seeded.app_context():
        statuses = {e.id: e.status for e in db.session.scalars(select(Evidence))}
    assert statuses[approved] == statuses[raced] == "approved"
    assert statuses[theirs] == "submitted"
    assert officer.client.post(f"/evidence/{theirs}/withdraw").status_code == 400  # no token


def _task(app, evidence_id: int) -> int:
    with app.app_context():
        return db.session.get(Evidence, evidence_id).task_id
