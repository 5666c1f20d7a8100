"""With phone and permit numbers recorded on every demo member, a viewer sees none of
them: not on any page reachable from the dashboard, not in the API, not in the export."""

from __future__ import annotations

import io
import re
from collections import deque
from urllib.parse import urldefrag, urlparse

import pytest
from django.core.management import call_command
from django.test import Client

from civicbridge.accounts.services import assign_role, create_token
from civicbridge.directory.services import update_person
from civicbridge.exchanges.models import Member

pytestmark = [pytest.mark.django_db, pytest.mark.urls("tests.accounts.urls")]

MAX_PAGES = 600
SKIP_PREFIXES = ("/static/", "/media/", "/admin/", "/i18n/", "/accounts/logout", "/language/")
LINK = re.compile(r"""(?:href|src|hx-get)=["']([^"'#][^"']*)["']""")


@pytest.fixture
def demo_with_personal_data(db, settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    call_command("load_demo", stdout=io.StringIO())
    secrets = []
    people = {m.person for m in Member.objects.select_related("person")}
    assert len(people) >= 10
    for i, person in enumerate(sorted(people, key=lambda p: p.pk)):
        phone, permit = f"1390{i:07d}", f"T9{i:07d}"
        update_person(person=person, phone=phone, permit_number=permit)
        secrets += [phone, permit]
    return secrets


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
    viewer = django_user_model.objects.create_user(username="viewer", password="x")
    assign_role(user=viewer, role="viewer")
    client = Client()
    client.force_login(viewer)

    seen, queue, leaks, pages, masked = set(), deque(["/"]), [], 0, 0
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
        masked += url.startswith("/directory/people/") and "••• (" in body
        if response["Content-Type"].startswith("text/html"):
            queue.extend(u for u in _links(body) if u not in seen)
    assert pages > 20, f"the crawl reached only {pages} pages"
    assert leaks == []
    assert masked > 0, "no person page with masked contact details was reached"

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
