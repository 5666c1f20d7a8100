from django.urls import path

from civicbridge.programmes import views

# /programmes/: programmes and series, their figures. The exchange page's section and its
# forms (membership, links) are in the page tier (civicbridge/pages/exchange/).
app_name = "programmes"

urlpatterns = [
    path("", views.programme_list, name="list"),
    path("new/", views.programme_create, name="create"),
    path("<int:pk>/", views.programme_detail, name="detail"),
    path("<int:pk>/edit/", views.programme_edit, name="edit"),
    path("<int:pk>/figures/add/", views.figure_add, name="figure_add"),
    path("<int:pk>/figures/<int:figure_id>/remove/", views.figure_remove, name="figure_remove"),
]
