from django.urls import path

from civicbridge.attendance import views

app_name = "attendance"

urlpatterns = [
    path("exchanges/<int:pk>/", views.exchange_attendance, name="exchange"),
    path("activities/<int:pk>/", views.activity_attendance, name="activity"),
    path("activities/<int:pk>/check-in/", views.mark, name="mark"),
    path("records/<int:pk>/undo/", views.undo, name="undo"),
    path("records/<int:pk>/", views.checked_in, name="checked_in"),
    # the phone page a member's QR code opens
    path("c/<str:token>/", views.check_in, name="check_in"),
]
