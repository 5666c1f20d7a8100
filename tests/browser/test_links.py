"""Sign in and follow every internal link reachable from the dashboard, in all three
languages: no 4xx or 5xx, and exactly one <h1> on each page."""

from collections import deque
from urllib.parse import urldefrag, urljoin, urlsplit

import pytest

from tests.factories import make_user

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.filterwarnings(
        "ignore:.*_after_postgeneration will stop saving:DeprecationWarning"
    ),
    # pytest-base-url's session fixture (pulled in by pytest-playwright) trips a pytest notice.
    pytest.mark.filterwarnings("ignore::pytest.PytestRemovedIn10Warning"),
]

MAX_PAGES = 300
SKIP_PREFIXES = ("/admin/", "/static/", "/media/", "/accounts/logout/", "/i18n/")
# Downloads and files are not pages: they are checked by their own tests.
SKIP_SUFFIXES = (".pdf", ".ics", ".xlsx", ".csv", ".json", ".zip", ".docx", ".png", ".jpg")

LINKS_JS = "() => Array.from(document.querySelectorAll('a[href]'), a => a.getAttribute('href'))"


def _internal(base: str, current: str, href: str) -> str | None:
    if not href or href.startswith(("mailto:", "tel:", "javascript:", "#")):
        return None
    url, _fragment = urldefrag(urljoin(current, href))
    parts = urlsplit(url)
    if f"{parts.scheme}://{parts.netloc}" != base:
        return None
    if parts.path.startswith(SKIP_PREFIXES) or parts.path.endswith(SKIP_SUFFIXES):
        return None
    return url


def _crawl(page, base: str) -> dict[str, str]:
    """Breadth-first from the dashboard; returns {url: problem} for the bad pages."""
    problems: dict[str, str] = {}
    seen = {base + "/"}
    queue = deque([base + "/"])
    visited = 0
    while queue and visited < MAX_PAGES:
        url = queue.popleft()
        response = page.goto(url)
        visited += 1
        status = response.status if response else 0
        if status >= 400 or status == 0:
            problems[url] = f"HTTP {status}"
            continue
        if "text/html" not in (response.headers.get("content-type") or ""):
            continue
        h1s = page.locator("h1").count()
        if h1s != 1:
            problems[url] = f"{h1s} <h1>"
        for href in page.evaluate(LINKS_JS):
            target = _internal(base, page.url, href)
            if target and target not in seen:
                seen.add(target)
                queue.append(target)
    assert visited > 1, "the dashboard links to nothing"
    return problems


@pytest.mark.parametrize("language", ["zh-hans", "zh-hant", "en"])
def test_every_internal_link_works_in_each_language(page, live_server, demo, language):
    # A viewer: every link it is shown must work (no link to a form it may not use).
    make_user("crawler", "correct horse battery", role="viewer")
    base = live_server.url
    page.goto(base + "/accounts/login/")
    page.fill("#id_username", "crawler")
    page.fill("#id_password", "correct horse battery")
    page.locator("main button[type=submit]").click()
    page.wait_for_url(base + "/")
    page.locator(f".language-switcher button[value='{language}']").click()
    page.wait_for_load_state()
    assert page.locator("html").get_attribute("lang") == language
    problems = _crawl(page, base)
    assert problems == {}
