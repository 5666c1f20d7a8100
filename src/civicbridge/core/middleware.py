from django.utils import translation


class UserLanguageMiddleware:
    """Use the language a signed-in user chose last (kept in their profile)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            preference = getattr(getattr(user, "preference", None), "language", "")
            if preference and not request.COOKIES.get("django_language"):
                translation.activate(preference)
                request.LANGUAGE_CODE = preference
        return self.get_response(request)
