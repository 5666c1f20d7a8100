from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from civicbridge.core.uploads import human_bytes
from civicbridge.exchanges.forms import VERSION_MISSING

SCRIPT_CHOICES = [("hans", _("Simplified Chinese")), ("hant", _("Traditional Chinese"))]


class BriefForm(forms.Form):
    script = forms.ChoiceField(label=_("Script"), choices=SCRIPT_CHOICES)
    text = forms.CharField(label=_("Text"), widget=forms.Textarea(attrs={"rows": 30}))
    note = forms.CharField(label=_("What changed"), max_length=300, required=False)
    # The version the editor started from: required, or a concurrent save would be lost.
    based_on = forms.IntegerField(
        widget=forms.HiddenInput,
        min_value=0,
        error_messages={"required": VERSION_MISSING},
    )


class RosterUploadForm(forms.Form):
    file = forms.FileField(
        label=_("Roster (.xlsx)"),
        help_text=_(
            "Headers such as 姓名, 性别, 所属区, 里, 职务, 分组, 角色, 电话, 证件号码, 证件有效期, "
            "出生日期 (the template's, or a roster exported from this exchange)."
        ),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        limit = settings.CIVICBRIDGE_SPREADSHEET_MAX_BYTES
        if upload.size > limit:
            raise forms.ValidationError(
                _("The file is larger than %(size)s.") % {"size": human_bytes(limit)}
            )
        return upload


class CalendarTokenForm(forms.Form):
    label = forms.CharField(label=_("Label"), max_length=200, required=False)
