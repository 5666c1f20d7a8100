import unicodedata

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST
from django.views.i18n import set_language as django_set_language

from civicbridge.core.models import UserPreference


def require_perm(request, perm: str, obj=None) -> None:
    """Refuse (403) unless the signed-in user holds ``perm`` (on ``obj`` when given).
    A user without any role holds no reading permission, so reads nothing."""
    if not request.user.has_perm(perm, obj):
        raise PermissionDenied


def safe_next(request, default: str) -> str:
    """Where to go after a form: the ``next`` the request carries when it is a URL of this
    site (never another host, never ``javascript:``), otherwise ``default``."""
    candidate = request.POST.get("next") or request.GET.get("next") or ""
    if any(unicodedata.category(ch)[0] == "C" for ch in candidate):
        return default  # controls hide a scheme ("java\x00script:") and break headers
    if candidate and url_has_allowed_host_and_scheme(
        candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return candidate
    return default


@require_POST
def set_language(request):
    """Remember the chosen language for a signed-in user, then let Django's set_language
    set the cookie and redirect back."""
    language = request.POST.get("language", "")
    if request.user.is_authenticated and language in dict(settings.LANGUAGES):
        UserPreference.objects.update_or_create(user=request.user, defaults={"language": language})
    return django_set_language(request)
