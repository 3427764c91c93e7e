""" "Bật thông báo" asks for permission only after a tap, never when the home page opens."""

from playwright.sync_api import expect

from support.browser_steps import sign_in

COUNT_ASKS = """() => {
  window.__asked = 0;
  const ask = Notification.requestPermission.bind(Notification);
  Notification.requestPermission = (...args) => { window.__asked += 1; return ask(...args); };
}"""


def test_the_button_asks_after_a_tap_and_not_on_load(page):
    page.context.grant_permissions(["notifications"])
    page.add_init_script(f"({COUNT_ASKS})()")
    sign_in(page)
    page.goto("/")
    button = page.locator(".push-offer .push-enable")
    expect(button).to_be_visible()
    page.wait_for_timeout(300)
    assert page.evaluate("() => window.__asked") == 0
    button.click()
    page.wait_for_function("() => window.__asked === 1")
    # Here no push service can be reached; the officer is told, in words.
    expect(page.locator(".push-status")).not_to_be_empty(timeout=20_000)
