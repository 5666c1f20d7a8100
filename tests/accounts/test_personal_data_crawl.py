"""With phone and permit numbers recorded on every demo member, a viewer sees none of
them: not on any page reachable from the dashboard, not in the API, not in the export.

The crawl follows every link, except that the directory's tree (a place page's links to
other place pages: thousands of places that show no one) is walked only PLACE_TREE_PAGES
deep; a place page linked from anywhere else (a person's positions and appointments, an
organisation, an exchange) is always visited. Every member's own page must be reached."""

from __future__ import annotations

import re
from collections import deque
from urllib.parse import urldefrag, urlparse

import pytest
from django.test import Client

from civicbridge.accounts.services import assign_role, create_token
from civicbridge.directory.services import update_person
from civicbridge.exchanges.models import Member

# slow: some 330 pages and the API (about 6 s); outside the inner loop, in ./run test and CI.
pytestmark = [pytest.mark.django_db, pytest.mark.urls("tests.accounts.urls"), pytest.mark.slow]

MAX_PAGES = 1500  # a bound on a runaway crawl: the test fails if it is reached
PLACE_TREE_PAGES = 40  # place pages reached only through the tree of places
PLACE_PAGE = re.compile(r"^/directory/places/\d+/$")
SKIP_PREFIXES = ("/static/", "/media/", "/admin/", "/i18n/", "/accounts/logout", "/language/")
LINK = re.compile(r"""(?:href|src|hx-get)=["']([^"'#][^"']*)["']""")


@pytest.fixture
def demo_with_personal_data(demo):
    """The demo (tests/conftest.py: built once a session, replayed) with a phone and a
    permit number on every member."""
    secrets = []
    people = {m.person for m in Member.objects.select_related("person")}
    assert len(people) >= 10
    for i, person in enumerate(sorted(people, key=lambda p: p.pk)):
        phone, permit = f"1390{i:07d}", f"T9{i:07d}"
        update_person(person=person, phone=phone, permit_number=permit)
        secrets += [phone, permit]
    return secrets


CALENDAR_PAGES = 4


def _links(html: str) -> list[str]:
    out = []
    for raw in LINK.findall(html):
        url = urldefrag(raw.replace("&amp;", "&"))[0]
        parsed = urlparse(url)
        if parsed.scheme or parsed.netloc or not url.startswith("/"):
            continue
        if url.startswith(SKIP_PREFIXES):
            continue
        # PDFs are compressed: a secret would not show in their bytes, so rendering them
        # here only costs time (test_personal_data_matrix.py reads the programme PDF's text).
        if urlparse(url).path.endswith(".pdf"):
            continue
        out.append(url)
    return out


def test_viewer_sees_no_personal_data_anywhere(demo_with_personal_data, django_user_model):
    secrets = demo_with_personal_data
    members_pks = set(Member.objects.values_list("person_id", flat=True))
    viewer = django_user_model.objects.create_user(username="viewer", password="x")
    assign_role(user=viewer, role="viewer")
    client = Client()
    client.force_login(viewer)

    seen, queue, leaks, pages, masked = set(), deque(["/"]), [], 0, set()
    tree_pages = 0  # place pages queued from other place pages only
    calendar_pages = 0
    while queue and pages < MAX_PAGES:
        url = queue.popleft()
        if url in seen:
            continue
        seen.add(url)
        response = client.get(url)
        pages += 1
        if response.status_code != 200 or getattr(response, "streaming", False):
            continue
        body = response.content.decode("utf-8", errors="replace")
        leaks += [(url, s) for s in secrets if s in body]
        # A person page shows the recorded fields masked ("••• (hidden)" in any language).
        if url.startswith("/directory/people/") and "••• (" in body:
            masked.add(url)
        if response["Content-Type"].startswith("text/html"):
            from_a_place = bool(PLACE_PAGE.match(url))
            for link in _links(body):
                if link in seen:
                    continue
                if from_a_place and PLACE_PAGE.match(link):
                    if tree_pages >= PLACE_TREE_PAGES:
                        continue
                    tree_pages += 1
                if link.startswith("/calendar/?"):
                    # Months before and after without end: the demo's month and its
                    # neighbours show the calendar's entries.
                    if calendar_pages >= CALENDAR_PAGES:
                        continue
                    calendar_pages += 1
                queue.append(link)
    people = sum(1 for u in seen if re.match(r"^/directory/people/\d+/$", u))
    print(f"{pages} pages, {people} person pages, {len(masked)} masked")  # noqa: T201 (the size, shown with -s)
    assert not queue, f"the crawl stopped at {MAX_PAGES} pages with {len(queue)} queued"
    assert pages > 20, f"the crawl reached only {pages} pages"
    assert leaks == []
    members = {f"/directory/people/{pk}/" for pk in members_pks}
    assert members <= masked, f"member pages not reached or not masked: {members - masked}"

    # the API, page by page, with the viewer's token
    raw = create_token(user=viewer, label="crawl", read_only=True)[1]
    api = Client(HTTP_AUTHORIZATION=f"Bearer {raw}")
    for resource in ("people", "members", "exchanges", "activities", "appointments"):
        offset = 0
        while True:
            response = api.get(f"/api/v1/{resource}?limit=500&offset={offset}")
            assert response.status_code == 200
            body = response.content.decode()
            assert [s for s in secrets if s in body] == []
            data = response.json()
            offset += 500
            if offset >= data["count"]:
                break

    # the export
    body = api.get("/api/v1/export").content.decode()
    assert [s for s in secrets if s in body] == []
