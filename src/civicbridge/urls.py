from importlib.util import find_spec

from django.conf import settings
from django.conf.urls.static import static
from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
    path("directory/", include("civicbridge.directory.urls")),
    path("", include("civicbridge.core.urls")),
]

# Apps whose pages land one after another: included as soon as their urls.py exists.
for prefix, module in [
    ("exchanges/", "civicbridge.exchanges.urls"),
    ("pairings/", "civicbridge.twinning.urls"),
    ("documents/", "civicbridge.documents.urls"),
    ("api/", "civicbridge.api.urls"),
]:
    if find_spec(module) is not None:
        urlpatterns.insert(-1, path(prefix, include(module)))

if settings.DEBUG:
    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
