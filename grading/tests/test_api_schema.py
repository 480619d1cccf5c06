"""The application schemas publish no internal fields, and every operation documents its errors."""

import json

from django.utils import translation
from ninja.responses import NinjaJSONEncoder

from config.api import api

PREFIX = "/api/v1/applications/"


def _schema() -> dict:
    with translation.override(None):
        return json.loads(json.dumps(api.get_openapi_schema(), cls=NinjaJSONEncoder))


def test_schemas_publish_no_internal_fields():
    schemas = _schema()["components"]["schemas"]
    internal = {
        "enterprise_id",
        "created_by",
        "commitment_signed_by",
        "timer_param",
        "timer_started_on",
        "region_path",
    }
    for name in ("ApplicationOut", "ApplicationListItemOut", "ApplicationCreateIn", "ApplicationUpdateIn"):
        assert not set(schemas[name]["properties"]) & internal, name
    assert schemas["ScoreOut"]["properties"]["percentage"]["anyOf"][0]["type"] == "string"


def test_every_operation_documents_the_error_shape():
    paths = {p: ops for p, ops in _schema()["paths"].items() if p.startswith(PREFIX)}
    assert len(paths) >= 20
    for path, operations in paths.items():
        for method, operation in operations.items():
            responses = operation["responses"]
            assert {"401", "403", "404"} <= set(responses), (method, path)
            if method != "get":
                assert "409" in responses or path == PREFIX, (method, path)
    assert set(paths[f"{PREFIX}{{application_id}}/transitions/{{name}}"]["post"]["tags"]) == {"applications"}
