from django.contrib.auth import views as auth_views
from django.urls import include, path

from civicbridge.core import views

urlpatterns = [
    path("language/", views.set_language, name="language"),
    path(
        "accounts/login/",
        auth_views.LoginView.as_view(redirect_authenticated_user=True),
        name="login",
    ),
    path("accounts/", include("django.contrib.auth.urls")),
]
