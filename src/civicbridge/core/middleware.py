from django.conf import settings
from django.utils import translation

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
            from civicbridge.core.models import UserPreference

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
