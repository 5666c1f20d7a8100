"""Directory pages: the indexes of places, people and organisations, the type-ahead
lookups, and adding and correcting places. The place, person and organisation pages show
other apps' records too: they are in the page tier (civicbridge/pages/views.py)."""

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
from civicbridge.core.htmx import is_htmx
from civicbridge.core.services import StaleVersion
from civicbridge.directory import forms, selectors, services
from civicbridge.directory.models import SIDES, PlaceAlias, PlaceKind

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
        {"page_obj": _page(request, rows), "query": query},
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
