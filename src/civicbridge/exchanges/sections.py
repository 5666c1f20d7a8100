"""Sections of the exchange page, and a registry so other apps can add their own.

The exchange page (``/exchanges/<id>/``) is a column of sections. Exchanges registers its own
(overview, roster, groups, itinerary, gifts, photos) here; higher apps (forums, pairings)
register theirs from their ``AppConfig.ready()`` without exchanges importing them::

    # pairings/apps.py
    class PairingsConfig(AppConfig):
        def ready(self):
            from django.utils.translation import gettext_lazy as _
            from civicbridge.exchanges.sections import register_section

            def appointments_context(request, exchange):
                return {"appointments": list(exchange.appointments.select_related("person"))}

            register_section(
                "appointments",
                title=_("Appointments"),
                order=60,
                template="pairings/sections/appointments.html",
                context=appointments_context,
            )

``register_section(key, *, title, order, template, context=None)``

- ``key``: a slug, unique; also the HTML id of the section (``id="section-<key>"``) and the
  anchor forms redirect to (``/exchanges/<id>/#section-<key>``). Registering a key again
  replaces the earlier registration (harmless when ``ready()`` runs twice).
- ``title``: the section's heading (``<h2>``), a lazy translation.
- ``order``: where it goes. Built-in: overview 10, roster 20, groups 30, itinerary 40,
  forums 50, appointments 60, gifts 70, photos 80, commitments 90.
- ``template``: rendered inside ``<section class="card exchange-section">`` after the
  ``<h2>``; it must not render an ``<h1>`` or its own ``<h2>`` title.
- ``context(request, exchange) -> dict``: extra template variables. Keep the number of
  queries fixed (select_related / prefetch_related): the exchange page has a query-count
  test. The template always receives ``exchange`` (with members, groups and organisations
  prefetched: use ``exchange.members.all`` and ``exchange.groups.all``, no new queries),
  ``section`` (the Section), ``request``, ``user`` and ``can_edit`` (bool: the user may
  change the exchange, ``exchanges.change_exchange``). Narrower rights (a group, an
  activity, the roster) are computed by the section itself: see ``editable_activity_ids``.

Reusable pieces for section forms: ``civicbridge.exchanges.forms.LookupField`` /
``LookupMultipleField`` (type-ahead over people, places or organisations), and
``templates/exchanges/includes/form.html`` (a form that posts with HTMX and swaps its own
errors in place; see that file). A form view can use
``civicbridge.exchanges.views.form_response`` for the same behaviour as exchanges' forms.

``sections_for(request, exchange)`` returns the rendered-ready list used by the page, and
``render_section(request, exchange, key)`` renders one section (for HTMX refreshes).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from zoneinfo import ZoneInfo

from django.template.loader import render_to_string
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

ContextFn = Callable[[object, object], dict]


@dataclass(frozen=True)
class Section:
    key: str
    title: object
    order: int
    template: str
    context: ContextFn | None = field(default=None, compare=False)


_registry: dict[str, Section] = {}


def register_section(
    key: str, *, title, order: int, template: str, context: ContextFn | None = None
) -> Section:
    """Add (or replace) a section of the exchange page. See the module docstring."""
    if not key or not key.replace("_", "").replace("-", "").isalnum():
        raise ValueError(f"A section key is a slug, not {key!r}")
    section = Section(key=key, title=title, order=order, template=template, context=context)
    _registry[key] = section
    return section


def unregister_section(key: str) -> None:
    _registry.pop(key, None)


def registered_sections() -> list[Section]:
    return sorted(_registry.values(), key=lambda s: (s.order, s.key))


def get_section(key: str) -> Section | None:
    return _registry.get(key)


def section_context(request, exchange, section: Section, base: dict | None = None) -> dict:
    ctx = dict(base or {})
    ctx.update({"exchange": exchange, "section": section})
    if section.context is not None:
        ctx.update(section.context(request, exchange) or {})
    return ctx


def sections_for(request, exchange, base: dict | None = None) -> list[dict]:
    """Each registered section with its rendered HTML, in order."""
    sections = registered_sections()
    contexts = [section_context(request, exchange, section, base) for section in sections]
    html = render_many(
        request, [(s.template, ctx) for s, ctx in zip(sections, contexts, strict=True)]
    )
    return [
        {"key": section.key, "title": section.title, "html": text}
        for section, text in zip(sections, html, strict=True)
    ]


def render_many(request, items: list[tuple[str, dict]]) -> list[str]:
    """``render_to_string(name, ctx, request=request)`` for each ``(name, ctx)``, sharing one
    RequestContext: the context processors run once for all the sections, not once each."""
    if request is None or not items:
        return [render_to_string(name, ctx) for name, ctx in items]
    from django.template import RequestContext
    from django.template.loader import get_template

    templates = [get_template(name).template for name, _ctx in items]
    context = RequestContext(request, autoescape=templates[0].engine.autoescape)
    out = []
    with context.bind_template(templates[0]):
        for template, (_name, ctx) in zip(templates, items, strict=True):
            with context.push(ctx):
                out.append(template.render(context))
    return out


def render_section(request, exchange, key: str, base: dict | None = None) -> str:
    section = _registry[key]
    ctx = section_context(request, exchange, section, base)
    return render_to_string(section.template, ctx, request=request)


# --- URLs for many rows without a reverse() per row -----------------------------------------

_SENTINELS = (2147483641, 2147483643, 2147483647)


def url_template(viewname: str, *fixed, trailing: int = 1) -> Callable[..., str]:
    """``reverse()`` once for a list of rows: returns ``fill(*ids)`` giving the URL of
    ``viewname`` with ``fixed`` arguments followed by ``trailing`` integer ids. Same result as
    ``reverse(viewname, args=[*fixed, *ids])`` (a test checks it), at a string replace."""
    from django.urls import reverse

    marks = [str(n) for n in _SENTINELS[:trailing]]
    pattern = reverse(viewname, args=[*fixed, *_SENTINELS[:trailing]])

    def fill(*ids) -> str:
        url = pattern
        for mark, value in zip(marks, ids, strict=True):
            url = url.replace(mark, str(int(value)), 1)
        return url

    return fill


def choice_labels(model, field_name: str) -> dict:
    """``{value: label}`` of a field's choices in the current language, for many rows at once
    (``get_FOO_display()`` per row rebuilds and hashes the whole list of lazy labels)."""
    return {value: str(label) for value, label in model._meta.get_field(field_name).flatchoices}


# --- the itinerary: days, a time axis, conflicts ------------------------------------------

PART_OF_DAY_NOON = 12
PART_OF_DAY_EVENING = 18


def part_of_day_label(local_start: dt.datetime) -> str:
    if local_start.hour < PART_OF_DAY_NOON:
        return _("Morning (上午)")
    if local_start.hour < PART_OF_DAY_EVENING:
        return _("Afternoon (下午)")
    return _("Evening (晚上)")


def time_label(activity, tz: ZoneInfo) -> str:
    """How an activity's time is shown: exact times, 上午/下午, or nothing for a date only."""
    from civicbridge.exchanges.models import TimePrecision

    start = activity.starts_at.astimezone(tz)
    end = activity.ends_at.astimezone(tz)
    if activity.time_precision == TimePrecision.PART_OF_DAY:
        return part_of_day_label(start)
    if activity.time_precision == TimePrecision.DAY:
        return _("Time not recorded")
    if start.date() != end.date():
        return f"{start:%H:%M} – {end:%m-%d %H:%M}"
    return f"{start:%H:%M}–{end:%H:%M}"


def conflict_messages(conflicts, tz: ZoneInfo) -> tuple[list[dict], dict[int, list[str]]]:
    """Readable conflict warnings (for the list at the top) and, per activity id, the
    warnings that concern it (for the badge on the activity)."""
    from civicbridge.core.templatetags.script import name_filter, script_filter

    rows = []
    by_activity: dict[int, list[str]] = defaultdict(list)
    for c in conflicts:
        first = script_filter(c.first.title)
        second = script_filter(c.second.title) if c.second is not None else ""
        if c.kind == "outside_dates":
            text = _("“%(activity)s” lies outside the exchange's dates.") % {"activity": first}
        elif c.kind == "person":
            text = _("%(person)s is in two activities at once: “%(a)s” and “%(b)s”.") % {
                "person": name_filter(c.subject),
                "a": first,
                "b": second,
            }
        elif c.kind == "group":
            text = _("%(group)s has two activities at once: “%(a)s” and “%(b)s”.") % {
                "group": script_filter(c.subject.name),
                "a": first,
                "b": second,
            }
        else:
            text = _("%(venue)s is used by two groups at once: “%(a)s” and “%(b)s”.") % {
                "venue": name_filter(c.subject),
                "a": first,
                "b": second,
            }
        rows.append({"kind": c.kind, "text": text, "first": c.first, "second": c.second})
        by_activity[c.first.pk].append(text)
        if c.second is not None:
            by_activity[c.second.pk].append(text)
    return rows, dict(by_activity)


SLOT_MINUTES = 15
MAX_COLUMNS = 12  # exchanges.css has classes for up to 12 group columns


def build_days(exchange, activities, groups, conflicts_by_activity=None, only_group=None):
    """Activities grouped by local day, each with its time label, its title in the reader's
    script (``title``: converted once, shown in the list, the time axis and the buttons'
    labels) and its place on the time axis (grid rows of 15 minutes, one column per group)."""
    from civicbridge.core.templatetags.script import script_filter
    from civicbridge.exchanges.models import Activity

    kinds = choice_labels(Activity, "kind")
    tz = ZoneInfo(exchange.timezone)
    conflicts_by_activity = conflicts_by_activity or {}
    groups = list(groups)
    by_columns = bool(groups) and only_group is None and len(groups) <= MAX_COLUMNS
    columns = groups if by_columns else [None]
    col_of = {g.pk: i + 1 for i, g in enumerate(groups)} if by_columns else {}
    by_day: dict[dt.date, list] = defaultdict(list)
    for a in activities:
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
    all_days = sorted(
        set(by_day) | {exchange.start_date + dt.timedelta(d) for d in range(_span(exchange))}
    )
    for day in all_days:
        items = by_day.get(day, [])
        timed = [i for i in items if i["activity"].time_precision != "day"]
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
        untimed = [i for i in items if i["activity"].time_precision == "day"]
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
                "outside": not (exchange.start_date <= day <= exchange.end_date),
            }
        )
    return days


def _span(exchange) -> int:
    return min((exchange.end_date - exchange.start_date).days + 1, 31)


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


# --- who may edit what, without a query per record ----------------------------------------


def editable_activity_ids(user, exchange, activities) -> set[int]:
    """The ids of the ``activities`` (of ``exchange``) that ``user`` may change or delete:
    ``exchanges.change_activity`` answered for all of them at once.

    The rule (accounts.rules.organises_activity) reads each activity's groups with a query;
    here the groups' host districts come from ``exchange.groups`` (prefetched with their
    host places by ``selectors.exchange_detail``) and the activities' prefetched groups, so
    the page's number of queries does not grow with the itinerary. Same answer as
    ``user.has_perm("exchanges.change_activity", activity)`` for each (a test checks it)."""
    activities = list(activities)
    if not activities or not user.has_perm("exchanges.change_activity"):
        return set()
    from civicbridge.accounts.rules import roles_of

    roles = roles_of(user)
    if roles.admin:
        return {a.pk for a in activities}
    paths = roles.organiser_paths

    def within(path) -> bool:
        return bool(path) and any(path.startswith(p) for p in paths)

    group_paths = {g.pk: g.host_place.path for g in exchange.groups.all()}
    exchange_paths = [exchange.host_place.path, *group_paths.values()]
    whole = any(within(p) for p in exchange_paths)
    out = set()
    for a in activities:
        mine = [group_paths.get(g.pk) for g in a.groups.all()]
        if any(within(p) for p in mine) if mine else whole:
            out.add(a.pk)
    return out


def editable_group_ids(user, exchange) -> set[int]:
    """The ids of the exchange's groups ``user`` may change (``exchanges.change_group``),
    from the prefetched groups (no query per group)."""
    if not user.has_perm("exchanges.change_group"):
        return set()
    return {g.pk for g in exchange.groups.all() if user.has_perm("exchanges.change_group", g)}


# --- the built-in sections ---------------------------------------------------------------


def _members(exchange):
    return list(exchange.members.all())


def exchange_activities(exchange) -> list:
    """The exchange's activities (``selectors.activities_for``: place, venue, groups, hosts
    and participants loaded), read once per exchange object: the itinerary and the forums
    sections of one page share them. Views pass a freshly read exchange after a change."""
    cached = exchange.__dict__.get("_page_activities")
    if cached is None:
        from civicbridge.exchanges import selectors

        cached = list(selectors.activities_for(exchange))
        exchange.__dict__["_page_activities"] = cached
    return cached


def _groups(exchange):
    return list(exchange.groups.all())


def overview_context(request, exchange) -> dict:
    from civicbridge.exchanges.models import ExchangeOrganisation

    orgs = list(exchange.organisations.all())
    members = _members(exchange)
    return {
        "escorts": [o for o in orgs if o.role == ExchangeOrganisation.Role.ESCORT],
        "hosts_orgs": [o for o in orgs if o.role == ExchangeOrganisation.Role.HOST],
        "co_organisers": [o for o in orgs if o.role == ExchangeOrganisation.Role.CO_ORGANISER],
        "named_count": len(members),
        "leaders": [m for m in members if m.role in ("leader", "deputy_leader")],
        "host_members": [m for m in members if m.side == "host"],
    }


def roster_context(request, exchange) -> dict:
    from civicbridge.exchanges import forms

    members = _members(exchange)
    # The roster: the exchange's organisers and the visiting organisation's coordinator.
    can_edit_members = request.user.has_perm("exchanges.change_member", exchange)
    from civicbridge.exchanges.models import Member

    roles = choice_labels(Member, "role")
    rows = [{"member": m, "role": roles.get(m.role, m.role)} for m in members]
    if can_edit_members:
        # "Edit" loads the member's form into the roster (it also offers the removal).
        edit_url = url_template("exchanges:member_edit", exchange.pk)
        for row in rows:
            row["edit_url"] = edit_url(row["member"].pk)
    return {
        "rows": rows,
        # The add form is open (and rendered) only while the roster is empty; otherwise it
        # is fetched when its disclosure is opened (exchanges/includes/lazy_form.html).
        "member_form": (
            forms.MemberAddForm(exchange=exchange) if can_edit_members and not members else None
        ),
        "members": members,
        "named_count": len(members),
        "visiting": [m for m in members if m.side == "visiting"],
        "host_side": [m for m in members if m.side == "host"],
        "can_edit_members": can_edit_members,
    }


def groups_context(request, exchange) -> dict:
    members = _members(exchange)
    by_group = defaultdict(list)
    for m in members:
        by_group[m.group_id].append(m)
    groups = _groups(exchange)
    editable = editable_group_ids(request.user, exchange)
    page_url = url_template("exchanges:group", exchange.pk)
    edit_url = url_template("exchanges:group_edit", exchange.pk)
    return {
        "groups": [
            {
                "group": g,
                "members": by_group.get(g.pk, []),
                "url": page_url(g.pk),
                "edit_url": edit_url(g.pk) if g.pk in editable else "",
            }
            for g in groups
        ],
        "ungrouped": by_group.get(None, []),
        "members": members,
        "editable_groups": editable,
    }


def itinerary_context(request, exchange) -> dict:
    from civicbridge.exchanges import forms, selectors

    tz = ZoneInfo(exchange.timezone)
    activities = exchange_activities(exchange)
    conflicts = selectors.itinerary_conflicts(exchange, activities)
    rows, by_activity = conflict_messages(conflicts, tz)
    groups = _groups(exchange)
    can_add = request.user.has_perm("exchanges.add_activity", exchange)
    editable = editable_activity_ids(request.user, exchange, activities)
    days = build_days(exchange, activities, groups, by_activity)
    if editable:
        # "Edit" and "Move" load their form into the activity (the edit form also offers
        # the removal); the URLs are made without a reverse() per activity.
        edit_url = url_template("exchanges:activity_edit", exchange.pk)
        move_url = url_template("exchanges:activity_move", exchange.pk)
        for day in days:
            for item in day["items"]:
                pk = item["activity"].pk
                if pk in editable:
                    item["edit_url"] = edit_url(pk)
                    item["move_url"] = move_url(pk)
    page_url = url_template("exchanges:group", exchange.pk)
    return {
        "activities": activities,
        "days": days,
        "conflicts": rows,
        "tz": exchange.timezone,
        "groups_list": [{"group": g, "url": page_url(g.pk)} for g in groups],
        "can_add_activity": can_add,
        "editable_activities": editable,
        # Rendered (open) only while the itinerary is empty; otherwise fetched on demand.
        "activity_form": (
            forms.ActivityForm(
                initial={"day": exchange.start_date, "time_precision": "exact"}, exchange=exchange
            )
            if can_add and not activities
            else None
        ),
    }


def gifts_context(request, exchange) -> dict:
    gifts = list(
        exchange.gifts.select_related(
            "activity",
            "giver_person",
            "giver_organisation",
            "recipient_person",
            "recipient_organisation",
        )
    )
    return {"gifts": gifts}


def photos_context(request, exchange) -> dict:
    return {"photos": list(exchange.photos.select_related("activity"))}


register_section(
    "overview",
    title=gettext_lazy("Overview"),
    order=10,
    template="exchanges/sections/overview.html",
    context=overview_context,
)
register_section(
    "roster",
    title=gettext_lazy("Roster"),
    order=20,
    template="exchanges/sections/roster.html",
    context=roster_context,
)
register_section(
    "groups",
    title=gettext_lazy("Groups"),
    order=30,
    template="exchanges/sections/groups.html",
    context=groups_context,
)
register_section(
    "itinerary",
    title=gettext_lazy("Itinerary"),
    order=40,
    template="exchanges/sections/itinerary.html",
    context=itinerary_context,
)
register_section(
    "gifts",
    title=gettext_lazy("Gifts"),
    order=70,
    template="exchanges/sections/gifts.html",
    context=gifts_context,
)
register_section(
    "photos",
    title=gettext_lazy("Photos"),
    order=80,
    template="exchanges/sections/photos.html",
    context=photos_context,
)
