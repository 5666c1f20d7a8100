"""Page ↔ API parity: every write the API offers, run through the page that offers the same
write (when there is one) and through the API, with the same actors — an organiser inside
the record's scope (海淀), an organiser outside it (延庆) and a viewer — gives the same
outcome: allowed, the record changed in both; refused, nothing changed in both.

The list of the API's writes is read from its OpenAPI schema (every POST, PUT, PATCH and
DELETE operation) and must equal the operations covered below, so a new write without a
parity case fails ``test_every_api_write_has_a_parity_case``.

Each write runs in a savepoint that is rolled back afterwards, so the page and the API
start from the same records. The world is tests/factories.py's roles world, extended with an
exchange hosted in 海淀 only (``hd``) and its group, member, activities, forum and a
commitment and an appointment of the 海淀 pairing.
"""

from __future__ import annotations

import datetime as dt
import importlib
import json
import pkgutil
import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.test import Client
from django.urls import reverse

import civicbridge.api.v1  # noqa: F401 (mounts the routers)
from civicbridge.accounts.services import soft_delete
from civicbridge.api.core import api
from civicbridge.directory import services as directory
from civicbridge.directory.models import Organisation, PersonAlias
from civicbridge.exchanges import services as exchanges
from civicbridge.exchanges.models import (
    Activity,
    ActivityKind,
    Composition,
    Exchange,
    ExchangeOrganisation,
    ExchangePlace,
    Gift,
    Group,
    Member,
    Photo,
    Statement,
)
from civicbridge.forums import services as forums
from civicbridge.forums.models import AgendaItem, Forum, Outcome, Speaker, Topic, TopicMention
from civicbridge.pairings import services as pairings
from civicbridge.pairings.models import (
    Agreement,
    Alliance,
    Appointment,
    Commitment,
    Pairing,
    PairingBatch,
)
from civicbridge.programmes import services as programmes
from civicbridge.programmes.models import ExchangeLink, Programme, ProgrammeFigure
from civicbridge.reports.models import Source
from tests.api import parity_cases
from tests.conftest import replayed
from tests.factories import at_day as at
from tests.factories import build_roles_world, pdf, png

pytestmark = [pytest.mark.django_db, pytest.mark.urls("tests.accounts.urls")]

INSIDE, OUTSIDE, VIEWER = "organiser_haidian", "organiser_yanqing", "viewer"
FACTS_DOCUMENT = {
    "format": "civicbridge-report-facts",
    "version": 1,
    "published": "2016-05-01",
    "facts": [
        {"type": "date", "start": "2016-04-22", "end": "2016-04-22"},
        {"type": "host", "place": "海淀区"},
        {"type": "visit", "venue": "石油大院社区"},
    ],
}
ACTORS = (INSIDE, OUTSIDE, VIEWER)
# Further cases, one module per app (tests/api/parity_cases/).
CASE_MODULES = [
    importlib.import_module(f"tests.api.parity_cases.{m.name}")
    for m in pkgutil.iter_modules(parity_cases.__path__)
]
WRITE_METHODS = {"post", "put", "patch", "delete"}
# Operations that POST to read (a report's text is too long for a query string): they write
# nothing, and tests/api/test_reading_api.py checks their answers and refusals.
READS_BY_POST = {("POST", "/reports/read")}


def only(*allowed: str) -> dict[str, bool]:
    return {actor: actor in allowed for actor in ACTORS}


@dataclass
class Scenario:
    operation: tuple[str, str]  # (METHOD, OpenAPI path)
    label: str
    expected: dict[str, bool]
    api: Callable[[Any], tuple[str, str, dict | None]]  # world → (method, url, body)
    probe: Callable[[Any], Any]  # world → a value that changes when the write happens
    page: Callable[[Any], tuple[str, dict]] | None = None  # world → (url, POST data)
    no_page: str = ""  # why no page offers this write
    setup: Callable[[Any], None] | None = None  # run inside the savepoint, before the write
    extra: dict = field(default_factory=dict)

    @property
    def id(self) -> str:
        return f"{self.operation[0]} {self.operation[1]} [{self.label}]"


# --- the world ------------------------------------------------------------------------


def _extend(world):
    hd = exchanges.create_exchange(
        title="海淀区接待",
        start_date=dt.date(2016, 4, 22),
        end_date=dt.date(2016, 4, 23),
        visiting_organisation=world.association,
        visiting_place=world.taipei,
        host_place=world.haidian,
    )
    world.hd = hd
    world.hd_group = exchanges.create_group(exchange=hd, name="海淀组", host_place=world.haidian)
    world.hd_person = directory.create_person(name="张团员")
    world.hd_member = exchanges.add_member(exchange=hd, person=world.hd_person)
    world.hd_activity = exchanges.create_activity(
        exchange=hd,
        kind=ActivityKind.MEETING,
        title="海淀座谈",
        starts_at=at(22, 9),
        ends_at=at(22, 10),
        place=world.community,
    )
    world.hd_forum_activity = exchanges.create_activity(
        exchange=hd,
        kind=ActivityKind.FORUM,
        title="京台社区大讲堂",
        starts_at=at(22, 14),
        ends_at=at(22, 16),
        place=world.community,
    )
    world.hd_forum = forums.create_forum(activity=world.hd_forum_activity, theme="走进海淀")
    world.hd_lecture = exchanges.create_activity(
        exchange=hd,
        kind=ActivityKind.FORUM,
        title="社区讲堂",
        starts_at=at(23, 9),
        ends_at=at(23, 11),
        place=world.community,
    )
    world.commitment = pairings.create_commitment(
        title="互访", pairing=world.pairing, owner_organisation=world.association
    )
    world.appointment = pairings.appoint(
        person=world.person,
        community=world.community,
        appointed_on=dt.date(2016, 4, 22),
        person_place=world.li,
    )
    world.resident = directory.create_person(name="赵居民", home_place=world.community)
    for module in CASE_MODULES:
        if hasattr(module, "extend"):
            module.extend(world)
    return world


@pytest.fixture
def world(request, db):
    """The extended world, built once per session and replayed (tests/conftest.py)."""
    return replayed(request, "write parity world", lambda: _extend(build_roles_world()))


def _fresh(obj):
    return type(obj)._base_manager.get(pk=obj.pk)


def _version(obj) -> int:
    return _fresh(obj).version


# --- page form data --------------------------------------------------------------------


def _exchange_form(w, exchange=None, **changes):
    e = exchange
    data = {
        "title": e.title if e else "新参访",
        "start_date": str(e.start_date if e else dt.date(2017, 5, 1)),
        "end_date": str(e.end_date if e else dt.date(2017, 5, 2)),
        "visiting_organisation": str(w.association.pk),
        "visiting_place": str(w.taipei.pk),
        "host_place": str(e.host_place_id if e else w.haidian.pk),
        "status": e.status if e else "planned",
        "declared_headcount": "",
        "timezone": "Asia/Shanghai",
        "summary": "",
    }
    if e is not None:
        data["version"] = str(_version(e))
    data.update(changes)
    return data


def _group_form(w, group=None, **changes):
    data = {
        "name": group.name if group else "新组",
        "host_place": str(group.host_place_id if group else w.haidian.pk),
        "host_organisation": "",
        "leader": "",
        "declared_headcount": "",
        "headline": group.headline if group else "",
    }
    if group is not None:
        data["version"] = str(_version(group))
    data.update(changes)
    return data


def _activity_form(w, activity=None, **changes):
    a = activity
    groups = [str(g.pk) for g in a.groups.all()] if a else []
    data = {
        "kind": a.kind if a else ActivityKind.MEETING,
        "title": a.title if a else "新活动",
        "day": "2016-04-22",
        "time_precision": "exact",
        "part_of_day": "",
        "start_time": "11:00"
        if a is None
        else a.starts_at.astimezone(at(22, 0).tzinfo).strftime("%H:%M"),
        "end_time": "12:00"
        if a is None
        else a.ends_at.astimezone(at(22, 0).tzinfo).strftime("%H:%M"),
        "place": str(a.place_id) if a and a.place_id else "",
        "venue": "",
        "groups": groups,
        "description": "",
    }
    if a is not None:
        data["version"] = str(_version(a))
    data.update(changes)
    return data


def _member_edit_form(member, **changes):
    m = _fresh(member)
    data = {
        "version": str(m.version),
        "role": m.role,
        "side": m.side,
        "title": m.title,
        "organisation": "",
        "home_place": str(m.home_place_id or ""),
        "group": str(m.group_id or ""),
    }
    data.update(changes)
    return data


def _statement_edit_form(statement, **changes):
    st = _fresh(statement)
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


def _composition_edit_form(row, **changes):
    r = _fresh(row)
    data = {
        "version": str(r.version),
        "label": r.label,
        "count": "" if r.count is None else str(r.count),
        "group": str(r.group_id or ""),
    }
    data.update(changes)
    return data


def _url(name, *args):
    return reverse(name, args=args)


def _soft_delete(attr):
    def setup(w):
        obj = getattr(w, attr)
        soft_delete(_fresh(obj), by=None, expected_version=_version(obj))

    return setup


def _duplicate(w):
    """A community entered twice (below the 海淀 street)."""
    w.duplicate = directory.create_place(
        name="石油大院社区（重复）", kind="community", parent=w.street
    )


def _alias(w):
    w.alias = directory.add_place_alias(place=w.community, name="石油大院")


def _speaker(w):
    w.speaker = forums.add_speaker(forum=w.hd_forum, side="host", person=w.hd_person)


def _agenda_item(w):
    w.agenda_item = forums.add_agenda_item(forum=w.hd_forum, kind="speech", title="致辞")


def _image():
    return SimpleUploadedFile("合影.png", png(), content_type="image/png")


def _topics(w):
    return sorted(
        TopicMention.objects.filter(forum=w.hd_forum).values_list("topic__code", "wording")
    )


def _mentions(w):
    return sorted(TopicMention.objects.filter(exchange=w.hd).values_list("topic__code", "wording"))


def _unfiled_mention(w):
    w.mention = forums.mention_topic(exchange=w.hd, wording="老旧小区改造")


def _topic_to_merge(w):
    w.merged_topic = forums.create_topic(name_hans="老年服务", name_en="Old-age services")


def _organisations(name):
    return Organisation.objects.filter(name=name).count()


def _organisation_form(place, org=None, **changes):
    data = {
        "name": org.name if org else "新北市社區營造協會",
        "kind": org.kind if org else "association",
        "place": str(place.pk),
        "place_q": "",
        "short_name": org.short_name if org else "",
        "parent": "",
        "parent_q": "",
        "description": org.description if org else "",
        "note": org.note if org else "",
    }
    if org is not None:
        data["version"] = str(org.version)
    data.update(changes)
    return data


def _position_form(**changes):
    data = {
        "title": "",
        "organisation": "",
        "organisation_q": "",
        "place": "",
        "place_q": "",
        "start_date": "",
        "end_date": "",
        "source": "",
        "note": "",
    }
    data.update(changes)
    return data


def _haidian_org(w):
    w.hd_org = directory.create_organisation(
        name="石油大院社区服务站", kind="government_office", place=w.community
    )


def _haidian_position(w):
    w.hd_position = directory.create_position(
        person=w.resident, title="楼门长", place=w.community, start_date=dt.date(2016, 1, 1)
    )


def _programme(w):
    w.programme = programmes.create_programme(name="一日里长")


def _programme_with_hd(w):
    _programme(w)
    programmes.add_exchange_to_programme(programme=w.programme, exchange=w.hd)


def _in_programme(w):
    return Programme.exchanges.through.objects.filter(
        programme_id=w.programme.pk, exchange_id=w.hd.pk
    ).count()


def _figure(w):
    _programme(w)
    w.figure = programmes.record_programme_figure(programme=w.programme, figure=226, unit="里")


def _link(w):
    w.link = programmes.link_exchange(exchange=w.hd, kind="earlier", who="臺北市里長訪問團")


def _person_alias(w):
    w.person_alias = directory.add_person_alias(person=w.resident, name="赵居明")


def _exchange_place(w):
    w.xplace = exchanges.add_exchange_place(exchange=w.hd, role="visiting", wording="大安区")


def _composition_row(w):
    w.row = exchanges.add_composition_row(exchange=w.hd, label="里长", count=12)


def _statement(w):
    w.statement = exchanges.add_statement(
        exchange=w.hd, text="宾至如归", speaker_wording="台湾朋友"
    )


def _exchange_label(w):
    w.label = exchanges.label_exchange(exchange=w.hd, name="首个参访团")


def _place_label(w):
    w.label = exchanges.label_place(place=w.community, name="首个冬奥社区")


def _batch(w):
    w.batch = pairings.record_pairing_batch(
        description="两对",
        count=2,
        districts_a=[w.haidian],
        districts_b=[w.daan],
        started_on=dt.date(2016, 4, 22),
    )


def _agreement(w):
    w.agreement = pairings.record_agreement(
        subject="合作协议", parties=[{"place": w.community}, {"place": w.li}]
    )


def _alliance(w):
    w.alliance = pairings.launch_alliance(name="京台社区联盟", members=[{"place": w.community}])


def _signed_text():
    return SimpleUploadedFile("协议.pdf", pdf(), content_type="application/pdf")


def _facts_added_form(w):
    """The import page's review of FACTS_DOCUMENT, every fact kept, added to ``w.hd``."""
    return {
        "step": "record",
        "text": "4月22日，参访团来到海淀区石油大院社区。",
        "document": json.dumps(FACTS_DOCUMENT),
        "keep_0": "on",
        "fact_0_start": "2016-04-22",
        "fact_0_end": "2016-04-22",
        "keep_1": "on",
        "fact_1_place": "海淀区",
        "place_1": "",
        "keep_2": "on",
        "fact_2_venue": "石油大院社区",
        "fact_2_group": "",
        "place_2": "",
        "action": "add",
        "into": str(w.hd.pk),
    }


# --- the scenarios ---------------------------------------------------------------------

S = Scenario
SCENARIOS = [
    # exchanges ----------------------------------------------------------------------------
    S(
        ("POST", "/exchanges"),
        "hosted in 海淀",
        only(INSIDE),
        api=lambda w: (
            "post",
            "/api/v1/exchanges",
            {
                "title": "新参访",
                "start_date": "2017-05-01",
                "end_date": "2017-05-02",
                "visiting_organisation_id": w.association.pk,
                "visiting_place_id": w.taipei.pk,
                "host_place_id": w.haidian.pk,
            },
        ),
        page=lambda w: (_url("exchanges:create"), _exchange_form(w)),
        probe=lambda w: Exchange.objects.filter(title="新参访").count(),
    ),
    S(
        ("POST", "/exchanges"),
        "hosted in 延庆",
        only(OUTSIDE),
        api=lambda w: (
            "post",
            "/api/v1/exchanges",
            {
                "title": "新参访",
                "start_date": "2017-05-01",
                "end_date": "2017-05-02",
                "visiting_organisation_id": w.association.pk,
                "visiting_place_id": w.taipei.pk,
                "host_place_id": w.yanqing.pk,
            },
        ),
        page=lambda w: (_url("exchanges:create"), _exchange_form(w, host_place=str(w.yanqing.pk))),
        probe=lambda w: Exchange.objects.filter(title="新参访").count(),
    ),
    S(
        ("PATCH", "/exchanges/{exchange_id}"),
        "title",
        only(INSIDE),
        api=lambda w: (
            "patch",
            f"/api/v1/exchanges/{w.hd.pk}",
            {"version": _version(w.hd), "title": "改名"},
        ),
        page=lambda w: (_url("exchanges:edit", w.hd.pk), _exchange_form(w, w.hd, title="改名")),
        probe=lambda w: _fresh(w.hd).title,
    ),
    S(
        ("PATCH", "/exchanges/{exchange_id}"),
        "host place moved to 延庆",
        only(OUTSIDE),
        api=lambda w: (
            "patch",
            f"/api/v1/exchanges/{w.exchange.pk}",
            {"version": _version(w.exchange), "host_place_id": w.yanqing.pk},
        ),
        page=lambda w: (
            _url("exchanges:edit", w.exchange.pk),
            _exchange_form(w, w.exchange, host_place=str(w.yanqing.pk)),
        ),
        probe=lambda w: _fresh(w.exchange).host_place_id,
    ),
    S(
        ("DELETE", "/exchanges/{exchange_id}"),
        "soft delete",
        only(INSIDE),
        api=lambda w: ("delete", f"/api/v1/exchanges/{w.hd.pk}?version={_version(w.hd)}", None),
        no_page="no page deletes an exchange (the Django admin, administrators only)",
        probe=lambda w: _fresh(w.hd).deleted_at is None,
    ),
    S(
        ("POST", "/exchanges/{exchange_id}/restore"),
        "restore",
        only(),
        setup=_soft_delete("hd"),
        api=lambda w: (
            "post",
            f"/api/v1/exchanges/{w.hd.pk}/restore?version={_version(w.hd)}",
            None,
        ),
        no_page="restoring is done in the Django admin (administrators only)",
        probe=lambda w: _fresh(w.hd).deleted_at is None,
    ),
    # groups -------------------------------------------------------------------------------
    S(
        ("POST", "/groups"),
        "hosted in 海淀",
        only(INSIDE),
        api=lambda w: (
            "post",
            "/api/v1/groups",
            {"exchange_id": w.hd.pk, "name": "新组", "host_place_id": w.haidian.pk},
        ),
        page=lambda w: (_url("exchanges:group_add", w.hd.pk), _group_form(w)),
        probe=lambda w: Group.objects.filter(name="新组").count(),
    ),
    S(
        ("POST", "/groups"),
        "hosted in 延庆 (hands the exchange to 延庆)",
        only(OUTSIDE),
        api=lambda w: (
            "post",
            "/api/v1/groups",
            {"exchange_id": w.exchange.pk, "name": "新组", "host_place_id": w.yanqing.pk},
        ),
        page=lambda w: (
            _url("exchanges:group_add", w.exchange.pk),
            _group_form(w, host_place=str(w.yanqing.pk)),
        ),
        probe=lambda w: Group.objects.filter(name="新组").count(),
    ),
    S(
        ("PATCH", "/groups/{group_id}"),
        "headline",
        only(INSIDE),
        api=lambda w: (
            "patch",
            f"/api/v1/groups/{w.hd_group.pk}",
            {"version": _version(w.hd_group), "headline": "新标题"},
        ),
        page=lambda w: (
            _url("exchanges:group_edit", w.hd.pk, w.hd_group.pk),
            _group_form(w, _fresh(w.hd_group), headline="新标题"),
        ),
        probe=lambda w: _fresh(w.hd_group).headline,
    ),
    S(
        ("PATCH", "/groups/{group_id}"),
        "host place moved to 延庆",
        only(),
        api=lambda w: (
            "patch",
            f"/api/v1/groups/{w.group_haidian.pk}",
            {"version": _version(w.group_haidian), "host_place_id": w.yanqing.pk},
        ),
        page=lambda w: (
            _url("exchanges:group_edit", w.exchange.pk, w.group_haidian.pk),
            _group_form(w, _fresh(w.group_haidian), host_place=str(w.yanqing.pk)),
        ),
        probe=lambda w: _fresh(w.group_haidian).host_place_id,
    ),
    # members ------------------------------------------------------------------------------
    S(
        ("POST", "/members"),
        "add a person",
        only(INSIDE),
        api=lambda w: (
            "post",
            "/api/v1/members",
            {"exchange_id": w.hd.pk, "person_id": w.resident.pk},
        ),
        page=lambda w: (
            _url("exchanges:member_add", w.hd.pk),
            {
                "person": str(w.resident.pk),
                "new_person_name": "",
                "role": "member",
                "side": "visiting",
                "title": "",
                "organisation": "",
                "home_place": "",
                "group": "",
            },
        ),
        probe=lambda w: Member.objects.filter(exchange=w.hd, person=w.resident).count(),
    ),
    S(
        ("PATCH", "/members/{member_id}"),
        "title",
        only(INSIDE),
        api=lambda w: (
            "patch",
            f"/api/v1/members/{w.hd_member.pk}",
            {"version": _version(w.hd_member), "title": "顾问"},
        ),
        page=lambda w: (
            _url("exchanges:member_edit", w.hd.pk, w.hd_member.pk),
            _member_edit_form(w.hd_member, title="顾问"),
        ),
        probe=lambda w: _fresh(w.hd_member).title,
    ),
    S(
        ("DELETE", "/members/{member_id}"),
        "take off the roster",
        only(INSIDE),
        api=lambda w: (
            "delete",
            f"/api/v1/members/{w.hd_member.pk}?version={_version(w.hd_member)}",
            None,
        ),
        page=lambda w: (_url("exchanges:member_remove", w.hd.pk, w.hd_member.pk), {}),
        probe=lambda w: Member.objects.filter(pk=w.hd_member.pk).exists(),
    ),
    # activities ---------------------------------------------------------------------------
    S(
        ("POST", "/activities"),
        "for the whole delegation",
        only(INSIDE),
        api=lambda w: (
            "post",
            "/api/v1/activities",
            {
                "exchange_id": w.hd.pk,
                "kind": "meeting",
                "title": "新活动",
                "starts_at": "2016-04-22T11:00:00+08:00",
                "ends_at": "2016-04-22T12:00:00+08:00",
            },
        ),
        page=lambda w: (_url("exchanges:activity_add", w.hd.pk), _activity_form(w)),
        probe=lambda w: Activity.objects.filter(title="新活动").count(),
    ),
    S(
        ("POST", "/activities"),
        "for the 延庆 group",
        only(OUTSIDE),
        api=lambda w: (
            "post",
            "/api/v1/activities",
            {
                "exchange_id": w.exchange.pk,
                "kind": "meeting",
                "title": "新活动",
                "starts_at": "2016-04-22T11:00:00+08:00",
                "ends_at": "2016-04-22T12:00:00+08:00",
                "group_ids": [w.group_yanqing.pk],
            },
        ),
        page=lambda w: (
            _url("exchanges:activity_add", w.exchange.pk),
            _activity_form(w, groups=[str(w.group_yanqing.pk)]),
        ),
        probe=lambda w: Activity.objects.filter(title="新活动").count(),
    ),
    S(
        ("PATCH", "/activities/{activity_id}"),
        "title",
        only(INSIDE),
        api=lambda w: (
            "patch",
            f"/api/v1/activities/{w.hd_activity.pk}",
            {"version": _version(w.hd_activity), "title": "改名"},
        ),
        page=lambda w: (
            _url("exchanges:activity_edit", w.hd.pk, w.hd_activity.pk),
            _activity_form(w, _fresh(w.hd_activity), title="改名"),
        ),
        probe=lambda w: _fresh(w.hd_activity).title,
    ),
    S(
        ("PATCH", "/activities/{activity_id}"),
        "ticking the 延庆 group too",
        only(),
        api=lambda w: (
            "patch",
            f"/api/v1/activities/{w.activity_haidian.pk}",
            {
                "version": _version(w.activity_haidian),
                "group_ids": [w.group_haidian.pk, w.group_yanqing.pk],
            },
        ),
        page=lambda w: (
            _url("exchanges:activity_edit", w.exchange.pk, w.activity_haidian.pk),
            _activity_form(
                w,
                _fresh(w.activity_haidian),
                groups=[str(w.group_haidian.pk), str(w.group_yanqing.pk)],
            ),
        ),
        probe=lambda w: sorted(_fresh(w.activity_haidian).groups.values_list("pk", flat=True)),
    ),
    S(
        ("DELETE", "/activities/{activity_id}"),
        "remove",
        only(INSIDE),
        api=lambda w: (
            "delete",
            f"/api/v1/activities/{w.hd_activity.pk}?version={_version(w.hd_activity)}",
            None,
        ),
        page=lambda w: (_url("exchanges:activity_delete", w.hd.pk, w.hd_activity.pk), {}),
        probe=lambda w: Activity.objects.filter(pk=w.hd_activity.pk).exists(),
    ),
    # forums -------------------------------------------------------------------------------
    S(
        ("POST", "/forums"),
        "record a forum",
        only(INSIDE),
        api=lambda w: ("post", "/api/v1/forums", {"activity_id": w.hd_lecture.pk, "theme": "新"}),
        page=lambda w: (
            _url("exchanges:forums:create", w.hd.pk, w.hd_lecture.pk),
            {f"f{w.hd_lecture.pk}-theme": "新"},
        ),
        probe=lambda w: Forum.objects.filter(activity=w.hd_lecture).count(),
    ),
    S(
        ("PATCH", "/forums/{forum_id}"),
        "theme",
        only(INSIDE),
        api=lambda w: (
            "patch",
            f"/api/v1/forums/{w.hd_forum.pk}",
            {"version": _version(w.hd_forum), "theme": "新主题", "summary": ""},
        ),
        page=lambda w: (
            _url("exchanges:forums:edit", w.hd.pk, w.hd_forum.pk),
            {"version": str(_version(w.hd_forum)), "theme": "新主题", "summary": ""},
        ),
        probe=lambda w: _fresh(w.hd_forum).theme,
    ),
    # the exchange's organisations, gifts, photos -----------------------------------------
    S(
        ("POST", "/exchange-organisations"),
        "an escorting organisation",
        only(INSIDE),
        api=lambda w: (
            "post",
            "/api/v1/exchange-organisations",
            {"exchange_id": w.hd.pk, "organisation_id": w.other_org.pk, "role": "escort"},
        ),
        page=lambda w: (
            _url("exchanges:organisation_add", w.hd.pk),
            {"organisation": str(w.other_org.pk), "role": "escort"},
        ),
        probe=lambda w: ExchangeOrganisation.objects.filter(exchange=w.hd).count(),
    ),
    S(
        ("POST", "/gifts"),
        "from the association to a member",
        only(INSIDE),
        api=lambda w: (
            "post",
            "/api/v1/gifts",
            {
                "exchange_id": w.hd.pk,
                "giver_organisation_id": w.association.pk,
                "recipient_person_id": w.hd_person.pk,
                "description": "锦旗",
            },
        ),
        page=lambda w: (
            _url("exchanges:gift_add", w.hd.pk),
            {
                "giver_person": "",
                "giver_organisation": str(w.association.pk),
                "recipient_person": str(w.hd_person.pk),
                "recipient_organisation": "",
                "description": "锦旗",
                "activity": "",
            },
        ),
        probe=lambda w: Gift.objects.filter(description="锦旗").count(),
    ),
    S(
        ("POST", "/photos"),
        "an uploaded image",
        only(INSIDE),
        api=lambda w: (
            "post",
            "/api/v1/photos",
            {"exchange_id": w.hd.pk, "caption": "合影", "image": _image()},
        ),
        page=lambda w: (
            _url("exchanges:photo_add", w.hd.pk),
            {"caption": "合影", "image": _image(), "activity": "", "taken_on": "", "credit": ""},
        ),
        probe=lambda w: Photo.objects.filter(caption="合影").exclude(image="").count(),
        extra={"multipart": True},
    ),
    S(
        ("POST", "/photos"),
        "a caption only",
        only(INSIDE),
        api=lambda w: ("post", "/api/v1/photos", {"exchange_id": w.hd.pk, "caption": "合影"}),
        page=lambda w: (
            _url("exchanges:photo_add", w.hd.pk),
            {"caption": "合影", "activity": "", "taken_on": "", "credit": ""},
        ),
        probe=lambda w: Photo.objects.filter(caption="合影").count(),
        extra={"multipart": True},
    ),
    # the general exchange: further places, composition, statements, labels --------------
    S(
        ("POST", "/exchange-places"),
        "a further visiting place",
        only(INSIDE),
        api=lambda w: (
            "post",
            "/api/v1/exchange-places",
            {"exchange_id": w.hd.pk, "role": "visiting", "place_id": w.daan.pk},
        ),
        page=lambda w: (
            _url("exchanges:place_add", w.hd.pk),
            {"role": "visiting", "place": str(w.daan.pk), "wording": ""},
        ),
        probe=lambda w: ExchangePlace.objects.filter(exchange=w.hd).count(),
    ),
    S(
        ("DELETE", "/exchange-places/{row_id}"),
        "a further visiting place",
        only(INSIDE),
        setup=_exchange_place,
        api=lambda w: (
            "delete",
            f"/api/v1/exchange-places/{w.xplace.pk}?version={_version(w.xplace)}",
            None,
        ),
        page=lambda w: (_url("exchanges:place_remove", w.hd.pk, w.xplace.pk), {}),
        probe=lambda w: ExchangePlace.objects.filter(exchange=w.hd).count(),
    ),
    S(
        ("POST", "/composition-rows"),
        "邻长 (some)",
        only(INSIDE),
        api=lambda w: (
            "post",
            "/api/v1/composition-rows",
            {"exchange_id": w.hd.pk, "label": "邻长"},
        ),
        page=lambda w: (
            _url("exchanges:composition_add", w.hd.pk),
            {"label": "邻长", "count": "", "group": ""},
        ),
        probe=lambda w: Composition.objects.filter(exchange=w.hd).count(),
    ),
    S(
        ("PATCH", "/composition-rows/{row_id}"),
        "the count of 里长",
        only(INSIDE),
        setup=_composition_row,
        api=lambda w: (
            "patch",
            f"/api/v1/composition-rows/{w.row.pk}",
            {"version": _version(w.row), "count": 13},
        ),
        page=lambda w: (
            _url("exchanges:composition_edit", w.hd.pk, w.row.pk),
            _composition_edit_form(w.row, count="13"),
        ),
        probe=lambda w: _fresh(w.row).count,
    ),
    S(
        ("DELETE", "/composition-rows/{row_id}"),
        "里长 12",
        only(INSIDE),
        setup=_composition_row,
        api=lambda w: (
            "delete",
            f"/api/v1/composition-rows/{w.row.pk}?version={_version(w.row)}",
            None,
        ),
        page=lambda w: (_url("exchanges:composition_remove", w.hd.pk, w.row.pk), {}),
        probe=lambda w: Composition.objects.filter(exchange=w.hd).count(),
    ),
    S(
        ("POST", "/statements"),
        "a quote of 台湾朋友",
        only(INSIDE),
        api=lambda w: (
            "post",
            "/api/v1/statements",
            {"exchange_id": w.hd.pk, "text": "宾至如归", "speaker_wording": "台湾朋友"},
        ),
        page=lambda w: (
            _url("exchanges:statement_add", w.hd.pk),
            {
                "text": "宾至如归",
                "kind": "quote",
                "person": "",
                "organisation": "",
                "speaker_wording": "台湾朋友",
                "side": "",
                "activity": "",
            },
        ),
        probe=lambda w: Statement.objects.filter(text="宾至如归").count(),
    ),
    S(
        ("PATCH", "/statements/{statement_id}"),
        "its kind",
        only(INSIDE),
        setup=_statement,
        api=lambda w: (
            "patch",
            f"/api/v1/statements/{w.statement.pk}",
            {"version": _version(w.statement), "kind": "impression"},
        ),
        page=lambda w: (
            _url("exchanges:statement_edit", w.hd.pk, w.statement.pk),
            _statement_edit_form(w.statement, kind="impression"),
        ),
        probe=lambda w: _fresh(w.statement).kind,
    ),
    S(
        ("DELETE", "/statements/{statement_id}"),
        "a quote",
        only(INSIDE),
        setup=_statement,
        api=lambda w: (
            "delete",
            f"/api/v1/statements/{w.statement.pk}?version={_version(w.statement)}",
            None,
        ),
        page=lambda w: (_url("exchanges:statement_remove", w.hd.pk, w.statement.pk), {}),
        probe=lambda w: Statement.objects.filter(exchange=w.hd).count(),
    ),
    S(
        ("POST", "/exchanges/{exchange_id}/labels"),
        "a new label",
        only(INSIDE),
        api=lambda w: ("post", f"/api/v1/exchanges/{w.hd.pk}/labels", {"name": "首个参访团"}),
        page=lambda w: (_url("exchanges:label_add", w.hd.pk), {"name": "首个参访团"}),
        probe=lambda w: list(_fresh(w.hd).labels.values_list("name", flat=True)),
    ),
    S(
        ("DELETE", "/exchanges/{exchange_id}/labels/{label_id}"),
        "a label",
        only(INSIDE),
        setup=_exchange_label,
        api=lambda w: ("delete", f"/api/v1/exchanges/{w.hd.pk}/labels/{w.label.pk}", None),
        page=lambda w: (_url("exchanges:label_remove", w.hd.pk, w.label.pk), {}),
        probe=lambda w: list(_fresh(w.hd).labels.values_list("name", flat=True)),
    ),
    S(
        ("POST", "/places/{place_id}/labels"),
        "a 海淀 community",
        only(INSIDE),
        api=lambda w: (
            "post",
            f"/api/v1/places/{w.community.pk}/labels",
            {"name": "首个冬奥社区"},
        ),
        page=lambda w: (
            _url("exchanges:place_label_add", w.community.pk),
            {"name": "首个冬奥社区"},
        ),
        probe=lambda w: list(w.community.labels.values_list("name", flat=True)),
    ),
    S(
        ("DELETE", "/places/{place_id}/labels/{label_id}"),
        "a 海淀 community's label",
        only(INSIDE),
        setup=_place_label,
        api=lambda w: (
            "delete",
            f"/api/v1/places/{w.community.pk}/labels/{w.label.pk}",
            None,
        ),
        page=lambda w: (_url("exchanges:place_label_remove", w.community.pk, w.label.pk), {}),
        probe=lambda w: list(w.community.labels.values_list("name", flat=True)),
    ),
    # a forum's speakers, agenda, topics, outcomes -----------------------------------------
    S(
        ("POST", "/speakers"),
        "a host-side speaker",
        only(INSIDE),
        api=lambda w: (
            "post",
            "/api/v1/speakers",
            {"forum_id": w.hd_forum.pk, "side": "host", "person_id": w.hd_person.pk},
        ),
        page=lambda w: (
            _url("exchanges:forums:speaker_add", w.hd.pk, w.hd_forum.pk),
            {
                f"s{w.hd_forum.pk}-side": "host",
                f"s{w.hd_forum.pk}-person": str(w.hd_person.pk),
                f"s{w.hd_forum.pk}-title": "",
                f"s{w.hd_forum.pk}-summary": "",
            },
        ),
        probe=lambda w: Speaker.objects.filter(activity=w.hd_forum_activity).count(),
    ),
    S(
        ("DELETE", "/speakers/{speaker_id}"),
        "remove",
        only(INSIDE),
        setup=_speaker,
        api=lambda w: (
            "delete",
            f"/api/v1/speakers/{w.speaker.pk}?version={_version(w.speaker)}",
            None,
        ),
        page=lambda w: (
            _url("exchanges:forums:speaker_remove", w.hd.pk, w.hd_forum.pk, w.speaker.pk),
            {},
        ),
        probe=lambda w: Speaker.objects.filter(activity=w.hd_forum_activity).count(),
    ),
    S(
        ("POST", "/agenda-items"),
        "a speech",
        only(INSIDE),
        api=lambda w: (
            "post",
            "/api/v1/agenda-items",
            {"forum_id": w.hd_forum.pk, "kind": "speech", "title": "致辞"},
        ),
        page=lambda w: (
            _url("exchanges:forums:agenda_add", w.hd.pk, w.hd_forum.pk),
            {
                f"a{w.hd_forum.pk}-kind": "speech",
                f"a{w.hd_forum.pk}-title": "致辞",
                f"a{w.hd_forum.pk}-description": "",
            },
        ),
        probe=lambda w: AgendaItem.objects.filter(forum=w.hd_forum).count(),
    ),
    S(
        ("DELETE", "/agenda-items/{item_id}"),
        "remove",
        only(INSIDE),
        setup=_agenda_item,
        api=lambda w: (
            "delete",
            f"/api/v1/agenda-items/{w.agenda_item.pk}?version={_version(w.agenda_item)}",
            None,
        ),
        page=lambda w: (
            _url("exchanges:forums:agenda_remove", w.hd.pk, w.hd_forum.pk, w.agenda_item.pk),
            {},
        ),
        probe=lambda w: AgendaItem.objects.filter(forum=w.hd_forum).count(),
    ),
    S(
        ("PUT", "/forums/{forum_id}/topics"),
        "elderly care, in the source's words",
        only(INSIDE),
        api=lambda w: (
            "put",
            f"/api/v1/forums/{w.hd_forum.pk}/topics",
            {"topics": [{"code": "elderly-care", "wording": "为老服务"}]},
        ),
        page=lambda w: (
            _url("exchanges:forums:topics", w.hd.pk, w.hd_forum.pk),
            {
                f"t{w.hd_forum.pk}-topic_elderly-care": "on",
                f"t{w.hd_forum.pk}-wording_elderly-care": "为老服务",
            },
        ),
        probe=_topics,
    ),
    S(
        ("POST", "/outcomes"),
        "an outcome",
        only(INSIDE),
        api=lambda w: (
            "post",
            "/api/v1/outcomes",
            {"forum_id": w.hd_forum.pk, "text": "建立常态化的互访机制"},
        ),
        page=lambda w: (
            _url("exchanges:forums:outcome_add", w.hd.pk, w.hd_forum.pk),
            {f"o{w.hd_forum.pk}-text": "建立常态化的互访机制"},
        ),
        probe=lambda w: Outcome.objects.filter(forum=w.hd_forum).count(),
    ),
    # topics discussed anywhere, speakers at any activity, the taxonomy ------------------
    S(
        ("POST", "/speakers"),
        "a speaker at a meeting (not a forum)",
        only(INSIDE),
        api=lambda w: (
            "post",
            "/api/v1/speakers",
            {"activity_id": w.hd_activity.pk, "side": "host", "person_id": w.resident.pk},
        ),
        page=lambda w: (
            _url("exchanges:forums:activity_speaker_add", w.hd.pk),
            {
                "as-activity": str(w.hd_activity.pk),
                "as-side": "host",
                "as-person": str(w.resident.pk),
                "as-title": "",
                "as-summary": "",
            },
        ),
        probe=lambda w: Speaker.objects.filter(activity=w.hd_activity).count(),
    ),
    S(
        ("POST", "/exchanges/{exchange_id}/topic-mentions"),
        "on the exchange, in Traditional (長照)",
        only(INSIDE),
        api=lambda w: (
            "post",
            f"/api/v1/exchanges/{w.hd.pk}/topic-mentions",
            {"wording": "長照"},
        ),
        page=lambda w: (
            _url("exchanges:forums:mention_add", w.hd.pk),
            {"tm-where": "x", "tm-wording": "長照", "tm-topic": ""},
        ),
        probe=_mentions,
    ),
    S(
        ("POST", "/exchanges/{exchange_id}/topic-mentions"),
        "at a meeting, filed at once",
        only(INSIDE),
        api=lambda w: (
            "post",
            f"/api/v1/exchanges/{w.hd.pk}/topic-mentions",
            {"topic_code": "waste-sorting", "activity_id": w.hd_activity.pk},
        ),
        page=lambda w: (
            _url("exchanges:forums:mention_add", w.hd.pk),
            {"tm-where": f"a{w.hd_activity.pk}", "tm-wording": "", "tm-topic": "waste-sorting"},
        ),
        probe=_mentions,
    ),
    S(
        ("POST", "/topic-mentions/{mention_id}/file"),
        "file an unfiled wording",
        only(INSIDE),
        setup=_unfiled_mention,
        api=lambda w: (
            "post",
            f"/api/v1/topic-mentions/{w.mention.pk}/file",
            {"version": _version(w.mention), "topic_code": "community-governance"},
        ),
        page=lambda w: (
            _url("exchanges:forums:mention_file", w.hd.pk, w.mention.pk),
            {"topic": "community-governance"},
        ),
        probe=_mentions,
    ),
    S(
        ("DELETE", "/topic-mentions/{mention_id}"),
        "remove",
        only(INSIDE),
        setup=_unfiled_mention,
        api=lambda w: (
            "delete",
            f"/api/v1/topic-mentions/{w.mention.pk}?version={_version(w.mention)}",
            None,
        ),
        page=lambda w: (_url("exchanges:forums:mention_remove", w.hd.pk, w.mention.pk), {}),
        probe=_mentions,
    ),
    S(
        ("POST", "/topics"),
        "a new topic (any organiser)",
        only(INSIDE, OUTSIDE),
        api=lambda w: ("post", "/api/v1/topics", {"name_hans": "社区花园"}),
        page=lambda w: (
            _url("topics:list"),
            {"name_hans": "社区花园", "name_hant": "", "name_en": "", "parent": ""},
        ),
        probe=lambda w: Topic.objects.filter(name_hans="社区花园").count(),
    ),
    S(
        ("PATCH", "/topics/{topic_id}"),
        "rename (administrators only)",
        only(),
        api=lambda w: (
            "patch",
            f"/api/v1/topics/{Topic.objects.get(code='sports').pk}",
            {"version": 1, "name_hans": "全民健身"},
        ),
        page=lambda w: (
            reverse("topics:rename", args=["sports"]),
            {"version": "1", "name_hans": "全民健身", "name_hant": "", "name_en": ""},
        ),
        probe=lambda w: Topic.objects.get(code="sports").name_hans,
    ),
    S(
        ("POST", "/topics/{topic_id}/merge"),
        "merge (administrators only)",
        only(),
        setup=_topic_to_merge,
        api=lambda w: (
            "post",
            f"/api/v1/topics/{Topic.objects.get(code='elderly-services').pk}/merge",
            {"merge_id": w.merged_topic.pk},
        ),
        page=lambda w: (
            reverse("topics:merge", args=["elderly-services"]),
            {"merge": w.merged_topic.code},
        ),
        probe=lambda w: Topic.objects.filter(pk=w.merged_topic.pk).count(),
    ),
    # pairings -----------------------------------------------------------------------------
    S(
        ("POST", "/pairings"),
        "a 海淀 community with a li",
        only(INSIDE),
        api=lambda w: (
            "post",
            "/api/v1/pairings",
            {"place_a_id": w.community.pk, "place_b_id": w.daan.pk, "started_on": "2017-01-01"},
        ),
        page=lambda w: (
            _url("pairings:pairing_new"),
            {
                "kind": "friendly",
                "status": "held",
                "place_a": str(w.community.pk),
                "place_b": str(w.daan.pk),
                "started_on": "2017-01-01",
                "note": "",
            },
        ),
        probe=lambda w: Pairing.objects.filter(place_a=w.community, place_b=w.daan).count(),
    ),
    S(
        ("PATCH", "/pairings/{pairing_id}"),
        "end",
        only(INSIDE),
        api=lambda w: (
            "patch",
            f"/api/v1/pairings/{w.pairing.pk}",
            {"version": _version(w.pairing), "ended_on": "2020-01-01"},
        ),
        page=lambda w: (
            _url("pairings:pairing_edit", w.pairing.pk),
            {
                "kind": "friendly",
                "status": "held",
                "started_on": "2016-04-22",
                "ended_on": "2020-01-01",
                "note": "",
                "version": str(_version(w.pairing)),
            },
        ),
        probe=lambda w: _fresh(w.pairing).ended_on,
    ),
    # batches, agreements, alliances ---------------------------------------------------------
    S(
        ("POST", "/pairing-batches"),
        "海淀 ↔ 大安",
        only(INSIDE),
        api=lambda w: (
            "post",
            "/api/v1/pairing-batches",
            {
                "description": "两个社区与两个里结对",
                "count": 2,
                "district_a_ids": [w.haidian.pk],
                "district_b_ids": [w.daan.pk],
            },
        ),
        page=lambda w: (
            _url("pairings:batch_new"),
            {
                "description": "两个社区与两个里结对",
                "count": "2",
                "kind": "friendly",
                "status": "held",
                "districts_a": [str(w.haidian.pk)],
                "districts_b": [str(w.daan.pk)],
                "started_on": "",
                "note": "",
            },
        ),
        probe=lambda w: PairingBatch.objects.filter(description="两个社区与两个里结对").count(),
    ),
    S(
        ("PATCH", "/pairing-batches/{batch_id}"),
        "count",
        only(INSIDE),
        setup=_batch,
        api=lambda w: (
            "patch",
            f"/api/v1/pairing-batches/{w.batch.pk}",
            {"version": _version(w.batch), "count": 3},
        ),
        page=lambda w: (
            _url("pairings:batch_edit", w.batch.pk),
            {
                "description": "两对",
                "count": "3",
                "kind": "friendly",
                "status": "held",
                "started_on": "2016-04-22",
                "note": "",
                "version": str(_version(w.batch)),
            },
        ),
        probe=lambda w: _fresh(w.batch).count,
    ),
    S(
        ("POST", "/pairing-batches/{batch_id}/pairings"),
        "a 海淀 community with a 大安 li",
        only(INSIDE),
        setup=_batch,
        api=lambda w: (
            "post",
            f"/api/v1/pairing-batches/{w.batch.pk}/pairings",
            {"place_a_id": w.community.pk, "place_b_id": w.other_pairing.place_b_id},
        ),
        page=lambda w: (
            _url("pairings:batch_complete", w.batch.pk),
            {"place_a": str(w.community.pk), "place_b": str(w.other_pairing.place_b_id)},
        ),
        probe=lambda w: w.batch.pairings.count(),
    ),
    S(
        ("POST", "/agreements"),
        "a 海淀 community and a li",
        only(INSIDE),
        api=lambda w: (
            "post",
            "/api/v1/agreements",
            {
                "subject": "交流合作协议",
                "parties": [{"place_id": w.community.pk}, {"place_id": w.li.pk}],
                "signatories": [{"wording": "李里长", "title": "里长", "party_index": 1}],
            },
        ),
        page=lambda w: (
            _url("pairings:agreement_new"),
            {
                "subject": "交流合作协议",
                "kind": "cooperation",
                "status": "held",
                "party1_place": str(w.community.pk),
                "party2_place": str(w.li.pk),
                "signatory1_wording": "李里长",
                "signatory1_title": "里长",
                "signatory1_party": "2",
            },
        ),
        probe=lambda w: Agreement.objects.filter(subject="交流合作协议").count(),
    ),
    S(
        ("PATCH", "/agreements/{agreement_id}"),
        "status",
        only(INSIDE),
        setup=_agreement,
        api=lambda w: (
            "patch",
            f"/api/v1/agreements/{w.agreement.pk}",
            {"version": _version(w.agreement), "status": "cancelled"},
        ),
        page=lambda w: (
            _url("pairings:agreement_edit", w.agreement.pk),
            {
                "subject": "合作协议",
                "kind": "cooperation",
                "status": "cancelled",
                "signed_on": "",
                "note": "",
                "version": str(_version(w.agreement)),
            },
        ),
        probe=lambda w: _fresh(w.agreement).status,
    ),
    S(
        ("POST", "/agreements/{agreement_id}/document"),
        "the signed text",
        only(INSIDE),
        setup=_agreement,
        api=lambda w: (
            "post",
            f"/api/v1/agreements/{w.agreement.pk}/document",
            {"document": _signed_text()},
        ),
        page=lambda w: (
            _url("pairings:agreement_document_upload", w.agreement.pk),
            {"document": _signed_text()},
        ),
        probe=lambda w: _fresh(w.agreement).document_name,
        extra={"multipart": True},
    ),
    S(
        ("POST", "/alliances"),
        "of a 海淀 community",
        only(INSIDE),
        api=lambda w: (
            "post",
            "/api/v1/alliances",
            {"name": "京台社区联盟", "members": [{"place_id": w.community.pk, "founder": True}]},
        ),
        page=lambda w: (
            _url("pairings:alliance_new"),
            {
                "name": "京台社区联盟",
                "status": "held",
                "member1_place": str(w.community.pk),
                "member1_founder": "on",
            },
        ),
        probe=lambda w: Alliance.objects.filter(name="京台社区联盟").count(),
    ),
    S(
        ("PATCH", "/alliances/{alliance_id}"),
        "name",
        only(INSIDE),
        setup=_alliance,
        api=lambda w: (
            "patch",
            f"/api/v1/alliances/{w.alliance.pk}",
            {"version": _version(w.alliance), "name": "京台联盟"},
        ),
        page=lambda w: (
            _url("pairings:alliance_edit", w.alliance.pk),
            {
                "name": "京台联盟",
                "status": "held",
                "launched_on": "",
                "pledges": "",
                "note": "",
                "version": str(_version(w.alliance)),
            },
        ),
        probe=lambda w: _fresh(w.alliance).name,
    ),
    S(
        ("POST", "/alliances/{alliance_id}/members"),
        "a li joins",
        only(INSIDE),
        setup=_alliance,
        api=lambda w: (
            "post",
            f"/api/v1/alliances/{w.alliance.pk}/members",
            {"place_id": w.li.pk},
        ),
        page=lambda w: (
            _url("pairings:alliance_member_add", w.alliance.pk),
            {"place": str(w.li.pk)},
        ),
        probe=lambda w: w.alliance.members.count(),
    ),
    # appointments -------------------------------------------------------------------------
    S(
        ("POST", "/appointments"),
        "by a 海淀 community",
        only(INSIDE),
        api=lambda w: (
            "post",
            "/api/v1/appointments",
            {
                "person_id": w.outsider.pk,
                "community_id": w.community.pk,
                "appointed_on": "2016-04-22",
                "exchange_id": w.exchange.pk,
                "person_place_id": w.li.pk,
            },
        ),
        page=lambda w: (
            _url("pairings:exchange_appointment_new", w.exchange.pk),
            {
                "person": str(w.outsider.pk),
                "community": str(w.community.pk),
                "person_place": str(w.li.pk),
                "activity": "",
                "appointed_on": "2016-04-22",
                "title": "荣誉主任",
                "certificate_number": "",
            },
        ),
        probe=lambda w: Appointment.objects.filter(person=w.outsider).count(),
    ),
    S(
        ("DELETE", "/appointments/{appointment_id}"),
        "soft delete",
        only(INSIDE),
        api=lambda w: (
            "delete",
            f"/api/v1/appointments/{w.appointment.pk}?version={_version(w.appointment)}",
            None,
        ),
        no_page="appointments are deleted in the Django admin",
        probe=lambda w: _fresh(w.appointment).deleted_at is None,
    ),
    S(
        ("POST", "/appointments/{appointment_id}/restore"),
        "restore",
        only(),
        setup=_soft_delete("appointment"),
        api=lambda w: (
            "post",
            f"/api/v1/appointments/{w.appointment.pk}/restore?version={_version(w.appointment)}",
            None,
        ),
        no_page="restoring is done in the Django admin (administrators only)",
        probe=lambda w: _fresh(w.appointment).deleted_at is None,
    ),
    # commitments --------------------------------------------------------------------------
    S(
        ("POST", "/commitments"),
        "of the 海淀 pairing",
        only(INSIDE),
        api=lambda w: (
            "post",
            "/api/v1/commitments",
            {
                "title": "新事项",
                "pairing_id": w.pairing.pk,
                "owner_organisation_id": w.association.pk,
            },
        ),
        page=lambda w: (
            _url("pairings:pairing_commitment_new", w.pairing.pk),
            {"title": "新事项", "owner_organisation": str(w.association.pk), "owner_person": ""},
        ),
        probe=lambda w: Commitment.objects.filter(title="新事项").count(),
    ),
    S(
        ("POST", "/commitments"),
        "of the 海淀 exchange",
        only(INSIDE),
        api=lambda w: (
            "post",
            "/api/v1/commitments",
            {"title": "新事项", "exchange_id": w.hd.pk, "owner_organisation_id": w.association.pk},
        ),
        page=lambda w: (
            _url("pairings:exchange_commitment_new", w.hd.pk),
            {"title": "新事项", "owner_organisation": str(w.association.pk), "owner_person": ""},
        ),
        probe=lambda w: Commitment.objects.filter(title="新事项").count(),
    ),
    S(
        ("POST", "/commitments"),
        "without an owner",
        only(),
        api=lambda w: (
            "post",
            "/api/v1/commitments",
            {"title": "新事项", "pairing_id": w.pairing.pk},
        ),
        page=lambda w: (
            _url("pairings:pairing_commitment_new", w.pairing.pk),
            {"title": "新事项", "owner_organisation": "", "owner_person": ""},
        ),
        probe=lambda w: Commitment.objects.filter(title="新事项").count(),
    ),
    S(
        ("PATCH", "/commitments/{commitment_id}"),
        "status",
        only(INSIDE),
        api=lambda w: (
            "patch",
            f"/api/v1/commitments/{w.commitment.pk}",
            {"version": _version(w.commitment), "status": "in_progress"},
        ),
        page=lambda w: (
            _url("pairings:commitment", w.commitment.pk),
            {"status": "in_progress", "note": "", "version": str(_version(w.commitment))},
        ),
        probe=lambda w: _fresh(w.commitment).status,
    ),
    # programmes, figures, links between exchanges, person aliases (tests/programmes) -------
    S(
        ("POST", "/programmes"),
        "a programme (any organiser)",
        only(INSIDE, OUTSIDE),
        api=lambda w: ("post", "/api/v1/programmes", {"name": "双城交流", "kind": "series"}),
        page=lambda w: (
            _url("programmes:create"),
            {"name": "双城交流", "kind": "series", "organiser": "", "organiser_q": ""},
        ),
        probe=lambda w: Programme.objects.filter(name="双城交流").count(),
    ),
    S(
        ("PATCH", "/programmes/{programme_id}"),
        "a programme's aim",
        only(INSIDE, OUTSIDE),
        setup=_programme,
        api=lambda w: (
            "patch",
            f"/api/v1/programmes/{w.programme.pk}",
            {"version": _version(w.programme), "aim": "互访"},
        ),
        page=lambda w: (
            _url("programmes:edit", w.programme.pk),
            {
                "version": str(_version(w.programme)),
                "name": "一日里长",
                "kind": "programme",
                "organiser": "",
                "organiser_q": "",
                "aim": "互访",
            },
        ),
        probe=lambda w: _fresh(w.programme).aim,
    ),
    S(
        ("PUT", "/programmes/{programme_id}/exchanges/{exchange_id}"),
        "put the 海淀 exchange in a programme",
        only(INSIDE),
        setup=_programme,
        api=lambda w: ("put", f"/api/v1/programmes/{w.programme.pk}/exchanges/{w.hd.pk}", None),
        page=lambda w: (_url("exchanges:programme_join", w.hd.pk), {"programme": w.programme.pk}),
        probe=lambda w: _in_programme(w),
    ),
    S(
        ("DELETE", "/programmes/{programme_id}/exchanges/{exchange_id}"),
        "take the 海淀 exchange out of a programme",
        only(INSIDE),
        setup=_programme_with_hd,
        api=lambda w: (
            "delete",
            f"/api/v1/programmes/{w.programme.pk}/exchanges/{w.hd.pk}",
            None,
        ),
        page=lambda w: (_url("exchanges:programme_leave", w.hd.pk, w.programme.pk), {}),
        probe=lambda w: _in_programme(w),
    ),
    S(
        ("POST", "/programme-figures"),
        "a figure of a programme (any organiser)",
        only(INSIDE, OUTSIDE),
        setup=_programme,
        api=lambda w: (
            "post",
            "/api/v1/programme-figures",
            {"programme_id": w.programme.pk, "figure": 221, "unit": "居委会"},
        ),
        page=lambda w: (
            _url("programmes:figure_add", w.programme.pk),
            {"figure": "221", "unit": "居委会", "direction": "", "about": ""},
        ),
        probe=lambda w: ProgrammeFigure.objects.filter(programme=w.programme).count(),
    ),
    S(
        ("POST", "/programme-figures"),
        "a figure reported with the 海淀 exchange",
        only(INSIDE),
        setup=_programme,
        api=lambda w: (
            "post",
            "/api/v1/programme-figures",
            {"programme_name": "一日里長", "figure": 221, "unit": "居委会", "exchange_id": w.hd.pk},
        ),
        page=lambda w: (
            _url("exchanges:programme_figure_add", w.hd.pk),
            {"programme_name": "一日里長", "figure": "221", "unit": "居委会", "direction": ""},
        ),
        probe=lambda w: ProgrammeFigure.objects.filter(exchange=w.hd).count(),
    ),
    S(
        ("DELETE", "/programme-figures/{figure_id}"),
        "remove a figure (any organiser)",
        only(INSIDE, OUTSIDE),
        setup=_figure,
        api=lambda w: (
            "delete",
            f"/api/v1/programme-figures/{w.figure.pk}?version={_version(w.figure)}",
            None,
        ),
        page=lambda w: (_url("programmes:figure_remove", w.programme.pk, w.figure.pk), {}),
        probe=lambda w: ProgrammeFigure.objects.filter(pk=w.figure.pk).exists(),
    ),
    S(
        ("POST", "/exchanges/{exchange_id}/links"),
        "the 海淀 exchange is a return visit of another",
        only(INSIDE),
        api=lambda w: (
            "post",
            f"/api/v1/exchanges/{w.hd.pk}/links",
            {"kind": "return_visit", "other_id": w.exchange.pk},
        ),
        page=lambda w: (
            _url("exchanges:link_add", w.hd.pk),
            {
                "kind": "return_visit",
                "other": "",
                "other_number": str(w.exchange.pk),
                "where_place": "",
                "where_place_q": "",
            },
        ),
        probe=lambda w: ExchangeLink.objects.filter(exchange=w.hd).count(),
    ),
    S(
        ("DELETE", "/exchanges/{exchange_id}/links/{link_id}"),
        "remove a link of the 海淀 exchange",
        only(INSIDE),
        setup=_link,
        api=lambda w: (
            "delete",
            f"/api/v1/exchanges/{w.hd.pk}/links/{w.link.pk}?version={_version(w.link)}",
            None,
        ),
        page=lambda w: (_url("exchanges:link_remove", w.hd.pk, w.link.pk), {}),
        probe=lambda w: ExchangeLink.objects.filter(pk=w.link.pk).exists(),
    ),
    S(
        ("POST", "/people/{person_id}/aliases"),
        "another spelling of a 海淀 resident's name",
        only(INSIDE),
        api=lambda w: ("post", f"/api/v1/people/{w.resident.pk}/aliases", {"name": "赵居明"}),
        page=lambda w: (
            _url("directory:person_alias_add", w.resident.pk),
            {"name": "赵居明", "note": ""},
        ),
        probe=lambda w: PersonAlias.objects.filter(person=w.resident).count(),
    ),
    S(
        ("DELETE", "/people/{person_id}/aliases/{alias_id}"),
        "remove another spelling of a 海淀 resident's name",
        only(INSIDE),
        setup=_person_alias,
        api=lambda w: (
            "delete",
            f"/api/v1/people/{w.resident.pk}/aliases/{w.person_alias.pk}"
            f"?version={_version(w.person_alias)}",
            None,
        ),
        page=lambda w: (
            _url("directory:person_alias_remove", w.resident.pk, w.person_alias.pk),
            {},
        ),
        probe=lambda w: PersonAlias.objects.filter(pk=w.person_alias.pk).exists(),
    ),
    # the directory ------------------------------------------------------------------------
    S(
        ("POST", "/places"),
        "below a 海淀 street",
        only(INSIDE),
        api=lambda w: (
            "post",
            "/api/v1/places",
            {"name": "新建社区", "kind": "community", "parent_id": w.street.pk},
        ),
        no_page="places are added through the API and the directory import",
        probe=lambda w: w.street.children.filter(name="新建社区").count(),
    ),
    S(
        ("PATCH", "/places/{place_id}"),
        "note of a 海淀 community",
        only(INSIDE),
        api=lambda w: (
            "patch",
            f"/api/v1/places/{w.community.pk}",
            {"version": _version(w.community), "note": "改"},
        ),
        no_page="places are changed through the API and the directory import",
        probe=lambda w: _fresh(w.community).note,
    ),
    S(
        ("POST", "/places/{place_id}/merge"),
        "a 海淀 duplicate into its sibling",
        only(INSIDE),
        setup=_duplicate,
        api=lambda w: (
            "post",
            f"/api/v1/places/{w.duplicate.pk}/merge",
            {"version": _version(w.duplicate), "into_id": w.community.pk},
        ),
        page=lambda w: (
            _url("directory:place_merge", w.duplicate.pk),
            {"version": str(_version(w.duplicate)), "into": str(w.community.pk), "note": ""},
        ),
        probe=lambda w: _fresh(w.duplicate).status,
    ),
    S(
        ("POST", "/places/{place_id}/retire"),
        "a 海淀 place entered by mistake",
        only(INSIDE),
        setup=_duplicate,
        api=lambda w: (
            "post",
            f"/api/v1/places/{w.duplicate.pk}/retire",
            {"version": _version(w.duplicate)},
        ),
        page=lambda w: (
            _url("directory:place_retire", w.duplicate.pk),
            {"version": str(_version(w.duplicate)), "note": ""},
        ),
        probe=lambda w: _fresh(w.duplicate).status,
    ),
    S(
        ("POST", "/places/{place_id}/aliases"),
        "another spelling of a 海淀 community",
        only(INSIDE),
        api=lambda w: ("post", f"/api/v1/places/{w.community.pk}/aliases", {"name": "石油大院"}),
        page=lambda w: (
            _url("directory:place_alias_add", w.community.pk),
            {"name": "石油大院", "kind": "", "note": ""},
        ),
        probe=lambda w: w.community.aliases.filter(name="石油大院").count(),
    ),
    S(
        ("DELETE", "/places/{place_id}/aliases/{alias_id}"),
        "a spelling of a 海淀 community",
        only(INSIDE),
        setup=_alias,
        api=lambda w: ("delete", f"/api/v1/places/{w.community.pk}/aliases/{w.alias.pk}", None),
        page=lambda w: (_url("directory:place_alias_remove", w.community.pk, w.alias.pk), {}),
        probe=lambda w: w.community.aliases.filter(pk=w.alias.pk).count(),
    ),
    S(
        ("POST", "/people"),
        "a new person",
        only(INSIDE, OUTSIDE),
        api=lambda w: ("post", "/api/v1/people", {"name": "钱新人"}),
        no_page="people are added through the roster form (POST /members) and the API",
        probe=lambda w: type(w.person).objects.filter(name="钱新人").count(),
    ),
    S(
        ("PATCH", "/people/{person_id}"),
        "note of a 海淀 resident",
        only(INSIDE),
        api=lambda w: (
            "patch",
            f"/api/v1/people/{w.resident.pk}",
            {"version": _version(w.resident), "note": "改"},
        ),
        no_page="no page edits a directory entry",
        probe=lambda w: _fresh(w.resident).note,
    ),
    S(
        ("DELETE", "/people/{person_id}"),
        "a 海淀 resident",
        only(INSIDE),
        api=lambda w: (
            "delete",
            f"/api/v1/people/{w.resident.pk}?version={_version(w.resident)}",
            None,
        ),
        no_page="no page deletes a directory entry",
        probe=lambda w: _fresh(w.resident).deleted_at is None,
    ),
    S(
        ("POST", "/people/{person_id}/restore"),
        "restore",
        only(),
        setup=_soft_delete("resident"),
        api=lambda w: (
            "post",
            f"/api/v1/people/{w.resident.pk}/restore?version={_version(w.resident)}",
            None,
        ),
        no_page="restoring is done in the Django admin (administrators only)",
        probe=lambda w: _fresh(w.resident).deleted_at is None,
    ),
    # organisations and positions (tests/directory/test_organisations.py) -------------------
    S(
        ("POST", "/organisations"),
        "a visiting association seated in 臺北",
        only(INSIDE, OUTSIDE),
        api=lambda w: (
            "post",
            "/api/v1/organisations",
            {"name": "新北市社區營造協會", "kind": "association", "place_id": w.taipei.pk},
        ),
        page=lambda w: (_url("directory:organisation_add"), _organisation_form(w.taipei)),
        probe=lambda w: _organisations("新北市社區營造協會"),
    ),
    S(
        ("POST", "/organisations"),
        "a venue in a 海淀 community",
        only(INSIDE),
        api=lambda w: (
            "post",
            "/api/v1/organisations",
            {"name": "新北市社區營造協會", "kind": "venue", "place_id": w.community.pk},
        ),
        page=lambda w: (
            _url("directory:organisation_add"),
            _organisation_form(w.community, kind="venue"),
        ),
        probe=lambda w: _organisations("新北市社區營造協會"),
    ),
    S(
        ("PATCH", "/organisations/{organisation_id}"),
        "note of an organisation seated in 海淀",
        only(INSIDE),
        setup=_haidian_org,
        api=lambda w: (
            "patch",
            f"/api/v1/organisations/{w.hd_org.pk}",
            {"version": _version(w.hd_org), "note": "改"},
        ),
        page=lambda w: (
            _url("directory:organisation_edit", w.hd_org.pk),
            _organisation_form(w.community, _fresh(w.hd_org), note="改"),
        ),
        probe=lambda w: _fresh(w.hd_org).note,
    ),
    S(
        ("PATCH", "/organisations/{organisation_id}"),
        "note of the 臺北 association (seated elsewhere, made by nobody here)",
        only(),
        api=lambda w: (
            "patch",
            f"/api/v1/organisations/{w.association.pk}",
            {"version": _version(w.association), "note": "改"},
        ),
        page=lambda w: (
            _url("directory:organisation_edit", w.association.pk),
            _organisation_form(w.taipei, _fresh(w.association), note="改"),
        ),
        probe=lambda w: _fresh(w.association).note,
    ),
    S(
        ("POST", "/positions"),
        "a 海淀 resident's position at the community",
        only(INSIDE),
        api=lambda w: (
            "post",
            "/api/v1/positions",
            {"person_id": w.resident.pk, "title": "楼门长", "place_id": w.community.pk},
        ),
        page=lambda w: (
            _url("directory:position_add", w.resident.pk),
            _position_form(title="楼门长", place=str(w.community.pk)),
        ),
        probe=lambda w: w.resident.positions.filter(title="楼门长").count(),
    ),
    S(
        ("PATCH", "/positions/{position_id}"),
        "end a 海淀 resident's position",
        only(INSIDE),
        setup=_haidian_position,
        api=lambda w: (
            "patch",
            f"/api/v1/positions/{w.hd_position.pk}",
            {"version": _version(w.hd_position), "end_date": "2020-12-31"},
        ),
        page=lambda w: (
            _url("directory:position_end", w.hd_position.pk),
            {"version": str(_version(w.hd_position)), "end_date": "2020-12-31"},
        ),
        probe=lambda w: _fresh(w.hd_position).end_date,
    ),
    # a report's facts recorded as a draft exchange (tests/reports) -------------------------
    S(
        ("POST", "/facts"),
        "a facts document hosted in 海淀",
        only(INSIDE),
        api=lambda w: ("post", "/api/v1/facts", FACTS_DOCUMENT),
        page=lambda w: (_url("reports:record_facts"), {"document": json.dumps(FACTS_DOCUMENT)}),
        probe=lambda w: Source.objects.count(),
    ),
    S(
        ("POST", "/facts"),
        "a facts document added to the 海淀 exchange (the import page's addition)",
        only(INSIDE),
        api=lambda w: ("post", f"/api/v1/facts?exchange_id={w.hd.pk}", FACTS_DOCUMENT),
        page=lambda w: (_url("reports:import"), _facts_added_form(w)),
        probe=lambda w: (w.hd.sources.count(), w.hd.activities.count()),
    ),
]


def api_write_operations() -> set[tuple[str, str]]:
    schema = api.get_openapi_schema(path_prefix="")
    return {
        (method.upper(), path)
        for path, operations in schema["paths"].items()
        for method in operations
        if method in WRITE_METHODS
    } - READS_BY_POST


def test_every_api_write_has_a_parity_case():
    covered = {s.operation for s in SCENARIOS}
    assert api_write_operations() - covered == set()
    assert covered - api_write_operations() == set()
    for scenario in SCENARIOS:
        assert (scenario.page is None) == bool(scenario.no_page), scenario.id


# --- running one write -----------------------------------------------------------------


def _ran(world, scenario, run) -> tuple[bool, int, Any, Any]:
    """Run one write in a savepoint rolled back afterwards: (changed, status, before, after)."""
    with transaction.atomic():
        if scenario.setup is not None:
            scenario.setup(world)
        before = scenario.probe(world)
        status = run()
        after = scenario.probe(world)
        transaction.set_rollback(True)
    return before != after, status, before, after


def _through_api(world, scenario, actor) -> tuple[bool, int, Any, Any]:
    def run():
        method, url, body = scenario.api(world)
        client = Client(HTTP_AUTHORIZATION=f"Bearer {world.tokens[actor]}")
        if body is None:
            response = getattr(client, method)(url)
        elif scenario.extra.get("multipart"):
            response = getattr(client, method)(url, data=body)
        else:
            response = getattr(client, method)(
                url, data=json.dumps(body), content_type="application/json"
            )
        assert response["Content-Type"].startswith("application/json"), response.content
        return response.status_code

    return _ran(world, scenario, run)


def _through_page(world, scenario, actor) -> tuple[bool, int, Any, Any]:
    def run():
        url, data = scenario.page(world)
        client = Client()
        client.force_login(world.users[actor], backend="django.contrib.auth.backends.ModelBackend")
        return client.post(url, data).status_code

    return _ran(world, scenario, run)


def _check(outcome, allowed: bool, surface: str) -> None:
    """Allowed: changed, and a success (the API's 2xx, the page's redirect). Refused:
    unchanged, and a refusal (a 4xx; a page may also show its form again with the error)."""
    changed, status, before, after = outcome
    if allowed:
        success = status < 300 if surface == "api" else status == 302
        assert (changed, success) == (True, True), (surface, status, before, after)
    else:
        refusal = 400 <= status < 500 or (surface == "page" and status == 200)
        assert (changed, refusal) == (False, True), (surface, status, before, after)


for _module in CASE_MODULES:
    SCENARIOS.extend(_module.scenarios(sys.modules[__name__]))

CASES = [(s, actor) for s in SCENARIOS for actor in ACTORS]


@pytest.mark.parametrize(
    ("scenario", "actor"), CASES, ids=[f"{s.id}-{actor}" for s, actor in CASES]
)
def test_write_parity(world, scenario, actor):
    allowed = scenario.expected[actor]
    _check(_through_api(world, scenario, actor), allowed, "api")
    if scenario.page is not None:
        _check(_through_page(world, scenario, actor), allowed, "page")
