"""Recording evidence with no connection: the page opens from the cache, the submission waits
on the phone through reloads and a browser restart, and is sent exactly once when the
connection is back. Without JavaScript the same form still posts."""

import io
from datetime import UTC, datetime, timedelta, timezone

from PIL import Image
from playwright.sync_api import expect

from support.browser import CHROMIUM, CHROMIUM_ARGS, GEOLOCATION, context_options
from support.browser_steps import (
    fill_site_photo,
    officer_ready_offline,
    outbox_items,
    record_offline,
    sign_in,
    submit_to_outbox,
    wait_for_offline_shell,
    wait_until,
    wait_until_sent,
)
from support.evidence import CITY_CENTRE, TAKEN
from wardapp.media.app_store import storage


def stored_original(server, media) -> Image.Image:
    with server.app.app_context():
        return Image.open(io.BytesIO(storage().open(media.original_key).read()))


def test_a_photo_recorded_offline_survives_a_restart_and_is_sent_once_downscaled_with_its_exif(
    playwright_driver, live_server, phone_photo, tmp_path
):
    profile = tmp_path / "profile"
    launch = dict(executable_path=CHROMIUM, args=CHROMIUM_ARGS, **context_options(live_server))
    context = playwright_driver.chromium.launch_persistent_context(profile, **launch)
    context.set_default_timeout(20_000)
    page = context.pages[0] if context.pages else context.new_page()
    sign_in(page, remember=True)  # so the session outlives the browser's restart below
    capture = live_server.capture_path()
    page.goto(capture)
    wait_for_offline_shell(page, capture)

    context.set_offline(True)
    page.reload()
    expect(page.locator("form.capture")).to_be_visible()  # from the service worker's cache
    expect(page.locator(".location-status")).to_contain_text("Đã ghi vị trí")
    key = fill_site_photo(page, phone_photo)
    submit_to_outbox(page)
    waiting = outbox_items(page)
    assert [(i["id"], i["state"], i["photos"]) for i in waiting] == [(key, "waiting", 1)]
    assert waiting[0]["bytes"] < phone_photo.stat().st_size / 2  # downscaled before it was stored
    page.reload()
    assert [i["id"] for i in outbox_items(page)] == [key]
    context.close()

    context = playwright_driver.chromium.launch_persistent_context(profile, offline=True, **launch)
    context.set_default_timeout(20_000)
    page = context.pages[0] if context.pages else context.new_page()
    page.goto("/outbox")
    expect(page.locator(".outbox-item")).to_have_count(1)
    expect(page.locator(".outbox-badge .outbox-count")).to_have_text("1")
    ink, paper = page.locator(".outbox-badge").evaluate(
        "b => [getComputedStyle(b).color, getComputedStyle(b).backgroundColor]"
    )
    assert ink != paper, (ink, paper)  # the count can be read, not white on white
    assert [i["id"] for i in outbox_items(page)] == [key]
    assert live_server.submissions() == []  # nothing left the phone while offline

    context.set_offline(False)
    wait_until_sent(page)
    expect(page.locator(".outbox-sent-item")).to_have_count(1)
    expect(page.locator(".outbox-badge .outbox-count")).to_have_text("0")
    context.close()

    assert live_server.submissions().count(201) == 1
    assert 200 not in live_server.submissions()
    [evidence] = live_server.evidence()
    assert evidence.client_uuid == key
    assert abs(evidence.lat - GEOLOCATION["latitude"]) < 1e-5 and evidence.accuracy == 14
    [media] = evidence.media
    assert (media.width, media.height) == (2048, 1536)
    assert max(stored_original(live_server, media).size) <= 2048
    taken_utc = TAKEN.replace(tzinfo=timezone(timedelta(hours=7))).astimezone(UTC)
    assert media.taken_at.astimezone(UTC) == taken_utc
    assert abs(media.gps_lat - CITY_CENTRE[0]) < 1e-5 and abs(media.gps_lon - CITY_CENTRE[1]) < 1e-5
    assert (media.taken_at_source, media.gps_source) == ("phone", "phone")


def test_without_javascript_the_form_still_posts_and_the_server_downscales(
    browser, live_server, phone_photo
):
    context = browser.new_context(**context_options(live_server, java_script_enabled=False))
    page = context.new_page()
    sign_in(page)
    page.goto(live_server.capture_path())
    page.fill("#f-place", "Trụ sở UBND phường")
    page.fill("#f-installed", "Áp phích CCHC")
    page.fill("#f-quantity", "3")
    page.set_input_files("#f-photo", str(phone_photo))
    page.click("form.capture button[type=submit]")
    page.wait_for_url("**/mine")
    expect(page.locator(".evidence-row")).to_have_count(1)
    context.close()

    assert live_server.submissions() == []  # the form's own POST, not the API
    [evidence] = live_server.evidence()
    assert evidence.fields["place"] == "Trụ sở UBND phường"
    [media] = evidence.media
    assert (media.width, media.height) == (4000, 3000) and media.taken_at_source == "exif"
    assert media.display_key and media.display_key != media.original_key
    with live_server.app.app_context():
        display = Image.open(io.BytesIO(storage().open(media.display_key).read()))
    assert max(display.size) <= 2048
    assert datetime(2024, 1, 1, tzinfo=UTC) < media.taken_at.astimezone(UTC)


def test_a_new_release_replaces_the_caches_keeps_the_pages_and_leaves_the_outbox_alone(
    page, live_server, small_photo
):
    capture = officer_ready_offline(page, live_server)
    [key] = record_offline(page, capture, small_photo)
    page.route("**/api/v1/evidence", lambda route: route.abort("internetdisconnected"))
    page.context.set_offline(False)  # online, but the item cannot get through yet

    live_server.app.extensions["wardapp.shell_version"] = "next-release"
    page.evaluate("() => navigator.serviceWorker.getRegistration().then(r => r.update())")
    wait_until(
        page,
        """async () => {
        const names = (await caches.keys()).sort().join(" ");
        return names === "wardapp-pages-next-release wardapp-shell-next-release"
            && !!(await caches.match(location.origin + "/outbox", {ignoreVary: true}));
    }""",
        what="the new release's caches",
    )
    page.context.set_offline(True)
    page.goto(capture)
    expect(page.locator("form.capture")).to_be_visible()
    assert [i["id"] for i in outbox_items(page)] == [key]

    page.unroute("**/api/v1/evidence")
    page.goto("/outbox")
    page.context.set_offline(False)
    wait_until_sent(page)
    assert live_server.submissions() == [201]


def test_offline_the_officer_taps_a_task_on_the_home_page_and_records_it(
    page, live_server, small_photo
):
    capture = officer_ready_offline(page, live_server)
    page.goto("/")
    page.evaluate("() => { window.sameDocument = true; }")
    page.click(f'a[href="{capture}"]')  # htmx swaps the cached form in; no full page load
    page.wait_for_url(f"**{capture}")
    assert page.evaluate("() => window.sameDocument === true")
    key = fill_site_photo(page, small_photo)
    submit_to_outbox(page)
    page.go_back()  # and a second one, from the form the back button shows
    page.wait_for_url(f"**{capture}")
    second = fill_site_photo(page, small_photo, place="Chợ Thương")
    assert second != key
    submit_to_outbox(page)
    assert sorted(i["id"] for i in outbox_items(page)) == sorted([key, second])
    page.context.set_offline(False)
    wait_until_sent(page)
    assert sorted(e.client_uuid for e in live_server.evidence()) == sorted([key, second])
