"""Forms of the organiser's exchange pages. They parse and check input; the services do the
writing (and their ValidationErrors are put back on the fields with ``apply_errors``).

People, places and organisations are chosen with the directory's type-ahead
(``civicbridge.directory.widgets.LookupField`` / ``LookupMultipleField``).
"""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from civicbridge.core import part_of_day as day_parts
from civicbridge.core.forms import DateField, ModelMultipleChoiceField
from civicbridge.core.templatetags.script import name_filter, script_filter
from civicbridge.directory.models import PlaceKind
from civicbridge.directory.widgets import LookupField, LookupMultipleField
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


def _script_label(obj) -> str:
    """A group's or activity's label in the reader's script."""
    return str(script_filter(getattr(obj, "title", None) or getattr(obj, "name", None) or obj))


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
        add_new=True,
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
    return str(name_filter(member.person))


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
                label=str(name_filter(m.person)),
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
    """The parts of the day offered by the activity form (core/part_of_day.py)."""

    CHOICES = [
        ("", _("—")),
        *(
            (key, day_parts.LABELS[key])
            for key in (day_parts.MORNING, day_parts.AFTERNOON, day_parts.NIGHT)
        ),
    ]
    TIMES = day_parts.NOMINAL_TIMES


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
            part = day_parts.part_of_day(start)
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
