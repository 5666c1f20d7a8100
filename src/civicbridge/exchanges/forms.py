"""Forms of the organiser's exchange pages. They parse and check input; the services do the
writing (and their ValidationErrors are put back on the fields with ``apply_errors``).

``LookupField`` / ``LookupMultipleField`` choose people, places or organisations with a
type-ahead (exchanges.js fetches the directory's JSON lookups) instead of a giant select.
Without JavaScript, or when the user typed a name without picking it, the typed text is
resolved on the server: one match is taken, several or none give an error on the field.
The typed text is always redisplayed.
"""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from django import forms
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from civicbridge.core.forms import DateField, ModelMultipleChoiceField, db_ids
from civicbridge.directory.models import Organisation, Person, Place, PlaceKind
from civicbridge.exchanges.models import (
    ActivityKind,
    ExchangeOrganisation,
    ExchangeStatus,
    MemberRole,
    Side,
    TimePrecision,
)

TIMEZONES = [
    ("Asia/Shanghai", _("Beijing time (Asia/Shanghai)")),
    ("Asia/Taipei", _("Taipei time (Asia/Taipei)")),
]

# --- type-ahead lookups ------------------------------------------------------------------


class _Kind:
    """What a lookup searches: its model, its JSON endpoint and its server-side search."""

    def __init__(self, model, url_name, search):
        self.model = model
        self.url_name = url_name
        self.search = search


def _search_people(text, **_):
    from civicbridge.core.selectors import search_people

    return search_people(text, limit=20)


def _search_places(text, kind="", **_):
    from civicbridge.core.selectors import search_places

    return search_places(text, kind=kind or None, limit=20)


def _search_organisations(text, **_):
    from civicbridge.core.selectors import search_organisations

    return search_organisations(text, limit=20)


KINDS = {
    "person": _Kind(Person, "directory:lookup_people", _search_people),
    "place": _Kind(Place, "directory:lookup_places", _search_places),
    "organisation": _Kind(Organisation, "exchanges:lookup_organisations", _search_organisations),
}


def _display(obj) -> str:
    from civicbridge.core.templatetags.script import name_filter

    return str(name_filter(obj))


def _script_label(obj) -> str:
    """A group's or activity's label in the reader's script."""
    from civicbridge.core.templatetags.script import script_filter

    return str(script_filter(getattr(obj, "title", None) or getattr(obj, "name", None) or obj))


class LookupWidget(forms.Widget):
    """A hidden id (or ids) plus a visible text box that exchanges.js turns into a combobox."""

    template_name = "exchanges/widgets/lookup.html"

    def __init__(self, kind: str, *, params: dict | None = None, multiple=False, attrs=None):
        super().__init__(attrs)
        self.kind = kind
        self.params = params or {}
        self.multiple = multiple
        self.model = KINDS[kind].model

    def value_from_datadict(self, data, files, name):
        text = (data.get(f"{name}_q") or "").strip()
        if self.multiple:
            ids = [v for v in data.getlist(name) if v] if hasattr(data, "getlist") else []
            return {"ids": ids, "text": text}
        return {"ids": [data.get(name)] if data.get(name) else [], "text": text}

    def value_omitted_from_data(self, data, files, name):
        return name not in data and f"{name}_q" not in data

    def _objects(self, value):
        if isinstance(value, dict):
            ids = db_ids(value.get("ids", []))
            return list(self.model._base_manager.filter(pk__in=ids)), value.get("text", "")
        if value in (None, ""):
            return [], ""
        values = value if isinstance(value, list | tuple) else [value]
        objs = [v for v in values if isinstance(v, self.model)]
        ids = db_ids(v for v in values if not isinstance(v, self.model))
        if ids:
            objs += list(self.model._base_manager.filter(pk__in=ids))
        return objs, ""

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        objs, text = self._objects(value)
        url = reverse(KINDS[self.kind].url_name)
        query = "&".join(f"{k}={v}" for k, v in {"format": "json", **self.params}.items())
        chosen = [{"id": o.pk, "label": _display(o)} for o in objs]
        if not self.multiple and not text and chosen:
            text = chosen[0]["label"]
        context["widget"].update(
            {
                "lookup_url": f"{url}?{query}",
                "multiple": self.multiple,
                "chosen": chosen,
                "chosen_id": chosen[0]["id"] if (chosen and not self.multiple) else "",
                "text": text,
                "kind": self.kind,
            }
        )
        return context

    def id_for_label(self, id_):
        return id_

    def _render(self, template_name, context, renderer=None):
        # The project's templates (not only the form renderer's built-in ones).
        from django.template.loader import render_to_string
        from django.utils.safestring import mark_safe

        return mark_safe(render_to_string(template_name, context))  # noqa: S308


class LookupField(forms.Field):
    """One person, place or organisation chosen with the type-ahead."""

    widget = LookupWidget
    default_error_messages = {
        "none": _("Nothing in the directory matches “%(text)s”."),
        "many": _("Several records match “%(text)s”: choose one from the list."),
        "invalid": _("Choose a record from the list."),
    }

    def __init__(self, kind: str, *, params: dict | None = None, **kwargs):
        self.kind = kind
        self.params = params or {}
        kwargs.setdefault("widget", LookupWidget(kind, params=self.params))
        super().__init__(**kwargs)

    def _resolve_text(self, text: str):
        found = list(KINDS[self.kind].search(text, **self.params))
        if self.params.get("kind"):
            found = [f for f in found if getattr(f, "kind", None) == self.params["kind"]]
        exact = [f for f in found if text in {f.name, f.name_hans, f.name_hant, _display(f)}]
        if len(exact) == 1:
            return exact[0]
        if len(found) == 1:
            return found[0]
        raise ValidationError(
            self.error_messages["many" if found else "none"], params={"text": text}
        )

    def to_python(self, value):
        if isinstance(value, KINDS[self.kind].model):
            return value
        if not isinstance(value, dict):
            value = {"ids": [value] if value else [], "text": ""}
        ids = [v for v in value["ids"] if v]
        if ids:
            try:
                return KINDS[self.kind].model._base_manager.get(pk=int(ids[0]))
            except (ValueError, KINDS[self.kind].model.DoesNotExist) as exc:
                raise ValidationError(self.error_messages["invalid"]) from exc
        if value["text"]:
            return self._resolve_text(value["text"])
        return None

    def validate(self, value):
        if value is None and self.required:
            raise ValidationError(self.error_messages["required"], code="required")


class LookupMultipleField(LookupField):
    """Several people (or places, organisations) chosen with the type-ahead."""

    def __init__(self, kind: str, *, params: dict | None = None, **kwargs):
        kwargs.setdefault("widget", LookupWidget(kind, params=params, multiple=True))
        kwargs.setdefault("required", False)
        super().__init__(kind, params=params, **kwargs)

    def to_python(self, value):
        if not isinstance(value, dict):
            return list(value or [])
        model = KINDS[self.kind].model
        ids = db_ids(value["ids"])
        objs = list(model._base_manager.filter(pk__in=ids))
        if len(ids) != len([v for v in value["ids"] if v]) or len(objs) != len(set(ids)):
            raise ValidationError(self.error_messages["invalid"])
        if value["text"]:
            extra = self._resolve_text(value["text"])
            if extra.pk not in ids:
                objs.append(extra)
        return objs

    def validate(self, value):
        if not value and self.required:
            raise ValidationError(self.error_messages["required"], code="required")


def apply_errors(form: forms.Form, exc: ValidationError, field_map: dict | None = None) -> None:
    """Put a service's ValidationError back on the form's fields (others: non-field)."""
    field_map = field_map or {}
    if hasattr(exc, "error_dict"):
        for key, errors in exc.error_dict.items():
            target = field_map.get(key, key)
            for error in errors:
                form.add_error(target if target in form.fields else None, error)
    else:
        for error in exc.error_list:
            form.add_error(None, error)


class PageForm(forms.Form):
    """A form with its own id prefix: many forms share the exchange page, ids must not clash."""

    auto_id_default = "id_%s"

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("auto_id", self.auto_id_default)
        super().__init__(*args, **kwargs)


VERSION_MISSING = _(
    "This form lacks the version of the record you edited, so a change made meanwhile "
    "could be lost. Reload the page and apply your change again."
)


def version_field(*, required: bool = False) -> forms.IntegerField:
    """The hidden version of the record a form edits."""
    return forms.IntegerField(
        widget=forms.HiddenInput,
        required=required,
        min_value=0,
        error_messages={"required": VERSION_MISSING, "invalid": VERSION_MISSING},
    )


class VersionedForm(PageForm):
    """Carries the record's version, so a stale edit is refused rather than lost. A form
    that edits a record (built with the record's version as initial data) must send it
    back: without it, the edit would silently overwrite a concurrent one."""

    version = version_field()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["version"].required = self.initial.get("version") is not None


# --- exchange ------------------------------------------------------------------------------


class ExchangeForm(VersionedForm):
    title = forms.CharField(label=_("Title"), max_length=200)
    start_date = DateField(
        label=_("Start date"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    end_date = DateField(
        label=_("End date"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    visiting_organisation = LookupField(
        "organisation",
        label=_("Visiting organisation"),
        help_text=_("Type a few characters in either script and pick from the list."),
    )
    visiting_place = LookupField("place", label=_("Visiting side (city or district)"))
    host_place = LookupField("place", label=_("Host side (city or district)"))
    status = forms.ChoiceField(label=_("Status"), choices=ExchangeStatus.choices)
    declared_headcount = forms.IntegerField(
        label=_("Declared headcount"),
        required=False,
        min_value=0,
        max_value=10000,
        help_text=_("The size the sources give (e.g. 50), even if fewer people are named."),
    )
    timezone = forms.ChoiceField(label=_("Time zone of the itinerary"), choices=TIMEZONES)
    summary = forms.CharField(
        label=_("Summary"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )

    def clean(self):
        data = super().clean()
        if (
            data.get("start_date")
            and data.get("end_date")
            and data["end_date"] < data["start_date"]
        ):
            self.add_error("end_date", _("The exchange ends before it starts."))
        return data

    def service_fields(self) -> dict:
        d = self.cleaned_data
        return {
            k: d[k]
            for k in (
                "title",
                "start_date",
                "end_date",
                "visiting_organisation",
                "visiting_place",
                "host_place",
                "status",
                "declared_headcount",
                "timezone",
                "summary",
            )
        }


class ExchangeOrganisationForm(PageForm):
    auto_id_default = "org_%s"

    organisation = LookupField("organisation", label=_("Organisation"))
    role = forms.ChoiceField(label=_("Role"), choices=ExchangeOrganisation.Role.choices)


class ExchangeFilterForm(forms.Form):
    status = forms.ChoiceField(
        label=_("Status"), required=False, choices=[("", _("Any status")), *ExchangeStatus.choices]
    )
    year = forms.TypedChoiceField(label=_("Year"), required=False, coerce=int, empty_value=None)

    def __init__(self, *args, years=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["year"].choices = [("", _("Any year")), *[(y, y) for y in years]]


# --- roster and groups ----------------------------------------------------------------------


class MemberAddForm(PageForm):
    auto_id_default = "member_%s"

    person = LookupField(
        "person",
        label=_("Person from the directory"),
        required=False,
        help_text=_("Search in Simplified or Traditional characters."),
    )
    new_person_name = forms.CharField(
        label=_("…or a new person: name"),
        required=False,
        max_length=200,
        help_text=_("Only when the person is not in the directory yet."),
    )
    role = forms.ChoiceField(label=_("Role"), choices=MemberRole.choices, initial=MemberRole.MEMBER)
    side = forms.ChoiceField(label=_("Side"), choices=Side.choices, initial=Side.VISITING)
    title = forms.CharField(label=_("Title in the delegation"), required=False, max_length=100)
    organisation = LookupField("organisation", label=_("Represents (organisation)"), required=False)
    home_place = LookupField(
        "place",
        label=_("Home li or community"),
        required=False,
        help_text=_("Left empty: the person's home place from the directory."),
    )
    group = forms.ModelChoiceField(label=_("Group"), queryset=None, required=False)

    def __init__(self, *args, exchange, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["group"].queryset = exchange.groups.all()
        self.fields["group"].label_from_instance = _script_label
        self.fields["group"].empty_label = _("No group yet")

    def clean(self):
        data = super().clean()
        if not data.get("person") and not (data.get("new_person_name") or "").strip():
            if not self.has_error("person"):
                self.add_error(
                    "person", _("Choose a person from the directory, or give a new person's name.")
                )
        elif data.get("person") and (data.get("new_person_name") or "").strip():
            self.add_error(
                "new_person_name",
                _("Either choose a person from the directory or name a new one, not both."),
            )
        return data


class MemberEditForm(VersionedForm):
    auto_id_default = "member-edit_%s"

    role = forms.ChoiceField(label=_("Role"), choices=MemberRole.choices)
    side = forms.ChoiceField(label=_("Side"), choices=Side.choices)
    title = forms.CharField(label=_("Title in the delegation"), required=False, max_length=100)
    organisation = LookupField("organisation", label=_("Represents (organisation)"), required=False)
    home_place = LookupField("place", label=_("Home li or community"), required=False)
    group = forms.ModelChoiceField(label=_("Group"), queryset=None, required=False)

    def __init__(self, *args, exchange, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["group"].queryset = exchange.groups.all()
        self.fields["group"].label_from_instance = _script_label
        self.fields["group"].empty_label = _("No group")


class GroupForm(VersionedForm):
    auto_id_default = "group_%s"

    name = forms.CharField(label=_("Name"), max_length=200)
    host_place = LookupField(
        "place",
        label=_("Host district"),
        params={"kind": PlaceKind.DISTRICT},
        help_text=_("The district the group visits."),
    )
    host_organisation = LookupField("organisation", label=_("Host organisation"), required=False)
    leader = forms.ModelChoiceField(label=_("Leader"), queryset=None, required=False)
    declared_headcount = forms.IntegerField(
        label=_("Declared headcount"), required=False, min_value=0, max_value=10000
    )
    headline = forms.CharField(label=_("Headline"), required=False, max_length=200)

    def __init__(self, *args, exchange, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["leader"].queryset = exchange.members.select_related("person")
        self.fields["leader"].label_from_instance = _display_member
        self.fields["leader"].empty_label = _("No leader yet")


def _display_member(member) -> str:
    return _display(member.person)


class SplitForm(PageForm):
    """Assign every member of the roster to a group, in one form."""

    auto_id_default = "split_%s"

    def __init__(self, *args, members, groups, **kwargs):
        super().__init__(*args, **kwargs)
        self.members = list(members)
        choices = [("", _("No group"))] + [(str(g.pk), _script_label(g)) for g in groups]
        self.groups = {str(g.pk): g for g in groups}
        for m in self.members:
            self.fields[f"member_{m.pk}"] = forms.ChoiceField(
                label=_display(m.person),
                choices=choices,
                required=False,
                initial=str(m.group_id or ""),
            )

    def rows(self):
        for m in self.members:
            yield m, self[f"member_{m.pk}"]

    def changes(self):
        out = []
        for m in self.members:
            value = self.cleaned_data.get(f"member_{m.pk}") or ""
            if value != str(m.group_id or ""):
                out.append((m, self.groups.get(value)))
        return out


# --- itinerary ---------------------------------------------------------------------------


class PartOfDay:
    CHOICES = [
        ("", _("—")),
        ("morning", _("Morning (上午)")),
        ("afternoon", _("Afternoon (下午)")),
        ("evening", _("Evening (晚上)")),
    ]
    TIMES = {
        "morning": (dt.time(9, 0), dt.time(12, 0)),
        "afternoon": (dt.time(14, 0), dt.time(17, 0)),
        "evening": (dt.time(19, 0), dt.time(21, 0)),
        "day": (dt.time(9, 0), dt.time(17, 0)),
    }


class ActivityForm(VersionedForm):
    auto_id_default = "activity_%s"

    kind = forms.ChoiceField(label=_("Kind"), choices=ActivityKind.choices)
    title = forms.CharField(label=_("Title"), max_length=200)
    day = DateField(
        label=_("Day"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    time_precision = forms.ChoiceField(
        label=_("What the source says of the time"),
        choices=TimePrecision.choices,
        initial=TimePrecision.EXACT,
    )
    part_of_day = forms.ChoiceField(
        label=_("Part of the day"),
        choices=PartOfDay.CHOICES,
        required=False,
        help_text=_("When only 上午/下午 is known: the times are then nominal."),
    )
    start_time = forms.TimeField(
        label=_("Starts"),
        required=False,
        widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
    )
    end_time = forms.TimeField(
        label=_("Ends"),
        required=False,
        widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
    )
    place = LookupField("place", label=_("Place"), required=False)
    venue = LookupField("organisation", label=_("Venue"), required=False)
    groups = ModelMultipleChoiceField(
        label=_("Groups"),
        queryset=None,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("None ticked: the whole delegation."),
    )
    hosts = LookupMultipleField("person", label=_("Hosts"))
    description = forms.CharField(
        label=_("Description"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args, exchange, **kwargs):
        self.exchange = exchange
        super().__init__(*args, **kwargs)
        self.fields["groups"].queryset = exchange.groups.all()
        self.fields["groups"].label_from_instance = _script_label
        self.fields["day"].widget.attrs.update(
            {"min": exchange.start_date.isoformat(), "max": exchange.end_date.isoformat()}
        )

    def clean(self):
        data = super().clean()
        precision = data.get("time_precision")
        start, end = data.get("start_time"), data.get("end_time")
        part = data.get("part_of_day")
        if precision == TimePrecision.PART_OF_DAY and not (start and end):
            if not part:
                self.add_error("part_of_day", _("Say whether it was in the morning or afternoon."))
            else:
                start, end = PartOfDay.TIMES[part]
        elif precision == TimePrecision.DAY and not (start and end):
            start, end = PartOfDay.TIMES["day"]
        elif precision == TimePrecision.EXACT:
            if not start:
                self.add_error("start_time", _("Give the start time."))
            if not end:
                self.add_error("end_time", _("Give the end time."))
        if start and end and end < start:
            self.add_error("end_time", _("The activity ends before it starts."))
        day = data.get("day")
        if day and start and end and not self.errors:
            tz = ZoneInfo(self.exchange.timezone)
            data["starts_at"] = dt.datetime.combine(day, start, tzinfo=tz)
            data["ends_at"] = dt.datetime.combine(day, end, tzinfo=tz)
        return data

    def service_fields(self) -> dict:
        d = self.cleaned_data
        return {
            "kind": d["kind"],
            "title": d["title"],
            "starts_at": d["starts_at"],
            "ends_at": d["ends_at"],
            "time_precision": d["time_precision"],
            "place": d.get("place"),
            "venue": d.get("venue"),
            "description": d.get("description", ""),
            "groups": list(d.get("groups") or []),
            "hosts": list(d.get("hosts") or []),
        }

    @classmethod
    def initial_for(cls, activity) -> dict:
        tz = ZoneInfo(activity.exchange.timezone)
        start = activity.starts_at.astimezone(tz)
        end = activity.ends_at.astimezone(tz)
        part = ""
        if activity.time_precision == TimePrecision.PART_OF_DAY:
            part = "morning" if start.hour < 12 else ("afternoon" if start.hour < 18 else "evening")
        return {
            "version": activity.version,
            "kind": activity.kind,
            "title": activity.title,
            "day": start.date(),
            "time_precision": activity.time_precision,
            "part_of_day": part,
            "start_time": start.time(),
            "end_time": end.time(),
            "place": activity.place,
            "venue": activity.venue,
            "groups": list(activity.groups.all()),
            "hosts": list(activity.hosts.all()),
            "description": activity.description,
        }


class MoveActivityForm(VersionedForm):
    auto_id_default = "move_%s"

    day = DateField(
        label=_("New day"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    start_time = forms.TimeField(
        label=_("New start"), widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M")
    )

    def __init__(self, *args, exchange, **kwargs):
        self.exchange = exchange
        super().__init__(*args, **kwargs)

    def starts_at(self) -> dt.datetime:
        tz = ZoneInfo(self.exchange.timezone)
        return dt.datetime.combine(
            self.cleaned_data["day"], self.cleaned_data["start_time"], tzinfo=tz
        )


# --- gifts and photos ------------------------------------------------------------------------


class GiftForm(PageForm):
    auto_id_default = "gift_%s"

    giver_person = LookupField("person", label=_("From (person)"), required=False)
    giver_organisation = LookupField(
        "organisation", label=_("…or from (organisation)"), required=False
    )
    recipient_person = LookupField("person", label=_("To (person)"), required=False)
    recipient_organisation = LookupField(
        "organisation", label=_("…or to (organisation)"), required=False
    )
    description = forms.CharField(
        label=_("What"),
        required=False,
        max_length=300,
        help_text=_("Leave empty if the source does not say."),
    )
    activity = forms.ModelChoiceField(label=_("At which activity"), queryset=None, required=False)

    def __init__(self, *args, exchange, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["activity"].queryset = exchange.activities.order_by("starts_at", "id")
        self.fields["activity"].label_from_instance = _script_label
        self.fields["activity"].empty_label = _("Not known")


class PhotoForm(PageForm):
    auto_id_default = "photo_%s"

    image = forms.FileField(
        label=_("Image"),
        required=False,
        help_text=_("JPEG, PNG, WebP or GIF, up to 20 MB. Leave empty to record a caption only."),
        widget=forms.ClearableFileInput(
            attrs={"accept": "image/jpeg,image/png,image/webp,image/gif"}
        ),
    )
    caption = forms.CharField(label=_("Caption"), max_length=500)
    activity = forms.ModelChoiceField(label=_("Activity"), queryset=None, required=False)
    taken_on = DateField(
        label=_("Taken on"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    credit = forms.CharField(label=_("Credit"), required=False, max_length=200)

    def __init__(self, *args, exchange, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["activity"].queryset = exchange.activities.order_by("starts_at", "id")
        self.fields["activity"].label_from_instance = _script_label
        self.fields["activity"].empty_label = _("Not known")
