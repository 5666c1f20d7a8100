"""The statistics' filter form (GET): years, side, district or county, kind of pairing.
Read alike by the statistics page and the yearly report's downloads."""

from __future__ import annotations

from urllib.parse import urlencode

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from civicbridge.directory.models import MAINLAND, SIDES, TAIWAN
from civicbridge.pairings.models import PairingKind
from civicbridge.statistics import report, selectors
from civicbridge.statistics.selectors import EARLIEST_YEAR, Filters

LATEST_YEAR = 2100
SIDE_LABELS = {MAINLAND: _("Hosted on the mainland"), TAIWAN: _("Hosted in Taiwan")}


class StatisticsFilterForm(forms.Form):
    """The filters; what a reader may pick as a place is ``selectors.filter_places``."""

    year_from = forms.IntegerField(
        label=_("From year"), required=False, min_value=EARLIEST_YEAR, max_value=LATEST_YEAR
    )
    year_to = forms.IntegerField(
        label=_("To year"), required=False, min_value=EARLIEST_YEAR, max_value=LATEST_YEAR
    )
    side = forms.ChoiceField(label=_("Side"), required=False)
    place = forms.TypedChoiceField(
        label=_("District or county"), required=False, coerce=int, empty_value=None
    )
    kind = forms.ChoiceField(label=_("Kind of pairing"), required=False)

    def __init__(self, *args, places=(), which="hans", today=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.today = today or timezone.localdate()
        default = selectors.default_filters(self.today)
        self.fields["year_from"].initial = default.year_from
        self.fields["year_to"].initial = default.year_to
        self.places = {p.pk: p for p in places}
        self.fields["side"].choices = [("", _("Both sides")), *SIDE_LABELS.items()]
        self.fields["place"].choices = [("", _("All places in my scope"))] + [
            (p.pk, p.display_name_in(which)) for p in places
        ]
        self.fields["kind"].choices = [("", _("Every kind")), *PairingKind.choices]

    def clean(self):
        data = super().clean()
        default = selectors.default_filters(self.today)
        year_from = data.get("year_from") or default.year_from
        year_to = data.get("year_to") or default.year_to
        if year_to < year_from:
            self.add_error("year_to", _("The last year comes before the first."))
        elif year_to - year_from > 49:
            self.add_error("year_to", _("At most fifty years at once."))
        data["year_from"], data["year_to"] = year_from, year_to
        return data

    def filters(self) -> Filters:
        """The filters asked for; the defaults when the form is not valid."""
        if not self.is_valid():
            return selectors.default_filters(self.today)
        data = self.cleaned_data
        side = data.get("side") or ""
        return Filters(
            year_from=data["year_from"],
            year_to=data["year_to"],
            side=side if side in SIDES else "",
            place=self.places.get(data.get("place")),
            kind=data.get("kind") or "",
        )


def filters_query(filters: Filters) -> str:
    """The filters as a query string (the report's links)."""
    params = {"year_from": filters.year_from, "year_to": filters.year_to}
    if filters.side:
        params["side"] = filters.side
    if filters.place is not None:
        params["place"] = filters.place.pk
    if filters.kind:
        params["kind"] = filters.kind
    return urlencode(params)


def read_filters(request, user) -> tuple[StatisticsFilterForm, Filters]:
    """The form bound to the request's GET and the filters it gives (the page and the
    yearly report read them alike)."""
    which = report.reader_script()
    form = StatisticsFilterForm(
        request.GET or None, places=selectors.filter_places(user), which=which
    )
    return form, form.filters()
