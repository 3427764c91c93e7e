"""Đôn đốc: an urge reaches the officers of the units chosen and no one else, is audited, and
shows on the unit's page, in the cell's detail and in the API."""

import re

from sqlalchemy import select

from support.client import SignedIn
from support.review import Reviewer
from wardapp.audit.models import AuditEvent
from wardapp.auth.models import User
from wardapp.extensions import db
from wardapp.notifications.models import Notification

MESSAGE = "Đề nghị gửi ngay nhật ký truyền thanh các tuần còn thiếu."


def notified(app) -> dict[str, list[str]]:
    with app.app_context():
        rows = db.session.execute(
            select(User.username, Notification.text)
            .join(User, User.id == Notification.user_id)
            .where(Notification.kind == "urge")
        )
        found: dict[str, list[str]] = {}
        for username, text in rows:
            found.setdefault(username, []).append(text)
        return found


def test_an_urge_reaches_the_units_chosen_and_no_other_and_is_audited(seeded, q1):
    ids = q1
    reviewer = Reviewer(seeded)
    query = f"plan={ids['plan']}&quarter=1&task={ids['tasks'][3]}"
    form = reviewer.client.get(f"/compliance/urge?{query}")
    assert form.status_code == 200
    page = form.get_data(as_text=True)
    offered = set(map(int, re.findall(r'name="units" value="(\d+)" checked', page)))
    assert ids["units"]["tan-tien"] in offered and ids["units"]["dinh-ke"] in offered
    assert ids["units"]["tho-xuong"] not in offered  # met
    assert ids["units"]["ngo-quyen"] not in offered  # only waiting for review
    assert "nhiệm vụ 3" in page  # the message names what is missing

    chosen = [ids["units"]["tan-tien"], ids["units"]["dinh-ke"], ids["units"]["tho-xuong"]]
    sent = reviewer.client.post(
        f"/compliance/urge?{query}",
        data={"csrf_token": reviewer.token, "units": chosen, "message": MESSAGE},
    )
    assert sent.status_code == 303
    # Thọ Xương is not behind: it is not urged, whatever was posted.
    assert notified(seeded) == {"tan-tien": [MESSAGE], "dinh-ke": [MESSAGE]}
    with seeded.app_context():
        [event] = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "urge.send"))
        assert sorted(event.details["unit_ids"]) == sorted(chosen[:2])
        assert event.details["message"] == MESSAGE and event.details["period"] == "2024-Q1"

    mark = re.compile(r"đã đôn đốc \d\d/\d\d/\d{4}, Phòng VHTT")
    officer = SignedIn(seeded, "tan-tien").client
    unit_page = officer.get(f"/compliance/unit?plan={ids['plan']}&quarter=1").get_data(as_text=True)
    line = unit_page[unit_page.index('id="task-3"') :]
    assert mark.search(line[: line.index("</li>")])
    cell = reviewer.client.get(
        f"/compliance/cell?plan={ids['plan']}&quarter=1&task={ids['tasks'][3]}"
        f"&unit={ids['units']['tan-tien']}"
    ).get_data(as_text=True)
    assert mark.search(cell)
    other = reviewer.client.get(
        f"/compliance/cell?plan={ids['plan']}&quarter=1&task={ids['tasks'][3]}"
        f"&unit={ids['units']['song-mai']}"
    ).get_data(as_text=True)
    assert not mark.search(other)
    api = reviewer.client.get(f"/api/v1/compliance?plan={ids['plan']}&quarter=1").json
    urged = {
        c["unit_id"] for c in api["cells"] if c["urged_at"] and c["task_id"] == ids["tasks"][3]
    }
    assert urged == set(chosen[:2])


def test_urging_every_unit_behind_in_the_period_and_bad_posts(seeded, q1):
    ids = q1
    overseer = SignedIn(seeded, "noivu")
    query = f"plan={ids['plan']}&quarter=1"
    page = overseer.client.get(f"/compliance/urge?{query}").get_data(as_text=True)
    offered = re.findall(r'name="units" value="(\d+)" checked', page)
    assert len(offered) > 10
    empty = overseer.client.post(
        f"/compliance/urge?{query}",
        data={"csrf_token": overseer.token, "units": offered, "message": "  "},
    )
    assert empty.status_code == 422 and "lời nhắn" in empty.get_data(as_text=True)
    none = overseer.client.post(
        f"/compliance/urge?{query}", data={"csrf_token": overseer.token, "message": MESSAGE}
    )
    assert none.status_code == 422
    assert notified(seeded) == {}
    done = overseer.client.post(
        f"/compliance/urge?{query}",
        data={"csrf_token": overseer.token, "units": offered, "message": MESSAGE},
    )
    assert done.status_code == 303
    assert len(notified(seeded)) == len(offered)
    # An officer may not urge; a reviewer's urge needs the form's token.
    officer = SignedIn(seeded, "tan-tien")
    assert officer.client.get(f"/compliance/urge?{query}").status_code == 403
