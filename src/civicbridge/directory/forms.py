"""Forms of the directory pages: adding, correcting, merging and retiring places, aliases;
organisations and positions."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from civicbridge.core.services import validate_date_range
from civicbridge.directory.models import (
    SIDES,
    Organisation,
    OrganisationKind,
    Place,
    PlaceAlias,
    PlaceKind,
    PlaceStatus,
)
from civicbridge.directory.services import ALLOWED_PARENT_KINDS
from civicbridge.directory.widgets import LookupField


def apply_errors(form: forms.Form, exc: ValidationError) -> None:
    """Put a service's ValidationError back on the form's fields (others: above the form)."""
    if hasattr(exc, "error_dict"):
        for key, errors in exc.error_dict.items():
            for error in errors:
                form.add_error(key if key in form.fields else None, error)
    else:
        for error in exc.error_list:
            form.add_error(None, error)


def kinds_below(parent: Place | None, side: str | None) -> list[tuple[str, str]]:
    """The kinds a new place may have below ``parent`` (or at the top of ``side``)."""
    side = parent.side_id if parent is not None else side
    parent_kind = parent.kind if parent is not None else None
    allowed = {
        kind
        for s, per_side in ALLOWED_PARENT_KINDS.items()
        if side is None or s == side
        for kind, parents in per_side.items()
        if parent_kind in parents
    }
    return [(value, label) for value, label in PlaceKind.choices if value in allowed]


class PlaceAddForm(forms.Form):
    name = forms.CharField(label=_("Official name"), max_length=200)
    kind = forms.ChoiceField(label=_("Kind"))
    side = forms.ChoiceField(label=_("Side"), required=False)
    code = forms.CharField(label=_("Official code"), max_length=20, required=False)
    short_name = forms.CharField(label=_("Short name"), max_length=100, required=False)
    note = forms.CharField(
        label=_("Note"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )

    def __init__(self, *args, parent: Place | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.parent = parent
        if parent is None:
            self.fields["side"].required = True
            self.fields["side"].choices = [(code, row["name"]) for code, row in SIDES.items()]
            side = self.data.get("side") if self.is_bound else None
            self.fields["kind"].choices = kinds_below(None, side if side in SIDES else None)
        else:
            del self.fields["side"]
            self.fields["kind"].choices = kinds_below(parent, None)


class PlaceCorrectForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput)
    name = forms.CharField(label=_("Official name"), max_length=200)
    name_hans = forms.CharField(
        label=_("Name in Simplified script"), max_length=200, required=False
    )
    name_hant = forms.CharField(
        label=_("Name in Traditional script"), max_length=200, required=False
    )
    short_name = forms.CharField(label=_("Short name"), max_length=100, required=False)
    code = forms.CharField(label=_("Official code"), max_length=20, required=False)
    kind = forms.ChoiceField(label=_("Kind"), choices=PlaceKind.choices)
    parent = forms.IntegerField(
        label=_("Part of (number of the place above)"),
        required=False,
        min_value=1,
        max_value=2**53,
        help_text=_("Change it to move the place, with everything below it."),
    )
    note = forms.CharField(
        label=_("Note"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )

    def __init__(self, *args, place: Place, **kwargs):
        kwargs.setdefault(
            "initial",
            {
                "version": place.version,
                "name": place.name,
                "name_hans": place.name_hans,
                "name_hant": place.name_hant,
                "short_name": place.short_name,
                "code": place.code or "",
                "kind": place.kind,
                "parent": place.parent_id,
                "note": place.note,
            },
        )
        super().__init__(*args, **kwargs)
        self.place = place

    def clean_parent(self):
        pk = self.cleaned_data.get("parent")
        if pk is None:
            return None
        parent = Place.objects.filter(pk=pk).first()
        if parent is None:
            raise ValidationError(_("There is no place %(id)s.") % {"id": pk})
        return parent

    def changes(self) -> dict:
        """The fields that differ from the place as it is."""
        data = dict(self.cleaned_data)
        data.pop("version")
        current = {
            "name": self.place.name,
            "name_hans": self.place.name_hans,
            "name_hant": self.place.name_hant,
            "short_name": self.place.short_name,
            "code": self.place.code or "",
            "kind": self.place.kind,
            "parent": self.place.parent,
            "note": self.place.note,
        }
        changed = {k: v for k, v in data.items() if v != current[k]}
        # A new name brings its own script forms unless they were typed too.
        if "name" in changed:
            for key in ("name_hans", "name_hant"):
                if key not in changed:
                    changed.pop(key, None)
        return changed


class PlaceMergeForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput)
    into = forms.ModelChoiceField(
        label=_("Merge into"),
        queryset=Place.objects.none(),
        help_text=_(
            "The place that stays: it takes this one's other spellings, the places below it "
            "and every record that names it."
        ),
    )
    note = forms.CharField(label=_("Why"), widget=forms.Textarea(attrs={"rows": 2}), required=False)

    def __init__(self, *args, place: Place, **kwargs):
        kwargs.setdefault("initial", {"version": place.version})
        super().__init__(*args, **kwargs)
        # The usual duplicate is a sibling; any place at the same level is possible by API.
        self.fields["into"].queryset = (
            Place.objects.filter(parent_id=place.parent_id, status=PlaceStatus.CURRENT)
            .exclude(pk=place.pk)
            .order_by("code", "name", "id")
        )


class PlaceRetireForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput)
    note = forms.CharField(label=_("Why"), widget=forms.Textarea(attrs={"rows": 2}), required=False)

    def __init__(self, *args, place: Place, **kwargs):
        kwargs.setdefault("initial", {"version": place.version})
        super().__init__(*args, **kwargs)


class PlaceAliasForm(forms.Form):
    name = forms.CharField(label=_("Other spelling"), max_length=200)
    kind = forms.ChoiceField(
        label=_("Kind"),
        choices=PlaceAlias.Kind.choices,
        initial=PlaceAlias.Kind.COMMON,
        required=False,
    )
    note = forms.CharField(label=_("Note"), max_length=1000, required=False)

    def clean_kind(self):
        return self.cleaned_data.get("kind") or PlaceAlias.Kind.COMMON


class PersonAliasForm(forms.Form):
    name = forms.CharField(
        label=_("Other spelling"),
        max_length=200,
        help_text=_("As a report writes the name (王红薇 for 王鸿薇)."),
    )
    note = forms.CharField(label=_("Note"), max_length=1000, required=False)


# --- organisations and positions ----------------------------------------------------------


class OrganisationForm(forms.Form):
    """A new organisation, or a correction of one (with its ``version``)."""

    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    name = forms.CharField(label=_("Name"), max_length=200)
    kind = forms.ChoiceField(label=_("Kind"), choices=OrganisationKind.choices)
    place = LookupField(
        "place",
        label=_("Based at (place)"),
        help_text=_(
            "Any place for a visiting association, troupe or care centre; a venue lies "
            "within your own places."
        ),
    )
    short_name = forms.CharField(label=_("Short name"), max_length=100, required=False)
    parent = LookupField("organisation", label=_("Part of (organisation)"), required=False)
    description = forms.CharField(
        label=_("Description"),
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
    )
    note = forms.CharField(
        label=_("Note"), max_length=5000, widget=forms.Textarea(attrs={"rows": 2}), required=False
    )

    FIELDS = ("name", "kind", "place", "short_name", "parent", "description", "note")

    def __init__(self, *args, organisation: Organisation | None = None, **kwargs):
        self.organisation = organisation
        if organisation is not None:
            kwargs.setdefault(
                "initial",
                {"version": organisation.version}
                | {f: getattr(organisation, f) for f in self.FIELDS},
            )
        super().__init__(*args, **kwargs)
        if organisation is None:
            del self.fields["version"]
        else:
            self.fields["version"].required = True

    def data_for_service(self) -> dict:
        """The fields to create with, or (for a correction) those that changed."""
        data = {f: self.cleaned_data[f] for f in self.FIELDS}
        if self.organisation is None:
            return data
        return {k: v for k, v in data.items() if v != getattr(self.organisation, k)}


class PositionForm(forms.Form):
    """A title a person holds in an organisation or at a place."""

    title = forms.CharField(label=_("Title"), max_length=100)
    organisation = LookupField("organisation", label=_("In (organisation)"), required=False)
    place = LookupField("place", label=_("Or at (place)"), required=False)
    start_date = forms.DateField(label=_("From"), required=False, validators=[validate_date_range])
    end_date = forms.DateField(label=_("To"), required=False, validators=[validate_date_range])
    source = forms.CharField(label=_("Source"), max_length=200, required=False)
    note = forms.CharField(
        label=_("Note"), max_length=5000, widget=forms.Textarea(attrs={"rows": 2}), required=False
    )

    def clean(self):
        data = super().clean()
        if not self.errors and not data.get("organisation") and not data.get("place"):
            raise ValidationError(_("A position is held in an organisation or a place."))
        return data


class PositionEndForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput)
    end_date = forms.DateField(label=_("Held until"), validators=[validate_date_range])
