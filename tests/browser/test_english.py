"""With English chosen at the foot of the page, the scripts speak English too: the capture
form's and the outbox's messages come from the server's catalogue, not from the scripts."""

from playwright.sync_api import expect

from support.browser_steps import fill_site_photo, sign_in, submit_to_outbox

API = "**/api/v1/evidence"


def choose_english(page) -> None:
    page.click("footer button[lang=en]")
    page.wait_for_selector("html[lang=en]")


def test_the_capture_form_and_the_outbox_say_their_words_in_english(page, live_server, small_photo):
    sign_in(page)
    choose_english(page)
    capture = live_server.capture_path()
    page.goto(capture)
    expect(page.locator(".location-status")).to_have_text(
        "Location recorded (accurate to about 14 m)."
    )

    fill_site_photo(page, place="")  # what is missing, said before anything is kept
    page.click("form.capture button[type=submit]")
    expect(page.locator(".capture-status")).to_have_text(
        "Some information is invalid; please correct the highlighted fields."
    )
    expect(page.locator("#e-photo")).to_have_text("Please take or choose at least one photo.")

    fill_site_photo(page, small_photo, quantity="0")  # refused on the phone, in English
    page.click("form.capture button[type=submit]")
    expect(page.locator("#e-quantity")).to_have_text("Must be at least 1.")
    page.fill("#f-quantity", "2")
    page.fill("#f-occurred_at", "2099-06-01T09:00")  # refused by the server: to correct
    submit_to_outbox(page)
    refused = page.locator(".outbox-item[data-state=attention]")
    expect(refused.locator(".badge")).to_have_text("To correct")
    expect(refused.locator(".outbox-errors")).to_contain_text("Photo taken at: ")
    expect(refused.get_by_role("button", name="Fix")).to_be_visible()
    expect(refused.get_by_role("button", name="Discard")).to_be_visible()
    expect(refused.locator(".meta")).to_contain_text("Recorded ")
    expect(refused.locator(".meta")).to_contain_text("1 photo(s)")
    expect(page.locator(".outbox-status")).to_have_text(
        "1 item(s) need correcting before they can be sent."
    )

    page.route(API, lambda route: route.abort("internetdisconnected"))  # the next one waits
    page.goto(capture)
    fill_site_photo(page, small_photo)
    submit_to_outbox(page)
    waiting = page.locator(".outbox-item[data-state=waiting]")
    expect(waiting.locator(".badge")).to_have_text("Waiting")
    expect(waiting.locator(".outbox-message")).to_have_text(
        "No network, or the connection dropped. The phone will send it when there is a network."
    )
    expect(page.locator(".outbox-status")).to_contain_text(
        "1 item(s) waiting to be sent. 1 item(s) need correcting before they can be sent. "
        "Will try again by itself at "
    )
    expect(page.locator(".outbox-badge")).to_have_attribute(
        "title", "Outbox: 2 item(s) waiting to be sent"
    )
    assert live_server.submissions() == [422]
