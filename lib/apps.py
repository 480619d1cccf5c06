from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LibConfig(AppConfig):
    name = "lib"
    verbose_name = _("Shared library")

    def ready(self) -> None:
        from lib import checks

        checks.register_all()
