"""Every registered admin page opens for a superuser, with data in the tables."""

import pytest
from django.contrib import admin
from django.urls import reverse

from tests.api.test_interchange import build_dataset

REGISTERED = sorted(
    admin.site._registry,
    key=lambda m: (m._meta.app_label, m._meta.model_name),
)


def admin_url(model, view, *args):
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_{view}", args=args)


@pytest.fixture
def superuser_client(client, django_user_model):
    user = django_user_model.objects.create_superuser("root", "root@example.org", "pw-irrelevant")
    client.force_login(user)
    return client


@pytest.fixture
def dataset(db):
    return build_dataset()


@pytest.mark.django_db
@pytest.mark.parametrize("model", REGISTERED, ids=lambda m: m._meta.label)
def test_admin_pages_open_for_superuser(superuser_client, dataset, model):
    changelist = superuser_client.get(admin_url(model, "changelist"))
    add = superuser_client.get(admin_url(model, "add"))
    obj = model._default_manager.order_by("pk").first()
    change = superuser_client.get(admin_url(model, "change", obj.pk)) if obj else None

    assert changelist.status_code == 200
    assert add.status_code == 200
    assert change is None or change.status_code == 200


@pytest.mark.django_db
def test_admin_changelist_search_finds_place_in_either_script(superuser_client, dataset):
    from civicbridge.directory.models import Place

    url = admin_url(Place, "changelist")
    traditional = superuser_client.get(url, {"q": "康安社區"})
    code = superuser_client.get(url, {"q": "110119001001"})

    assert "康安社区居委会" in traditional.content.decode()
    assert "康安社区居委会" in code.content.decode()


def place_fields_as_select(owner_name, model, option_admin, fields=None):
    """Editable foreign keys to Place that ``option_admin`` would render as a select."""
    from civicbridge.directory.models import Place

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
