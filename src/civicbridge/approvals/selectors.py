"""Reads of the reception plan (接待方案) that the plan page, the exchange page's panel, the
API and the documents share: the plan as generated from the record, its snapshot (what an
approval keeps) and the changes made since the approval.

The number of queries does not grow with the itinerary, the roster or the cost lines
(``plan_data``: the exchange's members and groups are read from its prefetch when given)."""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass, field
from decimal import Decimal
from zoneinfo import ZoneInfo

from django.db.models import Prefetch
from django.utils.translation import gettext as _

from civicbridge.approvals.models import CostLine, PlanStatus, PlanStep, ReceptionPlan
from civicbridge.core import part_of_day
from civicbridge.exchanges import dates
from civicbridge.exchanges.models import (
    Activity,
    ActivityKind,
    Exchange,
    ExchangeStatus,
    Member,
    MemberRole,
    Side,
)

CENT = Decimal("0.01")


def plan_exchange(pk: int) -> Exchange:
    """The exchange of a plan page, with what the plan reads of it (raises DoesNotExist)."""
    return (
        Exchange.objects.alive()
        .select_related("visiting_organisation", "visiting_place", "host_place")
        .prefetch_related(
            Prefetch("members", queryset=Member.objects.select_related("person")),
            "groups",
        )
        .get(pk=pk)
    )


def plan_of(exchange: Exchange) -> ReceptionPlan | None:
    """The exchange's stored plan, or None before anything was written to it."""
    return (
        ReceptionPlan.objects.select_related("submitted_by", "decided_by")
        .filter(exchange=exchange)
        .first()
    )


def money(value) -> str:
    return str(Decimal(value or 0).quantize(CENT))


def itinerary(exchange: Exchange, *, held_only: bool = False) -> list[Activity]:
    """The exchange's activities in time order (the unscheduled last), with their place,
    venue, hosts and groups: three queries."""
    activities = (
        Activity.objects.filter(exchange=exchange)
        .select_related("place", "venue")
        .prefetch_related("hosts", "groups")
    )
    if held_only:
        activities = activities.filter(status=ExchangeStatus.HELD)
    out = list(activities)
    out.sort(key=lambda a: (a.starts_at is None, a.starts_at or dt.datetime.min, a.order, a.pk))
    return out


def where_of(activity: Activity) -> str:
    """The activity's venue and place as entered (the venue first)."""
    parts = [str(activity.venue) if activity.venue_id else ""]
    if activity.place_id:
        parts.append(str(activity.place))
    return " · ".join(dict.fromkeys(p for p in parts if p))


def hosts_of(activity: Activity) -> list[str]:
    return [str(p) for p in activity.hosts.all()]


def _visiting_members(exchange: Exchange) -> list[Member]:
    return [m for m in exchange.members.all() if m.side == Side.VISITING]


def leader_member(exchange: Exchange) -> Member | None:
    """The delegation's leader (团长): the visiting side's, else the host side's."""
    members = exchange.members.all()
    for side in (Side.VISITING, Side.HOST):
        for m in members:
            if m.role == MemberRole.LEADER and m.side == side:
                return m
    return None


def leader_of(exchange: Exchange) -> str:
    leader = leader_member(exchange)
    return str(leader.person) if leader is not None else ""


def plan_snapshot(exchange: Exchange, cost_lines, activities) -> dict:
    """What an approval keeps (and what is compared with it later): the party, the size,
    the dates, every itinerary line and every cost line, as stored (names as entered,
    times in ISO form)."""
    lines = []
    for a in activities:
        lines.append(
            {
                "id": a.pk,
                "title": a.title,
                "kind": a.kind,
                "starts_at": a.starts_at.isoformat() if a.starts_at else None,
                "ends_at": a.ends_at.isoformat() if a.ends_at else None,
                "precision": a.time_precision,
                "where": where_of(a),
                "hosts": hosts_of(a),
            }
        )
    costs = [
        {
            "id": c.pk,
            "category": c.category,
            "description": c.description,
            "quantity": money(c.quantity),
            "unit_price": money(c.unit_price),
            "amount": money(c.amount),
        }
        for c in cost_lines
    ]
    return {
        "party": {
            "visiting_organisation": str(exchange.visiting_organisation or ""),
            "visiting_place": str(exchange.visiting_place or ""),
            "delegation": exchange.delegation_name,
            "leader": leader_of(exchange),
        },
        "size": {
            "members": len(_visiting_members(exchange)),
            "groups": len(exchange.groups.all()),
            "declared": exchange.declared_headcount,
        },
        "dates": {
            "start": exchange.start_date.isoformat() if exchange.start_date else None,
            "end": exchange.end_date.isoformat() if exchange.end_date else None,
        },
        "itinerary": lines,
        "costs": costs,
        "total": money(sum((c.amount for c in cost_lines), Decimal(0))),
    }


# --- the changes since the approval ----------------------------------------------------------


def _moment(value: str | None, tz: ZoneInfo) -> dt.datetime | None:
    return dt.datetime.fromisoformat(value).astimezone(tz) if value else None


def _day_time(moment: dt.datetime | None) -> str:
    if moment is None:
        return str(part_of_day.UNSCHEDULED)
    day = f"{moment.month}月{moment.day}日" if dates._chinese_reader() else f"{moment:%d %b}"
    return f"{day} {moment:%H:%M}"


def _moved(before: dict, after: dict, tz: ZoneInfo) -> str | None:
    start0, start1 = _moment(before["starts_at"], tz), _moment(after["starts_at"], tz)
    end0, end1 = _moment(before["ends_at"], tz), _moment(after["ends_at"], tz)
    if start0 != start1:
        old = _day_time(start0)
        new = (
            f"{start1:%H:%M}"
            if start0 is not None and start1 is not None and start0.date() == start1.date()
            else _day_time(start1)
        )
        return _("Activity “%(title)s” moved from %(before)s to %(after)s") % {
            "title": after["title"],
            "before": old,
            "after": new,
        }
    if end0 != end1:
        return _("Activity “%(title)s” now ends at %(after)s (was %(before)s)") % {
            "title": after["title"],
            "before": _day_time(end0),
            "after": _day_time(end1),
        }
    return None


def _arrow(label: str, before, after) -> str:
    def shown(value):
        if value in (None, "", []):
            return "—"
        return "、".join(value) if isinstance(value, list) else str(value)

    return _("%(what)s: %(before)s → %(after)s") % {
        "what": label,
        "before": shown(before),
        "after": shown(after),
    }


def plan_changes(then: dict, now: dict, zone: str) -> list[str]:
    """What changed between the approved snapshot ``then`` and the record ``now``, one
    sentence each, in the reader's language (names as entered; the template shows them in
    the reader's script)."""
    tz = ZoneInfo(zone)
    out: list[str] = []
    labels = {
        "visiting_organisation": _("Visiting organisation"),
        "visiting_place": _("Visiting place"),
        "delegation": _("Delegation"),
        "leader": _("Leader"),
    }
    for key, label in labels.items():
        if then["party"].get(key) != now["party"].get(key):
            out.append(_arrow(label, then["party"].get(key), now["party"].get(key)))
    for key, label in (
        ("members", _("Number of members")),
        ("groups", _("Groups")),
        ("declared", _("Declared headcount")),
    ):
        if then["size"].get(key) != now["size"].get(key):
            out.append(_arrow(label, then["size"].get(key), now["size"].get(key)))
    if then["dates"] != now["dates"]:

        def span(d):
            return " – ".join(x for x in (d.get("start"), d.get("end")) if x)

        out.append(_arrow(_("Dates"), span(then["dates"]), span(now["dates"])))
    before = {line["id"]: line for line in then["itinerary"]}
    after = {line["id"]: line for line in now["itinerary"]}
    for pk, line in after.items():
        old = before.get(pk)
        if old is None:
            out.append(
                _("Activity “%(title)s” added (%(when)s)")
                % {"title": line["title"], "when": _day_time(_moment(line["starts_at"], tz))}
            )
            continue
        if old["title"] != line["title"]:
            out.append(
                _("Activity “%(before)s” renamed “%(after)s”")
                % {"before": old["title"], "after": line["title"]}
            )
        moved = _moved(old, line, tz)
        if moved:
            out.append(moved)
        if old["where"] != line["where"]:
            out.append(
                _arrow(
                    _("Place of “%(title)s”") % {"title": line["title"]},
                    old["where"],
                    line["where"],
                )
            )
        if old["hosts"] != line["hosts"]:
            out.append(
                _arrow(
                    _("Hosts of “%(title)s”") % {"title": line["title"]},
                    old["hosts"],
                    line["hosts"],
                )
            )
    for pk, line in before.items():
        if pk not in after:
            out.append(_("Activity “%(title)s” removed") % {"title": line["title"]})
    costs0 = {c["id"]: c for c in then["costs"]}
    costs1 = {c["id"]: c for c in now["costs"]}
    for pk, line in costs1.items():
        old = costs0.get(pk)
        if old is None:
            out.append(
                _("Cost line “%(description)s” added (%(amount)s)")
                % {"description": line["description"], "amount": line["amount"]}
            )
        elif (old["description"], old["category"], old["quantity"], old["unit_price"]) != (
            line["description"],
            line["category"],
            line["quantity"],
            line["unit_price"],
        ):
            out.append(
                _arrow(
                    _("Cost line “%(description)s”") % {"description": line["description"]},
                    f"{old['quantity']} × {old['unit_price']} = {old['amount']}",
                    f"{line['quantity']} × {line['unit_price']} = {line['amount']}",
                )
            )
    for pk, line in costs0.items():
        if pk not in costs1:
            out.append(
                _("Cost line “%(description)s” removed (%(amount)s)")
                % {"description": line["description"], "amount": line["amount"]}
            )
    if then["total"] != now["total"]:
        out.append(_arrow(_("Total cost"), then["total"], now["total"]))
    return out


# --- the plan as a page, a panel, the API and the documents read it ---------------------------


@dataclass
class PlanLine:
    activity: Activity
    day: dt.date | None
    time: str
    where: str
    hosts: list[str]
    meal: bool


@dataclass
class PlanData:
    exchange: Exchange
    plan: ReceptionPlan  # unsaved (a draft) when nothing was written yet
    lines: list[PlanLine]
    cost_lines: list[CostLine]
    total: Decimal
    steps: list[PlanStep]
    snapshot: dict
    changes: list[str] = field(default_factory=list)
    members: list[Member] = field(default_factory=list)

    @property
    def status(self) -> str:
        return self.plan.status

    @property
    def needs_reapproval(self) -> bool:
        return self.plan.status == PlanStatus.APPROVED and bool(self.changes)

    @property
    def meals(self) -> list[PlanLine]:
        return [line for line in self.lines if line.meal]

    @property
    def venues(self) -> list[str]:
        return list(dict.fromkeys(line.where for line in self.lines if line.where))

    @property
    def dates_label(self) -> str:
        return dates.dates_label(self.exchange)

    @property
    def leader(self) -> str:
        return leader_of(self.exchange)

    @property
    def groups(self) -> list:
        return list(self.exchange.groups.all())

    @property
    def actual_total(self) -> Decimal:
        return sum(
            (c.actual_amount if c.actual_amount is not None else c.amount for c in self.cost_lines),
            Decimal(0),
        )


def _lines(exchange: Exchange, activities: list[Activity]) -> list[PlanLine]:
    tz = ZoneInfo(exchange.timezone)
    out = []
    for a in activities:
        out.append(
            PlanLine(
                activity=a,
                day=a.starts_at.astimezone(tz).date() if a.starts_at else None,
                time=part_of_day.time_label(a, tz, words=part_of_day.CHINESE),
                where=where_of(a),
                hosts=hosts_of(a),
                meal=a.kind == ActivityKind.MEAL,
            )
        )
    return out


def plan_data(exchange: Exchange, *, held_only: bool = False, with_steps: bool = True) -> PlanData:
    """The plan of ``exchange`` as generated from the record now, with its cost lines,
    history and the changes since its approval. ``held_only``: the reception list's lines
    (the activities held). ``exchange`` should come with its members (and their people) and
    groups prefetched (``plan_exchange``; the exchange page's does)."""
    plan = plan_of(exchange) or ReceptionPlan(exchange=exchange)
    plan.exchange = exchange
    activities = itinerary(exchange, held_only=held_only)
    cost_lines = list(plan.cost_lines.all()) if plan.pk else []
    steps = list(plan.steps.all()) if plan.pk and with_steps else []
    snapshot = plan_snapshot(exchange, cost_lines, activities)
    data = PlanData(
        exchange=exchange,
        plan=plan,
        lines=_lines(exchange, activities),
        cost_lines=cost_lines,
        total=sum((c.amount for c in cost_lines), Decimal(0)),
        steps=steps,
        snapshot=snapshot,
        members=_visiting_members(exchange),
    )
    if plan.approved_snapshot and not held_only:
        data.changes = plan_changes(json.loads(plan.approved_snapshot), snapshot, exchange.timezone)
    return data


def current_snapshot(exchange: Exchange, plan: ReceptionPlan) -> dict:
    """The snapshot of the record now (for an approval, and to know whether anything
    changed since the last one)."""
    cost_lines = list(plan.cost_lines.all()) if plan.pk else []
    return plan_snapshot(exchange, cost_lines, itinerary(exchange))
