"""The pairings list as an Excel workbook: the list's filters (``pairings.forms``), its rows
(``pairings.selectors.listed_pairings``, the pairings the reader may read), the workbook
(``documents.pairings_export``). In the reader's script, or ``?script=zh-hans|zh-hant``."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.utils import timezone, translation
from django.views.decorators.http import require_GET

from civicbridge.core import hans_hant
from civicbridge.documents.pairings_export import pairings_xlsx
from civicbridge.documents.text import normalise_script
from civicbridge.documents.views import XLSX, _file
from civicbridge.pairings.forms import pairing_filter_form
from civicbridge.pairings.selectors import listed_pairings


@login_required
@require_GET
def pairings_export(request):
    if not request.user.has_perm("pairings.view_pairing"):
        raise PermissionDenied
    form = pairing_filter_form(request.GET, request.user)
    filters = form.filters()
    rows = listed_pairings(filters, sort=form.ordering, user=request.user)
    asked = request.GET.get("script")
    which = (
        normalise_script(asked)
        if asked
        else hans_hant.script_of_language(translation.get_language())
    )
    data = pairings_xlsx(rows, filters, which)
    return _file(data, XLSX, f"pairings-{timezone.localdate().isoformat()}.xlsx")
