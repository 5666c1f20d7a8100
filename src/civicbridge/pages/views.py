"""Pages that compose several apps: the dashboard, site search, and the place, person and
organisation pages (a directory record with what other apps record about it). Each view
checks the permission, calls the page tier's selectors and renders."""

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import render

from civicbridge.core.views import require_perm
from civicbridge.directory import forms as directory_forms
from civicbridge.directory import selectors as directory
from civicbridge.directory import services as directory_services
from civicbridge.directory.models import PlaceStatus
from civicbridge.documents.spreadsheets import to_csv, to_xlsx
from civicbridge.documents.text import normalise_script
from civicbridge.pages import dashboard, places
from civicbridge.pages.search import site_search

PAGE_SIZE = 50


@login_required
def home(request):
    require_perm(request, "directory.view_place")
    return render(request, "pages/dashboard.html", dashboard.dashboard(user=request.user))


STATISTICS_TYPES = {
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "csv": "text/csv; charset=utf-8",
}


@login_required
def statistics(request, fmt: str):
    """The dashboard's year-by-year figures as a spreadsheet (Excel or CSV)."""
    require_perm(request, "directory.view_place")
    if fmt not in STATISTICS_TYPES:
        raise Http404
    # In the script asked for, else the reader's (繁體 for a zh-hant page).
    which = normalise_script(request.GET.get("script") or request.LANGUAGE_CODE)
    table = dashboard.statistics_table(which)
    data = to_xlsx(table) if fmt == "xlsx" else to_csv(table)
    response = HttpResponse(data, content_type=STATISTICS_TYPES[fmt])
    response["Content-Disposition"] = f'attachment; filename="statistics.{fmt}"'
    response["Cache-Control"] = "private, no-store"
    return response


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
    # Other spellings of the name (王红薇 for 王鸿薇): shown to all, edited by those who may
    # change the person.
    context["aliases"] = list(person.aliases.order_by("name", "id"))
    context["can_change_aliases"] = request.user.has_perm("directory.change_person", person)
    if context["can_change_aliases"]:
        context["alias_form"] = directory_forms.PersonAliasForm()
    return render(request, "pages/person_detail.html", context)


@login_required
def organisation_detail(request, pk: int):
    org = directory.get_organisation(pk)
    require_perm(request, "directory.view_place", org)
    context = places.organisation_page(org)
    context["can_change"] = request.user.has_perm("directory.change_organisation", org)
    return render(request, "pages/organisation_detail.html", context)
