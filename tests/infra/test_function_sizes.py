"""The monthly report's and the API's memory and timeout come from a measurement (issue 13, item 8):
`bench/report_memory.py` measured a 10,000-contact month (build, charts, workbook, HTML, the e-mail;
the API's rebuild) and wrote what its stated rules recommend into `bench/report_memory.json`; the
template carries `.chalice/config.json`'s values, and those cover the recommendation."""

from __future__ import annotations

import json

import pytest

from infra import permissions
from tests.infra.conftest import ROOT

CONFIG = json.loads((ROOT / ".chalice" / "config.json").read_text(encoding="utf-8"))["lambda_functions"]
MEASUREMENT = json.loads((ROOT / "bench" / "report_memory.json").read_text(encoding="utf-8"))
MEASURED = {f["function"]: f for f in MEASUREMENT["functions"]}


def test_the_measurement_is_of_a_ten_thousand_contact_month_with_every_rendering():
    assert MEASUREMENT["contacts"] >= 10_000
    stages = {s["stage"] for s in MEASURED["monthly_report"]["stages"]}
    assert {"build and store", "charts", "html and text", "workbook", "MIME and SES send"} <= stages
    assert "POST rebuild (build and store)" in {s["stage"] for s in MEASURED["api_handler"]["stages"]}


@pytest.mark.parametrize(
    ("name", "logical_id"), [("monthly_report", permissions.MONTHLY_REPORT), ("api_handler", permissions.API)]
)
def test_memory_and_timeout_are_set_from_the_measurement(resources, name, logical_id):
    chosen, measured = CONFIG[name], MEASURED[name]
    properties = resources[logical_id]["Properties"]
    assert (properties["MemorySize"], properties["Timeout"]) == (chosen["lambda_memory_size"], chosen["lambda_timeout"])
    assert chosen["lambda_memory_size"] >= measured["recommended"]["lambda_memory_size"]
    assert chosen["lambda_memory_size"] >= measured["peak_rss_mb"] + MEASUREMENT["rule"]["runtime_overhead_mb"]
    assert chosen["lambda_timeout"] >= measured["recommended"]["lambda_timeout"]
    assert chosen["lambda_timeout"] > measured["recommended"]["estimated_seconds_at_that_memory"]


def test_the_api_stops_when_api_gateway_stops_waiting(resources):
    assert resources[permissions.API]["Properties"]["Timeout"] <= MEASUREMENT["rule"]["api_gateway_limit_seconds"]
