"""``flask wardapp import-outbox``: an outbox saved on a phone, loaded on the server, once."""

import base64
import json
import uuid

from sqlalchemy import select

from support.evidence import photo, task_id
from wardapp.evidence.models import Evidence
from wardapp.extensions import db


def outbox_item(app, *, user="tho-xuong", place="Đường Hùng Vương", key=None) -> dict:
    """An item as the outbox page saves it: the fields the phone would post, photos in base64."""
    key = key or str(uuid.uuid4())
    fields = [
        ["client_uuid", key],
        ["task_id", str(task_id(app, 6))],
        ["kind", "site_photo"],
        ["supersedes", ""],
        ["lat", "21.2731"],
        ["lon", "106.1946"],
        ["accuracy", "9"],
        ["located_at", "2024-03-20T01:31:00.000Z"],
        ["occurred_at", "2024-03-20T09:00"],
        ["place", place],
        ["installed", "Pano CCHC"],
        ["quantity", "2"],
        ["note", "Dòng một\r\nDòng hai"],
    ]
    meta = json.dumps({"taken_at": "2024-03-20T08:30:00+07:00", "lat": 21.2731, "lon": 106.1946})
    return {
        "id": key,
        "user": user,
        "created_at": "2024-03-20T01:31:05.000Z",
        "fields": fields,
        "photos": [
            {
                "name": "IMG_1.jpg",
                "type": "image/jpeg",
                "meta": meta,
                "data": base64.b64encode(photo(seed=hash(key) % 1000)).decode(),
            }
        ],
        "attachments": [],
    }


def save(tmp_path, items) -> str:
    path = tmp_path / "hop-thu-di.json"
    path.write_text(
        json.dumps({"format": "wardapp-outbox", "version": 1, "items": items}), encoding="utf-8"
    )
    return str(path)


def rows(app) -> list[Evidence]:
    with app.app_context():
        return db.session.scalars(select(Evidence).order_by(Evidence.id)).all()


def test_an_outbox_file_is_loaded_as_its_officer_and_loading_it_again_adds_nothing(
    seeded, tmp_path
):
    items = [outbox_item(seeded), outbox_item(seeded)]
    path = save(tmp_path, items)
    runner = seeded.test_cli_runner()
    first = runner.invoke(args=["wardapp", "import-outbox", path, "--user", "tho-xuong"])
    assert first.exit_code == 0, first.output
    assert "2 item(s): 2 created, 0 already there, 0 refused." in first.output
    again = runner.invoke(args=["wardapp", "import-outbox", path, "--user", "tho-xuong"])
    assert "2 item(s): 0 created, 2 already there, 0 refused." in again.output
    stored = rows(seeded)
    assert sorted(e.client_uuid for e in stored) == sorted(i["id"] for i in items)
    with seeded.app_context():
        evidence = db.session.get(Evidence, stored[0].id)
        assert evidence.submitted_by.username == "tho-xuong"
        assert evidence.note == "Dòng một\nDòng hai"  # a textarea's CRLF, as one line break
        assert evidence.accuracy == 9
        assert len(evidence.media) == 1


def test_a_refused_item_is_reported_with_the_servers_message_and_the_rest_still_load(
    seeded, tmp_path
):
    good, bad, stranger = (
        outbox_item(seeded),
        outbox_item(seeded, place=""),
        outbox_item(seeded, user="song-mai"),
    )
    result = seeded.test_cli_runner().invoke(
        args=[
            "wardapp",
            "import-outbox",
            save(tmp_path, [good, bad, stranger]),
            "--user",
            "tho-xuong",
        ]
    )
    assert result.exit_code == 1
    assert f"{good['id']}: created as evidence #" in result.output
    assert (
        f"{bad['id']}: refused: Thông tin chưa hợp lệ" in result.output
        and "place:" in result.output
    )
    assert f"{stranger['id']}: refused: Mục này do tài khoản song-mai ghi" in result.output
    assert [e.client_uuid for e in rows(seeded)] == [good["id"]]


def test_the_file_cannot_choose_who_the_items_are_submitted_as(seeded, tmp_path):
    """A file naming another officer is not that officer's word: the import needs --user."""
    item = outbox_item(seeded, user="song-mai")
    runner = seeded.test_cli_runner()
    unnamed = runner.invoke(args=["wardapp", "import-outbox", save(tmp_path, [item])])
    assert unnamed.exit_code != 0 and "--user" in unnamed.output
    named = runner.invoke(
        args=["wardapp", "import-outbox", save(tmp_path, [item]), "--user", "tho-xuong"]
    )
    assert named.exit_code == 1 and "refused" in named.output
    assert rows(seeded) == []


def test_an_item_saved_without_its_officer_is_submitted_as_the_user_named(seeded, tmp_path):
    item = outbox_item(seeded, user="")
    result = seeded.test_cli_runner().invoke(
        args=["wardapp", "import-outbox", save(tmp_path, [item]), "--user", "tho-xuong"]
    )
    assert result.exit_code == 0, result.output
    assert [e.client_uuid for e in rows(seeded)] == [item["id"]]


def test_a_file_that_is_not_an_outbox_is_refused_whole(seeded, tmp_path):
    path = tmp_path / "other.json"
    path.write_text('{"items": []}')
    result = seeded.test_cli_runner().invoke(
        args=["wardapp", "import-outbox", str(path), "--user", "tho-xuong"]
    )
    assert result.exit_code != 0 and "not a wardapp-outbox file" in result.output
    assert rows(seeded) == []
