"""The form of checking a member in by hand."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from civicbridge.exchanges.models import Member


class MemberChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj) -> str:
        return str(obj.person)


class CheckInForm(forms.Form):
    member = MemberChoice(label=_("Member"), queryset=Member.objects.none())
    note = forms.CharField(label=_("Note"), max_length=300, required=False)

    def __init__(self, *args, members=None, **kwargs):
        super().__init__(*args, **kwargs)
        if members is not None:
            field = self.fields["member"]
            field.queryset = Member.objects.filter(pk__in=[m.pk for m in members])
            # The choices in the order given (the order of precedence), without a query each.
            field.choices = [("", "---------"), *((m.pk, str(m.person)) for m in members)]
