"""The gifts register as Excel (``documents.gifts_register``): the rows of the register
page (``exchanges.views.gift_register_filters`` and ``exchanges.selectors.gift_register``:
the same scope and filters), for those who may read exchanges (``exchanges.view_exchange``,
a 403 otherwise). ``?script=zh-hans|zh-hant`` (default: the reader's)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.utils import timezone, translation
from django.views.decorators.http import require_GET

from civicbridge.core import hans_hant
from civicbridge.documents import gifts_register
from civicbridge.documents.text import normalise_script
from civicbridge.documents.views import XLSX
from civicbridge.exchanges import selectors
from civicbridge.exchanges.views import gift_register_filters

# At most this many rows in one workbook (a year of a district's gifts is far fewer).
MAX_ROWS = 10_000


@login_required
@require_GET
def gifts_register_xlsx(request):
    if not request.user.has_perm("exchanges.view_exchange"):
        raise PermissionDenied
    _form, filters = gift_register_filters(request)
    today = timezone.localdate()
    value = request.GET.get("script")
    which = (
        normalise_script(value)
        if value
        else hans_hant.script_of_language(translation.get_language())
    )
    gifts = selectors.gift_register(request.user, filters, today=today)[:MAX_ROWS]
    data = gifts_register.register_xlsx(gifts, which, today=today)
    response = HttpResponse(data, content_type=XLSX)
    response["Content-Disposition"] = (
        f'attachment; filename="gifts-register-{today.isoformat()}.xlsx"'
    )
    response["Cache-Control"] = "private, no-store"
    return response
