"""Labels of a model field's choices, for many rows at once."""

from __future__ import annotations


def choice_labels(model, field_name: str) -> dict:
    """``{value: label}`` of a field's choices in the current language, for many rows at once
    (``get_FOO_display()`` per row rebuilds and hashes the whole list of lazy labels)."""
    return {value: str(label) for value, label in model._meta.get_field(field_name).flatchoices}
