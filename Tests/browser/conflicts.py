"""The conflict report in real headless Chromium (Debian's, driven by Playwright from PyPI; `make test`
installs both): opened without a session it sends to the login page, and back to the report after
signing in; no access token is in its URL or its HTML. Prints the report's HTML, then acknowledges
the first conflict from the page, then opens it on a 390 px wide phone, where nothing may be wider
than the screen.

Usage: python3 Tests/browser/conflicts.py <node url> <staff email> <staff password>
"""
import sys

from phone import check_on_phone
from playwright.sync_api import expect, sync_playwright

CHROMIUM = "/usr/bin/chromium"


def main(url, email, password):
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox", "--disable-dev-shm-usage"])
        page = browser.new_context(viewport={"width": 1280, "height": 800}).new_page()
        page.set_default_timeout(15000)
        page.goto(url + "/conflicts")
        page.get_by_label("Email").fill(email)
        page.get_by_label("Password").fill(password)
        page.get_by_role("button", name="Log in").click()
        expect(page.get_by_role("heading", name="Conflict report")).to_be_visible()
        if "token" in page.url:
            sys.exit(f"a token in the URL: {page.url}")
        print(page.content())
        page.get_by_role("button", name="Acknowledge").first.click()
        expect(page.locator(".state-acknowledged").first).to_be_visible()
        print(f"acknowledged; back at {page.url}")
        check_on_phone(page, "conflicts", prepare=lambda page: page.locator("details").first.evaluate("element => element.open = true"))
        browser.close()


if __name__ == "__main__":
    main(*sys.argv[1:4])
