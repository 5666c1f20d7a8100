"""Reading an exchange back through the API as facts (the format of shared/reports/FACTS.md),
to compare with a reading by score.py's own rules. Used by the gold-reading tests."""

from __future__ import annotations

import importlib.util
import itertools
import json
from io import StringIO
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command

from civicbridge.accounts.services import assign_role
from civicbridge.directory.models import Place
from civicbridge.reports import resolution
from tests.factories import make_user

SHARED = Path(settings.CIVICBRIDGE_DATA_DIR).parent
GOLD_DIR = SHARED / "reports" / "gold"
SCORE = SHARED / "reports" / "score.py"
SEED = "000_9030eb490722e56b.json"
COMMUNITY_KINDS = ("community", "village", "li")


def load_score():
    """shared/reports/score.py, imported by path; the calling module is skipped when the
    shared folder is absent."""
    if not SCORE.exists() or not GOLD_DIR.is_dir():
        pytest.skip(
            f"{SCORE} and {GOLD_DIR} are not here (../shared is absent)", allow_module_level=True
        )
    spec = importlib.util.spec_from_file_location("civicbridge_gold_score", SCORE)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


score = load_score()


def gold(name: str) -> dict:
    return json.loads((GOLD_DIR / name).read_text(encoding="utf-8"))


class Alt(tuple):
    """The names one record goes by (official name, either script, short name, aliases):
    a fact is found when one of them matches."""


def alt(*names) -> Alt:
    return Alt(dict.fromkeys(n for n in names if n))


def expand(fact: dict, limit: int = 2000) -> list[dict]:
    """Every concrete fact an Alt-valued fact stands for (lists: each member's names)."""
    keys, choices = [], []
    for key, value in fact.items():
        if isinstance(value, Alt):
            keys.append(key)
            choices.append(list(value) or [""])
        elif isinstance(value, list) and any(isinstance(v, Alt) for v in value):
            keys.append(key)
            choices.append(
                [
                    list(c)
                    for c in itertools.product(*[v if isinstance(v, Alt) else [v] for v in value])
                ]
            )
    if not keys:
        return [fact]
    out = []
    for combo in itertools.islice(itertools.product(*choices), limit):
        out.append({**fact, **dict(zip(keys, combo, strict=True))})
    return out


def found(gold: dict, reading: list[dict]) -> dict | None:
    for fact in reading:
        for concrete in expand(fact):
            if score.matches(gold, concrete):
                return concrete
    return None


class ApiReader:
    """The exchange as the API gives it, turned into facts."""

    def __init__(self, client):
        self.client = client
        self.cache: dict[str, object] = {}

    def get(self, url: str):
        if url not in self.cache:
            response = self.client.get(url)
            assert response.status_code == 200, (url, response.status_code, response.content[:500])
            self.cache[url] = response.json()
        return self.cache[url]

    def items(self, url: str) -> list[dict]:
        sep = "&" if "?" in url else "?"
        return self.get(f"{url}{sep}limit=500")["items"]

    def place(self, pk) -> dict | None:
        return self.get(f"/api/v1/places/{pk}") if pk else None

    def place_names(self, pk) -> Alt:
        place = self.place(pk)
        if place is None:
            return alt()
        aliases = [a["name"] for a in self.get(f"/api/v1/places/{pk}/aliases")]
        return alt(
            place["name"], place["name_hans"], place["name_hant"], place["short_name"], *aliases
        )

    def org_names(self, pk) -> Alt:
        if not pk:
            return alt()
        org = self.get(f"/api/v1/organisations/{pk}")
        return alt(org["name"], org["name_hans"], org["name_hant"], org["short_name"])

    def person_names(self, pk) -> Alt:
        if not pk:
            return alt()
        person = self.get(f"/api/v1/people/{pk}")
        rows = self.get(f"/api/v1/people/{pk}/aliases")
        aliases = [a["name"] for a in (rows["items"] if isinstance(rows, dict) else rows)]
        return alt(person["name"], person["name_hans"], person["name_hant"], *aliases)

    def party_names(self, row: dict) -> Alt:
        if row.get("place_id"):
            return alt(*self.place_names(row["place_id"]), row.get("wording"))
        if row.get("organisation_id"):
            return alt(*self.org_names(row["organisation_id"]), row.get("wording"))
        return alt(row.get("wording"))

    def facts(self, exchange_id: int) -> list[dict]:  # noqa: C901 (one fact type after another)
        ex = self.get(f"/api/v1/exchanges/{exchange_id}")
        q = f"?exchange={exchange_id}"
        facts: list[dict] = []
        host_side = self.place(ex["host_place_id"])["side"]
        if ex.get("date_precision", "day") == "day" and ex.get("end_date"):
            facts.append({"type": "date", "start": ex["start_date"], "end": ex["end_date"]})
        members = self.items(f"/api/v1/members{q}")
        leader = next((m for m in members if m["role"] == "leader"), None)
        named = ex.get("delegation_name") or ""
        who = alt(*self.org_names(ex.get("visiting_organisation_id")), named, *named.split("、"))
        if who:
            facts.append(
                {
                    "type": "delegation",
                    "organisation": who,
                    "size": ex["declared_headcount"],
                    "leader": self.person_names(leader["person_id"]) if leader else "",
                    "leader_title": leader["title"] if leader else "",
                }
            )
        groups = self.items(f"/api/v1/groups{q}")
        hosts = [ex["host_place_id"]]
        hosts += [
            p["place_id"] for p in ex.get("places", []) if p["role"] == "host" and p.get("place_id")
        ]
        for row in ex.get("places", []):
            if row["role"] == "host" and not row.get("place_id"):
                facts.append({"type": "host", "place": row["wording"]})
        hosts += [g["host_place_id"] for g in groups if g["host_place_id"]]
        for pk in dict.fromkeys(hosts):
            facts.append(
                {"type": "host", "place": self.place_names(pk), "code": self.place(pk)["code"]}
            )
        for row in self.items(f"/api/v1/exchange-organisations{q}&role=visiting"):
            facts.append(
                {"type": "delegation", "organisation": self.org_names(row["organisation_id"])}
            )
        for row in self.items(f"/api/v1/exchange-organisations{q}&role=escort"):
            facts.append({"type": "escort", "organisation": self.org_names(row["organisation_id"])})
        member_by_id = {m["id"]: m for m in members}
        group_names = {}
        for g in groups:
            names = alt(*self.place_names(g["host_place_id"]), g["name"])
            group_names[g["id"]] = names
            leader = member_by_id.get(g["leader_id"])
            facts.append(
                {
                    "type": "group",
                    "host": self.place_names(g["host_place_id"]) or g["name"],
                    "name": g["name"],
                    "size": g["declared_headcount"],
                    "leader": self.person_names(leader["person_id"]) if leader else "",
                }
            )
        activities = self.items(f"/api/v1/activities{q}")
        by_activity = {a["id"]: a for a in activities}
        people = {}
        for a in activities:
            group = alt(*itertools.chain(*(group_names.get(g, ()) for g in a["group_ids"])))
            if a["kind"] != "forum":
                # An activity visits its venue, and its place when that is a community (not
                # the district a venue is in); one with neither, its title.
                place = self.place(a["place_id"])
                if a["venue_id"] and place is not None and place["kind"] not in COMMUNITY_KINDS:
                    place = None
                if a["venue_id"] or place is None:
                    facts.append(
                        {
                            "type": "visit",
                            "venue": alt(*self.org_names(a["venue_id"]), a["title"]),
                            "group": group,
                            "code": "",
                        }
                    )
                if place is not None:
                    facts.append(
                        {
                            "type": "visit",
                            "venue": self.place_names(a["place_id"]),
                            "group": group,
                            "code": place["code"],
                        }
                    )
            for pk in [*a["host_ids"], *a["participant_ids"]]:
                people.setdefault(pk, {"title": "", "place": None, "side": host_side})
        for forum in self.items(f"/api/v1/forums{q}"):
            a = by_activity[forum["activity_id"]]
            group = alt(*itertools.chain(*(group_names.get(g, ()) for g in a["group_ids"])))
            facts.append(
                {
                    "type": "forum",
                    "theme": forum["theme"],
                    "host": alt(*self.org_names(a["venue_id"]), *self.place_names(a["place_id"])),
                    "group": group,
                }
            )
        for m in members:
            side = (
                host_side
                if m["side"] == "host"
                else ("taiwan" if host_side == "mainland" else "mainland")
            )
            people[m["person_id"]] = {
                "title": m["title"],
                "place": m["home_place_id"],
                "side": side,
            }
        for pk, row in people.items():
            facts.append(
                {
                    "type": "person",
                    "name": self.person_names(pk),
                    "title": row["title"],
                    "place": self.place_names(row["place"]),
                    "side": row["side"],
                }
            )
        pairing_ids = []
        for row in self.items(f"/api/v1/appointments{q}"):
            facts.append(
                {
                    "type": "appointment",
                    "person": self.person_names(row["person_id"]),
                    "community": self.place_names(row["community_id"]),
                    "li": self.place_names(row["person_place_id"]),
                }
            )
            if row["pairing_id"]:
                pairing_ids.append(row["pairing_id"])
        pairings = {p["id"]: p for p in self.items(f"/api/v1/pairings{q}")}
        for pk in pairing_ids:
            pairings.setdefault(pk, self.get(f"/api/v1/pairings/{pk}"))
        for p in pairings.values():
            facts.append(
                {
                    "type": "pairing",
                    "a": alt(
                        *self.place_names(p["place_a_id"]), *self.org_names(p["organisation_a_id"])
                    ),
                    "b": alt(
                        *self.place_names(p["place_b_id"]), *self.org_names(p["organisation_b_id"])
                    ),
                    "kind": p["kind"],
                }
            )
        for row in self.items(f"/api/v1/agreements{q}"):
            parties = [self.party_names(party) for party in row["parties"]]
            facts.append({"type": "agreement", "parties": parties, "subject": row["subject"]})
        for row in self.items(f"/api/v1/alliances{q}"):
            members_ = [self.party_names(m) for m in row["members"]]
            facts.append({"type": "alliance", "name": row["name"], "members": members_})
        for row in self.items(f"/api/v1/exchanges/{exchange_id}/topic-mentions"):
            topic = self.get(f"/api/v1/topics/{row['topic_id']}") if row["topic_id"] else {}
            facts.append(
                {
                    "type": "topic",
                    "topic": alt(row["wording"], topic.get("name_hans"), topic.get("name_hant")),
                }
            )
        for row in self.items(f"/api/v1/gifts{q}"):
            facts.append(
                {
                    "type": "gift",
                    "from": alt(
                        row.get("giver_wording"),
                        *self.person_names(row["giver_person_id"]),
                        *self.org_names(row["giver_organisation_id"]),
                    ),
                    "to": alt(
                        row.get("recipient_wording"),
                        *self.person_names(row["recipient_person_id"]),
                        *self.org_names(row["recipient_organisation_id"]),
                    ),
                    "what": row["description"],
                }
            )
        for row in self.items(f"/api/v1/programme-figures{q}"):
            facts.append(
                {
                    "type": "statistic",
                    "figure": float(row["figure"]),
                    "unit": row["unit"],
                    "about": row["about"],
                }
            )
        for row in self.get(f"/api/v1/exchanges/{exchange_id}/links")["links"]:
            facts.append(
                {
                    "type": "related_exchange",
                    "start": row.get("start_date") or "",
                    "end": row.get("end_date") or "",
                    "who": row.get("who", ""),
                    "where": alt(row.get("where"), *self.place_names(row.get("where_place_id"))),
                }
            )
        return facts


def organiser_for(document: dict, username: str = "gold_organiser"):
    """An organiser (not an administrator) whose scope covers the exchange's host place: the
    hosts' common ancestor when they have one (四 districts of 北京市: 北京市), else each."""
    codes = [f["code"] for f in document["facts"] if f["type"] == "host" and f.get("code")]
    places = list(Place.objects.filter(code__in=codes))
    assert len(places) == len(set(codes)), codes
    common = resolution.common_ancestor(places)
    scopes = [common] if common is not None else places
    user = make_user(username, role="organiser", place=scopes[0])
    for place in scopes[1:]:
        assign_role(user=user, role="organiser", place=place)
    return user


def record(name: str, user) -> int:
    out = StringIO()
    call_command("record_facts", str(GOLD_DIR / name), "--as", user.username, stdout=out)
    first = out.getvalue().splitlines()[0]
    assert first.startswith("Recorded exchange "), out.getvalue()
    return int(first.split()[2].rstrip(":"))


def required_keys(fact: dict) -> list[tuple]:
    """The fact's required fields, normalised (score.norm), for every spelling it goes by.
    Of the fields a type needs "at least one of" (a group's host or name), the first the
    fact has."""
    fields = []
    for need in score.REQUIRED.get(fact["type"], []):
        if isinstance(need, tuple):
            fields.append(next((f for f in need if fact.get(f) not in (None, "", [])), need[0]))
        else:
            fields.append(need)
    if fact["type"] == "pairing":
        fields = ["a", "b"]
    keys = []
    for concrete in expand({k: fact.get(k) for k in fields}):
        values = []
        for f in fields:
            v = concrete.get(f)
            if isinstance(v, list):
                values.append(tuple(sorted(score.norm(x) for x in v)))
            else:
                values.append((f, score.norm(v) if v not in (None, "") else ""))
        if fact["type"] == "pairing":
            values = sorted(values)
        keys.append((fact["type"], *values))
    return keys
