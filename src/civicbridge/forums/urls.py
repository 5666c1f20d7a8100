from django.urls import path

from civicbridge.forums import views

# The taxonomy of topics (/topics/): the list with its add form, and each topic's page
# (every exchange and forum that discussed it), with renaming and merging for
# administrators.
app_name = "topics"

urlpatterns = [
    path("", views.topic_list, name="list"),
    path("<slug:code>/", views.topic_detail, name="detail"),
    path("<slug:code>/rename/", views.topic_rename, name="rename"),
    path("<slug:code>/merge/", views.topic_merge, name="merge"),
]
