"""The rescue path: the outbox saved as a file on the phone, loaded on the server with
``flask wardapp import-outbox``, and the phone's own sending afterwards creates nothing twice."""

import json

from playwright.sync_api import expect

from support.browser_steps import (
    fill_site_photo,
    officer_ready_offline,
    record_offline,
    submit_to_outbox,
    wait_for_outbox_count,
    wait_until_sent,
)


def test_an_outbox_saved_as_a_file_loads_on_the_server_once_and_the_phone_then_adds_nothing(
    page, live_server, small_photo, tmp_path
):
    capture = officer_ready_offline(page, live_server)
    keys = record_offline(page, capture, small_photo, count=1)
    page.goto(capture)  # and one with a note over two lines: the file must replay the very
    keys.append(fill_site_photo(page, small_photo))  # bytes the phone would send
    page.fill("#f-note", "Dòng một\nDòng hai")
    submit_to_outbox(page)
    wait_for_outbox_count(page, 2)

    with page.expect_download() as download:
        page.click(".outbox-tools summary")  # the tools are folded away
        page.click("button[data-action=export]")
    saved = tmp_path / download.value.suggested_filename
    download.value.save_as(saved)
    document = json.loads(saved.read_text(encoding="utf-8"))
    assert document["format"] == "wardapp-outbox"
    assert sorted(i["id"] for i in document["items"]) == sorted(keys)

    runner = live_server.app.test_cli_runner()
    first = runner.invoke(args=["wardapp", "import-outbox", str(saved), "--user", "tho-xuong"])
    assert first.exit_code == 0, first.output
    assert first.output.count(": created as evidence") == 2
    again = runner.invoke(args=["wardapp", "import-outbox", str(saved), "--user", "tho-xuong"])
    assert again.exit_code == 0, again.output
    assert again.output.count(": already there as evidence") == 2
    assert live_server.evidence_count() == 2

    page.context.set_offline(False)
    wait_until_sent(page)
    assert live_server.submissions() == [200, 200]  # each recognised as already there
    expect(page.locator(".outbox-sent-item", has_text="máy chủ đã có từ trước")).to_have_count(2)
    assert sorted(e.client_uuid for e in live_server.evidence()) == sorted(keys)
    notes = [e.note for e in live_server.evidence() if e.note]
    assert len(notes) == 1 and "Dòng một" in notes[0] and "Dòng hai" in notes[0]
