"""Every role × action × scope (inside and outside the role's places or organisation),
checked three ways: the permission itself, the REST API, and the page when there is one.

Scopes of the world (tests/factories.py ``build_roles_world``, built once per session and
replayed into each case's transaction, so a case's writes never reach the next): the exchange has a group in 海淀区 and one
in 延庆区; ``activity_haidian``/``activity_yanqing`` belong to one group each; ``person`` is
a member of the 延庆 group of the association's delegation; ``outsider`` is on another
organisation's delegation; ``pairing`` links a 海淀 community with a li,
``other_pairing`` a 延庆 community with another li."""

from __future__ import annotations

import json

import pytest
from django.test import Client

from tests.factories import fresh

pytestmark = [pytest.mark.django_db, pytest.mark.urls("tests.accounts.urls")]

ADMIN, ORG_HD, ORG_YQ = "administrator", "organiser_haidian", "organiser_yanqing"
COORD, COORD_OTHER, COMMUNITY = "coordinator", "coordinator_other", "community_member"
VIEWER, NOBODY = "viewer", "nobody"
ALL = (ADMIN, ORG_HD, ORG_YQ, COORD, COORD_OTHER, COMMUNITY, VIEWER, NOBODY)


def _api(method, url_of, body_of=None):
    return {"method": method, "url": url_of, "body": body_of}


# action → (permission, target attribute or None, API request, page URL (GET))
ACTIONS = {
    "view_exchange": (
        "exchanges.view_exchange",
        "exchange",
        _api("get", lambda w, o: f"/api/v1/exchanges/{o.pk}"),
        lambda w, o: f"/exchanges/{o.pk}/",
    ),
    "change_exchange": (
        "exchanges.change_exchange",
        None,  # the target is given per row
        _api("patch", lambda w, o: f"/api/v1/exchanges/{o.pk}", lambda o: {"note": "改"}),
        lambda w, o: f"/exchanges/{o.pk}/edit/",
    ),
    "change_activity": (
        "exchanges.change_activity",
        None,
        _api("patch", lambda w, o: f"/api/v1/activities/{o.pk}", lambda o: {"note": "改"}),
        lambda w, o: f"/exchanges/{o.exchange_id}/activities/{o.pk}/edit/",
    ),
    "change_member": (
        "exchanges.change_member",
        None,
        _api("patch", lambda w, o: f"/api/v1/members/{o.pk}", lambda o: {"title": "团员"}),
        lambda w, o: f"/exchanges/{o.exchange_id}/members/{o.pk}/edit/",
    ),
    "view_personal_data": ("directory.view_personal_data", None, None, None),
    "change_person": (
        "directory.change_person",
        None,
        _api("patch", lambda w, o: f"/api/v1/people/{o.pk}", lambda o: {"note": "改"}),
        None,
    ),
    "view_pairing": (
        "pairings.view_pairing",
        None,
        _api("get", lambda w, o: f"/api/v1/pairings/{o.pk}"),
        None,
    ),
    "post_message": ("pairings.post_message", None, None, None),
    "export_data": ("accounts.export_data", "", _api("get", lambda w, o: "/api/v1/export"), None),
    "export_personal_data": ("accounts.export_personal_data", "", None, None),
    "manage_tokens": ("accounts.manage_tokens", "", None, lambda w, o: "/accounts/tokens/"),
    "view_audit": ("accounts.view_audit", "", None, lambda w, o: "/accounts/audit/"),
}

# (role, action, target, scope, allowed)
ROWS = [
    # reading exchanges: every role reads the (non-personal) record, nobody without a role
    *[(r, "view_exchange", "exchange", "any", r != NOBODY) for r in ALL],
    # changing an exchange: hosted in the organiser's place (one of its groups) or not
    (ADMIN, "change_exchange", "exchange", "inside", True),
    (ADMIN, "change_exchange", "other_exchange", "outside", True),
    (ORG_HD, "change_exchange", "exchange", "inside", True),
    (ORG_HD, "change_exchange", "other_exchange", "outside", False),
    (ORG_YQ, "change_exchange", "exchange", "inside", True),
    (ORG_YQ, "change_exchange", "other_exchange", "outside", False),
    (COORD, "change_exchange", "exchange", "own delegation", False),
    (COMMUNITY, "change_exchange", "exchange", "any", False),
    (VIEWER, "change_exchange", "exchange", "any", False),
    (NOBODY, "change_exchange", "exchange", "any", False),
    # changing an activity: scoped by its groups' host districts
    (ADMIN, "change_activity", "activity_yanqing", "any", True),
    (ORG_HD, "change_activity", "activity_haidian", "inside", True),
    (ORG_HD, "change_activity", "activity_yanqing", "outside", False),
    (ORG_YQ, "change_activity", "activity_yanqing", "inside", True),
    (ORG_YQ, "change_activity", "activity_haidian", "outside", False),
    (COORD, "change_activity", "activity_yanqing", "own delegation", False),
    (COMMUNITY, "change_activity", "activity_haidian", "own place", False),
    (VIEWER, "change_activity", "activity_haidian", "any", False),
    (NOBODY, "change_activity", "activity_haidian", "any", False),
    # the roster: the delegation's coordinator and the exchange's organisers
    (ADMIN, "change_member", "member", "any", True),
    (COORD, "change_member", "member", "inside", True),
    (COORD_OTHER, "change_member", "member", "outside", False),
    (ORG_YQ, "change_member", "member", "inside", True),
    (VIEWER, "change_member", "member", "any", False),
    (COMMUNITY, "change_member", "member", "any", False),
    (NOBODY, "change_member", "member", "any", False),
    # personal data (some field; field by field: test_personal_data_matrix.py): a Taipei
    # member of the 延庆 group of the association's delegation
    (ADMIN, "view_personal_data", "person", "any", True),
    (ORG_YQ, "view_personal_data", "person", "inside", True),
    (ORG_HD, "view_personal_data", "person", "outside", False),
    (ORG_YQ, "view_personal_data", "outsider", "outside", False),
    (COORD, "view_personal_data", "person", "inside", True),
    (COORD, "view_personal_data", "outsider", "outside", False),
    (COORD_OTHER, "view_personal_data", "person", "outside", False),
    (COORD_OTHER, "view_personal_data", "outsider", "inside", True),
    (COMMUNITY, "view_personal_data", "person", "any", False),
    (VIEWER, "view_personal_data", "person", "any", False),
    (NOBODY, "view_personal_data", "person", "any", False),
    # a directory record: administrators and the organisers of the person's home place;
    # being on one's roster (the 延庆 group, the association's delegation) is not enough
    (ADMIN, "change_person", "person", "any", True),
    (ORG_YQ, "change_person", "person", "on my roster", False),
    (ORG_HD, "change_person", "person", "outside", False),
    (COORD, "change_person", "person", "own delegation", False),
    (COORD_OTHER, "change_person", "person", "outside", False),
    (VIEWER, "change_person", "person", "any", False),
    (COMMUNITY, "change_person", "person", "any", False),
    # pairings: a community member sees (and writes in) its own place's pairings only
    (ADMIN, "view_pairing", "pairing", "any", True),
    (VIEWER, "view_pairing", "pairing", "any", True),
    (ORG_HD, "view_pairing", "other_pairing", "outside (reads)", True),
    (COMMUNITY, "view_pairing", "pairing", "inside", True),
    (COMMUNITY, "view_pairing", "other_pairing", "outside", False),
    (NOBODY, "view_pairing", "pairing", "any", False),
    (ADMIN, "post_message", "pairing", "any", True),
    (COMMUNITY, "post_message", "pairing", "inside", True),
    (COMMUNITY, "post_message", "other_pairing", "outside", False),
    (ORG_HD, "post_message", "pairing", "inside", True),
    (ORG_HD, "post_message", "other_pairing", "outside", False),
    (VIEWER, "post_message", "pairing", "any", False),
    (COORD, "post_message", "pairing", "any", False),
    # exports, tokens, audit
    # The whole database (every pairing's messages): administrators only (issue 9, hole 4).
    *[(r, "export_data", "", "any", r == ADMIN) for r in ALL],
    *[(r, "export_personal_data", "", "any", r == ADMIN) for r in ALL],
    *[(r, "manage_tokens", "", "any", r != NOBODY) for r in ALL],
    *[(r, "view_audit", "", "any", r == ADMIN) for r in ALL],
]


def _ids(row):
    role, action, target, scope, allowed = row
    return f"{role}-{action}-{target or 'site'}-{scope}-{'yes' if allowed else 'no'}"


def _target(world, name):
    obj = getattr(world, name) if name else None
    return obj


@pytest.mark.parametrize("row", ROWS, ids=[_ids(r) for r in ROWS])
def test_permission_matrix_rule(world, row):
    role, action, target, _scope, allowed = row
    perm = ACTIONS[action][0]
    user = fresh(world.users[role])
    assert user.has_perm(perm, _target(world, target)) == allowed


API_ROWS = [r for r in ROWS if ACTIONS[r[1]][2] is not None]


@pytest.mark.parametrize("row", API_ROWS, ids=[_ids(r) for r in API_ROWS])
def test_permission_matrix_api(world, row):
    role, action, target, _scope, allowed = row
    request = ACTIONS[action][2]
    obj = _target(world, target)
    url = request["url"](world, obj)
    client = Client(HTTP_AUTHORIZATION=f"Bearer {world.tokens[role]}")
    if request["method"] == "get":
        response = client.get(url)
    else:
        body = {"version": obj.version, **request["body"](obj)}
        response = getattr(client, request["method"])(
            url, data=json.dumps(body), content_type="application/json"
        )
    assert response.status_code == (200 if allowed else 403), response.content
    assert response["Content-Type"].startswith("application/json")


@pytest.mark.parametrize(
    "row",
    [r for r in ROWS if r[1] == "view_personal_data"],
    ids=[_ids(r) for r in ROWS if r[1] == "view_personal_data"],
)
def test_permission_matrix_api_personal_fields(world, row):
    role, _action, target, _scope, allowed = row
    person = _target(world, target)
    client = Client(HTTP_AUTHORIZATION=f"Bearer {world.tokens[role]}")
    response = client.get(f"/api/v1/people/{person.pk}")
    if role == NOBODY:
        assert response.status_code == 403
        return
    data = response.json()
    assert data["personal_data_visible"] == allowed
    assert (data["phone"] == person.phone) == allowed
    assert (data["permit_number"] == person.permit_number) == allowed
    if not allowed:
        assert data["phone"] is None
        assert data["permit_number"] is None


PAGE_ROWS = [r for r in ROWS if ACTIONS[r[1]][3] is not None]


@pytest.mark.parametrize("row", PAGE_ROWS, ids=[_ids(r) for r in PAGE_ROWS])
def test_permission_matrix_page(world, row):
    role, action, target, _scope, allowed = row
    obj = _target(world, target)
    client = Client()
    client.force_login(world.users[role])
    response = client.get(ACTIONS[action][3](world, obj))
    assert response.status_code == (200 if allowed else 403)
