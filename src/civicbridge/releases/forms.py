"""Forms of the releases page: publishing a version, subscribing a member to notices."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from civicbridge.core.templatetags.script import name_filter
from civicbridge.releases.models import NoticeLanguage


class PublishForm(forms.Form):
    note = forms.CharField(
        label=_("Note to readers"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Optional: what this version changes and why."),
    )
    # The number of the last version the publisher saw (0: none).
    expected_number = forms.IntegerField(min_value=0, max_value=10**6, widget=forms.HiddenInput)


class SubscribeForm(forms.Form):
    member = forms.TypedChoiceField(label=_("Member"), coerce=int)
    email = forms.EmailField(
        label=_("E-mail"),
        required=False,
        max_length=254,
        help_text=_("Empty: the e-mail recorded for the person."),
    )
    language = forms.ChoiceField(
        label=_("Language of the notices"),
        choices=NoticeLanguage.choices,
        initial=NoticeLanguage.HANS,
    )

    def __init__(self, *args, members=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["member"].choices = [("", "—")] + [
            (m.pk, name_filter(m.person)) for m in members
        ]
