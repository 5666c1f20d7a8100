"""Form fields every app's forms share."""

from __future__ import annotations

from django import forms

from civicbridge.core.services import EARLIEST_DATE, LATEST_DATE, validate_date_range


class DateField(forms.DateField):
    """A date typed in a page form, within the dates the whole application accepts
    (``core.services.EARLIEST_DATE`` … ``LATEST_DATE``, the API's limits too)."""

    default_validators = [validate_date_range]

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))
        super().__init__(*args, **kwargs)
        self.widget.attrs.setdefault("min", EARLIEST_DATE.isoformat())
        self.widget.attrs.setdefault("max", LATEST_DATE.isoformat())


# The largest id a database row can have (64-bit signed): a larger one cannot be looked up
# (SQLite raises OverflowError), so it is no record's id.
MAX_DB_ID = 2**63 - 1


def db_ids(values) -> list[int]:
    """The ids among ``values`` (strings or numbers) that a row can have; others dropped."""
    out = []
    for value in values or ():
        text = str(value).strip()
        if text.isascii() and text.isdigit() and 0 < int(text) <= MAX_DB_ID:
            out.append(int(text))
    return out


class ModelMultipleChoiceField(forms.ModelMultipleChoiceField):
    """Django's, refusing ids no row can have before they reach the database."""

    def _check_values(self, value):
        for pk in value:
            text = str(pk).strip()
            if not (text.isascii() and text.isdigit()) or not 0 < int(text) <= MAX_DB_ID:
                raise forms.ValidationError(
                    self.error_messages["invalid_pk_value"],
                    code="invalid_pk_value",
                    params={"pk": text[:40]},
                )
        return super()._check_values(value)
