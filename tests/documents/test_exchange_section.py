import pytest
from django.contrib.auth import get_user_model
from django.test import Client

from civicbridge.documents.sections import exchange_documents_context
from civicbridge.pairings.models import Appointment

pytestmark = pytest.mark.django_db


def _admin_client():
    user = get_user_model().objects.create_superuser(
        "docadmin", "d@example.org", "correct horse battery"
    )
    client = Client()
    client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    return client


def test_exchange_page_links_every_document_of_the_demo(demo):
    html = _admin_client().get(f"/exchanges/{demo.pk}/").content.decode()
    assert f"/documents/exchanges/{demo.pk}/certificates.pdf" in html
    assert f"/documents/exchanges/{demo.pk}/programme/" in html
    assert f"/documents/exchanges/{demo.pk}/calendar.ics" in html
    assert f"/documents/exchanges/{demo.pk}/brief/?script=zh-hant" in html
    assert f"/documents/exchanges/{demo.pk}/roster.xlsx" in html
    for group in demo.groups.all():
        assert f"/documents/groups/{group.pk}/calendar.ics" in html
    for appointment in Appointment.objects.all():
        assert f"/documents/certificates/{appointment.pk}.pdf" in html


def test_exchange_documents_context_lists_forums_and_appointments(demo):
    context = exchange_documents_context(None, demo)
    assert (len(context["doc_forums"]), len(context["doc_appointments"])) == (4, 12)
