"""The site-wide type-ahead over the directory: people, places and organisations.

``LookupField`` / ``LookupMultipleField`` choose people, places or organisations with a
type-ahead (static/civicbridge/lookup.js, loaded by the base template, fetches the
directory's JSON lookups) instead of a giant select. Without JavaScript, or when the user
typed a name without picking it, the typed text is resolved on the server: one match is
taken, several or none give an error on the field. The typed text is always redisplayed.

Any app's forms may use them (exchanges, forums, pairings); they read only the directory.
"""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _

from civicbridge.core.forms import db_ids
from civicbridge.core.templatetags.script import name_filter
from civicbridge.directory.models import Organisation, Person, Place
from civicbridge.directory.selectors import search_organisations, search_people, search_places

# How many records the server-side resolution of a typed name looks at.
RESOLVE_LIMIT = 20


class _Kind:
    """What a lookup searches: its model, its JSON endpoint and its server-side search."""

    def __init__(self, model, url_name, search):
        self.model = model
        self.url_name = url_name
        self.search = search


def _search_people(text, **_):
    return search_people(text, limit=RESOLVE_LIMIT)


def _search_places(text, kind="", **_):
    return search_places(text, kind=kind or None, limit=RESOLVE_LIMIT)


def _search_organisations(text, **_):
    return search_organisations(text, limit=RESOLVE_LIMIT)


KINDS = {
    "person": _Kind(Person, "directory:lookup_people", _search_people),
    "place": _Kind(Place, "directory:lookup_places", _search_places),
    "organisation": _Kind(Organisation, "exchanges:lookup_organisations", _search_organisations),
}


def display(obj) -> str:
    """A person's, place's or organisation's name in the reader's script."""
    return str(name_filter(obj))


class LookupWidget(forms.Widget):
    """A hidden id (or ids) plus a visible text box that lookup.js turns into a combobox."""

    template_name = "directory/widgets/lookup.html"

    def __init__(
        self,
        kind: str,
        *,
        params: dict | None = None,
        multiple=False,
        add_new=False,
        attrs=None,
    ):
        super().__init__(attrs)
        self.kind = kind
        self.params = params or {}
        self.multiple = multiple
        # An "add new" button (organisations only) that opens the small "new organisation"
        # form below the field through HTMX (directory.views.organisation_add, inline):
        # success puts the new record in this field.
        self.add_new = add_new and kind == "organisation" and not multiple
        self.model = KINDS[kind].model

    def value_from_datadict(self, data, files, name):
        text = (data.get(f"{name}_q") or "").strip()
        if self.multiple:
            ids = [v for v in data.getlist(name) if v] if hasattr(data, "getlist") else []
            return {"ids": ids, "text": text}
        return {"ids": [data.get(name)] if data.get(name) else [], "text": text}

    def value_omitted_from_data(self, data, files, name):
        return name not in data and f"{name}_q" not in data

    def _objects(self, value):
        if isinstance(value, dict):
            ids = db_ids(value.get("ids", []))
            return list(self.model._base_manager.filter(pk__in=ids)), value.get("text", "")
        if value in (None, ""):
            return [], ""
        values = value if isinstance(value, list | tuple) else [value]
        objs = [v for v in values if isinstance(v, self.model)]
        ids = db_ids(v for v in values if not isinstance(v, self.model))
        if ids:
            objs += list(self.model._base_manager.filter(pk__in=ids))
        return objs, ""

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        objs, text = self._objects(value)
        url = reverse(KINDS[self.kind].url_name)
        query = "&".join(f"{k}={v}" for k, v in {"format": "json", **self.params}.items())
        chosen = [{"id": o.pk, "label": display(o)} for o in objs]
        if not self.multiple and not text and chosen:
            text = chosen[0]["label"]
        context["widget"].update(
            {
                "lookup_url": f"{url}?{query}",
                "multiple": self.multiple,
                "chosen": chosen,
                "chosen_id": chosen[0]["id"] if (chosen and not self.multiple) else "",
                "text": text,
                "kind": self.kind,
                "add_url": reverse("directory:organisation_add") if self.add_new else "",
            }
        )
        return context

    def id_for_label(self, id_):
        return id_

    def _render(self, template_name, context, renderer=None):
        # The project's templates (not only the form renderer's built-in ones).
        return mark_safe(render_to_string(template_name, context))  # noqa: S308


class LookupField(forms.Field):
    """One person, place or organisation chosen with the type-ahead."""

    widget = LookupWidget
    default_error_messages = {
        "none": _("Nothing in the directory matches “%(text)s”."),
        "many": _("Several records match “%(text)s”: choose one from the list."),
        "invalid": _("Choose a record from the list."),
    }

    def __init__(self, kind: str, *, params: dict | None = None, add_new=False, **kwargs):
        self.kind = kind
        self.params = params or {}
        kwargs.setdefault("widget", LookupWidget(kind, params=self.params, add_new=add_new))
        super().__init__(**kwargs)

    def _resolve_text(self, text: str):
        found = list(KINDS[self.kind].search(text, **self.params))
        if self.params.get("kind"):
            found = [f for f in found if getattr(f, "kind", None) == self.params["kind"]]
        exact = [f for f in found if text in {f.name, f.name_hans, f.name_hant, display(f)}]
        if len(exact) == 1:
            return exact[0]
        if len(found) == 1:
            return found[0]
        raise ValidationError(
            self.error_messages["many" if found else "none"], params={"text": text}
        )

    def to_python(self, value):
        if isinstance(value, KINDS[self.kind].model):
            return value
        if not isinstance(value, dict):
            value = {"ids": [value] if value else [], "text": ""}
        ids = [v for v in value["ids"] if v]
        if ids:
            try:
                return KINDS[self.kind].model._base_manager.get(pk=int(ids[0]))
            except (ValueError, KINDS[self.kind].model.DoesNotExist) as exc:
                raise ValidationError(self.error_messages["invalid"]) from exc
        if value["text"]:
            return self._resolve_text(value["text"])
        return None

    def validate(self, value):
        if value is None and self.required:
            raise ValidationError(self.error_messages["required"], code="required")


class LookupMultipleField(LookupField):
    """Several people (or places, organisations) chosen with the type-ahead."""

    def __init__(self, kind: str, *, params: dict | None = None, **kwargs):
        kwargs.setdefault("widget", LookupWidget(kind, params=params, multiple=True))
        kwargs.setdefault("required", False)
        super().__init__(kind, params=params, **kwargs)

    def to_python(self, value):
        if not isinstance(value, dict):
            return list(value or [])
        model = KINDS[self.kind].model
        ids = db_ids(value["ids"])
        objs = list(model._base_manager.filter(pk__in=ids))
        if len(ids) != len([v for v in value["ids"] if v]) or len(objs) != len(set(ids)):
            raise ValidationError(self.error_messages["invalid"])
        if value["text"]:
            extra = self._resolve_text(value["text"])
            if extra.pk not in ids:
                objs.append(extra)
        return objs

    def validate(self, value):
        if not value and self.required:
            raise ValidationError(self.error_messages["required"], code="required")
