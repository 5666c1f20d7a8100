"""The 404, 403 and 500 pages: in the site's layout (navigation, language switcher), in the
reader's language and script, with a next step; never Django's bare English "Not Found".
Under /api/ every error stays JSON (api/middleware.py)."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.test import RequestFactory
from django.urls import reverse
from django.utils import translation
from django.views import defaults

from tests.factories import MODEL_BACKEND, h1_count, make_user

pytestmark = pytest.mark.django_db

# Words of the pages that are already translated, per language: they show the page is in
# the reader's language and script (Simplified, Traditional, English).
WORDS = {
    "zh-hans": {
        "dashboard": "返回仪表板",
        "search": "搜索地区、人员和交流",
        "refused": "您无权查看或执行此操作",
    },
    "zh-hant": {
        "dashboard": "返回儀表板",
        "search": "搜尋地區、人員和交流",
        "refused": "您無權查看或執行此操作",
    },
    "en": {
        "dashboard": "Back to the dashboard",
        "search": "Search places, people and exchanges",
        "refused": "You may not see or do this",
    },
}
LANGUAGES = list(WORDS)


def _as_reader(client, language, role="viewer"):
    user = make_user(f"reader-{role}", role=role)
    client.force_login(user, backend=MODEL_BACKEND)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    return user


def _heading(language, msgid):
    with translation.override(language):
        return translation.gettext(msgid)


def _in_layout(html: str, language: str) -> None:
    assert f'<html lang="{language}"' in html
    assert 'class="main-nav"' in html  # the navigation
    assert 'class="language-switcher"' in html
    assert "Not Found" not in html  # Django's bare page
    assert "<h1>Not Found</h1>" not in html


@pytest.mark.parametrize("language", LANGUAGES)
def test_unknown_address_gives_the_404_page(client, language):
    _as_reader(client, language)
    response = client.get("/no-such-page/")
    html = response.content.decode()
    assert response.status_code == 404
    assert response["Content-Type"].startswith("text/html")
    _in_layout(html, language)
    assert h1_count(response) == 1
    assert _heading(language, "This page does not exist") in html
    # the next steps: search, the dashboard, the exchanges
    assert WORDS[language]["dashboard"] in html
    assert WORDS[language]["search"] in html
    assert f'action="{reverse("search")}"' in html
    assert f'href="{reverse("exchanges:list")}"' in html


@pytest.mark.parametrize("language", LANGUAGES)
def test_missing_record_in_a_page_view_gives_the_404_page(client, language):
    _as_reader(client, language)
    for url in (
        reverse("exchanges:detail", args=[987654]),
        reverse("directory:place", args=[987654]),
        reverse("directory:person", args=[987654]),
    ):
        response = client.get(url)
        html = response.content.decode()
        assert response.status_code == 404, url
        _in_layout(html, language)
        assert _heading(language, "This page does not exist") in html


@pytest.mark.parametrize("language", LANGUAGES)
def test_permission_refusal_gives_the_403_page(client, language):
    # A viewer may read but not create an exchange (exchanges.add_exchange): the view
    # refuses with PermissionDenied.
    _as_reader(client, language)
    response = client.get(reverse("exchanges:create"))
    html = response.content.decode()
    assert response.status_code == 403
    _in_layout(html, language)
    assert h1_count(response) == 1
    assert WORDS[language]["refused"] in html
    assert WORDS[language]["dashboard"] in html
    assert f'href="{reverse("search")}"' in html


def test_user_without_a_role_gets_the_403_page_for_a_read(client):
    _as_reader(client, "zh-hant", role=None)
    response = client.get(reverse("exchanges:list"))
    assert response.status_code == 403
    _in_layout(response.content.decode(), "zh-hant")
    assert WORDS["zh-hant"]["refused"] in response.content.decode()


def test_anonymous_404_offers_sign_in(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    response = client.get("/no-such-page/")
    html = response.content.decode()
    assert response.status_code == 404
    assert f'href="{reverse("login")}"' in html
    assert 'class="language-switcher"' in html
    assert "Not Found" not in html


@pytest.mark.parametrize("language", LANGUAGES)
def test_api_404_stays_json(client, language):
    _as_reader(client, language)
    for url in ("/api/v1/no-such-endpoint", "/api/v1/exchanges/987654"):
        response = client.get(url)
        assert response.status_code == 404, url
        assert response["Content-Type"].split(";")[0] == "application/json", url
        assert set(response.json()) == {"detail", "errors"}


def test_500_page_needs_no_database(django_assert_num_queries):
    request = RequestFactory().get("/anything/")
    with translation.override("zh-hant"), django_assert_num_queries(0):
        response = defaults.server_error(request)
    html = response.content.decode()
    assert response.status_code == 500
    assert '<html lang="zh-hant"' in html
    assert html.count("<h1>") == 1
    assert "返回儀表板" in html
    assert 'href="/"' in html
