"""Every text field and file name tried with script, HTML, template syntax, control characters,
Vietnamese in NFD and 10,000 characters: stored as given in NFC, shown escaped, never a 500.
Bidi controls and non-characters are refused by name in evidence, removed everywhere else."""

import unicodedata
import uuid

import pytest
from markupsafe import escape
from sqlalchemy import select

from support import images
from support.client import AuthActions
from support.evidence import Officer, photo, task_id
from support.review import Reviewer, status
from support.text import as_stored, is_unsafe
from wardapp.evidence.models import Evidence
from wardapp.evidence.schema import MAX_TEXT, SCHEMAS
from wardapp.extensions import db

PAYLOADS = {
    "script tag": "<script>alert('xss')</script>",
    "attribute breakout": '"><img src=x onerror=alert(1)>',
    "template syntax": "{{ config.SECRET_KEY }} {% if 1 %}x{% endif %}",
    "control characters": "Đường\x00Hùng\x07Vương\x1b[31m xong",
    "Vietnamese in NFD": unicodedata.normalize("NFD", "Phường Thọ Xương, đường Hùng Vương"),
    "10,000 characters": "Ư" * 10_000,
    "C1 controls and line breaks": "Dòng một\r\nDòng hai\rDòng ba\x85\x9b[0m xong",
}
# Stored as given, they would show a name other than the one kept, or break the exports.
REFUSED = {
    "bidi override": ("Phường Thọ Xương \u202egnôhk", "U+202E"),
    "bidi isolate": ("\u2067Hùng Vương\u2069 xong", "U+2067, U+2069"),
    "non-characters": ("Pano\ufffe CCHC\uffff", "U+FFFE, U+FFFF"),
    "a non-character past the first plane": ("Pano \U0010ffff", "U+10FFFF"),
}
PDF = images.pdf()
# Each kind with valid values for its non-text fields, the task that takes it, and its file.
KIND_CASES = {
    "site_photo": (6, {"quantity": "2"}, "photo"),
    "broadcast": (3, {"start_time": "06:30", "minutes": "15"}, "attachment"),
    "meeting": (5, {"meeting_type": "Hội nghị", "attendees": "30"}, "attachment"),
    "publication": (2, {"channel": "Zalo", "url": "https://bacgiang.gov.vn/tin"}, "photo"),
    "procedure_update": (7, {"procedures": "3"}, "attachment"),
}


def text_fields(kind: str) -> list:
    return [f for f in SCHEMAS[kind].fields if f.type in ("text", "textarea")]


def submit(app, officer, kind: str, payload: str, *, name: str | None = None):
    """``payload`` in every text field, the note and the file's name (unless one is given)."""
    number, values, file_role = KIND_CASES[kind]
    form = {
        "client_uuid": str(uuid.uuid4()),
        "task_id": str(task_id(app, number)),
        "kind": kind,
        "occurred_at": "2024-03-20T09:00",
        "note": payload,
        **values,
        **{f.name: payload for f in text_fields(kind)},
    }
    # Quoted the way a browser quotes a file name in a multipart body.
    name = (payload if name is None else name)[:200]
    name = name.replace('"', "%22").replace("\r", "%0D").replace("\n", "%0A")
    if file_role == "photo":
        return officer.post(form, photos=[(name + ".jpg", photo(7, size=(64, 48)))])
    return officer.post(form, attachments=[(name + ".pdf", PDF)])


def shown_escaped(html: str, value: str) -> bool:
    """The value is on the page as text: escaped, and never as markup."""
    dangerous = any(c in value for c in "<>\"'&")
    return str(escape(value)) in html and not (dangerous and value in html)


@pytest.mark.parametrize("payload", PAYLOADS)
def test_each_text_field_is_stored_as_given_in_nfc_or_refused_with_its_field_named(seeded, payload):
    officer = Officer(seeded, "tho-xuong")
    value = PAYLOADS[payload]
    for kind in KIND_CASES:
        response = submit(seeded, officer, kind, value)
        too_long = [f.name for f in text_fields(kind) if len(as_stored(value)) > f.max_length]
        if len(as_stored(value)) > MAX_TEXT:
            too_long.append("note")  # refused like the others, never cut short
        if too_long:
            assert response.status_code == 422, (kind, response.status_code)
            assert set(too_long) <= set(response.json["fields"]), kind
            continue
        assert response.status_code == 201, (kind, response.json)
        with seeded.app_context():
            evidence = db.session.get(Evidence, response.json["id"])
            stored = [evidence.fields[f.name] for f in text_fields(kind)]
            assert stored == [as_stored(value)] * len(stored), kind
            assert evidence.note == as_stored(value)
            name = evidence.media[0].original_name
            assert unicodedata.is_normalized("NFC", name) and name.isprintable()


@pytest.mark.parametrize("payload", REFUSED)
def test_a_bidi_control_or_non_character_is_refused_naming_each_field_and_character(
    seeded, payload
):
    officer = Officer(seeded, "tho-xuong")
    value, points = REFUSED[payload]
    for kind in KIND_CASES:
        response = submit(seeded, officer, kind, value, name="anh")
        assert response.status_code == 422, (kind, response.status_code)
        fields = response.json["fields"]
        for f in text_fields(kind):
            assert str(f.label) in fields[f.name] and f"({points})" in fields[f.name], kind
        assert fields["note"].startswith("Ghi chú chứa ký tự") and f"({points})" in fields["note"]
    with seeded.app_context():
        assert db.session.scalar(select(Evidence.id)) is None


def test_the_refusal_says_which_kind_of_character_it_is(seeded):
    officer = Officer(seeded, "tho-xuong")
    bidi = submit(seeded, officer, "site_photo", REFUSED["bidi override"][0]).json["fields"]
    assert "ký tự điều khiển hướng chữ (U+202E)" in bidi["place"]
    odd = submit(seeded, officer, "site_photo", REFUSED["non-characters"][0]).json["fields"]
    assert "ký tự không phải chữ (U+FFFE, U+FFFF)" in odd["place"]


@pytest.mark.parametrize("payload", REFUSED)
def test_a_file_name_loses_its_bidi_controls_and_non_characters_and_keeps_the_rest(seeded, payload):
    officer = Officer(seeded, "tho-xuong")
    value = REFUSED[payload][0]
    response = submit(
        seeded, officer, "site_photo", "Đường Hùng Vương", name=f"{value} \u200fảnh\u202egpj.exe"
    )
    assert response.status_code == 201, response.json
    with seeded.app_context():
        name = db.session.get(Evidence, response.json["id"]).media[0].original_name
    assert name == " ".join(as_stored(f"{value} ảnhgpj.exe").split()) + ".jpg"


# Lists show an item on one line, so the payloads of many lines are left to the tests above.
@pytest.mark.parametrize(
    "payload",
    [p for p in PAYLOADS if p != "10,000 characters" and "\n" not in as_stored(PAYLOADS[p])],
)
def test_what_was_stored_is_shown_escaped_on_the_detail_page_the_queue_and_mine(seeded, payload):
    officer, reviewer = Officer(seeded, "tho-xuong"), Reviewer(seeded)
    value = as_stored(PAYLOADS[payload])
    ids = [submit(seeded, officer, kind, PAYLOADS[payload]).json["id"] for kind in KIND_CASES]
    returned = reviewer.return_(ids[0], reason=PAYLOADS[payload])
    assert returned.status_code == 200 and shown_escaped(returned.get_data(as_text=True), value)
    pages = {f"detail {i}": officer.client.get(f"/evidence/{i}") for i in ids}
    pages["queue"] = reviewer.queue("status=all")
    pages["queue partial"] = reviewer.queue("status=all", htmx=True)
    pages["mine"] = officer.client.get("/mine")
    for name, page in pages.items():
        html = page.get_data(as_text=True)
        assert page.status_code == 200, name
        assert shown_escaped(html, value), name
        assert seeded.config["SECRET_KEY"] not in html


@pytest.mark.parametrize("payload", PAYLOADS)
def test_the_capture_form_posted_without_javascript_answers_escaped_and_never_500(seeded, payload):
    officer = Officer(seeded, "tho-xuong")
    value = PAYLOADS[payload]
    form = {
        "csrf_token": officer.token,
        "client_uuid": str(uuid.uuid4()),
        "kind": "broadcast",
        "occurred_at": "2024-03-20T09:00",
        "start_time": "25:99",
        "minutes": value,
        "station": value,
        "topic": value,
        "summary": value,
        "note": value,
    }
    page = officer.client.post(f"/tasks/{task_id(seeded, 3)}/new?kind=broadcast", data=form)
    assert page.status_code == 422  # the time is wrong, so the form comes back filled in
    html = page.get_data(as_text=True)
    assert shown_escaped(html, value) or shown_escaped(html, as_stored(value))


QUERY_NAMES = (
    "kind",
    "unit",
    "unit_id",
    "task",
    "task_id",
    "status",
    "from",
    "to",
    "after",
    "before",
    "client_uuid",
    "plan",
    "quarter",
    "year",
    "next",
    "supersedes",
    "limit",
    "size",
    "period",
)


def test_hostile_query_strings_on_every_page_never_cause_a_500(seeded):
    from flask import url_for

    from support.access import url_args

    args = url_args(seeded)
    # Markup and quotes, NUL and other controls, NFD, and a long value (a proxy would cut a
    # URL of 10,000 characters before it arrived).
    values = [
        PAYLOADS["attribute breakout"],
        PAYLOADS["control characters"],
        PAYLOADS["Vietnamese in NFD"],
        PAYLOADS["10,000 characters"][:1000],
        "99999999999999999999999",
    ]  # past any integer column
    failures = []
    for user in ("tho-xuong", "admin"):  # an officer's pages, and every reader's page
        client = Officer(seeded, user).client
        for value in values:
            with seeded.test_request_context():
                urls = [
                    url_for(
                        r.endpoint,
                        **{
                            **{name: value for name in QUERY_NAMES},
                            **{a: args[a] for a in r.arguments},
                        },
                    )
                    for r in seeded.url_map.iter_rules()
                    if "GET" in r.methods and r.endpoint != "static"
                ]
            for url in urls:
                status = client.get(url).status_code
                if status >= 500:
                    failures.append((user, url.split("?")[0], value[:20], status))
    assert failures == []


@pytest.mark.parametrize("payload", PAYLOADS)
def test_hostile_sign_in_names_and_passwords_are_refused_cleanly(seeded, auth, payload):
    value = PAYLOADS[payload]
    response = auth.login(value, value)
    assert response.status_code in (401, 422)
    assert value not in response.get_data(as_text=True) or not any(c in value for c in '<>"')


HIDDEN_FROM_NAMES = {name: value for name, (value, _points) in REFUSED.items()}


@pytest.mark.parametrize(
    "payload", [p for p in PAYLOADS if p != "10,000 characters"] + list(HIDDEN_FROM_NAMES)
)
def test_a_display_name_an_admin_types_is_shown_escaped_to_everyone(seeded, auth, client, payload):
    auth.login("admin")
    value = {**PAYLOADS, **HIDDEN_FROM_NAMES}[payload]
    one_line = " ".join(as_stored(value).split())
    response = client.post(
        "/admin/users/new",
        data={
            "csrf_token": auth.token(),
            "username": "can-bo-moi",
            "display_name": value,
            "role": "reviewer",
            "unit_id": 0,
            "password": "hoa-sen-2024",
            "active": "y",
        },
    )
    assert response.status_code == 302
    listing = client.get("/admin/users").get_data(as_text=True)
    assert shown_escaped(listing, one_line)
    newcomer = seeded.test_client()
    assert AuthActions(newcomer).login("can-bo-moi", "hoa-sen-2024").status_code == 302
    header = newcomer.get("/").get_data(as_text=True)
    assert shown_escaped(header, one_line)
    with seeded.app_context():
        from wardapp.auth.models import User

        user = db.session.scalar(select(User).where(User.username == "can-bo-moi"))
        assert user.display_name == one_line  # nobody to tell, so removed, not refused
        assert unicodedata.is_normalized("NFC", user.display_name)


@pytest.mark.parametrize("payload", REFUSED)
def test_a_reviewers_reason_loses_bidi_controls_and_non_characters(seeded, payload):
    officer, reviewer = Officer(seeded, "tho-xuong"), Reviewer(seeded)
    evidence_id = submit(seeded, officer, "site_photo", "Đường Hùng Vương").json["id"]
    value = REFUSED[payload][0]
    assert reviewer.return_(evidence_id, reason=value).status_code == 200
    assert status(seeded, evidence_id) == ("returned", " ".join(as_stored(value).split()))
    assert not any(is_unsafe(c) for c in status(seeded, evidence_id)[1])


def test_a_note_over_the_limit_is_refused_by_name_and_nothing_is_stored(seeded):
    officer = Officer(seeded, "tho-xuong")
    form = {
        "client_uuid": str(uuid.uuid4()),
        "task_id": str(task_id(seeded, 6)),
        "kind": "site_photo",
        "occurred_at": "2024-03-20T09:00",
        "place": "Hùng Vương",
        "installed": "Pano",
        "quantity": "1",
        "note": "Ghi chú dài. " * 200,
    }
    response = officer.post(form, photos=[("a.jpg", photo(3, size=(64, 48)))])
    assert response.status_code == 422
    assert response.json["fields"]["note"] == f"Tối đa {MAX_TEXT} ký tự."
    with seeded.app_context():
        assert db.session.scalar(select(Evidence.id)) is None
    form["note"] = ("Ghi chú dài. " * 200)[:MAX_TEXT]
    assert officer.post(form, photos=[("a.jpg", photo(3, size=(64, 48)))]).status_code == 201
