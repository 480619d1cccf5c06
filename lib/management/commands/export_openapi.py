"""Write the OpenAPI document that is committed as docs/openapi.json.

ninja's export_openapi_schema, run with translations off: descriptions are the English
msgids, so the committed file changes when the API changes, not when a translation is
compiled or edited. The served /api/v1/openapi.json and /api/v1/docs stay translated.
"""

from typing import Any

from django.core.management.base import no_translations
from ninja.management.commands.export_openapi_schema import Command as NinjaExportCommand


class Command(NinjaExportCommand):
    help = "Export the OpenAPI document with untranslated (English) descriptions."

    def add_arguments(self, parser) -> None:
        super().add_arguments(parser)
        parser.set_defaults(api="config.api.api", indent=2)

    @no_translations
    def handle(self, *args: Any, **options: Any) -> None:
        super().handle(*args, **options)
