"""Weekly entries without retyping: the broadcast form asks for its time once, and offers
the unit's last broadcast's station, minutes and topic."""

import json
import re
import uuid

from support.evidence import Officer, task_id


def broadcast(app, officer: Officer, **fields):
    data = {
        "client_uuid": str(uuid.uuid4()),
        "task_id": str(task_id(app, 3)),
        "kind": "broadcast",
        "occurred_at": "2024-03-18T06:30",
        "station": "Đài truyền thanh phường",
        "minutes": "15",
        "topic": "Chuyển đổi số",
        **fields,
    }
    return officer.post({k: v for k, v in data.items() if v is not None})


def test_the_broadcast_s_start_time_is_its_date_and_time(seeded):
    officer = Officer(seeded, "tho-xuong")
    page = officer.client.get(f"/tasks/{task_id(seeded, 3)}/new?kind=broadcast")
    body = page.get_data(as_text=True)
    assert "Ngày và giờ bắt đầu phát" in body
    assert 'name="start_time"' not in body  # asked once, not twice
    made = broadcast(seeded, officer, occurred_at="2024-03-18T19:05")
    assert made.status_code == 201, made.json
    assert made.json["fields"]["start_time"] == "19:05"  # the city's time
    # An API client or an older phone sending it still may, checked as before.
    sent = broadcast(seeded, officer, start_time="06:45")
    assert sent.json["fields"]["start_time"] == "06:45"
    bad = broadcast(seeded, officer, start_time="25:00")
    assert bad.status_code == 422 and "start_time" in bad.json["fields"]


def test_the_form_carries_the_unit_s_last_broadcast_to_repeat(seeded):
    officer = Officer(seeded, "tho-xuong")
    url = f"/tasks/{task_id(seeded, 3)}/new?kind=broadcast"

    def last(client) -> dict:
        body = client.get(url).get_data(as_text=True)
        return json.loads(re.search(r"data-last='([^']*)'", body).group(1).replace("&#39;", "'"))

    assert last(officer.client) == {}
    broadcast(seeded, officer, station="Đài phường Thọ Xương", minutes="20")
    broadcast(seeded, officer, station="Loa tổ dân phố số 3", topic="Dịch vụ công")
    assert last(officer.client)["fields"] == {
        "station": "Loa tổ dân phố số 3",
        "minutes": "15",
        "topic": "Dịch vụ công",
    }
    # Another ward's officer of the same task does not get it.
    other = Officer(seeded, "tran-phu")
    assert last(other.client) == {}
    # A correction starts from the item it corrects, not from the last one.
    assert "Ghi như lần trước" not in officer.client.get(url + "&supersedes=1").get_data(
        as_text=True
    )
