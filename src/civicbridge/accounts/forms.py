from django import forms
from django.utils.translation import gettext_lazy as _

from civicbridge.accounts.models import AuditAction


class TokenForm(forms.Form):
    label = forms.CharField(
        label=_("Name"),
        max_length=100,
        help_text=_("What the token is for, e.g. “statistics script”."),
    )
    access = forms.ChoiceField(
        label=_("Access"),
        choices=[("read", _("Read only")), ("write", _("Read and write"))],
        initial="read",
        widget=forms.RadioSelect,
    )


class AuditFilterForm(forms.Form):
    model = forms.CharField(label=_("Record type"), required=False, max_length=100)
    object = forms.CharField(label=_("Record number"), required=False, max_length=64)
    user = forms.CharField(label=_("User"), required=False, max_length=150)
    action = forms.ChoiceField(
        label=_("Action"), required=False, choices=[("", _("Any")), *AuditAction.choices]
    )
