"""The itinerary laid out for reading: days, a time axis with a column per group, and the
conflict warnings in words. Used by the exchange page's itinerary section
(``exchanges/sections.py``) and by a group's printable timetable (``exchanges/views.py``).

How an activity's time is written (``time_label``) and the parts of the day are
``core/part_of_day.py``'s, shared with the forms and the documents."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from zoneinfo import ZoneInfo

from django.utils.translation import gettext as _

from civicbridge.core.choices import choice_labels
from civicbridge.core.part_of_day import DAY, time_label
from civicbridge.core.templatetags.script import name_filter, script_filter
from civicbridge.exchanges import dates
from civicbridge.exchanges.models import Activity

SLOT_MINUTES = 15
MAX_COLUMNS = 12  # exchanges.css has classes for up to 12 group columns


def conflict_messages(conflicts, tz: ZoneInfo) -> tuple[list[dict], dict[int, list[str]]]:
    """Readable conflict warnings (for the list at the top) and, per activity id, the
    warnings that concern it (for the badge on the activity). One overlap of two activities
    is one warning, naming the groups and people concerned (``selectors.itinerary_conflicts``
    says which overlaps are reported)."""
    rows = []
    by_activity: dict[int, list[str]] = defaultdict(list)
    for c in conflicts:
        text = _conflict_text(c)
        rows.append({"kind": c.kind, "text": text, "first": c.first, "second": c.second})
        by_activity[c.first.pk].append(text)
        if c.second is not None:
            by_activity[c.second.pk].append(text)
    return rows, dict(by_activity)


def _conflict_text(c) -> str:
    first = script_filter(c.first.title)
    if c.kind == "outside_dates":
        return _("“%(activity)s” lies outside the exchange's dates.") % {"activity": first}
    names = {"a": first, "b": script_filter(c.second.title)}
    if c.kind == "venue":
        return _("%(venue)s is used by two groups at once: “%(a)s” and “%(b)s”.") % {
            "venue": name_filter(c.venue),
            **names,
        }
    who = [script_filter(g.name) for g in c.groups] + [name_filter(p) for p in c.people]
    if len(who) == 1 and c.groups:
        text = _("%(group)s has two activities at once: “%(a)s” and “%(b)s”.") % {
            "group": who[0],
            **names,
        }
    elif len(who) == 1:
        text = _("%(person)s is in two activities at once: “%(a)s” and “%(b)s”.") % {
            "person": who[0],
            **names,
        }
    else:
        text = _("%(names)s are in two activities at once: “%(a)s” and “%(b)s”.") % {
            "names": _names(who),
            **names,
        }
    if c.venue is not None:
        text += " " + _("Both are at %(venue)s.") % {"venue": name_filter(c.venue)}
    return text


def _names(names: list[str]) -> str:
    """甲、乙和丙 / 甲, 乙 and 丙, in the reader's language."""
    listed = names[0]
    for name in names[1:-1]:
        listed = _("%(names)s, %(next)s") % {"names": listed, "next": name}
    return _("%(names)s and %(last)s") % {"names": listed, "last": names[-1]}


def build_days(exchange, activities, groups, conflicts_by_activity=None, only_group=None):
    """Activities grouped by local day, each with its time label, its title in the reader's
    script (``title``: converted once, shown in the list, the time axis and the buttons'
    labels) and its place on the time axis (grid rows of 15 minutes, one column per group)."""
    kinds = choice_labels(Activity, "kind")
    tz = ZoneInfo(exchange.timezone)
    conflicts_by_activity = conflicts_by_activity or {}
    groups = list(groups)
    by_columns = bool(groups) and only_group is None and len(groups) <= MAX_COLUMNS
    columns = groups if by_columns else [None]
    col_of = {g.pk: i + 1 for i, g in enumerate(groups)} if by_columns else {}
    by_day: dict[dt.date, list] = defaultdict(list)
    for a in activities:
        if a.starts_at is None:  # not yet scheduled: ``unscheduled_items``, never the grid
            continue
        a_groups = list(a.groups.all())
        if only_group is not None and a_groups and only_group.pk not in {g.pk for g in a_groups}:
            continue
        start = a.starts_at.astimezone(tz)
        end = a.ends_at.astimezone(tz)
        by_day[start.date()].append(
            {
                "activity": a,
                "title": script_filter(a.title),
                "kind_label": kinds.get(a.kind, a.kind),
                "start": start,
                "end": end,
                "label": time_label(a, tz),
                "groups": a_groups,
                "conflicts": conflicts_by_activity.get(a.pk, []),
            }
        )
    days = []
    first, last = dates.bounds(exchange)
    all_days = sorted(set(by_day) | set(dates.known_days(exchange)))
    for day in all_days:
        items = by_day.get(day, [])
        timed = [i for i in items if i["activity"].time_precision != DAY]
        first_hour = min([i["start"].hour for i in timed], default=9)
        last_hour = max(
            [
                (i["end"].hour + (1 if i["end"].minute else 0)) if i["end"].date() == day else 24
                for i in timed
            ],
            default=17,
        )
        first_hour = min(first_hour, 8)
        last_hour = max(last_hour, first_hour + 4)
        blocks = []
        for i in timed:
            row_start = _slot(i["start"], first_hour, day)
            row_end = max(_slot(i["end"], first_hour, day, end=True), row_start + 1)
            if not i["groups"] or not col_of:
                spans = [(1, len(columns) + 1)]
            else:
                cols = sorted(col_of[g.pk] for g in i["groups"] if g.pk in col_of)
                spans = _runs(cols)
            for c0, c1 in spans:
                blocks.append(
                    {
                        **i,
                        "row_start": row_start + 2,
                        "row_end": row_end + 2,
                        "col": c0,
                        "col_end": c1,
                    }
                )
        untimed = [i for i in items if i["activity"].time_precision == DAY]
        heads = []
        for index, column in enumerate(columns, start=1):
            mine = [
                i
                for i in untimed
                if column is None
                or not i["groups"]
                or index in {col_of.get(g.pk) for g in i["groups"]}
            ]
            heads.append({"group": column, "untimed": mine})
        hours = [
            {"hour": h, "row": (h - first_hour) * (60 // SLOT_MINUTES) + 2}
            for h in range(first_hour, last_hour)
        ]
        days.append(
            {
                "date": day,
                "items": items,
                "blocks": blocks,
                "hours": hours,
                "slots": (last_hour - first_hour) * (60 // SLOT_MINUTES),
                "columns": columns,
                "heads": heads,
                "outside": not dates.within_bounds(day, first, last),
            }
        )
    return days


def unscheduled_items(activities, only_group=None) -> list[dict]:
    """The activities not yet scheduled (no times), for their own "Not yet scheduled"
    block: never in the time grid, the calendars or the conflict checks."""
    kinds = choice_labels(Activity, "kind")
    out = []
    for a in activities:
        if a.starts_at is not None:
            continue
        a_groups = list(a.groups.all())
        if only_group is not None and a_groups and only_group.pk not in {g.pk for g in a_groups}:
            continue
        out.append(
            {
                "activity": a,
                "title": script_filter(a.title),
                "kind_label": kinds.get(a.kind, a.kind),
                "label": "—",  # under the block's heading "Not yet scheduled"
                "groups": a_groups,
                "conflicts": [],
            }
        )
    return out


def _slot(moment: dt.datetime, first_hour: int, day: dt.date, end: bool = False) -> int:
    if moment.date() > day:
        minutes = 24 * 60
    elif moment.date() < day:
        minutes = 0
    else:
        minutes = moment.hour * 60 + moment.minute
    minutes -= first_hour * 60
    minutes = max(minutes, 0)
    return (minutes + (SLOT_MINUTES - 1 if end else 0)) // SLOT_MINUTES


def _runs(cols: list[int]) -> list[tuple[int, int]]:
    runs: list[tuple[int, int]] = []
    for c in cols:
        if runs and runs[-1][1] == c:
            runs[-1] = (runs[-1][0], c + 1)
        else:
            runs.append((c, c + 1))
    return runs
