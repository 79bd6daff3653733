"""The box office in real headless Chromium (Debian's, driven by Playwright from PyPI; `make test`
installs both): an attendee registers, holds 2 seats, confirms and sees 2 tickets; a staff member
checks one in, and a second scan of the same code says it is already checked in.

Usage: python3 Tests/browser/checkout.py <node url> <event name> <staff email> <staff password>
Exits 0 when every step saw what it should; prints the step that failed otherwise.
"""
import re
import sys

from playwright.sync_api import expect, sync_playwright

CHROMIUM = "/usr/bin/chromium"


def main(url, event, staff_email, staff_password):
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox", "--disable-dev-shm-usage"])
        attendee = browser.new_context(viewport={"width": 390, "height": 844})
        page = attendee.new_page()
        page.set_default_timeout(15000)

        page.goto(url + "/web/register")
        page.get_by_label("Name").fill("Ada Lovelace")
        page.get_by_label("Email").fill("ada@example.com")
        page.get_by_label("Password").fill("analytical-engine")
        page.get_by_role("button", name="Register").click()
        expect(page.get_by_role("heading", name="Upcoming events")).to_be_visible()

        page.get_by_role("link", name=event).click()
        page.get_by_label("How many seats").fill("2")
        page.get_by_role("button", name="Hold seats").click()
        expect(page.get_by_text("2 seats held")).to_be_visible()
        expect(page.locator("#time-left")).to_contain_text("left")
        # /web/app.js runs under the page's Content-Security-Policy: the countdown ticks (m:ss).
        expect(page.locator("#time-left")).to_have_text(re.compile(r"^\d+:\d\d left$"))
        page.get_by_role("button", name="Confirm and buy 2 tickets").click()

        expect(page.get_by_role("heading", name="My tickets")).to_be_visible()
        codes = page.locator(".code")
        expect(codes).to_have_count(2)
        code = codes.first.inner_text().strip()
        print(f"attendee holds 2 tickets; checking in {code}")

        staff = browser.new_context(viewport={"width": 1280, "height": 800})
        door = staff.new_page()
        door.set_default_timeout(15000)
        door.goto(url + "/web/login")
        door.get_by_label("Email").fill(staff_email)
        door.get_by_label("Password").fill(staff_password)
        door.get_by_role("button", name="Log in").click()
        door.get_by_role("link", name="Check-in").click()
        door.get_by_label("Ticket code").fill(code)
        door.get_by_role("button", name="Check in").click()
        expect(door.locator(".result")).to_contain_text("Admitted")
        door.get_by_label("Ticket code").fill(code)
        door.get_by_role("button", name="Check in").click()
        expect(door.locator(".result")).to_contain_text("Already checked in")
        print("second scan: already checked in")
        browser.close()


if __name__ == "__main__":
    main(*sys.argv[1:5])
