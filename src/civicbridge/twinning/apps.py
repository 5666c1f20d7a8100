from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TwinningConfig(AppConfig):
    name = "civicbridge.twinning"
    label = "twinning"
    verbose_name = _("Twinning")

    def ready(self):
        try:
            from civicbridge.exchanges.sections import register_section
        except ImportError:  # the exchange page is not there yet
            return
        from civicbridge.twinning import views

        register_section(
            "appointments",
            title=_("Appointments"),
            order=60,
            template="twinning/sections/appointments.html",
            context=views.appointments_context,
        )
        register_section(
            "commitments",
            title=_("Commitments"),
            order=90,
            template="twinning/sections/commitments.html",
            context=views.commitments_context,
        )
