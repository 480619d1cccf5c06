from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ExpertsConfig(AppConfig):
    name = "experts"
    verbose_name = _("Expert pool")

    def ready(self) -> None:
        # Registers the "expert_import" background-job handler.
        from experts import imports  # noqa: F401
