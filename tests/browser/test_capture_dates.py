"""The capture form says before anything is kept that a date lies outside the plan's year or
long past, in the server's words; neither stops the officer."""

from playwright.sync_api import expect

from support.browser_steps import sign_in


def test_a_date_outside_the_plan_or_long_past_is_said_beside_the_field(late_after_two_weeks):
    server, page = late_after_two_weeks
    sign_in(page)
    page.goto(server.capture_path())
    notice = page.locator(".date-notice")
    page.fill("#f-occurred_at", "2023-12-20T09:00")
    expect(notice).to_be_visible()
    expect(notice).to_contain_text("ngoài kỳ kế hoạch năm 2024")
    page.fill("#f-occurred_at", "2024-03-20T09:00")  # in the plan's year, long ago
    expect(notice).to_contain_text("gửi muộn")
