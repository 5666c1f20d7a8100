"""Forms of the programme pages and of the exchange page's "Programmes and related visits"
section. They parse and check input; the services (programmes/services.py) write."""

from __future__ import annotations

from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from civicbridge.core.forms import MAX_DB_ID, DateField
from civicbridge.core.templatetags.script import script_filter
from civicbridge.directory.widgets import LookupField
from civicbridge.exchanges.forms import PageForm, VersionedForm
from civicbridge.exchanges.models import Exchange
from civicbridge.programmes import services
from civicbridge.programmes.models import Direction, ExchangeLink, Programme

YEAR_ATTRS = {"min": services.EARLIEST_YEAR, "max": services.LATEST_YEAR, "inputmode": "numeric"}


def _year_field(label) -> forms.IntegerField:
    return forms.IntegerField(
        label=label,
        required=False,
        min_value=services.EARLIEST_YEAR,
        max_value=services.LATEST_YEAR,
        widget=forms.NumberInput(attrs=YEAR_ATTRS),
    )


def _direction_field() -> forms.ChoiceField:
    return forms.ChoiceField(
        label=_("Direction"),
        choices=[("", _("Not said")), *Direction.choices],
        required=False,
    )


class ProgrammeForm(VersionedForm):
    auto_id_default = "programme_%s"

    name = forms.CharField(
        label=_("Name"),
        max_length=200,
        help_text=_("As the organiser names it: 一日里长, 双城交流, 京台社区发展论坛."),
    )
    # Not Programme.Kind's labels: "Programme" is already an exchange's 日程安排.
    kind = forms.ChoiceField(
        label=_("Kind"),
        choices=[
            (Programme.Kind.PROGRAMME, _("A programme (visits under one name)")),
            (Programme.Kind.SERIES, _("A series (a recurring event)")),
        ],
        initial=Programme.Kind.PROGRAMME,
    )
    organiser = LookupField("organisation", label=_("Organiser"), required=False)
    direction = _direction_field()
    start_year = _year_field(_("Since (year)"))
    aim = forms.CharField(
        label=_("Aim"), max_length=5000, required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    note = forms.CharField(
        label=_("Note"), max_length=5000, required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class FigureForm(PageForm):
    auto_id_default = "figure_%s"

    figure = forms.DecimalField(
        label=_("Figure"),
        min_value=0,
        max_value=services.MAX_FIGURE,
        max_digits=12,
        decimal_places=2,
        widget=forms.NumberInput(attrs={"step": "any", "inputmode": "decimal"}),
    )
    unit = forms.CharField(
        label=_("What is counted"),
        max_length=200,
        help_text=_("居委会, 里, 人次 … as the source says."),
    )
    direction = _direction_field()
    period_start = _year_field(_("From (year)"))
    period_end = _year_field(_("To (year)"))
    about = forms.CharField(
        label=_("The programme as the source words it"),
        max_length=200,
        required=False,
        help_text=_("Only when it differs from the programme's name."),
    )

    def clean(self):
        data = super().clean()
        start, end = data.get("period_start"), data.get("period_end")
        if start is not None and end is not None and end < start:
            self.add_error("period_end", _("The period ends before it starts."))
        return data


class ExchangeFigureForm(FigureForm):
    """A figure reported with an exchange (its news report gives 221 居委会, 2013–2017): of a
    recorded programme, or of one named here (found in either script, created if none)."""

    auto_id_default = "xfigure_%s"
    field_order = ["programme", "programme_name", "figure", "unit", "direction"]

    programme = forms.ModelChoiceField(
        label=_("Programme or series"), queryset=None, required=False
    )
    programme_name = forms.CharField(
        label=_("…or its name"),
        max_length=200,
        required=False,
        help_text=_("A programme not recorded yet is created."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["programme"]
        field.queryset = Programme.objects.order_by("name")
        field.label_from_instance = lambda p: str(script_filter(p.name))
        field.empty_label = _("Choose…")

    def clean(self):
        data = super().clean()
        if not data.get("programme") and not (data.get("programme_name") or "").strip():
            self.add_error("programme", _("Choose the programme, or give its name."))
        return data


def _exchange_label(exchange: Exchange) -> str:
    return f"{exchange.start_date:%Y-%m-%d} · {script_filter(exchange.title)}"


class MembershipForm(PageForm):
    """Put the exchange in a programme."""

    auto_id_default = "membership_%s"

    programme = forms.ModelChoiceField(label=_("Programme or series"), queryset=None)

    def __init__(self, *args, exchange, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["programme"]
        field.queryset = Programme.objects.exclude(exchanges=exchange).order_by("name")
        field.label_from_instance = lambda p: str(script_filter(p.name))
        field.empty_label = _("Choose…")


# How many recorded exchanges the link form offers to choose from (those sharing a place
# with the exchange); others are given by their number.
CANDIDATES = 100


class LinkForm(PageForm):
    """Link the exchange to another visit: a recorded exchange, or who went where and when."""

    auto_id_default = "link_%s"

    kind = forms.ChoiceField(
        label=_("This exchange is"),
        choices=[
            (ExchangeLink.Kind.RETURN_VISIT, _("a return visit of")),
            (ExchangeLink.Kind.FOLLOW_UP, _("a follow-up of")),
            (ExchangeLink.Kind.EARLIER, _("preceded by (an earlier visit)")),
            (ExchangeLink.Kind.LATER, _("to be followed by (a later visit)")),
        ],
        initial=ExchangeLink.Kind.RETURN_VISIT,
    )
    other = forms.ModelChoiceField(
        label=_("The recorded exchange"),
        queryset=None,
        required=False,
        help_text=_("Exchanges between the same places; leave empty for a visit not recorded."),
    )
    other_number = forms.IntegerField(
        label=_("…or its number"),
        required=False,
        min_value=1,
        max_value=MAX_DB_ID,
        help_text=_("The number in the exchange's address (/exchanges/123/)."),
    )
    who = forms.CharField(
        label=_("Who went (as written)"),
        max_length=200,
        required=False,
        help_text=_("For a visit not recorded: 北京市社区代表团, 吴碧珠率团."),
    )
    where = forms.CharField(label=_("Where (as written)"), max_length=200, required=False)
    where_place = LookupField("place", label=_("Where (in the directory)"), required=False)
    start_date = DateField(label=_("From"), required=False)
    end_date = DateField(label=_("To"), required=False)
    note = forms.CharField(
        label=_("Note"), max_length=5000, required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args, exchange, **kwargs):
        super().__init__(*args, **kwargs)
        self.exchange = exchange
        places = [p for p in (exchange.host_place_id, exchange.visiting_place_id) if p]
        field = self.fields["other"]
        near = (
            Exchange.objects.alive()
            .exclude(pk=exchange.pk)
            .filter(Q(host_place_id__in=places) | Q(visiting_place_id__in=places))
            .order_by("-start_date", "id")
        )
        field.queryset = Exchange.objects.filter(pk__in=near.values("pk")[:CANDIDATES]).order_by(
            "-start_date", "id"
        )
        field.label_from_instance = _exchange_label
        field.empty_label = _("Not recorded here")

    def clean(self):
        data = super().clean()
        number = data.get("other_number")
        if number and not data.get("other"):
            other = Exchange.objects.alive().filter(pk=number).first()
            if other is None:
                self.add_error("other_number", _("There is no exchange %(n)s.") % {"n": number})
            else:
                data["other"] = other
        return data

    def link_fields(self) -> dict:
        data = dict(self.cleaned_data)
        data.pop("other_number", None)
        return data
