"""The logistics grid (one form per member, all saved in one POST) and the vehicle forms."""

from __future__ import annotations

from zoneinfo import ZoneInfo

from django import forms
from django.forms import BaseFormSet, formset_factory
from django.utils.translation import gettext_lazy as _

from civicbridge.core.services import validate_date_range
from civicbridge.logistics.models import TravelMode
from civicbridge.logistics.selectors import MASK

DATETIME_INPUT = "%Y-%m-%dT%H:%M"
LEGS = ("arrival", "departure")


def local_input(value, zone: str) -> str:
    """A stored moment as a ``datetime-local`` value in the exchange's time zone."""
    return value.astimezone(ZoneInfo(zone)).strftime(DATETIME_INPUT) if value else ""


def _leg_fields(prefix: str) -> dict:
    return {
        f"{prefix}_mode": forms.ChoiceField(
            label=_("by"), choices=TravelMode.choices, initial=TravelMode.FLIGHT, required=False
        ),
        f"{prefix}_number": forms.CharField(
            label=_("flight or train number"), max_length=40, required=False
        ),
        f"{prefix}_at": forms.DateTimeField(
            label=_("time"),
            input_formats=[DATETIME_INPUT, "%Y-%m-%d %H:%M"],
            widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format=DATETIME_INPUT),
            required=False,
            validators=[validate_date_range],
        ),
        f"{prefix}_place": forms.CharField(label=_("place"), max_length=200, required=False),
        f"{prefix}_pickup": forms.BooleanField(label=_("pick-up needed"), required=False),
        f"{prefix}_version": forms.IntegerField(
            widget=forms.HiddenInput, required=False, min_value=0
        ),
    }


# The grid's columns, left to right (the template's headers follow them).
GRID_ORDER = [
    "member",
    *(f"{d}_{x}" for d in LEGS for x in ("mode", "number", "at", "place", "pickup", "version")),
    "hotel",
    "room",
    "nights",
    "stay_version",
    "vehicle",
    "seat",
    "seat_version",
    "dietary",
    "mobility",
    "needs_version",
]


class LogisticsRowForm(forms.Form):
    """One member's row: arrival, departure, hotel and room, vehicle and seat, needs."""

    member = forms.IntegerField(widget=forms.HiddenInput, min_value=1)
    hotel = forms.CharField(label=_("hotel"), max_length=200, required=False)
    room = forms.CharField(label=_("room"), max_length=40, required=False)
    nights = forms.IntegerField(label=_("nights"), min_value=0, max_value=366, required=False)
    stay_version = forms.IntegerField(widget=forms.HiddenInput, required=False, min_value=0)
    vehicle = forms.ChoiceField(label=_("vehicle"), required=False)
    seat = forms.CharField(label=_("seat"), max_length=10, required=False)
    seat_version = forms.IntegerField(widget=forms.HiddenInput, required=False, min_value=0)
    dietary = forms.CharField(label=_("dietary needs"), max_length=200, required=False)
    mobility = forms.CharField(label=_("mobility or medical needs"), max_length=200, required=False)
    needs_version = forms.IntegerField(widget=forms.HiddenInput, required=False, min_value=0)

    def __init__(self, *args, row=None, vehicles=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.row = row
        for direction in LEGS:
            for name, f in _leg_fields(direction).items():
                self.fields[name] = f
        self.order_fields(GRID_ORDER)
        self.fields["vehicle"].choices = [("", "—")] + [(str(v.pk), v.name) for v in vehicles]
        self.needs_visible = bool(row and row.needs_visible)
        if not self.needs_visible:
            # Masked: shown as •••, neither read nor written.
            for name in ("dietary", "mobility"):
                self.fields[name].disabled = True
                self.fields[name].widget.attrs["placeholder"] = MASK
        for name, f in self.fields.items():
            if not isinstance(f.widget, forms.HiddenInput | forms.CheckboxInput):
                f.widget.attrs.setdefault("aria-label", str(f.label))
                f.widget.attrs["class"] = f"grid-input grid-{name.split('_')[-1]}"

    def clean_member(self):
        pk = self.cleaned_data["member"]
        if self.row is None or self.row.member.pk != pk:
            raise forms.ValidationError(
                _("The roster changed while you were editing; reload the page.")
            )
        return pk


class BaseLogisticsFormSet(BaseFormSet):
    def __init__(self, *args, rows=(), vehicles=(), **kwargs):
        self.rows = list(rows)
        self.vehicles = list(vehicles)
        super().__init__(*args, **kwargs)

    def get_form_kwargs(self, index):
        row = self.rows[index] if index is not None and index < len(self.rows) else None
        return {"row": row, "vehicles": self.vehicles}

    def clean(self):
        if self.total_form_count() != len(self.rows):
            raise forms.ValidationError(
                _("The roster changed while you were editing; reload the page.")
            )


LogisticsFormSet = formset_factory(
    LogisticsRowForm,
    formset=BaseLogisticsFormSet,
    extra=0,
    max_num=2000,
    validate_max=True,
    absolute_max=2000,
)


def initial_of(row, zone: str) -> dict:
    """A grid row's values as stored (versions 0 for records not made yet)."""
    data = {"member": row.member.pk}
    for direction in LEGS:
        leg = getattr(row, direction)
        data.update(
            {
                f"{direction}_mode": leg.mode if leg else TravelMode.FLIGHT,
                f"{direction}_number": leg.number if leg else "",
                # Aware: shown (and compared) in the current time zone, the exchange's.
                f"{direction}_at": leg.at if leg else None,
                f"{direction}_place": (leg.place_wording or (leg.place.name if leg.place else ""))
                if leg
                else "",
                f"{direction}_pickup": leg.pickup if leg else False,
                f"{direction}_version": leg.version if leg else 0,
            }
        )
    stay, seat, needs = row.stay, row.seat, row.needs
    data.update(
        {
            "hotel": stay.hotel_name if stay else "",
            "room": stay.room if stay else "",
            "nights": stay.nights if stay else None,
            "stay_version": stay.version if stay else 0,
            "vehicle": str(seat.vehicle_id) if seat else "",
            "seat": seat.seat if seat else "",
            "seat_version": seat.version if seat else 0,
            "dietary": needs.dietary if needs and row.needs_visible else "",
            "mobility": needs.mobility if needs and row.needs_visible else "",
            "needs_version": needs.version if needs else 0,
        }
    )
    return data


class VehicleForm(forms.Form):
    name = forms.CharField(label=_("vehicle"), max_length=100)
    plate = forms.CharField(label=_("plate"), max_length=20, required=False)
    driver = forms.CharField(label=_("driver"), max_length=100, required=False)
    seats = forms.IntegerField(label=_("seats"), min_value=1, max_value=500, required=False)
    version = forms.IntegerField(widget=forms.HiddenInput, required=False, min_value=1)
