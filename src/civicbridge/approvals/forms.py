"""Forms of the plan page: a cost line, the reception standards, a step's note. They parse;
the services check and write (their errors go back on the fields, ``apply_errors``)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from civicbridge.approvals.models import CostCategory
from civicbridge.approvals.services import MAX_PRICE, MAX_QUANTITY
from civicbridge.exchanges.forms import PageForm, VersionedForm


def _number(label, *, maximum, required=True, initial=None):
    return forms.DecimalField(
        label=label,
        required=required,
        min_value=0,
        max_value=maximum,
        max_digits=14,
        decimal_places=2,
        initial=initial,
        widget=forms.NumberInput(attrs={"step": "0.01", "min": "0", "inputmode": "decimal"}),
    )


class CostLineForm(VersionedForm):
    auto_id_default = "id_cost_%s"

    category = forms.ChoiceField(label=_("Category"), choices=CostCategory.choices)
    description = forms.CharField(label=_("Description"), max_length=200)
    quantity = _number(_("Quantity"), maximum=MAX_QUANTITY, initial=1)
    unit_price = _number(_("Unit price (yuan)"), maximum=MAX_PRICE)
    actual_amount = _number(_("Actual amount (after the visit)"), maximum=MAX_PRICE, required=False)


class StandardsForm(VersionedForm):
    auto_id_default = "id_standards_%s"

    standards = forms.CharField(
        label=_("Reception standards (接待标准)"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Meals, lodging, vehicles and escorts the reception keeps to."),
    )


class StepForm(PageForm):
    auto_id_default = "id_step_%s"

    note = forms.CharField(
        label=_("Note"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )
