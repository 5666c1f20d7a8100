from django.urls import path

from civicbridge.releases import views

app_name = "releases"

urlpatterns = [
    path("exchanges/<int:pk>/", views.exchange_releases, name="exchange"),
    path("exchanges/<int:pk>/publish/", views.publish, name="publish"),
    path("exchanges/<int:pk>/notices/", views.subscribe, name="subscribe"),
    path(
        "exchanges/<int:pk>/notices/<int:subscription_id>/remove/",
        views.unsubscribe,
        name="unsubscribe",
    ),
]
