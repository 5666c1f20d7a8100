from django.urls import path

from civicbridge.core import views

urlpatterns = [
    path("", views.home, name="home"),
]
