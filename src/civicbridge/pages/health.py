"""Two tiny views for load balancers and for the page benchmark's floor."""

from django.http import HttpResponse, JsonResponse
from django.views.decorators.cache import never_cache

from civicbridge.directory.models import Place


@never_cache
def healthz(request):
    """Answers without touching the database: is the process up?"""
    return HttpResponse("ok", content_type="text/plain")


@never_cache
def readyz(request):
    """Answers after one database query: can the process reach its database?"""
    return JsonResponse({"ok": True, "places": Place.objects.filter(parent=None).count()})
