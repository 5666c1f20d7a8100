from django.urls import path

from civicbridge.approvals import views

app_name = "approvals"

urlpatterns = [
    path("exchanges/<int:pk>/", views.plan, name="plan"),
    path("exchanges/<int:pk>/cost-lines/", views.cost_line_add, name="cost_line_add"),
    path("exchanges/<int:pk>/standards/", views.standards, name="standards"),
    path("exchanges/<int:pk>/submit/", views.submit, name="submit"),
    path("exchanges/<int:pk>/approve/", views.approve, name="approve"),
    path("exchanges/<int:pk>/return/", views.return_, name="return"),
    path("cost-lines/<int:pk>/", views.cost_line_edit, name="cost_line_edit"),
    path("cost-lines/<int:pk>/delete/", views.cost_line_delete, name="cost_line_delete"),
]
