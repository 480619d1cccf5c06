from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RegulationConfig(AppConfig):
    name = "regulation"
    verbose_name = _("Regulation parameters and calendar")

    def ready(self) -> None:
        from lib.checks import register_holiday_source
        from regulation.selectors import calendar_year_known

        # Admin-maintained days make a year known to the holiday check (lib cannot import us).
        register_holiday_source(calendar_year_known)
