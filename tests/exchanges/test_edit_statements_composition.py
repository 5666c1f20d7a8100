"""Correcting a statement or a composition row on the exchange page (issue 12): the rows
carry an "Edit" link whose form is fetched when asked for (HTMX into the section's edit
slot; a page without JavaScript), the form carries the record's version (required: a stale
or version-less post is refused, nothing lost), offers the removal, and hostile input gets
a form error. Page and API parity with the same actors is in tests/api/test_write_parity.py."""

import pytest
from django.conf import settings
from django.urls import reverse

from civicbridge.exchanges import services
from civicbridge.exchanges.models import Composition, Statement
from tests.factories import at, make_admin, make_user

pytestmark = pytest.mark.django_db

HX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture
def client_in(client):
    client.force_login(make_admin(), backend="django.contrib.auth.backends.ModelBackend")
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def url(name, *args):
    return reverse(f"exchanges:{name}", args=args)


def page(client, exchange) -> str:
    response = client.get(url("detail", exchange.pk))
    assert response.status_code == 200
    return response.content.decode()


@pytest.fixture
def said(world):
    ex = world.exchange
    activity = services.create_activity(
        exchange=ex, kind="forum", title="京台社区大讲堂", starts_at=at(9), ends_at=at(10)
    )
    statement = services.add_statement(exchange=ex, text="宾至如归", speaker_wording="台湾朋友")
    row = services.add_composition_row(exchange=ex, label="里长", count=12)
    return ex, statement, row, activity


def statement_data(statement, **changes) -> dict:
    st = Statement.objects.get(pk=statement.pk)
    data = {
        "version": str(st.version),
        "text": st.text,
        "kind": st.kind,
        "person": str(st.person_id or ""),
        "organisation": str(st.organisation_id or ""),
        "speaker_wording": st.speaker_wording,
        "side": st.side,
        "activity": str(st.activity_id or ""),
    }
    data.update(changes)
    return data


def row_data(row, **changes) -> dict:
    r = Composition.objects.get(pk=row.pk)
    data = {
        "version": str(r.version),
        "label": r.label,
        "count": "" if r.count is None else str(r.count),
        "group": str(r.group_id or ""),
    }
    data.update(changes)
    return data


# --- on the page: links, not forms -------------------------------------------------------


def test_rows_carry_edit_links_and_no_forms(client_in, said):
    ex, statement, row, _activity = said
    body = page(client_in, ex)
    assert (
        f'href="{url("statement_edit", ex.pk, statement.pk)}" data-into="statements-edit"' in body
    )
    assert f'href="{url("composition_edit", ex.pk, row.pk)}" data-into="composition-edit"' in body
    assert 'id="statements-edit"' in body and 'id="composition-edit"' in body
    # Neither the edit forms nor the removals are on the page: they come with the form.
    assert url("statement_remove", ex.pk, statement.pk) not in body
    assert url("composition_remove", ex.pk, row.pk) not in body
    assert f'id="statement-{statement.pk}_text"' not in body


def test_a_reader_sees_no_edit_links(client, said):
    ex, statement, row, _activity = said
    client.force_login(make_user("reader"), backend="django.contrib.auth.backends.ModelBackend")
    body = page(client, ex)
    assert "宾至如归" in body and "里长" in body
    assert url("statement_edit", ex.pk, statement.pk) not in body
    assert url("composition_edit", ex.pk, row.pk) not in body
    assert 'id="statements-edit"' not in body
    for name, pk in (("statement_edit", statement.pk), ("composition_edit", row.pk)):
        assert client.get(url(name, ex.pk, pk), **HX).status_code == 403
        assert client.post(url(name, ex.pk, pk), {"version": "1"}, **HX).status_code == 403
    assert Statement.objects.get(pk=statement.pk).text == "宾至如归"


def test_the_fetched_forms_carry_version_and_removal(client_in, said):
    ex, statement, row, _activity = said
    body = client_in.get(url("statement_edit", ex.pk, statement.pk), **HX).content.decode()
    assert "<h1" not in body
    assert f'hx-post="{url("statement_edit", ex.pk, statement.pk)}"' in body
    assert f'name="version" value="{statement.version}"' in body
    assert "宾至如归" in body and 'value="台湾朋友"' in body
    assert f'formaction="{url("statement_remove", ex.pk, statement.pk)}"' in body
    body = client_in.get(url("composition_edit", ex.pk, row.pk), **HX).content.decode()
    assert f'name="version" value="{row.version}"' in body
    assert 'value="里长"' in body and 'value="12"' in body
    assert f'formaction="{url("composition_remove", ex.pk, row.pk)}"' in body


def test_without_javascript_the_form_is_a_page_and_saving_redirects(client_in, said):
    ex, statement, row, _activity = said
    response = client_in.get(url("statement_edit", ex.pk, statement.pk))
    assert response.status_code == 200
    assert response.content.decode().count("<h1") == 1
    response = client_in.post(url("composition_edit", ex.pk, row.pk), row_data(row, count="13"))
    assert response.status_code == 302
    assert response["Location"].endswith("#section-overview")
    assert Composition.objects.get(pk=row.pk).count == 13


# --- correcting ------------------------------------------------------------------------------


def test_correcting_a_statement(client_in, said, world):
    ex, statement, _row, activity = said
    data = statement_data(
        statement,
        text="北京的社区治理让我们印象深刻。",
        kind="impression",
        person=str(world.people[0].pk),
        side="visiting",
        activity=str(activity.pk),
    )
    response = client_in.post(url("statement_edit", ex.pk, statement.pk), data, **HX)
    assert response.status_code == 200
    assert response["HX-Retarget"] == "#exchange-sections"
    st = Statement.objects.get(pk=statement.pk)
    assert (st.text, st.kind, st.person, st.side, st.activity, st.speaker_wording) == (
        "北京的社区治理让我们印象深刻。",
        "impression",
        world.people[0],
        "visiting",
        activity,
        "台湾朋友",
    )
    assert st.version == statement.version + 1
    assert "北京的社区治理让我们印象深刻。" in page(client_in, ex)


def test_correcting_a_composition_row(client_in, said, world):
    ex, _statement, row, _activity = said
    group = services.create_group(exchange=ex, name="第一组")
    response = client_in.post(
        url("composition_edit", ex.pk, row.pk), row_data(row, label="邻长", count=""), **HX
    )
    assert response.status_code == 200
    assert (Composition.objects.get(pk=row.pk).label, Composition.objects.get(pk=row.pk).count) == (
        "邻长",
        None,
    )
    assert '<span class="composition__label">邻长</span>' in page(client_in, ex)
    client_in.post(url("composition_edit", ex.pk, row.pk), row_data(row, group=str(group.pk)), **HX)
    assert Composition.objects.get(pk=row.pk).group == group


def test_a_stale_version_is_refused_and_nothing_is_lost(client_in, said):
    ex, statement, row, _activity = said
    old = statement_data(statement, text="旧的改动")
    services.update_statement(statement=statement, kind="intention")  # meanwhile
    response = client_in.post(url("statement_edit", ex.pk, statement.pk), old, **HX)
    body = response.content.decode()
    assert response.status_code == 200
    assert "旧的改动" in body  # what was typed is kept, with the error above the form
    assert 'class="xform' in body
    st = Statement.objects.get(pk=statement.pk)
    assert (st.text, st.kind) == ("宾至如归", "intention")
    old = row_data(row, count="20")
    services.update_composition_row(row=row, label="村长")
    client_in.post(url("composition_edit", ex.pk, row.pk), old, **HX)
    assert Composition.objects.get(pk=row.pk).count == 12


def test_the_version_is_required(client_in, said):
    ex, statement, row, _activity = said
    data = statement_data(statement, text="没有版本")
    del data["version"]
    body = client_in.post(url("statement_edit", ex.pk, statement.pk), data, **HX).content.decode()
    assert "lacks the version" in body
    assert Statement.objects.get(pk=statement.pk).text == "宾至如归"
    data = row_data(row, count="99", version="abc")
    body = client_in.post(url("composition_edit", ex.pk, row.pk), data, **HX).content.decode()
    assert "lacks the version" in body
    assert Composition.objects.get(pk=row.pk).count == 12


@pytest.mark.parametrize(
    "changes",
    [
        {"text": "a\x00b"},
        {"text": "x" * 6000},
        {"text": ""},
        {"speaker_wording": "", "person": "", "organisation": ""},
        {"person": "999999999"},
        {"person": "abc"},
        {"activity": "999999999"},
        {"kind": "shout"},
        {"side": "moon"},
    ],
)
def test_hostile_statement_edits_get_form_errors(client_in, said, changes):
    ex, statement, _row, _activity = said
    data = statement_data(statement, **changes)
    response = client_in.post(url("statement_edit", ex.pk, statement.pk), data, **HX)
    assert response.status_code == 200
    assert "HX-Retarget" not in response
    st = Statement.objects.get(pk=statement.pk)
    assert (st.text, st.version) == ("宾至如归", statement.version)


@pytest.mark.parametrize(
    "changes",
    [
        {"label": "a\x00b"},
        {"label": "x" * 500},
        {"label": ""},
        {"count": "-1"},
        {"count": "1e9"},
        {"group": "999999999"},
    ],
)
def test_hostile_composition_edits_get_form_errors(client_in, said, changes):
    ex, _statement, row, _activity = said
    response = client_in.post(
        url("composition_edit", ex.pk, row.pk), row_data(row, **changes), **HX
    )
    assert response.status_code == 200
    assert "HX-Retarget" not in response
    assert Composition.objects.get(pk=row.pk).version == row.version


def test_a_group_of_another_exchange_is_refused(client_in, said, world):
    ex, _statement, row, _activity = said
    other = services.create_exchange(
        title="另一次",
        start_date=ex.start_date,
        host_place=world.beijing,
        visiting_organisation=world.association,
    )
    foreign = services.create_group(exchange=other, name="别组")
    data = row_data(row, group=str(foreign.pk))
    response = client_in.post(url("composition_edit", ex.pk, row.pk), data, **HX)
    assert response.status_code == 200
    assert Composition.objects.get(pk=row.pk).group is None


def test_records_of_another_exchange_or_missing_are_404(client_in, said, world):
    ex, statement, row, _activity = said
    other = services.create_exchange(
        title="另一次",
        start_date=ex.start_date,
        host_place=world.beijing,
        visiting_organisation=world.association,
    )
    for name, pk in (("statement_edit", statement.pk), ("composition_edit", row.pk)):
        assert client_in.get(url(name, other.pk, pk), **HX).status_code == 404
        assert client_in.get(url(name, ex.pk, 999999999), **HX).status_code == 404


def test_the_edit_forms_remove_button_removes(client_in, said):
    ex, statement, row, _activity = said
    response = client_in.post(
        url("statement_remove", ex.pk, statement.pk), statement_data(statement), **HX
    )
    assert response.status_code == 200
    assert not Statement.objects.filter(pk=statement.pk).exists()
    response = client_in.post(url("composition_remove", ex.pk, row.pk), row_data(row))
    assert response.status_code == 302
    assert not Composition.objects.filter(pk=row.pk).exists()
