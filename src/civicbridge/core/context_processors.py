from django.conf import settings
from django.urls import NoReverseMatch, reverse
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from civicbridge.core import hans_hant

# The main navigation: (label, URL names to try in order). An entry whose page does not
# exist (its app's URLs are not installed yet) is left out.
NAV = [
    (_("Dashboard"), ("home",)),
    (_("Exchanges"), ("exchanges:list", "exchanges:index", "exchanges:exchange_list")),
    (_("Places"), ("directory:places",)),
    (_("People"), ("directory:people",)),
    (_("Organisations"), ("directory:organisations",)),
    (
        _("Pairings"),
        ("pairings:list", "pairings:pairings", "pairings:index", "pairings:pairing_list"),
    ),
]

# Labels of the language switcher, written in their own language and script.
LANGUAGE_LABELS = {"zh-hans": "简体", "zh-hant": "繁體", "en": "English"}


def _first_url(names):
    for name in names:
        try:
            return reverse(name)
        except NoReverseMatch:
            continue
    return None


def _nav_items(path: str):
    items = []
    for label, names in NAV:
        url = _first_url(names)
        if url is None:
            continue
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
        "search_query": request.GET.get("q", "") if request.path == _first_url(("search",)) else "",
    }
