"""Saves screenshots of the main pages of a node at desktop and phone width (used by
bench/screenshots.sh, which starts the node with demo data). Headless Debian chromium via Playwright.

Usage: python3 bench/screenshots.py <node url> <output directory> <event id>
       python3 bench/screenshots.py conflicts <node url> <output directory> <staff email> <staff password>
       python3 bench/screenshots.py settlement <node url> <output directory> <staff email> <staff password> <YYYY-MM-DD>
(the second saves the conflict report and the third a day's settlement, for bench/screenshot-conflicts.sh).
"""
import sys

from playwright.sync_api import sync_playwright

WIDTHS = {"desktop": {"width": 1280, "height": 800}, "phone": {"width": 390, "height": 844}}


def sign_in(page, url, email, password):
    page.goto(url + "/web/login")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Log in").click()


def launch(playwright):
    return playwright.chromium.launch(executable_path="/usr/bin/chromium", args=["--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu", "--hide-scrollbars"])


def screenshot(page, path):
    page.wait_for_load_state("load")
    # Headless chromium now and then refuses a capture mid-paint: try again.
    for attempt in range(5):
        try:
            page.screenshot(path=path)
            return
        except Exception:
            if attempt == 4:
                raise
            page.wait_for_timeout(200)


def conflicts(url, out, email, password):
    """The report, signed in on the pages: /conflicts sends to the login page and back."""
    with sync_playwright() as playwright:
        browser = launch(playwright)
        for width, viewport in WIDTHS.items():
            page = browser.new_context(viewport=viewport).new_page()
            page.goto(url + "/conflicts")
            page.get_by_label("Email").fill(email)
            page.get_by_label("Password").fill(password)
            page.get_by_role("button", name="Log in").click()
            page.get_by_role("heading", name="Conflict report").wait_for()
            screenshot(page, f"{out}/conflicts-{width}.png")
        browser.close()


def settlement(url, out, email, password, day):
    """A day's settlement, signed in on the pages, as full pages (a settlement is printed long)."""
    with sync_playwright() as playwright:
        browser = launch(playwright)
        for width, viewport in WIDTHS.items():
            page = browser.new_context(viewport=viewport).new_page()
            sign_in(page, url, email, password)
            page.goto(f"{url}/web/reports/settlement?date={day}")
            page.get_by_role("heading", name=f"Settlement {day}").wait_for()
            page.wait_for_load_state("load")
            page.screenshot(path=f"{out}/settlement-{width}.png", full_page=True)
        browser.close()


def main(url, out, event):
    with sync_playwright() as playwright:
        browser = launch(playwright)
        for width, viewport in WIDTHS.items():
            def shot(page, name):
                screenshot(page, f"{out}/{name}-{width}.png")

            attendee = browser.new_context(viewport=viewport).new_page()
            attendee.goto(url + "/")
            shot(attendee, "home")
            sign_in(attendee, url, f"ada@example.com", "analytical-engine")
            attendee.goto(f"{url}/web/events/{event}")
            shot(attendee, "event")
            attendee.get_by_label("How many seats").fill("2")
            attendee.get_by_role("button", name="Hold seats").click()
            shot(attendee, "hold")
            attendee.get_by_role("button", name="Confirm and buy 2 tickets").click()
            shot(attendee, "tickets")
            code = attendee.locator(".code").first.inner_text().strip()

            staff = browser.new_context(viewport=viewport).new_page()
            sign_in(staff, url, "sam@venue.test", "staff-pw-1")
            staff.goto(url + "/web/staff/checkin")
            staff.get_by_label("Ticket code").fill(code)
            staff.get_by_role("button", name="Check in").click()
            shot(staff, "checkin")

            organizer = browser.new_context(viewport=viewport).new_page()
            sign_in(organizer, url, "olga@venue.test", "organizer-pw")
            organizer.goto(f"{url}/web/organizer/events/{event}")
            shot(organizer, "manage")
        browser.close()


if __name__ == "__main__":
    if sys.argv[1] == "conflicts":
        conflicts(*sys.argv[2:6])
    elif sys.argv[1] == "settlement":
        settlement(*sys.argv[2:7])
    else:
        main(*sys.argv[1:4])
