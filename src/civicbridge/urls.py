from django.conf import settings
from django.conf.urls.static import static
from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
    # Before core's auth URLs: its throttled sign-in view serves /accounts/login/.
    path("accounts/", include("civicbridge.accounts.urls")),
    path("directory/", include("civicbridge.directory.urls")),
    path("exchanges/", include("civicbridge.exchanges.urls")),
    path("pairings/", include("civicbridge.twinning.urls")),
    path("documents/", include("civicbridge.documents.urls")),
    path("", include("civicbridge.core.urls")),
]

if settings.DEBUG:
    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
