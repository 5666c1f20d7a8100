"""Forms of the pairings pages: they parse and check input; the services write."""

from __future__ import annotations

import datetime as dt

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from civicbridge.core.forms import DateField
from civicbridge.core.templatetags.script import name_filter, script_filter
from civicbridge.directory.widgets import LookupField
from civicbridge.exchanges.forms import (  # noqa: F401 (apply_errors is re-exported)
    apply_errors,
    version_field,
)
from civicbridge.exchanges.models import Activity
from civicbridge.forums.models import Outcome
from civicbridge.pairings.models import CommitmentStatus, Pairing
from civicbridge.pairings.selectors import sides_of

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
    return f"{timezone.localtime(activity.starts_at):%m-%d} {script_filter(activity.title)}"


def _outcome_label(outcome) -> str:
    text = script_filter(outcome.text)
    return text if len(text) <= 80 else f"{text[:78]}…"


def _pairing_label(pairing) -> str:
    return f"{name_filter(pairing.place_a)} ↔ {name_filter(pairing.place_b)}"


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
            ).select_related("place_a", "place_b")
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
