from django.urls import path

from civicbridge.logistics import views

app_name = "logistics"

urlpatterns = [
    path("exchanges/<int:pk>/", views.grid, name="grid"),
    path("exchanges/<int:pk>/vehicles/", views.vehicle_add, name="vehicle_add"),
    path("vehicles/<int:pk>/", views.vehicle_change, name="vehicle_change"),
    path("vehicles/<int:pk>/remove/", views.vehicle_remove, name="vehicle_remove"),
]
