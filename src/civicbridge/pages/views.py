"""Pages that compose several apps: the dashboard, site search, and the place, person and
organisation pages (a directory record with what other apps record about it). Each view
checks the permission, calls the page tier's selectors and renders."""

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import render

from civicbridge.core.views import require_perm
from civicbridge.directory import forms as directory_forms
from civicbridge.directory import selectors as directory
from civicbridge.directory import services as directory_services
from civicbridge.directory.models import PlaceStatus
from civicbridge.pages import dashboard, places
from civicbridge.pages.search import site_search

PAGE_SIZE = 50


@login_required
def home(request):
    require_perm(request, "directory.view_place")
    return render(request, "pages/dashboard.html", dashboard.dashboard(user=request.user))


@login_required
def search(request):
    require_perm(request, "directory.view_place")
    require_perm(request, "directory.view_person")
    query = request.GET.get("q", "").strip()
    return render(request, "pages/search.html", {"query": query, **site_search(query)})


@login_required
def place_detail(request, pk: int):
    place = directory.get_place(pk)
    require_perm(request, "directory.view_place", place)
    user = request.user
    context = places.place_page(place, user=user)
    page = Paginator(directory.children(place), PAGE_SIZE).get_page(request.GET.get("page"))
    page.object_list = directory.with_child_counts(page.object_list)
    context["children_page"] = page
    context["can"] = {
        "change": user.has_perm("directory.change_place", place),
        "add_below": place.is_current
        and user.has_perm("directory.add_place", directory_services.new_place(parent=place)),
        "merge": place.status in (PlaceStatus.CURRENT, PlaceStatus.RETIRED)
        and user.has_perm("directory.merge_place", place),
        "retire": place.is_current and user.has_perm("directory.retire_place", place),
    }
    if context["can"]["change"]:
        context["aliases"] = list(place.aliases.order_by("name", "id"))
        context["alias_form"] = directory_forms.PlaceAliasForm()
    return render(request, "pages/place_detail.html", context)


@login_required
def person_detail(request, pk: int):
    person = directory.get_person(pk)
    require_perm(request, "directory.view_person", person)
    context = places.person_page(person)
    # Buttons only (the views ask again, for the person and each position).
    context["can_add_position"] = request.user.has_perm("directory.add_position")
    context["can_end_positions"] = request.user.has_perm("directory.change_position")
    return render(request, "pages/person_detail.html", context)


@login_required
def organisation_detail(request, pk: int):
    org = directory.get_organisation(pk)
    require_perm(request, "directory.view_place", org)
    context = places.organisation_page(org)
    context["can_change"] = request.user.has_perm("directory.change_organisation", org)
    return render(request, "pages/organisation_detail.html", context)
