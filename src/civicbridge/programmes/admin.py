"""Admin for programmes and series, their figures (edited inside their programme) and the
links between exchanges."""

from django.contrib import admin

from civicbridge.core.admin import RecordAdmin, RecordInline
from civicbridge.programmes.models import ExchangeLink, Programme, ProgrammeFigure


class ProgrammeFigureInline(RecordInline, admin.TabularInline):
    model = ProgrammeFigure
    fields = ("figure", "unit", "about", "direction", "period_start", "period_end", "exchange")
    autocomplete_fields = ("exchange",)


@admin.register(Programme)
class ProgrammeAdmin(RecordAdmin):
    list_display = ("name", "kind", "organiser", "direction", "start_year")
    list_filter = ("kind", "direction")
    search_fields = ("name", "aim")
    list_select_related = ("organiser",)
    autocomplete_fields = ("organiser", "exchanges")
    inlines = (ProgrammeFigureInline,)


@admin.register(ExchangeLink)
class ExchangeLinkAdmin(RecordAdmin):
    list_display = ("__str__", "exchange", "kind", "other", "start_date")
    list_filter = ("kind",)
    search_fields = ("exchange__title", "other__title", "who", "where")
    list_select_related = ("exchange", "other")
    autocomplete_fields = ("exchange", "other", "where_place")
