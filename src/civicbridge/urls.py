from django.conf import settings
from django.contrib import admin
from django.contrib.auth.decorators import login_required
from django.urls import include, path, re_path
from django.views.static import serve

from civicbridge.core import health


def _administrators_only(request) -> bool:
    """The Django admin is the administrators' tool: staff status alone is not enough,
    the user must hold the administrator role (accounts.rules)."""
    user = request.user
    return bool(user.is_active and user.is_staff and user.has_perm("accounts.view_audit"))


admin.site.has_permission = _administrators_only

urlpatterns = [
    path("healthz", health.healthz, name="healthz"),
    path("readyz", health.readyz, name="readyz"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
    # Before core's auth URLs: its throttled sign-in view serves /accounts/login/.
    path("accounts/", include("civicbridge.accounts.urls")),
    path("directory/", include("civicbridge.directory.urls")),
    path("exchanges/", include("civicbridge.exchanges.urls")),
    path("pairings/", include("civicbridge.twinning.urls")),
    path("documents/", include("civicbridge.documents.urls")),
    path("api/", include("civicbridge.api.urls")),
    path("", include("civicbridge.core.urls")),
]

if not settings.PRODUCTION:
    # Uploaded photos for signed-in users when no front server does it (the demo, tests).
    # In production the web server serves MEDIA_ROOT behind the same sign-in.
    urlpatterns += [
        re_path(
            r"^media/(?P<path>.*)$",
            login_required(serve),
            {"document_root": settings.MEDIA_ROOT},
        )
    ]
