from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PairingsConfig(AppConfig):
    name = "civicbridge.pairings"
    label = "pairings"
    verbose_name = _("Pairings")

    def ready(self):
        try:
            from civicbridge.exchanges.sections import register_section
        except ImportError:  # the exchange page is not there yet
            return
        from civicbridge.pairings import views

        register_section(
            "appointments",
            title=_("Appointments"),
            order=60,
            template="pairings/sections/appointments.html",
            context=views.appointments_context,
        )
        register_section(
            "commitments",
            title=_("Commitments"),
            order=90,
            template="pairings/sections/commitments.html",
            context=views.commitments_context,
        )
