"""`callcenter replay` + `callcenter report --format json` against the embedded AWS, as an operator runs them."""

from __future__ import annotations

import random
from datetime import UTC, date, datetime, timedelta

import pytest

from cli.simulator import shapes as shapes
from tests.e2e.conftest import write_jsonl

pytestmark = pytest.mark.e2e

T0 = datetime(2026, 3, 10, 7, 0, tzinfo=UTC)  # Tuesday 10:00 in Istanbul
Q, A = shapes.queue_arn(), shapes.agent_arn()


def _call(
    cid: str,
    start: datetime,
    *,
    wait: int,
    answered: bool,
    reason: str,
    category: str,
    with_ctr: bool = True,
    with_events: bool = True,
    survey: dict[str, str] | None = None,
) -> list:
    enq = start + timedelta(seconds=15)
    conn = enq + timedelta(seconds=wait) if answered else None
    end = (conn + timedelta(seconds=120)) if answered else enq + timedelta(seconds=wait)
    agent_kw = {"agent_arn": A, "connected_to_agent": conn} if answered else {}
    lines: list = [shapes.flow_invocation(cid, attributes={"category": "bilgi"})]
    if with_events:
        lines += [
            shapes.contact_event("INITIATED", cid, initiation=start, time=start),
            shapes.contact_event("QUEUED", cid, initiation=start, time=enq, queue_arn=Q, enqueued=enq),
            shapes.contact_event(
                "DISCONNECTED", cid, initiation=start, time=end, queue_arn=Q, enqueued=enq, disconnected=end, **agent_kw
            ),
        ]
    if with_ctr:
        lines.append(
            shapes.kinesis_event(
                shapes.ctr(
                    cid,
                    initiation=start,
                    disconnected=end,
                    disconnect_reason=reason,
                    queue={"arn": Q, "name": "Genel", "enqueue": enq, "duration": wait},
                    agent={"arn": A, "username": "ayse", "connected": conn, "interaction": 100, "hold": 0, "acw": 20}
                    if answered
                    else None,
                    attributes={"category": category, **(survey or {})},
                )
            )
        )
    return lines


def traffic() -> list:
    lines = []
    lines += _call(
        "e2e-answered",
        T0,
        wait=12,
        answered=True,
        reason="AGENT_DISCONNECT",
        category="şikayet",
        survey={"survey_score": "2", "survey_resolved": "no"},  # the post-call survey's answers
    )
    lines += _call(
        "e2e-abandoned",
        T0 + timedelta(minutes=5),
        wait=40,
        answered=False,
        reason="CUSTOMER_DISCONNECT",
        category="bilgi",
    )
    lines += _call(
        "e2e-short",
        T0 + timedelta(minutes=9),
        wait=3,
        answered=False,
        reason="CUSTOMER_DISCONNECT",
        category="bilgi",
        with_ctr=False,
    )  # events only: wait from events
    lines += _call(
        "e2e-dropped",
        T0 + timedelta(minutes=12),
        wait=25,
        answered=False,
        reason="TELECOM_PROBLEM",
        category="kapsam_dışı",
        with_events=False,
    )
    # 31 March 22:30 UTC is already 1 April in Istanbul: not in March.
    lines += _call(
        "e2e-april",
        datetime(2026, 3, 31, 22, 30, tzinfo=UTC),
        wait=5,
        answered=True,
        reason="CUSTOMER_DISCONNECT",
        category="istek",
        survey={"survey_score": "5"},
    )
    return lines


EXPECTED_MARCH = {
    "contacts": {"total": 4, "by_channel": {"VOICE": 4}, "by_initiation_method": {"INBOUND": 4}, "by_subtype": {}},
    "calls": {
        "inbound": 4,
        "queued": 4,
        "answered": 1,
        "abandoned": 2,
        "short_abandoned": 1,
        "system_dropped": 1,
        "queue_exits_other": 0,
        "abandon_rate": 0.5,
        "service_level": 0.25,
        "asa_seconds": 12.0,
        "avg_abandon_seconds": 21.5,
        "aht_seconds": 120.0,
    },
    "by_category": {"bilgi": 2, "kapsam_dışı": 1, "şikayet": 1},
    "out_of_scope": 1,
    "satisfaction": {
        "responses": 1,
        "response_rate": 1.0,
        "average": 2.0,
        "resolved_rate": 0.0,
        "by_category": {"şikayet": {"responses": 1, "average": 2.0}},
    },
}


def core(report: dict) -> dict:
    return {key: report[key] for key in EXPECTED_MARCH}


def test_replay_then_report_gives_the_contract_figures(operator, tmp_path):
    lines = traffic()
    bad_kinesis = shapes.kinesis_event(shapes.ctr("e2e-x", initiation=T0), corrupt=(0,))
    path = write_jsonl(
        tmp_path / "march.jsonl", [*lines[:3], "{this is not json", *lines[3:], bad_kinesis, {"hello": "world"}]
    )
    done = operator.run("replay", str(path))
    assert done.returncode == 1
    problems = done.stderr.strip().splitlines()
    assert problems[0].startswith("line 4: not valid JSON")
    assert any(p.startswith(f"line {len(lines) + 2}: contact trace record: data is not") for p in problems)
    assert any(p.startswith(f"line {len(lines) + 3}: not an EventBridge event") for p in problems)
    assert f"{len(lines)} recorded" in done.stdout  # one input per line here
    assert "3 rejected" in done.stdout

    report = operator.report("2026-03")
    assert report["month"] == "2026-03" and report["timezone"] == "Europe/Istanbul"
    assert core(report) == EXPECTED_MARCH
    april = operator.report("2026-04")
    assert april["contacts"]["total"] == 1 and april["satisfaction"]["average"] == 5.0


def test_redelivered_and_reordered_inputs_change_nothing(operator, tmp_path):
    lines = traffic()
    # Replayed once here too, so the test stands alone whichever worker runs it (a repeat changes nothing).
    first = operator.run("replay", str(write_jsonl(tmp_path / "once.jsonl", lines)))
    assert first.returncode == 0, first.stderr
    before = operator.report("2026-03")
    assert core(before) == EXPECTED_MARCH
    again = lines + random.Random(5).sample(lines, k=len(lines) // 2)
    random.Random(6).shuffle(again)
    done = operator.run("replay", str(write_jsonl(tmp_path / "again.jsonl", again)))
    assert done.returncode == 0, done.stderr
    assert operator.report("2026-03") == before


def test_a_survey_answer_that_is_not_a_score_is_counted_never_refused(operator, tmp_path):
    """What an older flow or a tool might write into survey_score: recorded, no response, counted invalid."""
    lines = _call(
        "e2e-text",
        datetime(2026, 5, 12, 8, 0, tzinfo=UTC),
        wait=8,
        answered=True,
        reason="AGENT_DISCONNECT",
        category="bilgi",
        survey={"survey_score": "çok iyiydi, teşekkürler", "survey_resolved": "belki"},
    )
    done = operator.run("replay", str(write_jsonl(tmp_path / "may.jsonl", lines)))
    assert done.returncode == 0, done.stderr
    report = operator.report("2026-05")
    assert report["calls"]["answered"] == 1
    assert report["satisfaction"] == {
        "responses": 0,
        "response_rate": 0.0,
        "average": None,
        "resolved_rate": None,
        "by_category": {},
    }
    assert report["satisfaction_detail"]["invalid"] == 1


def test_report_rejects_a_malformed_month(operator):
    done = operator.run("report", "--month", "2026-13", "--format", "json")
    assert done.returncode == 2 and "--month must be YYYY-MM" in done.stderr


@pytest.mark.parametrize(
    ("seed", "month", "start", "losses"),
    [
        (21, "2027-02", "2027-02-27", {"drop_event_rate": 0.3, "drop_ctr_rate": 0.2, "drop_flow_rate": 0.2}),
        (22, "2027-06", "2027-06-30", {}),
    ],
)
def test_simulated_traffic_reports_exactly_what_the_oracle_says(operator, tmp_path, seed, month, start, losses):
    """A simulated stretch over a month boundary, redelivered and shuffled, through the real CLI."""
    from cli.simulator.traffic import deliver, expected_core_figures, simulate

    # Two or three days over a month boundary, a few hundred inputs: the embedded AWS takes ~100 inputs/s.
    sim = simulate(date.fromisoformat(start), 2 if start.endswith("30") else 3, seed=seed, calls_per_hour=4, agents=1)
    delivery = deliver(sim, seed=seed, duplicate_rate=0.1, shuffle=True, **losses)
    done = operator.run("replay", str(write_jsonl(tmp_path / "sim.jsonl", delivery.lines)))
    assert done.returncode == 0, done.stderr
    expected = expected_core_figures(sim, delivery, month)
    assert core(operator.report(month)) == {key: expected[key] for key in EXPECTED_MARCH}
