"""The forms of the certificates' page: the script and, when the register cannot say, the
appointee's title; the pattern a community numbers its certificates in."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from civicbridge.core import hans_hant
from civicbridge.documents import certificates
from civicbridge.documents.text import chinese_date, normalise_script

RECIPIENTS = ""


def title_field_name(appointment) -> str:
    return f"title_{appointment.pk}"


class CertificatePrintForm(forms.Form):
    """GET form of the certificates' page and of the PDFs it prints."""

    # Text, not a choice: the PDFs' URLs also take zh-tw, hant … (normalise_script).
    script = forms.CharField(
        label=_("Script of the certificates"),
        required=False,
        initial=RECIPIENTS,
        max_length=20,
        widget=forms.RadioSelect(
            choices=[
                (RECIPIENTS, _("Each recipient's script (default)")),
                (hans_hant.HANS, _("Simplified (简体)")),
                (hans_hant.HANT, _("Traditional (繁體)")),
            ]
        ),
    )

    def __init__(self, *args, appointments, **kwargs):
        super().__init__(*args, **kwargs)
        if self.is_bound and (self.data.get("script") or "").strip():  # zh-tw → hant
            self.data = self.data.copy()
            self.data["script"] = normalise_script(self.data["script"].strip())
        self.appointments = list(appointments)
        self.missing = {}  # appointment id → RegisterTitle the register cannot settle
        for appointment in self.appointments:
            answer = certificates.needs_title(appointment)
            if answer is None:
                continue
            self.missing[appointment.pk] = answer
            last = answer.last
            self.fields[title_field_name(appointment)] = forms.CharField(
                label=_("Title of %(person)s on %(day)s")
                % {
                    "person": appointment.person.name,
                    "day": chinese_date(appointment.appointed_on),
                },
                max_length=100,
                required=True,
                help_text=_(
                    "The register has no term of %(place)s for that day: the last one "
                    "(%(title)s) ended on %(end)s. Write the title as it is on that day "
                    "(the same title if re-elected)."
                )
                % {
                    "place": appointment.person_place.name,
                    "title": last.title if last else "",
                    "end": last.end_date.isoformat() if last and last.end_date else "",
                },
                widget=forms.TextInput(attrs={"placeholder": last.title if last else ""}),
            )

    def clean_script(self) -> str:
        value = self.cleaned_data["script"].strip()
        return normalise_script(value) if value else RECIPIENTS

    def which(self) -> str | None:
        return self.cleaned_data.get("script") or None

    def titles(self) -> dict[int, str]:
        return {
            pk: self.cleaned_data[f"title_{pk}"].strip()
            for pk in self.missing
            if self.cleaned_data.get(f"title_{pk}", "").strip()
        }


class CertificateNumberingForm(forms.Form):
    pattern = forms.CharField(
        label=_("Number pattern"),
        max_length=60,
        help_text=_(
            "For example 〔{year}〕田阜字第{seq}号: {year} is the year of the appointment, "
            "{seq} its number in that year."
        ),
    )
    digits = forms.IntegerField(label=_("Digits of the number"), min_value=1, max_value=6)
    expected_version = forms.IntegerField(required=False, widget=forms.HiddenInput)
