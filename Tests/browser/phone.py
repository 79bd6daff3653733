"""Shared by the browser tests: a page opened again on a 390 px wide phone, where nothing may be
wider than the screen."""
import sys

PHONE = {"width": 390, "height": 844}


def check_on_phone(page, name, prepare=None):
    """Reloads the page at phone width (running `prepare` on it then), prints its width, and fails
    when it is wider than the phone."""
    page.set_viewport_size(PHONE)
    page.reload()
    if prepare:
        prepare(page)
    width = page.evaluate("document.documentElement.scrollWidth")
    print(f"phone width: {width}")
    if width > PHONE["width"]:
        sys.exit(f"the {name} page is {width} px wide on a {PHONE['width']} px phone")
