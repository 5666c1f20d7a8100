from django.conf import settings
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from civicbridge.core import hans_hant

# The main navigation: (label, URL name). Every app is always installed, so each name is
# reversed as it is (a missing one is an error, never a quietly missing entry).
NAV = [
    (_("Dashboard"), "home"),
    (_("Exchanges"), "exchanges:list"),
    (_("Calendar"), "calendar"),
    (_("Places"), "directory:places"),
    (_("People"), "directory:people"),
    (_("Organisations"), "directory:organisations"),
    (_("Pairings"), "pairings:list"),
    (_("Programmes"), "programmes:list"),
    (_("Statistics"), "statistics_page"),
]

# Labels of the language switcher, written in their own language and script.
LANGUAGE_LABELS = {"zh-hans": "简体", "zh-hant": "繁體", "en": "English"}


def _nav_items(path: str):
    items = []
    for label, name in NAV:
        url = reverse(name)
        active = path == url if url == "/" else path.startswith(url)
        items.append({"label": label, "url": url, "active": active})
    # Only the most specific match is the current section.
    active = [i for i in items if i["active"]]
    if len(active) > 1:
        best = max(active, key=lambda i: len(i["url"]))
        for i in active:
            i["active"] = i is best
    return items


def site(request):
    return {
        "reader_script": hans_hant.script_of_language(translation.get_language()),
        "nav_items": _nav_items(request.path) if getattr(request, "user", None) else [],
        "language_choices": [
            (code, LANGUAGE_LABELS.get(code, name)) for code, name in settings.LANGUAGES
        ],
        "search_query": request.GET.get("q", "") if request.path == reverse("search") else "",
    }
