"""A generated ten-year world: exchanges, rosters, itineraries, appointments, pairings with
their contacts, messages, commitments and topics over the Beijing/Taipei directory.

    CIVICBRIDGE_HOME=/tmp/world .venv/bin/python benchmarks/world.py [--scale 1.0] [--years 10]

builds it into the database of that home (migrated first) and prints the seconds taken and
the database's size. ``build_world()`` is also what the statistics tests call (at a small
scale). It uses the national directory's Beijing (``11``) and Taipei (``63000``) when they
are imported, otherwise a small directory of its own (tests need no ``../shared``).

Everything is written with bulk inserts that respect the models: valid foreign keys,
``version`` 1, statuses mixed (held, planned, confirmed, cancelled; some exchanges deleted),
unique members per exchange, one open pairing per pair of places. At ``scale=1.0`` the sizes
are those of issue 17 (501 exchanges, 15,012 members, 10,023 activities, 2,012 pairings,
20,000 messages, 5,004 commitments, 3,012 appointments, ~200,000 people). The records made
are returned (``World``), so a test can count them independently.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import random
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from zoneinfo import ZoneInfo

ROOT = Path(__file__).resolve().parents[1]
SIZES = {
    "exchanges": 501,
    "members": 15_012,
    "activities": 10_023,
    "pairings": 2_012,
    "messages": 20_000,
    "commitments": 5_004,
    "appointments": 3_012,
    "people": 200_000,
    "mentions": 3_000,
}
BATCH = 2_000

SURNAMES = [
    ("王", "王"), ("李", "李"), ("张", "張"), ("刘", "劉"), ("陈", "陳"), ("杨", "楊"),
    ("黄", "黃"), ("赵", "趙"), ("吴", "吳"), ("周", "周"), ("徐", "徐"), ("孙", "孫"),
    ("林", "林"), ("郭", "郭"), ("蔡", "蔡"), ("许", "許"), ("郑", "鄭"), ("谢", "謝"),
]  # fmt: skip
GIVEN = [
    ("伟", "偉"), ("芳", "芳"), ("明", "明"), ("华", "華"), ("丽", "麗"), ("强", "強"),
    ("文", "文"), ("国", "國"), ("英", "英"), ("建", "建"), ("志", "志"), ("美", "美"),
    ("春", "春"), ("秀", "秀"), ("玉", "玉"), ("荣", "榮"), ("德", "德"), ("宏", "宏"),
    ("庆", "慶"), ("安", "安"), ("平", "平"), ("淑", "淑"), ("惠", "惠"), ("俊", "俊"),
]  # fmt: skip
BEIJING_DISTRICTS = ["海淀区", "石景山区", "门头沟区", "延庆区", "朝阳区", "东城区"]
TAIPEI_DISTRICTS = ["中山區", "大同區", "士林區", "信義區", "萬華區", "內湖區"]
# Enough of Simplified ↔ Traditional for the generated names (no OpenCC per name).
TO_HANT = str.maketrans("区东门头沟庆阳街个社", "區東門頭溝慶陽街個社")
TO_HANS = str.maketrans("區萬華內義臺", "区万华内义台")
ACTIVITY_KINDS = ["site_visit", "meeting", "forum", "ceremony", "cultural_visit", "meal"]
UNFILED = ["社区微更新", "智慧社区", "青年创业"]


@dataclass
class World:
    """What ``build_world`` made (the model instances, with their primary keys)."""

    today: dt.date
    mainland_root: object = None
    mainland_districts: list = field(default_factory=list)
    taiwan_counties: list = field(default_factory=list)
    communities: list = field(default_factory=list)
    li: list = field(default_factory=list)
    places: dict = field(default_factory=dict)
    people: list = field(default_factory=list)
    exchanges: list = field(default_factory=list)
    groups: list = field(default_factory=list)
    members: list = field(default_factory=list)
    activities: list = field(default_factory=list)
    mentions: list = field(default_factory=list)
    appointments: list = field(default_factory=list)
    pairings: list = field(default_factory=list)
    positions: list = field(default_factory=list)
    messages: list = field(default_factory=list)
    commitments: list = field(default_factory=list)
    topics: dict = field(default_factory=dict)

    def counts(self) -> dict[str, int]:
        return {
            name: len(getattr(self, name))
            for name in (
                "people",
                "exchanges",
                "groups",
                "members",
                "activities",
                "mentions",
                "appointments",
                "pairings",
                "positions",
                "messages",
                "commitments",
            )
        }


def _n(name: str, scale: float, minimum: int) -> int:
    return max(minimum, round(SIZES[name] * scale))


def _bulk(model, rows: list) -> list:
    """Insert ``rows`` in batches; their primary keys are set (RETURNING)."""
    for start in range(0, len(rows), BATCH):
        model.objects.bulk_create(rows[start : start + BATCH])
    return rows


# --- the directory -----------------------------------------------------------------------


def _national(world: World) -> bool:
    """Beijing's communities and Taipei's li from the national directory, when imported."""
    from civicbridge.directory.models import (  # noqa: PLC0415 (bootstrap)
        COMMUNITY_LEVEL_KINDS,
        TAIPEI_CODE,
        Place,
        PlaceKind,
    )

    beijing = Place.objects.filter(code="11").first()
    taipei = Place.objects.filter(code=TAIPEI_CODE).first()
    if beijing is None or taipei is None:
        return False
    communities = list(
        Place.objects.within(beijing).filter(kind__in=COMMUNITY_LEVEL_KINDS, status="current")
    )
    li = list(Place.objects.within(taipei).filter(kind=PlaceKind.LI, status="current"))
    if len(communities) < 100 or len(li) < 100:
        return False
    world.communities, world.li, world.mainland_root = communities, li, beijing
    world.mainland_districts = list(
        Place.objects.within(beijing).filter(kind=PlaceKind.DISTRICT).order_by("path")
    )
    world.taiwan_counties = [taipei]
    return True


def _place(pk: int, parent, **fields):
    from civicbridge.directory.models import Place  # noqa: PLC0415 (bootstrap)

    name = fields.pop("name")
    default = (
        (name, name.translate(TO_HANT))
        if fields["side_id"] == "mainland"
        else (name.translate(TO_HANS), name)
    )
    hans, hant = fields.pop("pair", default)
    place = Place(
        pk=pk,
        parent=parent,
        name=name,
        name_hans=hans,
        name_hant=hant,
        search_text=hans.replace("臺", "台"),
        **fields,
    )
    place.path = Place.path_below(parent.path if parent is not None else None, pk)
    return place


def _small_directory(world: World, scale: float, rng: random.Random) -> None:
    """北京市 › 市辖区 › districts › streets › communities; 臺北市 and 高雄市 › districts › li."""
    from django.db.models import Max  # noqa: PLC0415 (bootstrap)

    from civicbridge.directory.models import MAINLAND, TAIWAN, Place  # noqa: PLC0415 (bootstrap)

    next_pk = (Place.objects.aggregate(m=Max("pk"))["m"] or 0) + 1
    tag = f"{next_pk}"

    def new(parent, **fields):
        nonlocal next_pk
        place = _place(next_pk, parent, **fields)
        next_pk += 1
        made.append(place)
        return place

    made: list = []
    per_street = max(2, round(40 * scale**0.5))
    per_district = max(3, round(60 * scale**0.5))
    beijing = new(None, name=f"北京市{tag}", pair=(f"北京市{tag}", f"北京市{tag}"),
                  side_id=MAINLAND, kind="province")  # fmt: skip
    world.mainland_root = beijing
    urban = new(beijing, name="市辖区", side_id=MAINLAND, kind="municipal_districts")
    for name in BEIJING_DISTRICTS:
        district = new(urban, name=name, side_id=MAINLAND, kind="district")
        world.mainland_districts.append(district)
        for s in range(2):
            street = new(district, name=f"{name[:-1]}第{s + 1}街道", side_id=MAINLAND,
                         kind="subdistrict")  # fmt: skip
            for c in range(per_street):
                world.communities.append(
                    new(
                        street,
                        name=f"{street.name[:-2]}第{c + 1}社区",
                        side_id=MAINLAND,
                        kind="community",
                    )  # fmt: skip
                )
    for city, districts in (("臺北市", TAIPEI_DISTRICTS), ("高雄市", ["三民區", "鼓山區"])):
        top = new(None, name=f"{city}{tag}", pair=(f"{city.replace('臺', '台')}{tag}",
                  f"{city}{tag}"), side_id=TAIWAN, kind="city")  # fmt: skip
        world.taiwan_counties.append(top)
        for name in districts:
            district = new(top, name=name, side_id=TAIWAN, kind="district")
            for i in range(per_district):
                world.li.append(
                    new(district, name=f"{name[:-1]}{i + 1}里", side_id=TAIWAN, kind="li")
                )
    Place.objects.bulk_create(made, batch_size=BATCH)
    del rng


# --- people, exchanges and the rest ---------------------------------------------------------


def _name(rng: random.Random) -> tuple[str, str]:
    s = rng.choice(SURNAMES)
    g = [rng.choice(GIVEN) for _ in range(rng.choice((1, 2)))]
    return s[0] + "".join(c[0] for c in g), s[1] + "".join(c[1] for c in g)


def _topics(world: World) -> None:
    from civicbridge.forums.models import Topic  # noqa: PLC0415 (bootstrap)
    from civicbridge.forums.topics import PARENTS, TOPICS  # noqa: PLC0415 (bootstrap)

    have = {t.code: t for t in Topic.objects.all()}
    missing = [
        Topic(code=code, name_hans=hans, name_hant=hant, name_en=en, order=i)
        for i, (code, hans, hant, en) in enumerate(TOPICS)
        if code not in have
    ]
    if missing:
        Topic.objects.bulk_create(missing)
        have = {t.code: t for t in Topic.objects.all()}
        for narrow, broad in PARENTS.items():
            if narrow in have and broad in have and have[narrow].parent_id is None:
                have[narrow].parent = have[broad]
                have[narrow].save(update_fields=["parent"])
    world.topics = have


def build_world(
    years: int = 10, scale: float = 1.0, seed: int = 2016, *, today: dt.date | None = None
) -> World:
    """Build the world into the current database (see the module's docstring)."""
    from django.db import transaction  # noqa: PLC0415 (bootstrap)

    from civicbridge.directory.models import ensure_sides  # noqa: PLC0415 (bootstrap)

    rng = random.Random(seed)
    world = World(today=today or dt.date.today())
    with transaction.atomic():
        ensure_sides()
        if not _national(world):
            _small_directory(world, scale, rng)
        world.places = {p.pk: p for p in world.communities + world.li}
        for district in world.mainland_districts + world.taiwan_counties:
            world.places[district.pk] = district
        world.places[world.mainland_root.pk] = world.mainland_root
        _topics(world)
        _people(world, scale, rng)
        _exchanges(world, years, scale, rng)
        _pairings(world, years, scale, rng)
        _appointments(world, scale, rng)
        _commitments(world, scale, rng)
    return world


def _people(world: World, scale: float, rng: random.Random) -> None:
    from civicbridge.directory.models import Person  # noqa: PLC0415 (bootstrap)

    rows = []
    homes = world.communities + world.li
    for _ in range(_n("people", scale, 60)):
        hans, hant = _name(rng)
        home = rng.choice(homes)
        name = hant if home.side_id == "taiwan" else hans
        rows.append(
            Person(name=name, name_hans=hans, name_hant=hant, home_place=home, search_text=hans)
        )
    world.people = _bulk(Person, rows)


def _district_of(world: World, place):
    """The mainland district (or Taiwanese county) a generated place lies in."""
    for district in world.mainland_districts + world.taiwan_counties:
        if place.path.startswith(district.path):
            return district
    return None


def _exchanges(world: World, years: int, scale: float, rng: random.Random) -> None:
    from civicbridge.exchanges.models import (  # noqa: PLC0415 (bootstrap)
        Activity,
        Exchange,
        Group,
        Member,
    )
    from civicbridge.forums.models import TopicMention  # noqa: PLC0415 (bootstrap)

    today = world.today
    first_year = today.year - years + 1
    n = _n("exchanges", scale, 8)
    members_each = max(3, SIZES["members"] // SIZES["exchanges"])
    activities_each = max(2, SIZES["activities"] // SIZES["exchanges"])
    people_by_side: dict[str, list] = {"mainland": [], "taiwan": []}
    for person in world.people:
        people_by_side[world.places[person.home_place_id].side_id].append(person)
    communities_by_district: dict[int, list] = {}
    for c in world.communities:
        communities_by_district.setdefault(_district_of(world, c).pk, []).append(c)
    li_by_county: dict[int, list] = {}
    for li in world.li:
        li_by_county.setdefault(_district_of(world, li).pk, []).append(li)
    districts = [d for d in world.mainland_districts if d.pk in communities_by_district]
    exchanges = []
    for i in range(n):
        year = first_year + i * years // n
        start = dt.date(year, 1, 1) + dt.timedelta(days=rng.randrange(0, 360))
        if start > today:
            start = today - dt.timedelta(days=rng.randrange(1, 30))
        roll = rng.random()
        status = "held"
        if start.year == today.year and roll < 0.35:
            status = rng.choice(("planned", "confirmed"))
            start = today + dt.timedelta(days=rng.randrange(1, 60))
            start = min(start, dt.date(today.year, 12, 31))
        elif roll < 0.08:
            status = "planned"
        elif roll < 0.12:
            status = "cancelled"
        to_mainland = rng.random() < 0.8
        county = rng.choice([c for c in world.taiwan_counties if c.pk in li_by_county])
        district = rng.choice(districts)
        exchange = Exchange(
            title=f"交流{i + 1}",
            start_date=start,
            end_date=start + dt.timedelta(days=rng.randrange(0, 5)),
            status=status,
            host_place=world.mainland_root if to_mainland and rng.random() < 0.5 else district,
            visiting_place=county,
            timezone="Asia/Shanghai" if to_mainland else "Asia/Taipei",
            deleted_at=(
                dt.datetime(year, 12, 31, tzinfo=ZoneInfo("UTC"))
                if status == "held" and rng.random() < 0.03
                else None
            ),  # fmt: skip
        )
        if not to_mainland:
            exchange.host_place, exchange.visiting_place = county, district
        exchange._cb = (to_mainland, county, district)
        exchanges.append(exchange)
    world.exchanges = _bulk(Exchange, exchanges)

    groups, members, activities, links, mentions = [], [], [], [], []
    for exchange in world.exchanges:
        to_mainland, county, district = exchange._cb
        host_districts = [district]
        if to_mainland and exchange.host_place_id != district.pk:
            host_districts = rng.sample(districts, k=min(len(districts), rng.randint(1, 4)))
        for g, host in enumerate(host_districts):
            groups.append(Group(exchange=exchange, name=f"第{g + 1}组", host_place=host, order=g))
    world.groups = _bulk(Group, groups)
    groups_of: dict[int, list] = {}
    for group in world.groups:
        groups_of.setdefault(group.exchange_id, []).append(group)
    tz = ZoneInfo("Asia/Shanghai")
    for exchange in world.exchanges:
        to_mainland, county, district = exchange._cb
        visitors = people_by_side["taiwan" if to_mainland else "mainland"]
        chosen = rng.sample(visitors, k=min(len(visitors), rng.randint(members_each // 2,
                            members_each * 3 // 2)))  # fmt: skip
        mine = groups_of[exchange.pk]
        for order, person in enumerate(chosen):
            members.append(
                Member(
                    exchange=exchange,
                    person=person,
                    home_place_id=person.home_place_id,
                    group=mine[order % len(mine)],
                    role="leader" if order == 0 else "member",
                    order=order,
                )
            )
        for a in range(rng.randint(activities_each // 2, activities_each * 3 // 2)):
            group = mine[a % len(mine)]
            if to_mainland:
                place = rng.choice(communities_by_district[group.host_place_id])
            else:
                place = rng.choice(li_by_county[county.pk])
            day = exchange.start_date + dt.timedelta(
                days=a % ((exchange.end_date - exchange.start_date).days + 1)
            )
            starts = dt.datetime(day.year, day.month, day.day, 9 + a % 8, tzinfo=tz)
            activity = Activity(
                exchange=exchange,
                kind=ACTIVITY_KINDS[a % len(ACTIVITY_KINDS)],
                title=f"{place.name}参访",
                status=exchange.status if exchange.status != "cancelled" else "cancelled",
                starts_at=starts,
                ends_at=starts + dt.timedelta(hours=1),
                place=place,
                order=a,
            )
            activity._cb_group = group
            activities.append(activity)
    world.members = _bulk(Member, members)
    world.activities = _bulk(Activity, activities)
    for activity in world.activities:
        links.append(
            Activity.groups.through(activity_id=activity.pk, group_id=activity._cb_group.pk)
        )
    _bulk(Activity.groups.through, links)

    topics = list(world.topics.values())
    per_exchange = max(1, SIZES["mentions"] // SIZES["exchanges"])
    activities_of: dict[int, list] = {}
    for activity in world.activities:
        activities_of.setdefault(activity.exchange_id, []).append(activity)
    for exchange in world.exchanges:
        for m in range(rng.randint(1, per_exchange * 2)):
            at = activities_of.get(exchange.pk) if m % 2 else None
            unfiled = rng.random() < 0.05
            mentions.append(
                TopicMention(
                    exchange=exchange,
                    activity=rng.choice(at) if at else None,
                    topic=None if unfiled else rng.choice(topics),
                    wording=rng.choice(UNFILED) if unfiled else "",
                    order=m,
                )
            )
    world.mentions = _bulk(TopicMention, mentions)


def _pairings(world: World, years: int, scale: float, rng: random.Random) -> None:
    from civicbridge.directory.models import Person, Position  # noqa: PLC0415 (bootstrap)
    from civicbridge.pairings.models import Message, Pairing  # noqa: PLC0415 (bootstrap)

    today = world.today
    first = dt.date(today.year - years + 1, 1, 1)
    span = (today - first).days
    n = min(_n("pairings", scale, 10), len(world.communities) * len(world.li))
    pairs = set()
    rows = []
    held_exchanges = [e for e in world.exchanges if e.status == "held" and e.deleted_at is None]
    while len(rows) < n:
        community, li = rng.choice(world.communities), rng.choice(world.li)
        if (community.pk, li.pk) in pairs:
            continue
        pairs.add((community.pk, li.pk))
        started = first + dt.timedelta(days=rng.randrange(0, span))
        roll = rng.random()
        status = "held" if roll < 0.88 else ("planned" if roll < 0.96 else "cancelled")
        ended = None
        if status == "held" and rng.random() < 0.06:
            ended = min(today, started + dt.timedelta(days=rng.randrange(200, 1500)))
        exchange = None
        if held_exchanges and rng.random() < 0.4:
            exchange = rng.choice(held_exchanges)
            started = exchange.start_date
            if ended is not None and ended < started:
                ended = None
        a, b = (community, li) if rng.random() < 0.7 else (li, community)
        rows.append(
            Pairing(
                kind=rng.choice(("honorary", "friendly", "agreement")),
                status=status,
                place_a=a,
                place_b=b,
                started_on=started,
                ended_on=ended,
                exchange=exchange,
            )
        )
    world.pairings = _bulk(Pairing, rows)

    # The contacts on both sides: a li's chief, a community's director.
    places = {p.place_a_id for p in world.pairings} | {p.place_b_id for p in world.pairings}
    contacts = []
    for pk in sorted(places):
        hans, hant = _name(rng)
        taiwan = world.places[pk].side_id == "taiwan"
        contacts.append(
            Person(
                name=hant if taiwan else hans,
                name_hans=hans,
                name_hant=hant,
                home_place_id=pk,
                search_text=hans,
            )  # fmt: skip
        )
    _bulk(Person, contacts)
    world.people += contacts
    positions = [
        Position(
            person=person,
            title="里長" if world.places[person.home_place_id].side_id == "taiwan" else "社区主任",
            place_id=person.home_place_id,
            start_date=first,
        )
        for person in contacts
    ]
    world.positions = _bulk(Position, positions)
    messages = []
    held = [p for p in world.pairings if p.status == "held"]
    for i in range(_n("messages", scale, 20) if held else 0):
        pairing = rng.choice(held)
        last = pairing.ended_on or today
        days = max(1, (last - pairing.started_on).days)
        day = pairing.started_on + dt.timedelta(days=rng.randrange(0, days))
        messages.append(
            Message(
                pairing=pairing,
                author=None,
                author_place_id=rng.choice((pairing.place_a_id, pairing.place_b_id)),
                body=f"第{i + 1}条消息",
                created_at=dt.datetime(day.year, day.month, day.day, 10, tzinfo=ZoneInfo("UTC")),
            )
        )
    world.messages = _bulk(Message, messages)


def _appointments(world: World, scale: float, rng: random.Random) -> None:
    from civicbridge.pairings.models import Appointment  # noqa: PLC0415 (bootstrap)

    by_exchange: dict[int, list] = {}
    for activity in world.activities:
        if activity.place.side_id == "mainland":
            by_exchange.setdefault(activity.exchange_id, []).append(activity)
    members_of: dict[int, list] = {}
    for member in world.members:
        members_of.setdefault(member.exchange_id, []).append(member)
    candidates = [e for e in world.exchanges if e.pk in by_exchange and e.status != "cancelled"]
    rows, used = [], set()
    n = _n("appointments", scale, 6)
    tries = 0
    while candidates and len(rows) < n and tries < n * 20:
        tries += 1
        exchange = rng.choice(candidates)
        member = rng.choice(members_of[exchange.pk])
        activity = rng.choice(by_exchange[exchange.pk])
        if (member.pk, activity.place_id) in used:
            continue
        used.add((member.pk, activity.place_id))
        status = exchange.status if exchange.status != "confirmed" else "planned"
        rows.append(
            Appointment(
                person=member.person,
                community=activity.place,
                person_place_id=member.home_place_id,
                status=status,
                exchange=exchange,
                activity=activity,
                appointed_on=exchange.start_date,
                certificate_year=exchange.start_date.year,
                deleted_at=exchange.deleted_at if rng.random() < 0.5 else None,
            )
        )
    world.appointments = _bulk(Appointment, rows)


def _commitments(world: World, scale: float, rng: random.Random) -> None:
    from civicbridge.pairings.models import Commitment  # noqa: PLC0415 (bootstrap)

    statuses = ("open", "in_progress", "done", "dropped")
    rows = []
    for i in range(_n("commitments", scale, 10)):
        on_exchange = rng.random() < 0.5
        exchange = rng.choice(world.exchanges) if on_exchange else None
        pairing = None if on_exchange else rng.choice(world.pairings)
        begun = exchange.start_date if exchange else pairing.started_on
        due = begun + dt.timedelta(days=rng.randrange(30, 900)) if rng.random() < 0.9 else None
        rows.append(
            Commitment(
                title=f"承诺{i + 1}",
                exchange=exchange,
                pairing=pairing,
                due_on=due,
                status=rng.choice(statuses),
            )
        )
    world.commitments = _bulk(Commitment, rows)


def _database_size() -> str:
    from django.db import connection  # noqa: PLC0415 (bootstrap)

    if connection.vendor == "sqlite":
        size = os.path.getsize(connection.settings_dict["NAME"])
    else:
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_database_size(current_database())")
            size = cursor.fetchone()[0]
    return f"{size / 1e6:.1f} MB"


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--scale", type=float, default=1.0)
    parser.add_argument("--years", type=int, default=10)
    parser.add_argument("--seed", type=int, default=2016)
    args = parser.parse_args()
    if not os.environ.get("CIVICBRIDGE_HOME"):
        raise SystemExit("set CIVICBRIDGE_HOME to the home to build the world into")
    sys.path.insert(0, str(ROOT / "src"))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "civicbridge.settings")
    import django  # noqa: PLC0415 (bootstrap)
    from django.core.management import call_command  # noqa: PLC0415 (bootstrap)

    django.setup()
    call_command("migrate", verbosity=0)
    began = time.perf_counter()
    world = build_world(years=args.years, scale=args.scale, seed=args.seed)
    seconds = time.perf_counter() - began
    for name, count in world.counts().items():
        print(f"{name:>12} {count:>8,}")
    print(f"built in {seconds:.1f} s; database {_database_size()}")


if __name__ == "__main__":
    main()
