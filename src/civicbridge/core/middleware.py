from django.conf import settings
from django.http import HttpResponseBadRequest
from django.utils import translation
from django.utils.cache import add_never_cache_headers, patch_cache_control
from django.utils.translation import gettext as _

from civicbridge.core.models import UserPreference

SESSION_FLAG = "civicbridge_language_checked"


class UserLanguageMiddleware:
    """Use the language a signed-in user chose last (kept in core.UserPreference).

    Runs after LocaleMiddleware and AuthenticationMiddleware. When the browser has no
    language cookie (a new device, a fresh sign-in), the stored preference is activated and
    the cookie set, so later requests need no lookup. An explicit cookie always wins.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        chosen = None
        user = getattr(request, "user", None)
        if (
            user is not None
            and user.is_authenticated
            and not request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
            and not request.session.get(SESSION_FLAG)
        ):
            chosen = (
                UserPreference.objects.filter(user=user).values_list("language", flat=True).first()
            )
            valid = {code for code, _label in settings.LANGUAGES}
            if chosen in valid:
                translation.activate(chosen)
                request.LANGUAGE_CODE = chosen
            else:
                chosen = None
                request.session[SESSION_FLAG] = True
        response = self.get_response(request)
        if chosen:
            response.set_cookie(
                settings.LANGUAGE_COOKIE_NAME,
                chosen,
                max_age=settings.LANGUAGE_COOKIE_AGE,
                path=settings.LANGUAGE_COOKIE_PATH,
                domain=settings.LANGUAGE_COOKIE_DOMAIN,
                secure=settings.LANGUAGE_COOKIE_SECURE,
                httponly=settings.LANGUAGE_COOKIE_HTTPONLY,
                samesite=settings.LANGUAGE_COOKIE_SAMESITE,
            )
        return response


class RefuseNulMiddleware:
    """A NUL character in the address (path or query) gets a 400: no page has a use for it,
    and PostgreSQL refuses it in any query (a search for "%00" would fail with a 500)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if "\x00" in request.path or "\x00" in request.path_info or _query_has_nul(request):
            return HttpResponseBadRequest(
                _("The address contains a NUL character."), content_type="text/plain"
            )
        return self.get_response(request)


def _query_has_nul(request) -> bool:
    if "%00" not in request.META.get("QUERY_STRING", "") and "\x00" not in request.META.get(
        "QUERY_STRING", ""
    ):
        return False
    return any("\x00" in k or any("\x00" in v for v in vs) for k, vs in request.GET.lists())


class NoStoreMiddleware:
    """``Cache-Control: private, no-store`` on every answer that may carry personal data:
    every API answer and every answer to a signed-in user (pages, fragments, downloads), so
    no browser, proxy or shared cache keeps a copy. Static files (served by WhiteNoise above
    this middleware) and answers to anonymous visitors (sign-in page, /healthz, calendar
    subscriptions, which carry no personal data) keep their own caching."""

    API_PREFIX = "/api/"

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        user = getattr(request, "user", None)
        signed_in = bool(user is not None and user.is_authenticated)
        if signed_in or request.path.startswith(self.API_PREFIX):
            # max-age=0, no-cache, no-store, must-revalidate, private (a view's "public"
            # or longer max-age is overridden).
            add_never_cache_headers(response)
            patch_cache_control(response, private=True, no_store=True)
        return response
