"""Mounted at "accounts/" *before* core's auth URLs, so the throttled sign-in view serves
/accounts/login/ (reverse("login") still resolves to the same path)."""

from django.urls import path

from civicbridge.accounts import views

app_name = "accounts"

urlpatterns = [
    path("login/", views.ThrottledLoginView.as_view(), name="login"),
    # Before django.contrib.auth's own: a successful reset also lifts the sign-in lock.
    path(
        "reset/<uidb64>/<token>/",
        views.ResetPasswordConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    path("tokens/", views.tokens, name="tokens"),
    path("tokens/<int:pk>/revoke/", views.revoke_token, name="revoke_token"),
    path("audit/", views.audit_log, name="audit"),
]
