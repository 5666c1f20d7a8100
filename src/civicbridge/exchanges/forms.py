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
from civicbridge.exchanges import dates
from civicbridge.exchanges.models import (
    ActivityKind,
    DatePrecision,
    ExchangeOrganisation,
    ExchangePlace,
    ExchangeStatus,
    GiftDirection,
    HeadcountQualifier,
    MemberRole,
    Registration,
    Side,
    StatementKind,
    TimePrecision,
    ValueBand,
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
    """A form with its own id prefix: many forms share the exchange page, ids must not clash.

    ``source_fields``: the fields that keep a source's own wording (a delegation's name as a
    report writes it, how its dates were read). Planners rarely need them: the templates
    (includes/form_fields.html) show them together under "As the source writes it", in a
    ``<details>`` that is open when one of them holds a value or an error."""

    auto_id_default = "id_%s"
    source_fields: tuple[str, ...] = ()

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("auto_id", self.auto_id_default)
        super().__init__(*args, **kwargs)

    def plain_fields(self) -> list:
        return [self[name] for name in self.fields if name not in self.source_fields]

    def wording_fields(self) -> list:
        return [self[name] for name in self.fields if name in self.source_fields]

    def wording_open(self) -> bool:
        """Whether the source-wording group starts open: the form comes back with errors
        (one may point to the wording: "choose a place, or write it as the source does"),
        or one of its fields holds a value other than its default."""
        if self.is_bound and self.errors:
            return True
        for bound in self.wording_fields():
            value = bound.value()
            if value not in (None, "", bound.field.initial, getattr(bound.field, "default", None)):
                return True
        return False


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


DATE_WIDGET = {"attrs": {"type": "date"}, "format": "%Y-%m-%d"}


class DefaultChoiceField(forms.ChoiceField):
    """A choice that may be left out of the POST (a form posted by an older page or a
    script): it then takes ``default``."""

    def __init__(self, *, default: str, **kwargs):
        self.default = default
        kwargs.setdefault("initial", default)
        super().__init__(required=False, **kwargs)

    def clean(self, value):
        value = super().clean(value)
        return value or self.default


class ExchangeForm(VersionedForm):
    """Who visits whom, and when. The host may be on either side of the Strait (a mainland
    delegation to a Taiwan li works exactly as the reverse); the visiting organisation and
    place may be unknown (the delegation as the sources name it says who came); the end may
    be unknown, and the sources may give a month only or "on or before" (日前)."""

    title = forms.CharField(label=_("Title"), max_length=200)
    host_place = LookupField(
        "place",
        label=_("Host side (a city, district, community or li)"),
        help_text=_("On either side of the Strait."),
    )
    visiting_organisation = LookupField(
        "organisation",
        label=_("Visiting organisation"),
        required=False,
        help_text=_("Type a few characters in either script and pick from the list."),
        add_new=True,
    )
    delegation_name = forms.CharField(
        label=_("Delegation's name as the source writes it (optional)"),
        required=False,
        max_length=200,
        help_text=_("E.g. “高雄市三民区里长参访团”, when no organisation is named."),
    )
    visiting_place = LookupField("place", label=_("Visiting side (main place)"), required=False)
    further_visiting_places = LookupMultipleField(
        "place",
        label=_("Further visiting places"),
        help_text=_("E.g. four districts that came together. More can be added on the page."),
    )
    start_date = DateField(label=_("Start date"), widget=forms.DateInput(**DATE_WIDGET))
    end_date = DateField(
        label=_("End date"),
        required=False,
        widget=forms.DateInput(**DATE_WIDGET),
        help_text=_("Leave empty while the last day is not known."),
    )
    date_precision = DefaultChoiceField(
        label=_("How exact the source's dates are"),
        choices=DatePrecision.choices,
        default=DatePrecision.DAY,
    )
    date_note = forms.CharField(
        label=_("How the source gives the dates (optional)"),
        required=False,
        max_length=300,
        help_text=_("E.g. “year from the dateline (2016年10月8日)”."),
    )
    status = forms.ChoiceField(label=_("Status"), choices=ExchangeStatus.choices)
    declared_headcount = forms.IntegerField(
        label=_("Headcount"),
        required=False,
        min_value=0,
        max_value=10000,
        help_text=_("How many people come (e.g. 50), even if fewer are named on the roster."),
    )
    headcount_qualifier = DefaultChoiceField(
        label=_("The headcount is"),
        choices=HeadcountQualifier.choices,
        default=HeadcountQualifier.EXACT,
        help_text=_("“130多人” is about 130."),
    )
    timezone = forms.ChoiceField(
        label=_("Time zone of the itinerary"),
        choices=[("", _("The host side's")), *TIMEZONES],
        required=False,
    )
    summary = forms.CharField(
        label=_("Summary"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )

    source_fields = ("delegation_name", "date_precision", "date_note")

    def __init__(self, *args, editing: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        if editing:
            # Further places are added and removed on the exchange's page.
            del self.fields["further_visiting_places"]

    def clean(self):
        data = super().clean()
        if (
            data.get("start_date")
            and data.get("end_date")
            and data["end_date"] < data["start_date"]
        ):
            self.add_error("end_date", _("The exchange ends before it starts."))
        host, visiting = data.get("host_place"), data.get("visiting_place")
        if host is not None and visiting is not None and host.pk == visiting.pk:
            self.add_error("visiting_place", _("The host side and the visiting side must differ."))
        return data

    def service_fields(self) -> dict:
        d = self.cleaned_data
        fields = {
            k: d.get(k)
            for k in (
                "title",
                "start_date",
                "end_date",
                "date_precision",
                "date_note",
                "visiting_organisation",
                "delegation_name",
                "visiting_place",
                "host_place",
                "status",
                "declared_headcount",
                "headcount_qualifier",
                "summary",
            )
        }
        for key in ("date_note", "delegation_name", "summary"):
            fields[key] = fields[key] or ""
        if d.get("timezone"):
            fields["timezone"] = d["timezone"]
        elif d.get("host_place") is not None:
            fields["timezone"] = d["host_place"].side.timezone
        return fields

    def further_places(self) -> list:
        return list(self.cleaned_data.get("further_visiting_places") or [])


class ExchangePlaceForm(PageForm):
    auto_id_default = "xplace_%s"

    role = forms.ChoiceField(
        label=_("Role"), choices=ExchangePlace.Role.choices, initial=ExchangePlace.Role.VISITING
    )
    source_fields = ("wording",)

    place = LookupField("place", label=_("Place from the directory"), required=False)
    wording = forms.CharField(
        label=_("…or the place as the source writes it (optional)"),
        required=False,
        max_length=200,
        help_text=_("Kept beside the place, or instead of it while it is not in the directory."),
    )

    def clean(self):
        data = super().clean()
        if (
            not data.get("place")
            and not (data.get("wording") or "").strip()
            and not self.has_error("place")
        ):
            self.add_error("place", _("Choose a place, or write it as the sources name it."))
        return data


class CompositionForm(PageForm):
    auto_id_default = "composition_%s"

    label = forms.CharField(
        label=_("Who"), max_length=100, help_text=_("E.g. 里长, 邻长, 发展协会理事长.")
    )
    count = forms.IntegerField(
        label=_("How many"),
        required=False,
        min_value=0,
        max_value=10000,
        help_text=_("Leave empty when the number is not known (“some”)."),
    )
    group = forms.ModelChoiceField(label=_("Group"), queryset=None, required=False)

    def __init__(self, *args, exchange, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["group"].queryset = exchange.groups.all()
        self.fields["group"].label_from_instance = _script_label
        self.fields["group"].empty_label = _("The whole delegation")


class LabelForm(PageForm):
    auto_id_default = "label_%s"

    name = forms.CharField(
        label=_("Label"),
        max_length=200,
        help_text=_("E.g. “北京市首个冬奥社区”. A new label is made on first use."),
    )


class StatementForm(PageForm):
    auto_id_default = "statement_%s"

    text = forms.CharField(
        label=_("What was said (verbatim)"),
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    kind = forms.ChoiceField(
        label=_("Kind"), choices=StatementKind.choices, initial=StatementKind.QUOTE
    )
    person = LookupField("person", label=_("Speaker (person)"), required=False)
    organisation = LookupField(
        "organisation", label=_("…or speaker (organisation)"), required=False
    )
    speaker_wording = forms.CharField(
        label=_("…or the speaker as written"),
        required=False,
        max_length=200,
        help_text=_("E.g. “台湾朋友”; also kept beside a person or organisation."),
    )
    side = forms.ChoiceField(
        label=_("Side"), choices=[("", _("Not said")), *Side.choices], required=False
    )
    activity = forms.ModelChoiceField(label=_("At which activity"), queryset=None, required=False)

    def __init__(self, *args, exchange, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["activity"].queryset = exchange.activities.order_by("starts_at", "id")
        self.fields["activity"].label_from_instance = _script_label
        self.fields["activity"].empty_label = _("Not known")

    def clean(self):
        data = super().clean()
        if (
            not data.get("person")
            and not data.get("organisation")
            and not (data.get("speaker_wording") or "").strip()
            and not self.has_error("person")
        ):
            self.add_error(
                "person", _("Say who said it: a person, an organisation, or as written.")
            )
        return data


class StatementEditForm(VersionedForm, StatementForm):
    """Correcting a statement on the exchange page: the add form's fields and the
    statement's version, always required (a change made meanwhile is refused, not lost)."""

    auto_id_default = "statement-edit_%s"

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["version"].required = True


class CompositionEditForm(VersionedForm, CompositionForm):
    """Correcting a composition row (who, how many, which group), with its version."""

    auto_id_default = "composition-edit_%s"

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["version"].required = True


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
        required=False,
        help_text=_("The district the group visits (leave empty when not known)."),
    )
    host_organisation = LookupField("organisation", label=_("Host organisation"), required=False)
    leader = forms.ModelChoiceField(label=_("Leader"), queryset=None, required=False)
    start_date = DateField(
        label=_("Arrives"),
        required=False,
        widget=forms.DateInput(**DATE_WIDGET),
        help_text=_("When the group's days differ from the exchange's."),
    )
    end_date = DateField(label=_("Leaves"), required=False, widget=forms.DateInput(**DATE_WIDGET))
    declared_headcount = forms.IntegerField(
        label=_("Headcount"), required=False, min_value=0, max_value=10000
    )
    headcount_qualifier = DefaultChoiceField(
        label=_("The headcount is"),
        choices=HeadcountQualifier.choices,
        default=HeadcountQualifier.EXACT,
    )
    headline = forms.CharField(label=_("Headline"), required=False, max_length=200)

    def __init__(self, *args, exchange, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["leader"].queryset = exchange.members.select_related("person")
        self.fields["leader"].label_from_instance = _display_member
        self.fields["leader"].empty_label = _("No leader yet")
        first, last = dates.bounds(exchange)
        for name in ("start_date", "end_date"):
            if first:
                self.fields[name].widget.attrs["min"] = first.isoformat()
            if last:
                self.fields[name].widget.attrs["max"] = last.isoformat()

    def clean(self):
        data = super().clean()
        start, end = data.get("start_date"), data.get("end_date")
        if start and end and end < start:
            self.add_error("end_date", _("The group leaves before it arrives."))
        return data


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
            for key in (day_parts.MORNING, day_parts.NOON, day_parts.AFTERNOON, day_parts.NIGHT)
        ),
    ]
    TIMES = day_parts.NOMINAL_TIMES


class ActivityForm(VersionedForm):
    auto_id_default = "activity_%s"

    kind = forms.ChoiceField(label=_("Kind"), choices=ActivityKind.choices)
    title = forms.CharField(label=_("Title"), max_length=200)
    status = forms.ChoiceField(
        label=_("Status"),
        choices=[("", _("As the exchange")), *ExchangeStatus.choices],
        required=False,
    )
    unscheduled = forms.BooleanField(
        label=_("Not yet scheduled"),
        required=False,
        help_text=_("No day or time yet: listed apart, never in the timetable or calendars."),
    )
    day = DateField(
        label=_("Day"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    time_precision = forms.ChoiceField(
        label=_("Time"),
        choices=TimePrecision.choices,
        initial=TimePrecision.EXACT,
        help_text=_("The exact times, or only the part of the day while they are not known."),
    )
    part_of_day = forms.ChoiceField(
        label=_("Part of the day"),
        choices=PartOfDay.CHOICES,
        required=False,
        help_text=_("上午, 中午, 下午 or 晚上, when the exact time is not known yet."),
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
        first, last = dates.bounds(exchange)
        if first:
            self.fields["day"].widget.attrs["min"] = first.isoformat()
        if last:
            self.fields["day"].widget.attrs["max"] = last.isoformat()

    @staticmethod
    def initial_new(exchange) -> dict:
        return {
            "day": exchange.start_date if exchange.date_precision == dates.DAY else None,
            "time_precision": "exact",
            "status": exchange.status,
        }

    def clean(self):
        data = super().clean()
        if data.get("unscheduled"):
            data["starts_at"] = data["ends_at"] = None
            return data
        if not data.get("day") and not self.has_error("day"):
            self.add_error("day", _("Give the day, or tick “Not yet scheduled”."))
        precision = data.get("time_precision")
        start, end = data.get("start_time"), data.get("end_time")
        part = data.get("part_of_day")
        if precision == TimePrecision.PART_OF_DAY and not (start and end):
            if not part:
                self.add_error("part_of_day", _("Choose the part of the day."))
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
            "status": d.get("status") or self.exchange.status,
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
        scheduled = activity.starts_at is not None
        start = activity.starts_at.astimezone(tz) if scheduled else None
        end = activity.ends_at.astimezone(tz) if scheduled else None
        part = ""
        if scheduled and activity.time_precision == TimePrecision.PART_OF_DAY:
            part = day_parts.part_of_activity(start, end)
        return {
            "version": activity.version,
            "kind": activity.kind,
            "title": activity.title,
            "status": activity.status,
            "unscheduled": not scheduled,
            "day": start.date() if scheduled else None,
            "time_precision": activity.time_precision,
            "part_of_day": part,
            "start_time": start.time() if scheduled else None,
            "end_time": end.time() if scheduled else None,
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

    direction = forms.ChoiceField(
        label=_("Direction"),
        choices=[("", _("Not said (exchanged)")), *GiftDirection.choices],
        required=False,
        help_text=_("Relative to the host side: what we gave, or what we received."),
    )
    giver_person = LookupField("person", label=_("From (person)"), required=False)
    giver_organisation = LookupField(
        "organisation", label=_("…or from (organisation)"), required=False
    )
    giver_wording = forms.CharField(
        label=_("…or from (as written)"),
        required=False,
        max_length=200,
        help_text=_("E.g. “台湾朋友”, as the sources write it."),
    )
    recipient_person = LookupField("person", label=_("To (person)"), required=False)
    recipient_organisation = LookupField(
        "organisation", label=_("…or to (organisation)"), required=False
    )
    recipient_wording = forms.CharField(
        label=_("…or to (as written)"), required=False, max_length=200
    )
    description = forms.CharField(
        label=_("What"),
        required=False,
        max_length=300,
        help_text=_("Leave empty if the source does not say."),
    )
    activity = forms.ModelChoiceField(label=_("At which activity"), queryset=None, required=False)
    value_band = DefaultChoiceField(
        label=_("Estimated value"), choices=ValueBand.choices, default=ValueBand.UNKNOWN
    )
    photo = forms.FileField(
        label=_("Photo"),
        required=False,
        help_text=_("JPEG, PNG, WebP or GIF, up to 20 MB."),
        widget=forms.ClearableFileInput(
            attrs={"accept": "image/jpeg,image/png,image/webp,image/gif"}
        ),
    )
    registration = DefaultChoiceField(
        label=_("Registration"),
        choices=Registration.choices,
        default=Registration.NOT_REQUIRED,
        help_text=_("Gifts to register are due one month after the gift's date."),
    )
    registered_on = DateField(
        label=_("Registered on"), required=False, widget=forms.DateInput(**DATE_WIDGET)
    )
    register_number = forms.CharField(label=_("Register number"), required=False, max_length=100)
    handled_by = forms.CharField(label=_("Handled by"), required=False, max_length=100)

    def __init__(self, *args, exchange, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["activity"].queryset = exchange.activities.order_by("starts_at", "id")
        self.fields["activity"].label_from_instance = _script_label
        self.fields["activity"].empty_label = _("Not known")

    def clean(self):
        data = super().clean()
        registered = data.get("registration") == Registration.REGISTERED
        if registered and not data.get("registered_on") and not self.has_error("registered_on"):
            self.add_error("registered_on", _("Say when the gift was registered."))
        return data

    def service_fields(self) -> dict:
        """The service's keyword arguments (the photo only when one was uploaded)."""
        data = dict(self.cleaned_data)
        data.pop("version", None)
        if not data.get("photo"):
            data.pop("photo", None)
        return data


class GiftEditForm(VersionedForm, GiftForm):
    """Correcting a gift or recording its registration, with the gift's version."""

    auto_id_default = "gift-edit_%s"

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["version"].required = True


class GiftRegisterFilterForm(forms.Form):
    """The register's filters (GET): a bad value is ignored, never an error page."""

    year = forms.TypedChoiceField(label=_("Year"), required=False, coerce=int, empty_value=None)
    direction = forms.ChoiceField(
        label=_("Direction"), choices=[("", _("Either")), *GiftDirection.choices], required=False
    )
    registration = forms.ChoiceField(
        label=_("Registration"), choices=[("", _("Any")), *Registration.choices], required=False
    )
    overdue = forms.BooleanField(label=_("Overdue only"), required=False)

    def __init__(self, *args, years=(), **kwargs):
        kwargs.setdefault("auto_id", "register_%s")
        super().__init__(*args, **kwargs)
        self.fields["year"].choices = [("", _("All years")), *((y, y) for y in years)]

    def filters(self) -> dict:
        """The valid filters (an invalid one is left out: its field shows the error)."""
        data = {}
        if self.is_bound:
            self.is_valid()
            data = self.cleaned_data
        return {
            "year": data.get("year"),
            "direction": data.get("direction") or "",
            "registration": data.get("registration") or "",
            "overdue": bool(data.get("overdue")),
        }


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


# --- copying an exchange (exchanges/copying.py) ------------------------------------------------


class CopyExchangeForm(PageForm):
    """The new start date of a copy of an exchange (every date moves by as many days)."""

    auto_id_default = "copy_%s"

    start_date = DateField(
        label=_("New start date"),
        widget=forms.DateInput(**DATE_WIDGET),
        help_text=_(
            "Every date of the exchange, its groups and its activities moves by as many days."
        ),
    )
    title = forms.CharField(label=_("Title of the new exchange"), max_length=200)
