"""The settlement page in real headless Chromium (Debian's, driven by Playwright from PyPI; `make test`
installs both): opened without a session it sends to the login page, and back to the day's
settlement after signing in. Prints the page's HTML, then opens it on a 390 px wide phone, where
nothing may be wider than the screen.

Usage: python3 Tests/browser/settlement.py <node url> <staff email> <staff password> <YYYY-MM-DD>
"""
import sys

from phone import check_on_phone
from playwright.sync_api import expect, sync_playwright

CHROMIUM = "/usr/bin/chromium"


def main(url, email, password, day):
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox", "--disable-dev-shm-usage"])
        page = browser.new_context(viewport={"width": 1280, "height": 800}).new_page()
        page.set_default_timeout(15000)
        page.goto(f"{url}/web/reports/settlement?date={day}")
        page.get_by_label("Email").fill(email)
        page.get_by_label("Password").fill(password)
        page.get_by_role("button", name="Log in").click()
        expect(page.get_by_role("heading", name=f"Settlement {day}")).to_be_visible()
        expect(page.get_by_role("link", name="Download CSV")).to_be_visible()
        print(page.content())
        check_on_phone(page, "settlement")
        browser.close()


if __name__ == "__main__":
    main(*sys.argv[1:5])
