"""The accident schemas publish no internal fields, and money is a string."""

import json

from django.utils import translation
from ninja.responses import NinjaJSONEncoder

from config.api import api


def _schemas() -> dict:
    with translation.override(None):
        return json.loads(json.dumps(api.get_openapi_schema(), cls=NinjaJSONEncoder))["components"]["schemas"]


def test_schemas_publish_no_internal_fields():
    schemas = _schemas()
    for name in ("AccidentOut", "AccidentCreateIn", "AccidentUpdateIn"):
        assert not set(schemas[name]["properties"]) & {"region_path", "recorded_by_id", "enterprise_id"}, name


def test_money_goes_out_as_a_string():
    schemas = _schemas()
    assert schemas["AccidentOut"]["properties"]["direct_loss_yuan"]["type"] == "string"
    assert schemas["AccidentTotalsOut"]["properties"]["direct_loss_yuan"]["type"] == "string"
