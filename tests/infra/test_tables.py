"""The synthesized tables are the PynamoDB models' tables: keys, indexes (with projections), TTL.

Read straight from the models (`model._get_schema()`), not from infra/tables.py, so a bug in the
stack's reading of the models cannot hide itself.
"""

from __future__ import annotations

import json

import pytest

from chalicelib.core import config
from chalicelib.tables import all_models
from tests.infra.conftest import ROOT, STAGE, of_type

STAGE_ENV = json.loads((ROOT / ".chalice" / "config.json").read_text(encoding="utf-8"))["stages"][STAGE][
    "environment_variables"
]


def _physical_name(model) -> str:
    current = config.settings()
    (var,) = [v for f, v in config._ENV.items() if getattr(current, f, None) == model.Meta.table_name]
    return STAGE_ENV[var]


def _key_schema(schema: list[dict]) -> dict[str, str]:
    return {k["KeyType"]: k["AttributeName"] for k in schema}


def _indexes(raw: list[dict], cfn: bool) -> dict[str, dict]:
    out = {}
    for index in raw:
        projection = index["Projection"] if cfn else index["projection"]
        out[index["IndexName"] if cfn else index["index_name"]] = {
            "keys": _key_schema(index["KeySchema"] if cfn else index["key_schema"]),
            "projection": projection["ProjectionType"],
            "non_key": sorted(projection.get("NonKeyAttributes", [])),
        }
    return out


@pytest.fixture(scope="module")
def tables(resources) -> dict[str, dict]:
    return {t["Properties"]["TableName"]: t for t in of_type(resources, "AWS::DynamoDB::Table").values()}


def test_one_table_per_model_and_no_other(tables):
    assert sorted(tables) == sorted(_physical_name(m) for m in all_models())


@pytest.mark.parametrize("model", all_models(), ids=lambda m: m.__name__)
def test_table_matches_its_model(model, tables, resources):
    schema = model._get_schema()
    props = tables[_physical_name(model)]["Properties"]

    assert _key_schema(props["KeySchema"]) == _key_schema(schema["key_schema"])
    model_types = {a["AttributeName"]: a["AttributeType"] for a in schema["attribute_definitions"]}
    cfn_types = {a["AttributeName"]: a["AttributeType"] for a in props["AttributeDefinitions"]}
    assert cfn_types == model_types
    assert _indexes(props.get("GlobalSecondaryIndexes", []), cfn=True) == _indexes(
        schema["global_secondary_indexes"], cfn=False
    )
    assert _indexes(props.get("LocalSecondaryIndexes", []), cfn=True) == _indexes(
        schema["local_secondary_indexes"], cfn=False
    )
    ttl = model._ttl_attribute()
    if ttl is None:
        assert "TimeToLiveSpecification" not in props
    else:
        assert props["TimeToLiveSpecification"] == {"AttributeName": ttl.attr_name, "Enabled": True}


@pytest.mark.parametrize("model", all_models(), ids=lambda m: m.__name__)
def test_table_is_on_demand_recoverable_and_encrypted_with_our_key(model, tables, resources):
    props = tables[_physical_name(model)]["Properties"]
    assert props["BillingMode"] == "PAY_PER_REQUEST"
    assert "ProvisionedThroughput" not in props
    assert props["PointInTimeRecoverySpecification"]["PointInTimeRecoveryEnabled"] is True
    sse = props["SSESpecification"]
    assert sse["SSEEnabled"] is True and sse["SSEType"] == "KMS"
    key_id, attribute = sse["KMSMasterKeyId"]["Fn::GetAtt"]
    assert attribute == "Arn" and resources[key_id]["Type"] == "AWS::KMS::Key"  # customer-managed, in the stack
    assert resources[key_id]["Properties"]["EnableKeyRotation"] is True
    assert tables[_physical_name(model)]["DeletionPolicy"] == "Retain"
