"""Directory pages: places, people, organisations, and the type-ahead lookups."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import JsonResponse
from django.shortcuts import render

from civicbridge.core import script
from civicbridge.directory import selectors
from civicbridge.directory.models import PlaceKind, Region

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
    return render(request, "directory/place_index.html", {"trees": trees})


@login_required
def place_detail(request, pk: int):
    place = selectors.get_place(pk)
    _require(request, "directory.view_place", place)
    context = selectors.place_page(place)
    context["children_page"] = _page(request, selectors.children(place))
    return render(request, "directory/place_detail.html", context)


@login_required
def person_index(request):
    _require(request, "directory.view_person")
    query = request.GET.get("q", "").strip()
    if query:
        from civicbridge.core.selectors import search_people

        rows = search_people(query, limit=200)
    else:
        rows = selectors.people()
    return render(
        request, "directory/person_index.html", {"page_obj": _page(request, rows), "query": query}
    )


@login_required
def person_detail(request, pk: int):
    person = selectors.get_person(pk)
    _require(request, "directory.view_person", person)
    return render(request, "directory/person_detail.html", selectors.person_page(person))


@login_required
def organisation_index(request):
    _require(request, "directory.view_place")
    query = request.GET.get("q", "").strip()
    if query:
        from civicbridge.core.selectors import search_organisations

        rows = search_organisations(query, limit=200)
    else:
        rows = selectors.organisations()
    return render(
        request,
        "directory/organisation_index.html",
        {"page_obj": _page(request, rows), "query": query},
    )


@login_required
def organisation_detail(request, pk: int):
    org = selectors.get_organisation(pk)
    _require(request, "directory.view_place", org)
    return render(request, "directory/organisation_detail.html", selectors.organisation_page(org))


def _wants_json(request) -> bool:
    return request.GET.get("format") == "json" or (
        "application/json" in request.headers.get("Accept", "")
        and not request.headers.get("HX-Request")
    )


@login_required
def lookup_people(request):
    """Type-ahead over people, either script. HTML fragment for HTMX (a list of options with
    ``data-id`` and the display name), or JSON with ``?format=json``."""
    _require(request, "directory.view_person")
    query = request.GET.get("q", "").strip()
    people = selectors.lookup_people(query) if query else []
    which = script.script_of_language(request.LANGUAGE_CODE)
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
    ``region`` narrow it. HTML fragment for HTMX or JSON with ``?format=json``."""
    _require(request, "directory.view_place")
    query = request.GET.get("q", "").strip()
    kind = request.GET.get("kind", "")
    kind = kind if kind in PlaceKind.values else ""
    region = request.GET.get("region", "")
    region = region if region in Region.values else ""
    places = selectors.lookup_places(query, kind=kind, region=region) if query else []
    which = script.script_of_language(request.LANGUAGE_CODE)
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
