"""The statistics counted again, independently: plain Python over the records the world
generator made (``benchmarks.world.World``), for a scope (None: everything, or a list of
places: that place and below)."""

from __future__ import annotations

import datetime as dt

LEAF_KINDS = {"community", "village", "cooperative_living_area", "li"}
OPEN = {"open", "in_progress"}


def _in(path: str | None, places) -> bool:
    return places is None or bool(path) and any(path.startswith(p.path) for p in places)


class Count:
    def __init__(self, world, scope, years: list[int]):
        self.w, self.scope, self.years = world, scope, years
        self.path = {pk: p.path for pk, p in world.places.items()}

    def p(self, pk):
        return self.path.get(pk)

    # which records count
    def exchange_in_scope(self, e) -> bool:
        if self.scope is None:
            return True
        paths = [self.p(e.host_place_id), self.p(e.visiting_place_id)]
        paths += [self.p(g.host_place_id) for g in self.w.groups if g.exchange_id == e.pk]
        return any(_in(path, self.scope) for path in paths)

    def held_exchanges(self):
        return [
            e
            for e in self.w.exchanges
            if e.status == "held"
            and e.deleted_at is None
            and e.start_date.year in self.years
            and self.exchange_in_scope(e)
        ]

    def planned_exchanges(self):
        return [
            e
            for e in self.w.exchanges
            if e.status in ("planned", "confirmed")
            and e.deleted_at is None
            and e.start_date.year in self.years
            and self.exchange_in_scope(e)
        ]

    def pairing_in_scope(self, p) -> bool:
        return self.scope is None or any(
            _in(self.p(pk), self.scope) for pk in (p.place_a_id, p.place_b_id)
        )

    def held_pairings(self, *, all_years=False):
        return [
            p
            for p in self.w.pairings
            if p.status == "held"
            and self.pairing_in_scope(p)
            and (all_years or p.started_on.year in self.years)
        ]

    def held_appointments(self, *, all_years=False):
        return [
            a
            for a in self.w.appointments
            if a.status == "held"
            and a.deleted_at is None
            and (
                self.scope is None
                or _in(self.p(a.community_id), self.scope)
                or _in(self.p(a.person_place_id), self.scope)
            )
            and (all_years or a.appointed_on.year in self.years)
        ]

    # the figures
    def exchanges_per_year(self) -> dict[int, int]:
        out = dict.fromkeys(self.years, 0)
        for e in self.held_exchanges():
            out[e.start_date.year] += 1
        return out

    def planned_per_year(self) -> dict[int, int]:
        out = dict.fromkeys(self.years, 0)
        for e in self.planned_exchanges():
            out[e.start_date.year] += 1
        return out

    def people_per_year(self) -> dict[int, int]:
        held = {e.pk: e.start_date.year for e in self.held_exchanges()}
        people: dict[int, set] = {y: set() for y in self.years}
        for m in self.w.members:
            if m.exchange_id in held:
                people[held[m.exchange_id]].add(m.person_id)
        return {y: len(s) for y, s in people.items()}

    def places_per_year(self) -> dict[int, tuple[int, int]]:
        held = {e.pk: e.start_date.year for e in self.held_exchanges()}
        seen: dict[int, set] = {y: set() for y in self.years}

        def add(year, pk):
            if pk is not None and self.w.places[pk].kind in LEAF_KINDS:
                seen[year].add(pk)

        for a in self.w.activities:
            if a.exchange_id in held:
                add(held[a.exchange_id], a.place_id)
        for m in self.w.members:
            if m.exchange_id in held:
                add(held[m.exchange_id], m.home_place_id)
        for a in self.held_appointments():
            add(a.appointed_on.year, a.community_id)
            add(a.appointed_on.year, a.person_place_id)
        for p in self.held_pairings():
            add(p.started_on.year, p.place_a_id)
            add(p.started_on.year, p.place_b_id)
        side = {pk: self.w.places[pk].side_id for s in seen.values() for pk in s}
        return {
            y: (
                sum(1 for pk in s if side[pk] == "mainland"),
                sum(1 for pk in s if side[pk] == "taiwan"),
            )
            for y, s in seen.items()
        }

    def appointments_per_year(self) -> dict[int, int]:
        out = dict.fromkeys(self.years, 0)
        for a in self.held_appointments():
            out[a.appointed_on.year] += 1
        return out

    def appointments_cumulative(self) -> dict[int, int]:
        rows = self.held_appointments(all_years=True)
        return {y: sum(1 for a in rows if a.appointed_on.year <= y) for y in self.years}

    def pairings_per_year(self) -> dict[int, int]:
        out = dict.fromkeys(self.years, 0)
        for p in self.held_pairings():
            out[p.started_on.year] += 1
        return out

    def pairings_cumulative(self) -> dict[int, int]:
        rows = self.held_pairings(all_years=True)
        return {y: sum(1 for p in rows if p.started_on.year <= y) for y in self.years}

    def standing_and_ended(self) -> dict[int, tuple[int, int]]:
        rows = self.held_pairings(all_years=True)
        out = {}
        for y in self.years:
            end = dt.date(y, 12, 31)
            standing = sum(
                1 for p in rows if p.started_on <= end and (p.ended_on is None or p.ended_on > end)
            )
            ended = sum(1 for p in rows if p.ended_on is not None and p.ended_on.year == y)
            out[y] = (standing, ended)
        return out

    def topics(self) -> dict[str, int]:
        """Mentions per broader topic code (a narrower topic under its parent)."""
        held = {e.pk for e in self.held_exchanges()}
        by_pk = {t.pk: t for t in self.w.topics.values()}
        out: dict[str, int] = {}
        for m in self.w.mentions:
            if m.exchange_id in held and m.topic_id is not None:
                topic = by_pk[m.topic_id]
                if topic.parent_id is not None:
                    topic = by_pk[topic.parent_id]
                out[topic.code] = out.get(topic.code, 0) + 1
        return out

    def unfiled(self) -> int:
        held = {e.pk for e in self.held_exchanges()}
        return sum(1 for m in self.w.mentions if m.exchange_id in held and m.topic_id is None)

    def district_county_pairings(self) -> dict[tuple[str, str], int]:
        """Held pairings per (mainland district name, Taiwanese county name)."""
        out: dict[tuple[str, str], int] = {}
        for p in self.held_pairings():
            a, b = self.w.places[p.place_a_id], self.w.places[p.place_b_id]
            mainland, taiwan = (a, b) if a.side_id == "mainland" else (b, a)
            district = next(
                d for d in self.w.mainland_districts if mainland.path.startswith(d.path)
            )
            county = next(c for c in self.w.taiwan_counties if taiwan.path.startswith(c.path))
            key = (district.name, county.name)
            out[key] = out.get(key, 0) + 1
        return out

    def commitments(self, today: dt.date) -> dict[str, int]:
        held = {e.pk for e in self.held_exchanges()}
        pairings = {p.pk for p in self.held_pairings()}
        out = {"open": 0, "overdue": 0, "done": 0, "dropped": 0}
        for c in self.w.commitments:
            if not (c.exchange_id in held or (c.exchange_id is None and c.pairing_id in pairings)):
                continue
            if c.status in OPEN:
                # The one rule of an overdue commitment (Commitment.is_overdue_on).
                out["overdue" if c.is_overdue_on(today) else "open"] += 1
            else:
                out[c.status] += 1
        return out
