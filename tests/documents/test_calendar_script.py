"""A downloaded calendar is in the reader's script unless another is chosen: a 简体 organiser
gets Simplified for a Taipei delegation, and the documents section offers both."""

import pytest
from django.conf import settings
from django.urls import reverse

from tests.factories import make_admin


@pytest.fixture
def admin_client(client, demo):
    client.force_login(make_admin())
    return client


@pytest.mark.django_db
def test_the_calendar_follows_the_reader_and_the_choice(admin_client, demo):
    url = reverse("documents:ics_exchange", args=[demo.pk])

    simplified = admin_client.get(url).content.decode()
    chosen = admin_client.get(url + "?script=hant").content.decode()
    admin_client.cookies[settings.LANGUAGE_COOKIE_NAME] = "zh-hant"
    traditional = admin_client.get(url).content.decode()

    assert "台北市里长联谊会总会基层参访团" in simplified
    assert "臺北市里長聯誼會總會基層參訪團" in chosen
    assert "臺北市里長聯誼會總會基層參訪團" in traditional


@pytest.mark.django_db
def test_the_documents_section_offers_both_scripts(admin_client, demo):
    page = admin_client.get(demo.get_absolute_url()).content.decode()

    url = reverse("documents:ics_exchange", args=[demo.pk])
    assert f'href="{url}?script=hans"' in page
    assert f'href="{url}?script=hant"' in page
