"""The number of queries of every list and page of the site, pinned with literals at 1 and at
3 items: a page whose count grows with its records (a query per row) or creeps up (14 → 40)
fails here. The counts include the session, the user and their roles.

One site per size, built through the services once per session and replayed into each test
(tests/conftest.py ``replayed``): ``n`` communities of 海淀区 paired with ``n`` Taipei li by
the appointments of ``n`` li chiefs, ``n`` organisations, ``n`` exchanges, the first with
``n`` groups, members and activities (each of one group, hosted by one chief, with a gift),
``n`` messages and commitments in the first pairing, which the administrator follows.

URL paths, not URL names: the paths are the site's promise (views move between apps)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client

from civicbridge.accounts.services import create_token
from civicbridge.directory import services as directory
from civicbridge.directory.models import MAINLAND, TAIWAN, OrganisationKind, PlaceKind
from civicbridge.exchanges import services as exchanges
from civicbridge.exchanges.models import ActivityKind, Side
from civicbridge.forums import services as forums
from civicbridge.pairings import services as pairings
from civicbridge.programmes import services as programmes
from civicbridge.reports import services as reports
from tests.conftest import replayed
from tests.factories import MODEL_BACKEND, at, make_admin, make_user

pytestmark = pytest.mark.django_db

SIZES = (1, 3)


def build_site(n: int) -> dict:
    beijing = directory.create_place(name="北京市", kind=PlaceKind.CITY, side=MAINLAND)
    haidian = directory.create_place(
        name="海淀区", kind=PlaceKind.DISTRICT, side=MAINLAND, parent=beijing
    )
    street = directory.create_place(
        name="田村路街道", kind=PlaceKind.SUBDISTRICT, side=MAINLAND, parent=haidian
    )
    taipei = directory.create_place(name="臺北市", kind=PlaceKind.CITY, side=TAIWAN)
    zhongzheng = directory.create_place(
        name="中正區", kind=PlaceKind.DISTRICT, side=TAIWAN, parent=taipei
    )
    communities, lis, chiefs, organisations = [], [], [], []
    for i in range(n):
        communities.append(
            directory.create_place(
                name=f"第{i + 1}社区", kind=PlaceKind.COMMUNITY, side=MAINLAND, parent=street
            )
        )
        lis.append(
            directory.create_place(
                name=f"第{i + 1}里", kind=PlaceKind.LI, side=TAIWAN, parent=zhongzheng
            )
        )
        chief = directory.create_person(
            name=f"里长{i + 1}", home_place=lis[i], phone=f"0911{i:06d}"
        )
        directory.add_position(
            person=chief, title="里長", place=lis[i], start_date=dt.date(2014, 12, 25)
        )
        chiefs.append(chief)
        organisations.append(
            directory.create_organisation(
                name=f"臺北市第{i + 1}里長聯誼會", kind=OrganisationKind.ASSOCIATION, place=taipei
            )
        )
    association = organisations[0]
    exchange_list = [
        exchanges.create_exchange(
            title=f"第{i + 1}次参访",
            start_date=dt.date(2016, 4, 22),
            end_date=dt.date(2016, 4, 23),
            visiting_organisation=organisations[i],
            visiting_place=taipei,
            host_place=beijing,
        )
        for i in range(n)
    ]
    exchange = exchange_list[0]
    groups = [
        exchanges.create_group(exchange=exchange, name=f"第{i + 1}组", host_place=haidian)
        for i in range(n)
    ]
    for i in range(n):
        exchanges.add_member(
            exchange=exchange, person=chiefs[i], group=groups[i], side=Side.VISITING
        )
        activity = exchanges.create_activity(
            exchange=exchange,
            kind=ActivityKind.SITE_VISIT,
            title=f"参观第{i + 1}社区",
            starts_at=at(9 + i),
            ends_at=at(10 + i),
            place=communities[i],
            groups=[groups[i]],
            hosts=[chiefs[i]],
        )
        exchanges.record_gift(
            exchange=exchange,
            activity=activity,
            giver_organisation=association,
            recipient_person=chiefs[i],
            description=f"茶叶{i + 1}",
        )
        # A speaker at each visit; topics discussed there (a wording not yet filed) and at
        # each group (長照, filed under 长期照顾).
        forums.add_speaker(activity=activity, side=Side.HOST, person=chiefs[i], title="里長")
        forums.mention_topic(exchange=exchange, activity=activity, wording=f"未归类{i + 1}")
        forums.mention_topic(exchange=exchange, group=groups[i], wording="長照")
        # The general exchange: per item a further visiting place, a composition row (the
        # first for the whole delegation, "some"), a quote at the visit, labels on the
        # exchange and on a community, and an activity not yet scheduled.
        exchanges.add_exchange_place(exchange=exchange, role="visiting", place=lis[i])
        exchanges.add_composition_row(
            exchange=exchange, label=f"里长{i + 1}", count=i or None, group=groups[i] if i else None
        )
        exchanges.add_statement(
            exchange=exchange, text=f"宾至如归{i + 1}", person=chiefs[i], activity=activity
        )
        exchanges.label_exchange(exchange=exchange, name=f"标签{i + 1}")
        exchanges.label_place(place=communities[i], name=f"标签{i + 1}")
        exchanges.create_activity(
            exchange=exchange, kind=ActivityKind.MEETING, title=f"待定{i + 1}", groups=[groups[i]]
        )
    appointments = [
        pairings.appoint(
            person=chiefs[i],
            community=communities[i],
            appointed_on=dt.date(2016, 4, 22),
            exchange=exchange,
            person_place=lis[i],
        )
        for i in range(n)
    ]
    pairing = appointments[0].pairing
    # A programme of the n exchanges with n figures reported with the first; the first links
    # n earlier visits known only by who went where, and the others are return visits of it.
    programme = programmes.create_programme(name="一日里长", organiser=association)
    for i, item in enumerate(exchange_list):
        programmes.add_exchange_to_programme(programme=programme, exchange=item)
        programmes.record_programme_figure(
            programme=programme,
            figure=221 + i,
            unit="居委会",
            period_start=2013 + i,
            exchange=exchange,
        )
        programmes.link_exchange(
            exchange=exchange, kind="earlier", who=f"第{i + 1}访问团", where_place=lis[i]
        )
    for item in exchange_list[1:]:
        programmes.link_exchange(exchange=item, kind="return_visit", other=exchange)
    # n sources of the exchange; the first gave its activities and gifts (provenance).
    sources = [reports.create_source(exchange=exchange, headline=f"报道{i + 1}") for i in range(n)]
    for record in [*exchange.activities.all(), *exchange.gifts.all()]:
        reports.add_provenance(source=sources[0], record=record, fact_type="visit", span=(0, 4))
    admin = make_admin()
    writer = make_user("writer", role="administrator")
    pairings.join_channel(user=admin, thread=pairing)
    for i in range(n):
        pairings.post_message(thread=pairing, author=writer, body=f"第{i + 1}条消息")
        pairings.create_commitment(
            title=f"互访{i + 1}", pairing=pairing, owner_organisation=association
        )
    # Pairings of other kinds: a batch of the exchange with n pairings named (and one still to
    # be named), n agreements of a community and an organisation, an alliance of n members.
    batch = pairings.record_pairing_batch(
        description="田村路与中正结对",
        count=n + 1,
        districts_a=[haidian],
        districts_b=[zhongzheng],
        started_on=dt.date(2016, 4, 22),
        exchange=exchange,
    )
    for i in range(n):
        pairings.complete_batch_pairing(
            batch=batch,
            place_a=directory.create_place(
                name=f"第{i + 1}结对社区", kind=PlaceKind.COMMUNITY, side=MAINLAND, parent=street
            ),
            place_b=directory.create_place(
                name=f"第{i + 1}结对里", kind=PlaceKind.LI, side=TAIWAN, parent=zhongzheng
            ),
        )
        agreement = pairings.record_agreement(
            subject=f"合作协议{i + 1}",
            parties=[{"place": communities[i]}, {"organisation": organisations[i]}],
            signatories=[{"person": chiefs[i], "title": "里長", "party_index": 1}],
            exchange=exchange,
        )
    alliance = pairings.launch_alliance(
        name="京台社区联盟", members=[{"place": c} for c in communities], exchange=exchange
    )
    return {
        "batch": batch,
        "source": sources[0],
        "agreement": agreement,
        "alliance": alliance,
        "street": street,
        "person": chiefs[0],
        "organisation": association,
        "exchange": exchange,
        "group": groups[0],
        "pairing": pairing,
        "programme": programme,
        "commitment": pairing.commitments.first(),
        "admin": admin,
        "token": create_token(user=admin, label="query counts", read_only=True)[1],
    }


@pytest.fixture(params=SIZES, ids=[f"{n} item{'s' * (n > 1)}" for n in SIZES])
def site(request, db):
    n = request.param
    return replayed(request, f"query-count site {n}", lambda: build_site(n)) | {"size": n}


EX = "/exchanges/{exchange}/"
DOC = "/documents/exchanges/{exchange}/"

# label: (client, path, queries at 1 item, at 3 items).
PAGES = {
    # The four totals in one query (pages/figures.py); 1 for the user's roles (the scope of
    # the gifts and permits below); 2 for the overdue gift registrations (the exchanges'
    # time zones, the gifts: exchanges.selectors.overdue_gifts).
    "dashboard": ("page", "/", 26, 26),  # 1 for the permit warnings' exchanges
    "statistics (CSV)": ("page", "/statistics.csv", 9, 9),
    "site search": ("page", "/search/?q=社区", 12, 12),
    "exchange list": ("page", "/exchanges/", 6, 6),  # with the number held
    # No roster read for conflicts without overlaps; 4 for programmes and related visits;
    # 5 for the further places (and their places), composition, statements and labels.
    # 3 for the attendance panel (its activities, their groups, the counts of check-ins).
    # 1 for the reception plan's panel (its row; an approved plan: 4 more, at any size).
    # 1 for the published programme's panel (its last release; once published: 3 more).
    "exchange page": (
        "page",
        EX,
        51,
        51,
    ),  # 6 for the agreements, alliances, batches; 1 for the sources
    "group itinerary": ("page", EX + "groups/{group}/", 9, 9),
    "place index": ("page", "/directory/places/", 5, 5),
    # 1 for programmes; 1 for the exchanges' return visits (pages/places.py).
    "place page": ("page", "/directory/places/{street}/", 22, 22),
    "people": ("page", "/directory/people/", 4, 4),
    "person page": ("page", "/directory/people/{person}/", 10, 10),  # with its aliases
    "organisations": ("page", "/directory/organisations/", 4, 4),
    "organisation page": ("page", "/directory/organisations/{organisation}/", 11, 11),
    # 2 for the districts and counties of the filters, 1 for the count (paginated in SQL).
    "pairing list": ("page", "/pairings/", 14, 14),
    # 3 for the timeline: where each exchange touched either place (host and visiting places,
    # groups, further places), then the exchanges of both places only.
    "pairing page": ("page", "/pairings/{pairing}/", 37, 37),
    # Every quiet pairing's health (the rule), the reader's roles for the contacts' phones.
    "quiet pairings": ("page", "/pairings/quiet/", 14, 14),
    "pairings (Excel)": ("page", "/documents/pairings.xlsx?health=all", 14, 14),
    # The exchanges, their further places, their groups, the districts and counties.
    "exchanges per district": ("page", "/exchanges-by-district/", 6, 6),
    "batch page": ("page", "/pairings/batches/{batch}/", 6, 6),
    "agreement page": ("page", "/pairings/agreements/{agreement}/", 7, 7),
    "alliance page": ("page", "/pairings/alliances/{alliance}/", 4, 4),
    "agreements, alliances, batches": ("page", "/pairings/agreements/", 11, 11),
    "pairing messages": ("page", "/pairings/{pairing}/messages/", 14, 14),
    "commitments": ("page", "/pairings/commitments/", 3, 3),
    "commitment page": ("page", "/pairings/commitments/{commitment}/", 4, 4),
    "notifications": ("page", "/pairings/notifications/", 3, 3),
    "programme": ("page", DOC + "programme/", 13, 13),
    "group programme": ("page", "/documents/groups/{group}/programme/", 13, 13),
    # the brief also reads its agreements (with parties, signatories) and statements
    "news brief": ("page", DOC + "brief/", 25, 25),
    # the reader's script: no read of the sides; 1 for the releases (SEQUENCE; published: 2 more)
    "calendar": ("page", DOC + "calendar.ics", 9, 9),
    # 3 for the logistics columns (members with stays and needs, travel legs, seats)
    "roster (CSV)": ("page", DOC + "roster.csv", 10, 10),
    "itinerary (CSV)": ("page", DOC + "itinerary.csv", 8, 8),
    "API places": ("api", "/api/v1/places", 3, 3),
    "API people": ("api", "/api/v1/people", 4, 4),
    "API exchanges": ("api", "/api/v1/exchanges", 4, 4),  # with their labels
    "API groups": ("api", "/api/v1/groups", 3, 3),
    "API members": ("api", "/api/v1/members", 3, 3),
    "API activities": ("api", "/api/v1/activities", 6, 6),
    # One read per kind of row: places, organisations, composition, groups, activities (and
    # their groups, hosts, participants), statements, labels, gifts.
    "API exchange": ("api", "/api/v1/exchanges/{exchange}", 13, 13),
    "API exchange places": ("api", "/api/v1/exchange-places", 3, 3),
    "API composition rows": ("api", "/api/v1/composition-rows", 3, 3),
    "API statements": ("api", "/api/v1/statements", 3, 3),
    "API labels": ("api", "/api/v1/labels", 5, 5),
    "API forums": ("api", "/api/v1/forums", 3, 3),
    "topics": ("page", "/topics/", 3, 3),
    "topic page": ("page", "/topics/long-term-care/", 7, 7),
    "API topics": ("api", "/api/v1/topics", 3, 3),
    "API topic mentions": ("api", "/api/v1/exchanges/{exchange}/topic-mentions", 4, 4),
    "API speakers": ("api", "/api/v1/speakers", 3, 3),
    "programmes": ("page", "/programmes/", 3, 3),
    "programme page": ("page", "/programmes/{programme}/", 5, 5),
    "API programmes": ("api", "/api/v1/programmes", 4, 4),
    "API programme figures": ("api", "/api/v1/programme-figures", 3, 3),
    "API exchange links": ("api", "/api/v1/exchanges/{exchange}/links", 4, 4),
    "API person aliases": ("api", "/api/v1/people/{person}/aliases", 3, 3),
    "API pairings": ("api", "/api/v1/pairings", 3, 3),
    "API appointments": ("api", "/api/v1/appointments", 3, 3),
    "API commitments": ("api", "/api/v1/commitments", 3, 3),
    "API batches": ("api", "/api/v1/pairing-batches", 6, 6),
    "API agreements": ("api", "/api/v1/agreements", 5, 5),
    "API alliances": ("api", "/api/v1/alliances", 4, 4),
    "source page": ("page", "/reports/sources/{source}/", 7, 7),  # a read per type of record
    "API sources": ("api", "/api/v1/sources", 4, 4),
    "API provenance": ("api", "/api/v1/sources/{source}/provenance", 4, 4),
}


def _client(site, kind) -> Client:
    if kind == "api":
        return Client(HTTP_AUTHORIZATION=f"Bearer {site['token']}")
    client = Client()
    client.force_login(site["admin"], backend=MODEL_BACKEND)
    return client


@pytest.mark.parametrize("label", PAGES)
def test_queries_of_every_list_and_page(site, django_assert_num_queries, label):
    kind, path, at_1, at_3 = PAGES[label]
    client = _client(site, kind)
    path = path.format(**{key: getattr(value, "pk", value) for key, value in site.items()})
    assert client.get(path).status_code == 200  # warm caches (names, the session) first

    with django_assert_num_queries({1: at_1, 3: at_3}[site["size"]]):
        response = client.get(path)

    assert response.status_code == 200
