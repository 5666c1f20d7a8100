"""The site's URLconf plus the accounts and API URLs, whether or not the root URLconf
mounts them yet (tests use it with @pytest.mark.urls("tests.accounts.urls"))."""

from django.urls import include, path

from civicbridge import urls as root

urlpatterns = list(root.urlpatterns)
_mounted = {str(p.pattern) for p in urlpatterns}
if "api/" not in _mounted:
    urlpatterns.insert(0, path("api/", include("civicbridge.api.urls")))
if "accounts/" not in _mounted or not any(
    getattr(p, "namespace", None) == "accounts" for p in urlpatterns
):
    urlpatterns.insert(0, path("accounts/", include("civicbridge.accounts.urls")))
