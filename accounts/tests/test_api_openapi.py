"""The committed OpenAPI document (docs/openapi.json) must match the API, so changes show in review."""

import json

from django.conf import settings
from django.utils import translation
from ninja.responses import NinjaJSONEncoder

from config.api import api

SCHEMA_FILE = settings.BASE_DIR / "docs" / "openapi.json"
REGENERATE = ".venv/bin/python manage.py export_openapi --output docs/openapi.json"


def _generated() -> dict:
    # Translations off, as in the export command: the file holds the English msgids, so it
    # does not depend on whether (or how) the catalogue has been compiled.
    with translation.override(None):
        return json.loads(json.dumps(api.get_openapi_schema(), cls=NinjaJSONEncoder))


def test_committed_openapi_schema_is_current():
    assert SCHEMA_FILE.exists(), f"docs/openapi.json is missing; generate it with:\n  {REGENERATE}"
    committed = json.loads(SCHEMA_FILE.read_text(encoding="utf-8"))
    assert committed == _generated(), (
        f"docs/openapi.json is out of date with the API. Regenerate it and commit the result:\n  {REGENERATE}"
    )


def test_schema_publishes_no_internal_enterprise_fields():
    schemas = _generated()["components"]["schemas"]
    for name in ("EnterpriseOut", "EnterpriseCreateIn", "EnterpriseUpdateIn"):
        fields = set(schemas[name]["properties"])
        assert not fields & {"name_pinyin", "name_initials", "region_path", "organisation"}, name
