"""The forms of the report pages: a facts document pasted or uploaded; a report to read; the
review of its reading."""

from __future__ import annotations

import json

from django import forms
from django.utils.translation import gettext_lazy as _

from civicbridge.directory.models import Person, Place
from civicbridge.directory.widgets import LookupField
from civicbridge.reports import review
from civicbridge.reports.reading.source import UnreadableReport, header_of, load_bytes

MAX_BYTES = 5_000_000
MAX_FACTS = 2000
MAX_ID = 2**63 - 1


def into_field(**kwargs) -> forms.IntegerField:
    """The exchange a report's facts are added to (its id), when they are not a new draft."""
    return forms.IntegerField(required=False, min_value=1, max_value=MAX_ID, **kwargs)


class RecordFactsForm(forms.Form):
    auto_id_default = "facts_%s"

    document = forms.CharField(
        label=_("Facts document (JSON)"),
        required=False,
        max_length=MAX_BYTES,
        widget=forms.Textarea(attrs={"rows": 14, "spellcheck": "false"}),
        help_text=_(
            "A civicbridge-report-facts document, as a report's reading prints it. "
            "Or upload the file below."
        ),
    )
    file = forms.FileField(label=_("or a file"), required=False)
    into = into_field(
        label=_("Add to exchange (id)"),
        help_text=_(
            "When the report tells of an exchange already recorded: its facts are added to "
            "that exchange (what it already holds is not recorded again). Leave empty for a "
            "new draft exchange."
        ),
    )

    def clean(self):
        data = super().clean()
        upload = data.get("file")
        text = data.get("document") or ""
        if upload is not None:
            if upload.size > MAX_BYTES:
                raise forms.ValidationError(_("The file is too large."))
            try:
                text = upload.read().decode("utf-8")
            except UnicodeDecodeError:
                raise forms.ValidationError(_("The file is not UTF-8 text.")) from None
        if not text.strip():
            raise forms.ValidationError(_("Paste a facts document or upload one."))
        try:
            data["parsed"] = json.loads(text)
        except (ValueError, RecursionError):
            raise forms.ValidationError(_("This is not a JSON document.")) from None
        return data


class ReadReportForm(forms.Form):
    """A news report to read: pasted, or a .txt, .html or .docx file."""

    auto_id_default = "report_%s"

    text = forms.CharField(
        label=_("The report's text"),
        required=False,
        max_length=MAX_BYTES,
        widget=forms.Textarea(attrs={"rows": 14}),
        help_text=_(
            "Paste the report as published (Simplified or Traditional), or upload it below."
        ),
    )
    file = forms.FileField(label=_("or a file (.txt, .html, .docx)"), required=False)
    published = forms.DateField(
        label=_("Published on"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("When the report does not say: dates without a year take it from here."),
    )

    def clean(self):
        data = super().clean()
        upload = data.get("file")
        text = data.get("text") or ""
        url, published = "", None
        if upload is not None:
            try:
                loaded = load_bytes(upload.read(MAX_BYTES + 1), upload.name or "report.txt")
            except UnreadableReport as exc:
                raise forms.ValidationError(str(exc)) from None
            text, url, published = loaded.text, loaded.url, loaded.published
        elif text:
            if "\x00" in text:
                raise forms.ValidationError(_("The text holds NUL characters."))
            url, published = header_of(text)
        if not text.strip():
            raise forms.ValidationError(_("Paste a report or upload one."))
        data["report_text"] = text
        data["report_url"] = url
        data["report_published"] = data.get("published") or published
        return data


class ReviewForm(forms.Form):
    """The facts a reading gave, each kept or dropped and its names corrected, over the
    document they came from (carried in hidden fields with the report's text)."""

    auto_id_default = "review_%s"

    ADD, NEW = "add", "new"

    text = forms.CharField(widget=forms.HiddenInput, max_length=MAX_BYTES, strip=False)
    document = forms.CharField(widget=forms.HiddenInput, max_length=MAX_BYTES)
    # Recorded as a new draft exchange, or added to an exchange already recorded (``into``).
    action = forms.ChoiceField(
        choices=[(ADD, _("Add to the exchange")), (NEW, _("Record a new draft"))],
        required=False,
        widget=forms.HiddenInput,
    )
    into = into_field(label=_("Exchange already recorded"))

    def __init__(self, *args, document: dict | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        if document is None and self.data.get("document"):
            try:
                document = json.loads(self.data["document"])
            except ValueError:
                document = None
        self.base = document if isinstance(document, dict) else {}
        facts = self.base.get("facts") if isinstance(self.base.get("facts"), list) else []
        self.facts = [f for f in facts if isinstance(f, dict)][:MAX_FACTS]
        for index, fact in enumerate(self.facts):
            kind = fact.get("type")
            self.fields[f"keep_{index}"] = forms.BooleanField(
                label=_("Keep"), required=False, initial=True
            )
            for name in review.FIELDS.get(kind, ()):
                if name == "person_id":
                    person = (
                        Person.objects.filter(pk=fact["person_id"], deleted_at__isnull=True).first()
                        if isinstance(fact.get("person_id"), int)
                        else None
                    )
                    self.fields[f"person_{index}"] = LookupField(
                        "person", label=_("Directory person"), required=False, initial=person
                    )
                    continue
                if name == "code":
                    place = (
                        Place.objects.filter(code=fact.get("code")).first()
                        if fact.get("code")
                        else None
                    )
                    self.fields[f"place_{index}"] = LookupField(
                        "place", label=_("Directory place"), required=False, initial=place
                    )
                    continue
                value = fact.get(name)
                if name in review.LIST_FIELDS and isinstance(value, list):
                    value = review.LIST_SEPARATOR.join(str(v) for v in value)
                label = review.FIELD_LABELS.get(name, name)
                if name in review.NUMBER_FIELDS:
                    field = forms.IntegerField(
                        label=label, required=False, min_value=0, max_value=10**9
                    )
                else:
                    field = forms.CharField(label=label, required=False, max_length=300)
                field.initial = value
                self.fields[f"fact_{index}_{name}"] = field

    def rows(self):
        """(index, fact, keep field, [(name, bound field)], place field) per fact."""
        out = []
        for index, fact in enumerate(self.facts):
            names = [
                n for n in review.FIELDS.get(fact.get("type"), ()) if n not in ("code", "person_id")
            ]
            place = next(
                (
                    self[f"{k}_{index}"]
                    for k in ("place", "person")
                    if f"{k}_{index}" in self.fields
                ),
                None,
            )
            out.append(
                (
                    index,
                    fact,
                    self[f"keep_{index}"],
                    [(n, self[f"fact_{index}_{n}"]) for n in names],
                    place,
                )
            )
        return out

    def clean(self):
        data = super().clean()
        if not self.base.get("facts"):
            raise forms.ValidationError(_("Read a report first."))
        kept = []
        for index, fact in enumerate(self.facts):
            if not data.get(f"keep_{index}"):
                continue
            fact = dict(fact)
            for name in review.FIELDS.get(fact.get("type"), ()):
                if name == "person_id":
                    person = data.get(f"person_{index}")
                    if person is not None:
                        fact["person_id"] = person.pk
                    else:
                        fact.pop("person_id", None)
                    continue
                if name == "code":
                    place = data.get(f"place_{index}")
                    if place is not None and place.code:
                        fact["code"] = place.code
                    else:
                        fact.pop("code", None)  # cleared, or never found
                    continue
                value = data.get(f"fact_{index}_{name}")
                if name in review.LIST_FIELDS and isinstance(value, str):
                    value = [v.strip() for v in value.split(review.LIST_SEPARATOR) if v.strip()]
                if value in (None, "", []):
                    fact.pop(name, None)
                else:
                    fact[name] = value
            kept.append(fact)
        data["reviewed"] = {**self.base, "facts": kept}
        return data
