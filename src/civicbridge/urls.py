from django.contrib import admin
from django.urls import include, path

from civicbridge.pages import health
from civicbridge.pages import urls as pages_urls
from civicbridge.pages.exchange import urls as exchange_page_urls


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
    path("directory/", include(pages_urls.directory_patterns)),
    path("exchanges/", include(exchange_page_urls.exchange_patterns)),
    path("pairings/", include(exchange_page_urls.pairings_patterns)),
    path("documents/", include("civicbridge.documents.urls")),
    path("topics/", include("civicbridge.forums.urls")),
    path("programmes/", include("civicbridge.programmes.urls")),
    path("reports/", include("civicbridge.reports.urls")),
    path("logistics/", include("civicbridge.logistics.urls")),
    path("approvals/", include("civicbridge.approvals.urls")),
    path("releases/", include("civicbridge.releases.urls")),
    path("attendance/", include("civicbridge.attendance.urls")),
    path("api/", include("civicbridge.api.urls")),
    path("", include("civicbridge.pages.urls")),
    path("", include("civicbridge.core.urls")),
]

# No route serves MEDIA_ROOT by path (and no web server may): uploaded photos and
# attachments are sent only by their views (exchanges:photo_image, pairings:attachment),
# which check the permission of their record (core/uploads.py).
