"""Every registered admin page opens for a superuser, with data in the tables."""

import pytest
from django.contrib import admin
from django.urls import reverse

from civicbridge.accounts.models import AuditEntry
from civicbridge.directory.models import Person, Place
from tests.api.test_interchange import build_dataset


def admin_url(model, view, *args):
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_{view}", args=args)


@pytest.fixture
def superuser_client(client, django_user_model):
    user = django_user_model.objects.create_superuser("root", "root@example.org", "pw-irrelevant")
    client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    client.user = user
    return client


@pytest.fixture
def dataset(db):
    return build_dataset()


@pytest.mark.django_db
def test_admin_pages_open_for_superuser(superuser_client, dataset, rf):
    """Changelist, add and change pages of every registered model (one pass, one dataset)."""
    request = rf.get("/admin/")
    request.user = superuser_client.user
    failures = []
    for model, model_admin in sorted(
        admin.site._registry.items(), key=lambda item: item[0]._meta.label
    ):
        pages = [("changelist", admin_url(model, "changelist"))]
        if model_admin.has_add_permission(request):
            pages.append(("add", admin_url(model, "add")))
        obj = model._default_manager.order_by("pk").first()
        if obj is not None:
            pages.append(("change", admin_url(model, "change", obj.pk)))
        for page, url in pages:
            status = superuser_client.get(url).status_code
            if status != 200:
                failures.append(f"{model._meta.label} {page}: {status}")

    assert failures == []


@pytest.mark.django_db
def test_admin_changelist_search_finds_place_in_either_script(superuser_client, dataset):
    url = admin_url(Place, "changelist")
    traditional = superuser_client.get(url, {"q": "康安社區"})
    code = superuser_client.get(url, {"q": "110119001001"})

    assert "康安社区居委会" in traditional.content.decode()
    assert "康安社区居委会" in code.content.decode()


def place_fields_as_select(owner_name, model, option_admin, fields=None):
    """Editable foreign keys to Place that ``option_admin`` would render as a select."""
    widgets = (*option_admin.autocomplete_fields, *option_admin.raw_id_fields)
    return [
        f"{owner_name}.{f.name}"
        for f in model._meta.get_fields()
        if getattr(f, "related_model", None) is Place
        and f.concrete
        and f.editable
        and (fields is None or f.name in fields)
        and f.name not in widgets
    ]


def test_admin_place_foreign_keys_never_a_select():
    """Place has ~9,000 rows: no admin form may render them all as <option>s."""
    offenders = []
    for model, model_admin in admin.site._registry.items():
        offenders += place_fields_as_select(model.__name__, model, model_admin)
        for inline in model_admin.inlines:
            offenders += place_fields_as_select(
                inline.__name__, inline.model, inline, inline.fields
            )

    assert offenders == []


@pytest.mark.django_db
def test_admin_soft_delete_and_restore_are_audited(superuser_client, dataset):
    person = Person.objects.alive().order_by("pk").first()
    url = admin_url(Person, "changelist")
    response = superuser_client.post(
        url, {"action": "mark_deleted", "_selected_action": [str(person.pk)]}
    )
    assert response.status_code == 302
    person.refresh_from_db()
    assert person.deleted_at is not None
    deleted = AuditEntry.objects.get(action="delete", model="directory.person")
    assert (deleted.object_id, deleted.username, deleted.note) == (str(person.pk), "root", "soft")

    superuser_client.post(url, {"action": "restore", "_selected_action": [str(person.pk)]})
    person.refresh_from_db()
    assert person.deleted_at is None
    restored = AuditEntry.objects.get(action="restore", model="directory.person")
    assert (restored.object_id, restored.username) == (str(person.pk), "root")
