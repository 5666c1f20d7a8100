"""Directory pages: the indexes of places, people and organisations, the type-ahead
lookups, adding and correcting places, organisations and positions. The place, person and organisation pages show
other apps' records too: they are in the page tier (civicbridge/pages/views.py)."""

import re

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from civicbridge.core import hans_hant
from civicbridge.core.htmx import is_htmx, reswap
from civicbridge.core.services import StaleVersion
from civicbridge.directory import forms, selectors, services
from civicbridge.directory.models import (
    SIDES,
    Organisation,
    Person,
    PersonAlias,
    PlaceAlias,
    PlaceKind,
    Position,
)
from civicbridge.directory.widgets import LookupWidget

PAGE_SIZE = 50


def _require(request, perm: str, obj=None) -> None:
    """403 unless the user holds ``perm`` (a user without a role reads nothing)."""
    if not request.user.has_perm(perm, obj):
        raise PermissionDenied


def _page(request, queryset, size: int = PAGE_SIZE):
    return Paginator(queryset, size).get_page(request.GET.get("page"))


@login_required
def place_index(request):
    _require(request, "directory.view_place")
    roots = selectors.root_places()
    districts = selectors.districts_of(roots)
    trees = [{"root": root, "districts": districts[root.pk]} for root in roots]
    can_add_top = request.user.has_perm("directory.add_place", services.new_place())
    return render(
        request, "directory/place_index.html", {"trees": trees, "can_add_top": can_add_top}
    )


@login_required
def person_index(request):
    _require(request, "directory.view_person")
    query = request.GET.get("q", "").strip()
    rows = selectors.search_people(query, limit=200) if query else selectors.people()
    return render(
        request, "directory/person_index.html", {"page_obj": _page(request, rows), "query": query}
    )


@login_required
def organisation_index(request):
    _require(request, "directory.view_place")
    query = request.GET.get("q", "").strip()
    rows = selectors.search_organisations(query, limit=200) if query else selectors.organisations()
    return render(
        request,
        "directory/organisation_index.html",
        {
            "page_obj": _page(request, rows),
            "query": query,
            "can_add": request.user.has_perm("directory.add_organisation"),
        },
    )


def _wants_json(request) -> bool:
    return request.GET.get("format") == "json" or (
        "application/json" in request.headers.get("Accept", "") and not is_htmx(request)
    )


@login_required
def lookup_people(request):
    """Type-ahead over people, either script. HTML fragment for HTMX (a list of options with
    ``data-id`` and the display name), or JSON with ``?format=json``."""
    _require(request, "directory.view_person")
    query = request.GET.get("q", "").strip()
    people = selectors.lookup_people(query) if query else []
    which = hans_hant.script_of_language(request.LANGUAGE_CODE)
    if _wants_json(request):
        return JsonResponse(
            {
                "results": [
                    {
                        "id": p.pk,
                        "name": p.name_in(which),
                        "home_place": p.home_place.display_name_in(which) if p.home_place else "",
                    }
                    for p in people
                ]
            }
        )
    return render(
        request,
        "directory/lookup_people.html",
        {"results": people, "query": query, "field": request.GET.get("field", "person")},
    )


@login_required
def lookup_places(request):
    """Type-ahead over places (name, short name, aliases), either script; ``kind`` and
    ``side`` (mainland, taiwan; the old ``region`` beijing/taipei too) narrow it. HTML
    fragment for HTMX or JSON with ``?format=json``."""
    _require(request, "directory.view_place")
    query = request.GET.get("q", "").strip()
    kind = request.GET.get("kind", "")
    kind = kind if kind in PlaceKind.values else ""
    side = request.GET.get("side", "")
    side = side or {"beijing": "mainland", "taipei": "taiwan"}.get(
        request.GET.get("region", ""), ""
    )
    side = side if side in SIDES else ""
    places = selectors.lookup_places(query, kind=kind, side=side) if query else []
    which = hans_hant.script_of_language(request.LANGUAGE_CODE)
    if _wants_json(request):
        return JsonResponse(
            {
                "results": [
                    {
                        "id": p.pk,
                        "name": p.display_name_in(which),
                        "full_name": p.name_in(which),
                        "kind": p.kind,
                        "parent": p.parent.display_name_in(which) if p.parent else "",
                    }
                    for p in places
                ]
            }
        )
    return render(
        request,
        "directory/lookup_places.html",
        {"results": places, "query": query, "field": request.GET.get("field", "place")},
    )


# --- adding and correcting places ------------------------------------------------------------
# Who may: accounts.rules (directory.add_place, change_place, merge_place, retire_place), the
# same rules the API asks; the services check the tree's invariants.


def _form_page(request, form, *, perform, place, title: str, lede: str, submit: str):
    """GET: the form. POST: ``perform(form)`` calls a service; its ValidationError goes back
    on the fields, a stale version above the form; success goes to the place's page."""
    if request.method == "POST" and form.is_valid():
        try:
            result = perform(form)
        except StaleVersion as exc:
            for message in exc.messages:
                form.add_error(None, message)
        except ValidationError as exc:
            forms.apply_errors(form, exc)
        else:
            messages.success(request, _("Saved."))
            return redirect(reverse("directory:place", args=[result.pk]))
    return render(
        request,
        "directory/place_form.html",
        {"form": form, "place": place, "title": title, "lede": lede, "submit_label": submit},
        status=422 if request.method == "POST" else 200,
    )


@login_required
def place_add(request, pk: int | None = None):
    """A place below ``pk`` (an organiser's sub-unit), or a top-level place (administrators)."""
    parent = selectors.get_place(pk) if pk is not None else None
    if parent is not None:
        _require(request, "directory.view_place", parent)
    side = request.POST.get("side") if parent is None else None
    _require(request, "directory.add_place", services.new_place(parent=parent, side=side))
    form = forms.PlaceAddForm(request.POST or None, parent=parent)

    def perform(f):
        data = dict(f.cleaned_data)
        return services.create_place(parent=parent, **data)

    return _form_page(
        request,
        form,
        perform=perform,
        place=parent,
        title=_("Add a place below %(place)s") % {"place": parent.name}
        if parent
        else _("Add a top-level place"),
        lede=_(
            "Administrators add places at county level and above; organisers the streets, towns, communities, villages and li of their own places."
        ),
        submit=_("Add"),
    )


@login_required
def place_edit(request, pk: int):
    place = selectors.get_place(pk)
    _require(request, "directory.change_place", place)
    form = forms.PlaceCorrectForm(request.POST or None, place=place)

    def perform(f):
        fields = f.changes()
        if "parent" in fields and not request.user.has_perm(
            "directory.add_place", services.new_place(parent=fields["parent"], side=place.side_id)
        ):
            raise PermissionDenied  # as the API answers (403)
        return services.update_place(
            place=place, expected_version=f.cleaned_data["version"], **fields
        )

    return _form_page(
        request,
        form,
        perform=perform,
        place=place,
        title=_("Correct %(place)s") % {"place": place.name},
        lede=_(
            "The official name stays as in the source; add other spellings as aliases on the place's page."
        ),
        submit=_("Save"),
    )


@login_required
def place_merge(request, pk: int):
    place = selectors.get_place(pk)
    _require(request, "directory.merge_place", place)
    form = forms.PlaceMergeForm(request.POST or None, place=place)

    def perform(f):
        into = f.cleaned_data["into"]
        if not request.user.has_perm("directory.merge_place", into):
            raise PermissionDenied
        return services.merge_place(
            place=place,
            into=into,
            expected_version=f.cleaned_data["version"],
            note=f.cleaned_data["note"],
        )

    return _form_page(
        request,
        form,
        perform=perform,
        place=place,
        title=_("Merge %(place)s into another place") % {"place": place.name},
        lede=_(
            "For a place entered twice. Its name becomes another spelling of the place that stays; it is kept, marked merged."
        ),
        submit=_("Merge"),
    )


@login_required
def place_retire(request, pk: int):
    place = selectors.get_place(pk)
    _require(request, "directory.retire_place", place)
    form = forms.PlaceRetireForm(request.POST or None, place=place)
    return _form_page(
        request,
        form,
        perform=lambda f: services.retire_place(
            place=place, expected_version=f.cleaned_data["version"], note=f.cleaned_data["note"]
        ),
        place=place,
        title=_("Retire %(place)s") % {"place": place.name},
        lede=_(
            "For a place entered by mistake: it stays for the records that name it but is no longer offered for new ones."
        ),
        submit=_("Retire"),
    )


@login_required
@require_POST
def place_alias_add(request, pk: int):
    place = selectors.get_place(pk)
    _require(request, "directory.change_place", place)
    form = forms.PlaceAliasForm(request.POST)
    if form.is_valid():
        try:
            services.add_place_alias(place=place, **form.cleaned_data)
        except ValidationError as exc:
            forms.apply_errors(form, exc)
    if form.errors:
        for error in [e for errors in form.errors.values() for e in errors]:
            messages.error(request, error)
    else:
        messages.success(request, _("Saved."))
    return redirect(reverse("directory:place", args=[place.pk]) + "#aliases-heading")


@login_required
@require_POST
def place_alias_remove(request, pk: int, alias_pk: int):
    place = selectors.get_place(pk)
    alias = get_object_or_404(PlaceAlias, pk=alias_pk, place=place)
    _require(request, "directory.change_place", place)
    services.remove_place_alias(alias=alias)
    messages.success(request, _("Removed."))
    return redirect(reverse("directory:place", args=[place.pk]) + "#aliases-heading")


# --- other spellings of a person's name (directory.change_person) ---------------------------


def _person_aliases_url(person) -> str:
    return reverse("directory:person", args=[person.pk]) + "#aliases-heading"


@login_required
@require_POST
def person_alias_add(request, pk: int):
    person = selectors.get_person(pk)
    _require(request, "directory.change_person", person)
    form = forms.PersonAliasForm(request.POST)
    if form.is_valid():
        try:
            services.add_person_alias(person=person, actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            forms.apply_errors(form, exc)
    if form.errors:
        return render(
            request,
            "directory/person_alias_form.html",
            {"person": person, "form": form},
            status=400,
        )
    messages.success(request, _("Saved."))
    return redirect(_person_aliases_url(person))


@login_required
@require_POST
def person_alias_remove(request, pk: int, alias_pk: int):
    person = selectors.get_person(pk)
    alias = get_object_or_404(PersonAlias, pk=alias_pk, person=person)
    _require(request, "directory.change_person", person)
    services.remove_person_alias(alias=alias, actor=request.user)
    messages.success(request, _("Removed."))
    return redirect(_person_aliases_url(person))


# --- organisations and positions ------------------------------------------------------------
# Who may: accounts.rules (directory.add_organisation, change_organisation, add_position,
# change_position); the services ask the same rules with ``actor=``, as the API does.

# The lookup a "new organisation" form opened inline (exchange form) fills in: the field's
# name and its element id, checked so that they are only ever plain identifiers.
INLINE_NAME = re.compile(r"^[A-Za-z0-9_-]{1,80}$")
INLINE_PREFIX = "new_org"


def _record_form_page(request, form, *, perform, title: str, lede: str, submit: str, cancel: str):
    """GET: the form. POST: ``perform(form)`` calls a service; its ValidationError goes back
    on the fields, a stale version above the form; success goes to the record's page."""
    if request.method == "POST" and form.is_valid():
        try:
            result = perform(form)
        except StaleVersion as exc:
            for message in exc.messages:
                form.add_error(None, message)
        except ValidationError as exc:
            forms.apply_errors(form, exc)
        else:
            messages.success(request, _("Saved."))
            return redirect(result.get_absolute_url())
    return render(
        request,
        "directory/record_form.html",
        {"form": form, "title": title, "lede": lede, "submit_label": submit, "cancel": cancel},
        status=422 if request.method == "POST" else 200,
    )


def _inline_target(request) -> tuple[str, str] | None:
    """(field name, element id) of the lookup an inline "new organisation" form fills."""
    name = request.GET.get("field") or request.POST.get(f"{INLINE_PREFIX}-field", "")
    target = request.GET.get("target") or request.POST.get(f"{INLINE_PREFIX}-target", "")
    if INLINE_NAME.match(name) and INLINE_NAME.match(target):
        return name, target
    return None


def _organisation_inline(request, inline: tuple[str, str]):
    """The small "new organisation" form inside another form (HTMX, no form of its own:
    its fields are prefixed and posted with ``hx-post``). Success fills the lookup it was
    opened from (an out-of-band swap of that widget, the new organisation chosen)."""
    name, target = inline
    form = forms.OrganisationForm(request.POST or None, prefix=INLINE_PREFIX)
    context = {"form": form, "field_name": name, "target": target}
    if request.method == "POST" and form.is_valid():
        try:
            org = services.create_organisation(actor=request.user, **form.data_for_service())
        except ValidationError as exc:
            forms.apply_errors(form, exc)
        else:
            widget = LookupWidget("organisation")
            context |= {
                "created": org,
                "widget_html": widget.render(name, org, attrs={"id": target}),
            }
            response = render(request, "directory/organisation_inline.html", context)
            return reswap(response, "none")  # only the out-of-band widget is swapped
    # Errors are shown in place: HTMX swaps only a 2xx answer.
    return render(request, "directory/organisation_inline.html", context)


@login_required
def organisation_add(request):
    """A new organisation (a visiting association, a troupe, a care centre, a venue …).
    With HTMX and ``?field=&target=`` (the exchange form's "new organisation"): the small
    inline form that fills that lookup."""
    _require(request, "directory.add_organisation")
    inline = _inline_target(request) if is_htmx(request) else None
    if inline is not None:
        return _organisation_inline(request, inline)
    form = forms.OrganisationForm(request.POST or None)
    return _record_form_page(
        request,
        form,
        perform=lambda f: services.create_organisation(actor=request.user, **f.data_for_service()),
        title=_("New organisation"),
        lede=_(
            "Record an association, a troupe, a care centre, an office or a venue. Any place "
            "may be its seat (a visiting organisation's lies on the other side); a venue lies "
            "within your own places."
        ),
        submit=_("Create"),
        cancel=reverse("directory:organisations"),
    )


@login_required
def organisation_edit(request, pk: int):
    org = get_object_or_404(Organisation.objects.alive(), pk=pk)
    _require(request, "directory.change_organisation", org)
    form = forms.OrganisationForm(request.POST or None, organisation=org)
    return _record_form_page(
        request,
        form,
        perform=lambda f: services.update_organisation(
            organisation=org,
            expected_version=f.cleaned_data["version"],
            actor=request.user,
            **f.data_for_service(),
        ),
        title=_("Correct %(organisation)s") % {"organisation": org.name},
        lede=_(
            "Organisers correct the organisations based in their places and those they created."
        ),
        submit=_("Save"),
        cancel=org.get_absolute_url(),
    )


@login_required
def position_add(request, pk: int):
    """A new position of the person ``pk`` (from their page)."""
    person = get_object_or_404(Person.objects.alive(), pk=pk)
    _require(request, "directory.view_person", person)
    _require(request, "directory.add_position")
    form = forms.PositionForm(request.POST or None)
    return _record_form_page(
        request,
        form,
        perform=lambda f: (
            services.create_position(person=person, actor=request.user, **f.cleaned_data).person
        ),
        title=_("New position of %(person)s") % {"person": person.name},
        lede=_(
            "A title held in an organisation or at a place. Organisers record those of their "
            "own people, and those in the organisations and places they may correct."
        ),
        submit=_("Add"),
        cancel=person.get_absolute_url(),
    )


@login_required
def position_end(request, pk: int):
    """The person no longer holds the position (from their page)."""
    position = get_object_or_404(Position.objects.select_related("person"), pk=pk)
    _require(request, "directory.change_position", position)
    form = forms.PositionEndForm(
        request.POST or None, initial={"version": position.version, "end_date": position.end_date}
    )
    return _record_form_page(
        request,
        form,
        perform=lambda f: (
            services.end_position(
                position=position,
                end_date=f.cleaned_data["end_date"],
                expected_version=f.cleaned_data["version"],
                actor=request.user,
            ).person
        ),
        title=_("End the position %(title)s of %(person)s")
        % {"title": position.title, "person": position.person.name},
        lede=_("The last day the person held it; the position stays on record."),
        submit=_("Save"),
        cancel=position.person.get_absolute_url(),
    )
