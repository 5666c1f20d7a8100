from django.urls import path

from civicbridge.reports import views

# /reports/: recording a report's facts, and the sources records come from.
app_name = "reports"

urlpatterns = [
    path("import/", views.import_report, name="import"),
    path("facts/", views.record_facts, name="record_facts"),
    path("sources/<int:pk>/", views.source_detail, name="source"),
]
