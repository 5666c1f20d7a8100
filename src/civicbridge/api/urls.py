"""Mounted at "api/" by the root URLconf: /api/v1/, /api/v1/openapi.json, /api/v1/docs."""

from django.urls import path

from civicbridge.api.v1 import api

urlpatterns = [path("v1/", api.urls)]
