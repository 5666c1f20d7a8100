"""Take the README's screenshots from a running demo server.

    CIVICBRIDGE_HOME=/tmp/shots-home .venv/bin/civicbridge demo --no-serve   # prints a password
    CIVICBRIDGE_HOME=/tmp/shots-home .venv/bin/civicbridge serve --bind 127.0.0.1:8765 &
    .venv/bin/python scripts/screenshots.py http://127.0.0.1:8765 admin PASSWORD

Writes docs/screenshots/{dashboard,exchange,itinerary}-{desktop,phone}.png.
"""

import sys
from pathlib import Path

from playwright.sync_api import sync_playwright

OUT = Path(__file__).resolve().parents[1] / "docs" / "screenshots"
SIZES = {"desktop": (1280, 900), "phone": (390, 844)}
ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


def main(base: str, username: str, password: str) -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=ARGS)
        for label, (width, height) in SIZES.items():
            page = browser.new_page(viewport={"width": width, "height": height})
            page.goto(base + "/accounts/login/")
            page.fill("#id_username", username)
            page.fill("#id_password", password)
            page.locator("main button[type=submit]").click()
            page.wait_for_url(base + "/")
            if label == "desktop":  # the user's language is remembered for the phone run too
                page.locator(".language-switcher button[value='zh-hans']").click()
                page.wait_for_load_state()
            page.screenshot(path=OUT / f"dashboard-{label}.png", full_page=True)
            page.goto(base + "/exchanges/")
            page.locator("main a[href^='/exchanges/']").filter(has_text="2016").first.click()
            page.wait_for_load_state()
            exchange_url = page.url
            # The demo exchange page is long: show its first screens (overview, roster, groups).
            page.set_viewport_size({"width": width, "height": 2200})
            page.screenshot(path=OUT / f"exchange-{label}.png")
            page.set_viewport_size({"width": width, "height": height})
            group_link = page.locator("main a[href*='/groups/']").first
            href = group_link.get_attribute("href") if group_link.count() else exchange_url
            page.goto(href if href.startswith("http") else base + href)
            page.wait_for_load_state()
            page.screenshot(path=OUT / f"itinerary-{label}.png", full_page=True)
            page.close()
        browser.close()


if __name__ == "__main__":
    main(*sys.argv[1:4])
