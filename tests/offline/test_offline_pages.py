"""What the outbox needs from the server: an installable app, a service worker that updates
with each release, a session check that hands out CSRF tokens valid for the whole session."""

import io
import time

from PIL import Image

from support.evidence import Officer
from wardapp.offline import shell


def test_the_manifest_makes_an_installable_vietnamese_app(seeded, client):
    response = client.get("/manifest.webmanifest")
    assert response.status_code == 200 and response.mimetype == "application/manifest+json"
    manifest = response.get_json(force=True)
    assert manifest["name"] == "Minh chứng CCHC" and manifest["short_name"]
    assert (manifest["display"], manifest["start_url"], manifest["lang"]) == (
        "standalone",
        "/",
        "vi",
    )
    sizes = set()
    for icon in manifest["icons"]:
        image = Image.open(io.BytesIO(client.get(icon["src"]).data))
        assert image.format == "PNG" and f"{image.width}x{image.height}" == icon["sizes"]
        sizes.add(image.width)
    assert sizes == {192, 512}


def test_every_page_links_the_manifest_and_only_officers_see_the_outbox_badge(seeded):
    officer = Officer(seeded, "tho-xuong").client.get("/").get_data(as_text=True)
    assert 'rel="manifest" href="/manifest.webmanifest"' in officer
    assert 'class="outbox-badge" href="/outbox"' in officer and 'data-user="tho-xuong"' in officer
    assert '<span class="nav-label">Hộp thư đi</span></a>' in officer  # the menu entry
    reviewer = seeded.test_client()
    from support.client import AuthActions

    AuthActions(reviewer).login("vhtt")
    page = reviewer.get("/").get_data(as_text=True)
    assert "outbox-badge" not in page and 'data-user=""' in page


def test_the_service_worker_is_served_from_the_root_uncached_and_versioned(seeded, client):
    response = client.get("/sw.js")
    assert response.status_code == 200 and response.mimetype == "text/javascript"
    assert response.headers["Cache-Control"] == "no-cache"
    body = response.get_data(as_text=True)
    with seeded.test_request_context():
        version = shell.shell_version()
    assert f'const VERSION = "{version}";' in body
    assert '"/static/js/outbox.js"' in body and '"/static/vendor/idb-8.0.4.umd.js"' in body
    assert "LICENSE" not in body  # licences are not part of the shell
    assert "leaflet" not in body and "/static/js/map.js" not in body  # a reviewer's map
    assert 'if (request.method !== "GET") return;' in body


def test_a_changed_static_file_gives_the_service_worker_a_new_version(tmp_path):
    class FakeApp:
        static_folder = str(tmp_path / "static")
        template_folder = str(tmp_path / "templates")

    (tmp_path / "static" / "js").mkdir(parents=True)
    (tmp_path / "templates" / "offline").mkdir(parents=True)
    (tmp_path / "templates" / shell.WORKER_TEMPLATE).write_text("worker")
    script = tmp_path / "static" / "js" / "outbox.js"
    script.write_text("one")
    (tmp_path / "static" / "notes.txt").write_text("not part of the shell")
    first = shell._digest(FakeApp)
    (tmp_path / "static" / "notes.txt").write_text("changed, still not part of the shell")
    assert shell._digest(FakeApp) == first
    script.write_text("two")
    assert shell._digest(FakeApp) != first


def test_the_session_check_answers_401_json_to_a_stranger(seeded, client):
    response = client.get("/api/v1/session")
    assert response.status_code == 401 and response.is_json and response.json["error"]


def test_the_session_check_names_the_user_and_its_token_lets_the_outbox_submit(seeded):
    officer = Officer(seeded, "tho-xuong")
    response = officer.client.get("/api/v1/session")
    assert response.headers["Cache-Control"] == "no-store"
    assert response.json["user"]["username"] == "tho-xuong"
    officer.token = response.json["csrf_token"]
    assert officer.site_photo().status_code == 201


def test_a_csrf_token_stays_valid_days_later_in_the_same_session(seeded, monkeypatch):
    assert seeded.config["WTF_CSRF_TIME_LIMIT"] is None
    officer = Officer(seeded, "tho-xuong")
    real_time = time.time
    monkeypatch.setattr(
        time, "time", lambda: real_time() + 3 * 86400
    )  # recorded Monday, sent Thursday
    assert officer.site_photo().status_code == 201


def test_the_outbox_page_is_for_officers(seeded, client):
    body = Officer(seeded, "tho-xuong").client.get("/outbox").get_data(as_text=True)
    assert 'id="outbox"' in body and "Lưu hộp thư đi ra tệp" in body
    assert "Chờ duyệt" in body  # the status names the page shows for what was sent
