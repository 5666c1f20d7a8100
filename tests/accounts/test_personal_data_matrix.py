"""Who sees which personal field, on every surface: role × relation × field × surface.

The expected table below is written out by hand from README's "Who may do what" (it does
not read accounts.rules), and every surface is fetched as the role would: the person page,
the API, the whole-database export, the programme (HTML and PDF through pdftotext), the
person's .ics, the roster as .xlsx and .csv, the site search, the people list's search,
the type-ahead JSON and the exchange page (roster and itinerary hosts). Each test compares
one role's view of one surface, every person × field cell at once, with ``==``.

People and their relations: tests/factories.py (the personal-data world)."""

from __future__ import annotations

import csv
import io
import json
import shutil
import subprocess

import pytest
from django.test import Client
from openpyxl import load_workbook

from civicbridge.directory.models import Person
from civicbridge.exchanges import personal_data as rules
from tests.factories import FIELDS, PEOPLE, VALUES, text_of

pytestmark = [pytest.mark.django_db, pytest.mark.urls("tests.accounts.urls")]

ALL = frozenset(FIELDS)
VISIT = frozenset({"phone", "permit_number"})
CONTACT = frozenset({"phone", "email", "permit_number"})
NONE = frozenset()

# role → person → the fields that role may see of that person (README's table):
# an organiser sees all of their own directory entries and, of the visitors in the groups
# they host, what the visit needs; a coordinator the contact fields of their delegation's
# own people; a roster place, an activity hosted, or anything else gives nothing.
EXPECTED = {
    "administrator": dict.fromkeys(PEOPLE, ALL),
    "organiser_inside": {
        "yq_resident": ALL,  # own directory entry (lives in 延庆)
        "member": VISIT,  # a visitor in the 延庆 group
        "hd_member": NONE,  # a visitor in another district's group
        "hd_resident": NONE,  # on my roster, but a 海淀 entry
        "host": NONE,  # hosts my activity, a 海淀 entry
        "outsider": NONE,  # unrelated
    },
    "organiser_outside": {
        "yq_resident": NONE,
        "member": NONE,
        "hd_member": VISIT,  # a visitor in the 海淀 group
        "hd_resident": ALL,  # own directory entry
        "host": ALL,  # own directory entry
        "outsider": NONE,
    },
    "coordinator": {
        "yq_resident": NONE,  # host side of my delegation's roster
        "member": CONTACT,  # my delegation's own
        "hd_member": CONTACT,  # my delegation's own
        "hd_resident": NONE,  # on my roster, but a 海淀 entry
        "host": NONE,
        "outsider": NONE,
    },
    "coordinator_other": {**dict.fromkeys(PEOPLE, NONE), "outsider": CONTACT},
    "community_member": dict.fromkeys(PEOPLE, NONE),
    "viewer": dict.fromkeys(PEOPLE, NONE),
}

# surface → (the fields it carries at most, whom it lists: None for everyone, or a set)
ROSTER_PEOPLE = frozenset({"yq_resident", "member", "hd_member", "hd_resident"})
SURFACES = {
    "person_page": (ALL, None),
    "api_person": (ALL, None),
    "export": (ALL, None),  # the whole database: administrators only
    "programme_html": (frozenset({"phone"}), None),  # every one of them hosts an activity
    "programme_pdf": (frozenset({"phone"}), None),
    "person_ics": (NONE, None),
    "roster_xlsx": (ALL, ROSTER_PEOPLE),
    "roster_csv": (ALL, ROSTER_PEOPLE),
    "site_search": (NONE, None),
    "people_search": (NONE, None),
    "typeahead_json": (NONE, None),
    "exchange_page": (NONE, None),
}
EXPORT_ROLES = {"administrator"}


def expected(role: str, surface: str) -> dict:
    carries, listed = SURFACES[surface]
    out = {}
    for key in PEOPLE:
        fields = EXPECTED[role][key] & carries
        if listed is not None and key not in listed:
            fields = NONE
        if surface == "export" and role not in EXPORT_ROLES:
            fields = NONE
        for field in FIELDS:
            visible = field in fields
            if surface == "api_person":
                # the API gives the value or null, nothing in between
                out[key, field] = text_of(VALUES[key][field]) if visible else None
            else:
                out[key, field] = visible
    return out


def _found(body: str) -> dict:
    return {(key, field): text_of(VALUES[key][field]) in body for key in PEOPLE for field in FIELDS}


def _get(client, url) -> str:
    response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    return response.content.decode("utf-8-sig")


def person_page(client, w):
    out = {}
    for key in PEOPLE:
        body = _get(client, f"/directory/people/{w.people[key].pk}/")
        out |= {k: v for k, v in _found(body).items() if k[0] == key}
    return out


def api_person(client, w):
    out = {}
    for key in PEOPLE:
        data = json.loads(_get(client, f"/api/v1/people/{w.people[key].pk}"))
        out |= {(key, field): data[field] for field in FIELDS}
    return out


def export(client, w):
    response = client.get("/api/v1/export")
    assert response.status_code in (200, 403)
    return _found(response.content.decode())


def programme_html(client, w):
    return _found(_get(client, f"/documents/exchanges/{w.exchange.pk}/programme/"))


def programme_pdf(client, w, tmp_path):
    response = client.get(f"/documents/exchanges/{w.exchange.pk}/programme.pdf")
    assert response.status_code == 200
    path = tmp_path / "programme.pdf"
    path.write_bytes(response.content)
    text = subprocess.run(  # noqa: S603
        [shutil.which("pdftotext"), "-layout", str(path), "-"],
        capture_output=True,
        check=True,
        text=True,
    ).stdout
    return _found(text.replace(" ", ""))


def person_ics(client, w):
    out = {}
    for key in PEOPLE:
        body = _get(client, f"/documents/people/{w.people[key].pk}/calendar.ics")
        out |= {k: v for k, v in _found(body).items() if k[0] == key}
    return out


def _cells(rows) -> str:
    return "\n".join("\t".join(text_of(c) if c is not None else "" for c in row) for row in rows)


def roster_xlsx(client, w):
    response = client.get(f"/documents/exchanges/{w.exchange.pk}/roster.xlsx")
    assert response.status_code == 200
    ws = load_workbook(io.BytesIO(response.content)).worksheets[0]
    rows = [
        [c.date() if hasattr(c, "date") and callable(c.date) else c for c in row]
        for row in ws.iter_rows(min_row=2, min_col=2, values_only=True)  # no title, 序号
    ]
    return _found(_cells(rows))


def roster_csv(client, w):
    body = _get(client, f"/documents/exchanges/{w.exchange.pk}/roster.csv")
    return _found(_cells(csv.reader(io.StringIO(body))))


def site_search(client, w):
    out = {}
    for key in PEOPLE:
        body = _get(client, f"/search/?q={w.people[key].name}")
        assert w.people[key].name in body  # the search found them
        out |= {k: v for k, v in _found(body).items() if k[0] == key}
    return out


def people_search(client, w):
    out = {}
    for key in PEOPLE:
        body = _get(client, f"/directory/people/?q={w.people[key].name}")
        assert w.people[key].name in body
        out |= {k: v for k, v in _found(body).items() if k[0] == key}
    return out


def typeahead_json(client, w):
    out = {}
    for key in PEOPLE:
        body = _get(client, f"/directory/lookup/people/?q={w.people[key].name}&format=json")
        assert [r["id"] for r in json.loads(body)["results"]] == [w.people[key].pk]
        out |= {k: v for k, v in _found(body).items() if k[0] == key}
    return out


def exchange_page(client, w):
    return _found(_get(client, f"/exchanges/{w.exchange.pk}/"))


COLLECTORS = {
    "person_page": person_page,
    "api_person": api_person,
    "export": export,
    "programme_html": programme_html,
    "programme_pdf": programme_pdf,
    "person_ics": person_ics,
    "roster_xlsx": roster_xlsx,
    "roster_csv": roster_csv,
    "site_search": site_search,
    "people_search": people_search,
    "typeahead_json": typeahead_json,
    "exchange_page": exchange_page,
}


@pytest.mark.parametrize("surface", list(SURFACES))
@pytest.mark.parametrize("role", list(EXPECTED))
def test_personal_data_matrix(personal_world, role, surface, tmp_path):
    client = Client()
    client.force_login(personal_world.users[role])
    collect = COLLECTORS[surface]
    if surface == "programme_pdf":
        seen = collect(client, personal_world, tmp_path)
    else:
        seen = collect(client, personal_world)
    assert seen == expected(role, surface)


def test_matrix_covers_every_personal_field_and_surface():
    assert tuple(FIELDS) == Person.PERSONAL_FIELDS
    assert frozenset(Person.PERSONAL_FIELDS) == rules.ALL_PERSONAL
    assert set(COLLECTORS) == set(SURFACES)
    # every surface of the rule is fetched above (pages and API: person_page, api_person)
    fetched = {
        rules.PAGE: "person_page",
        rules.API: "api_person",
        rules.EXPORT: "export",
        rules.PROGRAMME: "programme_html",
        rules.CALENDAR: "person_ics",
        rules.ROSTER: "roster_xlsx",
        rules.SEARCH: "site_search",
        rules.LOOKUP: "typeahead_json",
    }
    assert set(fetched) == set(rules.SURFACE_FIELDS)


@pytest.mark.parametrize("role", list(EXPECTED))
def test_personal_data_matrix_rule(personal_world, role):
    """The rule itself, asked by name (directory.view_<field>) for each person and field."""
    user = personal_world.users[role]
    seen = {
        (key, field): user.has_perm(f"directory.view_{field}", personal_world.people[key])
        for key in PEOPLE
        for field in FIELDS
    }
    assert seen == expected(role, "person_page")
