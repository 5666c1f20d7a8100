"""Forms of the pairings pages: they parse and check input; the services write."""

from __future__ import annotations

import datetime as dt
from urllib.parse import urlencode

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from civicbridge.core.forms import DateField
from civicbridge.core.templatetags.script import name_filter, script_filter
from civicbridge.directory.models import Place
from civicbridge.directory.widgets import LookupField, LookupMultipleField
from civicbridge.exchanges.forms import (  # noqa: F401 (apply_errors is re-exported)
    apply_errors,
    version_field,
)
from civicbridge.exchanges.models import Activity, ExchangeStatus
from civicbridge.forums.models import Outcome
from civicbridge.pairings.models import Agreement, CommitmentStatus, Pairing, PairingKind
from civicbridge.pairings.selectors import PairingFilters, pairing_areas, sides_of

DATE = {"type": "date"}


class AppointmentForm(forms.Form):
    person = LookupField(
        "person",
        label=_("Person appointed"),
        help_text=_("Type a few characters of the name in either script and pick from the list."),
    )
    community = LookupField(
        "place",
        label=_("Appointing community"),
        params={"kind": "community"},
        help_text=_("The community (社区) that issues the certificate."),
    )
    person_place = LookupField(
        "place",
        label=_("Their li or community"),
        params={"kind": "li"},
        required=False,
        help_text=_("Leave empty to take the li the person heads on that day."),
    )
    activity = forms.ModelChoiceField(
        label=_("At activity"), queryset=Activity.objects.none(), required=False
    )
    appointed_on = DateField(label=_("Date"), widget=forms.DateInput(attrs=DATE))
    title = forms.CharField(label=_("Title"), max_length=100, initial="荣誉主任")
    certificate_number = forms.CharField(
        label=_("Certificate number"),
        max_length=40,
        required=False,
        help_text=_("Leave empty to issue the next number."),
    )
    no_certificate = forms.BooleanField(
        label=_("No certificate (聘书) was reported"),
        required=False,
        help_text=_("No number is issued or recorded."),
    )
    status = forms.ChoiceField(
        label=_("Status"),
        choices=ExchangeStatus.choices,
        initial=ExchangeStatus.HELD,
        required=False,
    )

    def __init__(self, *args, exchange=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.exchange = exchange
        if exchange is not None:
            self.fields["activity"].queryset = Activity.objects.filter(exchange=exchange).order_by(
                "starts_at", "id"
            )
            self.fields["activity"].label_from_instance = _activity_label
            self.fields["appointed_on"].initial = exchange.start_date


def _activity_label(activity) -> str:
    if activity.starts_at is None:  # not yet scheduled
        return str(script_filter(activity.title))
    return f"{timezone.localtime(activity.starts_at):%m-%d} {script_filter(activity.title)}"


def _outcome_label(outcome) -> str:
    text = script_filter(outcome.text)
    return text if len(text) <= 80 else f"{text[:78]}…"


def _pairing_label(pairing) -> str:
    return f"{name_filter(pairing.party_a)} ↔ {name_filter(pairing.party_b)}"


class CommitmentForm(forms.Form):
    title = forms.CharField(label=_("What is promised"), max_length=300)
    description = forms.CharField(
        label=_("Details"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    outcome = forms.ModelChoiceField(
        label=_("From the forum outcome"), queryset=Outcome.objects.none(), required=False
    )
    pairing = forms.ModelChoiceField(
        label=_("For the pairing"), queryset=Pairing.objects.none(), required=False
    )
    owner_person = LookupField("person", label=_("Owner (person)"), required=False)
    owner_organisation = LookupField(
        "organisation", label=_("Owner (organisation)"), required=False
    )
    due_on = DateField(label=_("Due"), required=False, widget=forms.DateInput(attrs=DATE))

    def __init__(self, *args, exchange=None, pairing=None, **kwargs):
        super().__init__(*args, **kwargs)
        if exchange is not None:
            self.fields["outcome"].queryset = Outcome.objects.filter(
                forum__activity__exchange=exchange
            ).order_by("forum__activity__starts_at", "order", "id")
            self.fields["outcome"].label_from_instance = _outcome_label
            self.fields["pairing"].queryset = Pairing.objects.filter(
                exchange=exchange
            ).select_related("place_a", "place_b", "organisation_a", "organisation_b")
            self.fields["pairing"].label_from_instance = _pairing_label
        else:
            del self.fields["outcome"]
        if pairing is not None or exchange is None:
            del self.fields["pairing"]

    # That somebody owns it is the service's rule (services.create_commitment).


class CommitmentStatusForm(forms.Form):
    status = forms.ChoiceField(label=_("New status"), choices=CommitmentStatus.choices)
    note = forms.CharField(
        label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    version = version_field(required=True)


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput())
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        if isinstance(data, list | tuple):
            return [super(MultipleFileField, self).clean(d, initial) for d in data if d]
        return [super().clean(data, initial)] if data else []


class MessageForm(forms.Form):
    body = forms.CharField(
        label=_("Message"), widget=forms.Textarea(attrs={"rows": 4}), max_length=10_000
    )
    author_place = forms.ChoiceField(label=_("Writing for"), required=False)
    attachments = MultipleFileField(
        label=_("Attachments"),
        required=False,
        help_text=_("PDF, images, Office documents or text; up to 10 MB each, five files."),
    )

    def __init__(self, *args, pairing=None, user=None, **kwargs):
        """``author_place`` offers only the writer's own side(s) of the pairing
        (selectors.sides_of); none: the field is left out."""
        super().__init__(*args, **kwargs)
        sides = []
        if pairing is not None:
            sides = sides_of(user, pairing)
        if not sides:
            del self.fields["author_place"]
        else:
            field = self.fields["author_place"]
            field.choices = [(str(p.pk), name_filter(p)) for p in sides]
            if len(sides) > 1:
                field.choices = [("", _("—")), *field.choices]
            else:
                field.initial = str(sides[0].pk)


class NotificationPreferenceForm(forms.Form):
    email_messages = forms.BooleanField(
        label=_("E-mail me new messages in the channels I follow"), required=False
    )
    email_commitments = forms.BooleanField(
        label=_("E-mail me changes to commitments of my channels"), required=False
    )


class ReturnVisitForm(forms.Form):
    start_date = DateField(label=_("First day"), widget=forms.DateInput(attrs=DATE))
    end_date = DateField(label=_("Last day"), required=False, widget=forms.DateInput(attrs=DATE))
    title = forms.CharField(
        label=_("Title"),
        max_length=200,
        required=False,
        help_text=_("Leave empty for a title made of the two places' names."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["start_date"].initial = timezone.localdate() + dt.timedelta(days=90)


# --- pairings of any kind, batches, agreements, alliances ------------------------------------

PARTY_ROWS = 4
SIGNATORY_ROWS = 4
MEMBER_ROWS = 6


def _status_field():
    return forms.ChoiceField(
        label=_("Status"), choices=ExchangeStatus.choices, initial=ExchangeStatus.HELD
    )


def _note_field(label=None):
    return forms.CharField(
        label=label or _("Note"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


def _activity_field():
    return forms.ModelChoiceField(
        label=_("Signed at (activity)"), queryset=Activity.objects.none(), required=False
    )


def _set_activities(form, exchange) -> None:
    if "activity" not in form.fields:
        return
    if exchange is None:
        del form.fields["activity"]
        return
    form.fields["activity"].queryset = Activity.objects.filter(exchange=exchange).order_by(
        "starts_at", "id"
    )
    form.fields["activity"].label_from_instance = _activity_label


def _party_value(form, prefix: str, index: int) -> dict | None:
    data = form.cleaned_data
    party = {
        "place": data.get(f"{prefix}{index}_place"),
        "organisation": data.get(f"{prefix}{index}_organisation"),
        "wording": (data.get(f"{prefix}{index}_wording") or "").strip(),
    }
    return party if any(party.values()) else None


def _add_party_fields(form, prefix: str, index: int, label) -> None:
    form.fields[f"{prefix}{index}_place"] = LookupField(
        "place", label=_("%(who)s: place") % {"who": label}, required=False
    )
    form.fields[f"{prefix}{index}_organisation"] = LookupField(
        "organisation", label=_("%(who)s: organisation") % {"who": label}, required=False
    )
    form.fields[f"{prefix}{index}_wording"] = forms.CharField(
        label=_("%(who)s: as the sources name it") % {"who": label},
        required=False,
        max_length=200,
        help_text=_("Only while it is not in the directory."),
    )


def _grouped(form, groups) -> list[dict]:
    """Fieldsets of a long form: ``groups`` is ``[(legend, prefix or names)]``; a prefix
    takes every field whose name starts with it."""
    out = []
    for legend, names in groups:
        if isinstance(names, str):
            names = [n for n in form.fields if n.startswith(names)]
        out.append({"legend": legend, "fields": [form[n] for n in names if n in form.fields]})
    return out


class PairingForm(forms.Form):
    """A new pairing: each side a place or an organisation."""

    kind = forms.ChoiceField(label=_("Kind"), choices=PairingKind.choices, initial="friendly")
    status = _status_field()
    place_a = LookupField("place", label=_("One side: place"), required=False)
    organisation_a = LookupField(
        "organisation",
        label=_("One side: organisation"),
        required=False,
        help_text=_("A place or an organisation."),
    )
    place_b = LookupField("place", label=_("Other side: place"), required=False)
    organisation_b = LookupField(
        "organisation",
        label=_("Other side: organisation"),
        required=False,
        help_text=_("A place or an organisation."),
    )
    started_on = DateField(label=_("Since"), widget=forms.DateInput(attrs=DATE))
    note = _note_field()

    def __init__(self, *args, exchange=None, **kwargs):
        super().__init__(*args, **kwargs)
        if exchange is not None:
            self.fields["started_on"].initial = exchange.start_date


class PairingEditForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=PairingKind.choices)
    status = _status_field()
    started_on = DateField(label=_("Since"), widget=forms.DateInput(attrs=DATE))
    ended_on = DateField(label=_("Until"), required=False, widget=forms.DateInput(attrs=DATE))
    note = _note_field()
    version = version_field(required=True)


class BatchForm(forms.Form):
    description = forms.CharField(
        label=_("As the sources state it"),
        max_length=300,
        help_text=_("六个居委会与六个里结对, say."),
    )
    count = forms.IntegerField(label=_("Number of pairings"), min_value=1, max_value=500)
    kind = forms.ChoiceField(label=_("Kind"), choices=PairingKind.choices, initial="friendly")
    status = _status_field()
    districts_a = LookupMultipleField("place", label=_("Districts on one side"), required=True)
    districts_b = LookupMultipleField(
        "place", label=_("Districts on the other side"), required=True
    )
    started_on = DateField(label=_("Since"), required=False, widget=forms.DateInput(attrs=DATE))
    note = _note_field()

    def __init__(self, *args, exchange=None, **kwargs):
        super().__init__(*args, **kwargs)
        if exchange is not None:
            self.fields["started_on"].initial = exchange.start_date


class BatchEditForm(forms.Form):
    description = forms.CharField(label=_("As the sources state it"), max_length=300)
    count = forms.IntegerField(label=_("Number of pairings"), min_value=1, max_value=500)
    kind = forms.ChoiceField(label=_("Kind"), choices=PairingKind.choices)
    status = _status_field()
    started_on = DateField(label=_("Since"), required=False, widget=forms.DateInput(attrs=DATE))
    note = _note_field()
    version = version_field(required=True)


class BatchPairingForm(forms.Form):
    """Name one pairing of a batch."""

    place_a = LookupField("place", label=_("Place on one side"))
    place_b = LookupField("place", label=_("Place on the other side"))
    started_on = DateField(
        label=_("Since"),
        required=False,
        widget=forms.DateInput(attrs=DATE),
        help_text=_("Leave empty for the batch's date."),
    )


class AgreementForm(forms.Form):
    subject = forms.CharField(label=_("Subject"), max_length=300)
    kind = forms.ChoiceField(label=_("Kind"), choices=Agreement.Kind.choices)
    status = _status_field()
    signed_on = DateField(label=_("Signed on"), required=False, widget=forms.DateInput(attrs=DATE))
    activity = _activity_field()
    note = _note_field()

    def __init__(self, *args, exchange=None, **kwargs):
        super().__init__(*args, **kwargs)
        for i in range(1, PARTY_ROWS + 1):
            _add_party_fields(self, "party", i, _("Party %(n)d") % {"n": i})
        choices = [("", "—")] + [(str(i), str(i)) for i in range(1, PARTY_ROWS + 1)]
        for i in range(1, SIGNATORY_ROWS + 1):
            who = _("Signatory %(n)d") % {"n": i}
            self.fields[f"signatory{i}_person"] = LookupField(
                "person", label=_("%(who)s: person") % {"who": who}, required=False
            )
            self.fields[f"signatory{i}_wording"] = forms.CharField(
                label=_("%(who)s: as the sources name them") % {"who": who},
                required=False,
                max_length=200,
            )
            self.fields[f"signatory{i}_title"] = forms.CharField(
                label=_("%(who)s: title") % {"who": who}, required=False, max_length=200
            )
            self.fields[f"signatory{i}_party"] = forms.ChoiceField(
                label=_("%(who)s: for party") % {"who": who}, choices=choices, required=False
            )
        _set_activities(self, exchange)
        if exchange is not None:
            self.fields["signed_on"].initial = exchange.start_date

    def groups(self) -> list[dict]:
        return _grouped(
            self,
            [
                (_("Agreement"), ["subject", "kind", "status", "signed_on", "activity", "note"]),
                *[(_("Party %(n)d") % {"n": i}, f"party{i}_") for i in range(1, PARTY_ROWS + 1)],
                *[
                    (_("Signatory %(n)d") % {"n": i}, f"signatory{i}_")
                    for i in range(1, SIGNATORY_ROWS + 1)
                ],
            ],
        )

    def parties(self) -> list[dict]:
        """The party rows filled in, in order; the signatories' party numbers count these
        rows as numbered on the form."""
        return [_party_value(self, "party", i) for i in range(1, PARTY_ROWS + 1)]

    def service_parties(self) -> tuple[list[dict], list[dict]]:
        rows = self.parties()
        index_of = {}
        parties = []
        for number, row in enumerate(rows, start=1):
            if row is not None:
                index_of[number] = len(parties)
                parties.append(row)
        signatories = []
        data = self.cleaned_data
        for i in range(1, SIGNATORY_ROWS + 1):
            person = data.get(f"signatory{i}_person")
            wording = (data.get(f"signatory{i}_wording") or "").strip()
            title = (data.get(f"signatory{i}_title") or "").strip()
            if not (person or wording or title):
                continue
            number = data.get(f"signatory{i}_party")
            signatories.append(
                {
                    "person": person,
                    "wording": wording,
                    "title": title,
                    "party_index": index_of.get(int(number)) if number else None,
                }
            )
        return parties, signatories


class AgreementEditForm(forms.Form):
    subject = forms.CharField(label=_("Subject"), max_length=300)
    kind = forms.ChoiceField(label=_("Kind"), choices=Agreement.Kind.choices)
    status = _status_field()
    signed_on = DateField(label=_("Signed on"), required=False, widget=forms.DateInput(attrs=DATE))
    activity = _activity_field()
    note = _note_field()
    version = version_field(required=True)

    def __init__(self, *args, exchange=None, **kwargs):
        super().__init__(*args, **kwargs)
        _set_activities(self, exchange)


class AgreementDocumentForm(forms.Form):
    document = forms.FileField(
        label=_("Signed text"),
        help_text=_("PDF, images, Office documents or text; up to 10 MB."),
    )


class AllianceForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=200)
    status = _status_field()
    launched_on = DateField(
        label=_("Launched on"), required=False, widget=forms.DateInput(attrs=DATE)
    )
    activity = forms.ModelChoiceField(
        label=_("Launched at (activity)"), queryset=Activity.objects.none(), required=False
    )
    pledges = forms.CharField(
        label=_("Pledges"),
        required=False,
        max_length=20000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    note = _note_field()

    def __init__(self, *args, exchange=None, **kwargs):
        super().__init__(*args, **kwargs)
        for i in range(1, MEMBER_ROWS + 1):
            who = _("Member %(n)d") % {"n": i}
            _add_party_fields(self, "member", i, who)
            self.fields[f"member{i}_joined_on"] = DateField(
                label=_("%(who)s: joined on") % {"who": who},
                required=False,
                widget=forms.DateInput(attrs=DATE),
                help_text=_("Leave empty for the launch day."),
            )
            self.fields[f"member{i}_founder"] = forms.BooleanField(
                label=_("%(who)s: founding member") % {"who": who},
                required=False,
                initial=True,
            )
        _set_activities(self, exchange)
        if exchange is not None:
            self.fields["launched_on"].initial = exchange.start_date

    def groups(self) -> list[dict]:
        return _grouped(
            self,
            [
                (_("Alliance"), ["name", "status", "launched_on", "activity", "pledges", "note"]),
                *[(_("Member %(n)d") % {"n": i}, f"member{i}_") for i in range(1, MEMBER_ROWS + 1)],
            ],
        )

    def members(self) -> list[dict]:
        rows = []
        for i in range(1, MEMBER_ROWS + 1):
            party = _party_value(self, "member", i)
            if party is not None:
                party["joined_on"] = self.cleaned_data.get(f"member{i}_joined_on")
                party["founder"] = bool(self.cleaned_data.get(f"member{i}_founder"))
                rows.append(party)
        return rows


class AllianceEditForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=200)
    status = _status_field()
    launched_on = DateField(
        label=_("Launched on"), required=False, widget=forms.DateInput(attrs=DATE)
    )
    pledges = forms.CharField(
        label=_("Pledges"),
        required=False,
        max_length=20000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    note = _note_field()
    version = version_field(required=True)


class AllianceMemberForm(forms.Form):
    place = LookupField("place", label=_("Place"), required=False)
    organisation = LookupField("organisation", label=_("Organisation"), required=False)
    wording = forms.CharField(
        label=_("As the sources name it"),
        required=False,
        max_length=200,
        help_text=_("Only while it is not in the directory."),
    )
    joined_on = DateField(label=_("Joined on"), required=False, widget=forms.DateInput(attrs=DATE))
    founder = forms.BooleanField(label=_("Founding member"), required=False)


# --- the pairings list's filters (the list, the quiet list and the Excel export) -------------

SORT_CHOICES = (
    ("newest", _("Newest first")),
    ("started", _("Oldest first")),
    ("health", _("Health (quiet first)")),
    ("last_contact", _("Last contact")),
    ("overdue", _("Overdue commitments")),
    ("unread", _("Unread messages")),
)
HEALTH_CHOICES = (
    ("current", _("Not ended")),
    ("active", _("Active")),
    ("quiet", _("Quiet")),
    ("ended", _("Ended")),
    ("all", _("All")),
)


class PairingFilterForm(forms.Form):
    """GET filters: a mainland district and a Taiwanese county (each that place and below),
    a kind, the health and the order. The districts and counties offered are those with a
    pairing the reader may read (``selectors.pairing_areas``); an unknown value is an error
    shown next to its field, and that filter is left out."""

    district = forms.TypedChoiceField(
        label=_("Mainland district"), required=False, coerce=int, empty_value=None
    )
    county = forms.TypedChoiceField(
        label=_("Taiwanese county or city"), required=False, coerce=int, empty_value=None
    )
    kind = forms.ChoiceField(label=_("Kind of pairing"), required=False)
    health = forms.ChoiceField(label=_("Health"), required=False, choices=HEALTH_CHOICES)
    sort = forms.ChoiceField(label=_("Sort by"), required=False, choices=SORT_CHOICES)
    place = forms.IntegerField(
        required=False, min_value=1, max_value=2**31 - 1, widget=forms.HiddenInput
    )

    def __init__(self, data=None, *, districts=(), counties=(), **kwargs):
        data = data.copy() if data is not None else None
        # The dashboard's former link: ?quiet=1.
        if data is not None and data.get("quiet") == "1" and not data.get("health"):
            data["health"] = "quiet"
        super().__init__(data, **kwargs)
        self.areas = {p.pk: p for p in [*districts, *counties]}
        self.fields["district"].choices = [("", _("Every district"))] + [
            (p.pk, _area_label(p)) for p in districts
        ]
        self.fields["county"].choices = [("", _("Every county and city"))] + [
            (p.pk, _area_label(p)) for p in counties
        ]
        self.fields["kind"].choices = [("", _("Every kind")), *PairingKind.choices]

    def value(self, name: str, default=None):
        """A field's cleaned value, or ``default`` when it was left empty or is wrong."""
        if not hasattr(self, "cleaned_data"):
            self.is_valid()
        value = self.cleaned_data.get(name)
        return default if value in (None, "") else value

    @property
    def ordering(self) -> str:
        return self.value("sort", "newest")

    def filters(self):
        place_id = self.value("place")
        place = Place.objects.filter(pk=place_id).first() if place_id else None
        return PairingFilters(
            district=self.areas.get(self.value("district")),
            county=self.areas.get(self.value("county")),
            kind=self.value("kind", ""),
            health=self.value("health", "current"),
            place=place,
        )

    def query(self, *, leave_out: tuple[str, ...] = ()) -> str:
        """The filters as a query string (for the pages' links and the export), the ones
        left empty or wrong, and those named in ``leave_out``, left out."""
        names = ("district", "county", "kind", "health", "place", "sort")
        return urlencode(
            {n: self.value(n) for n in names if n not in leave_out and self.value(n) is not None}
        )


def _area_label(place) -> str:
    """A district with its city (北京市 海淀区), a county by itself, in the reader's script."""
    city = getattr(place, "area_city", None)
    return f"{name_filter(city)} {name_filter(place)}" if city is not None else name_filter(place)


def pairing_filter_form(data, user) -> PairingFilterForm:
    """The filters of ``data`` (request.GET) with the districts and counties of the
    pairings ``user`` may read: the list, the quiet list and the export read them alike."""
    districts, counties = pairing_areas(user)
    form = PairingFilterForm(data, districts=districts, counties=counties)
    form.is_valid()
    return form
