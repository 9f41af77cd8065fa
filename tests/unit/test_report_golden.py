"""The report's JSON, byte for byte: six simulated months built now against the documents the code
wrote before the report became a typed model (tests/fixtures/reports/). Key order, integer or float,
every sentence of the findings: what is stored, served by GET /reports/{month} and printed by
`callcenter report --format json` does not move unless docs/figures.md says it should."""

from __future__ import annotations

import pytest

from tests.fixtures.reports.months import CASES, golden_path, printed


@pytest.mark.parametrize("case", CASES, ids=lambda case: case.__name__)
def test_the_report_json_is_byte_identical_to_the_golden_documents(case):
    built = case()
    assert built  # a case that builds no month would prove nothing
    for month, report in built.items():
        assert printed(report).encode() == golden_path(month).read_bytes(), month
