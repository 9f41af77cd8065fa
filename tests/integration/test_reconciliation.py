"""The monthly report asks Amazon Connect for its own figures through the Connect port: the embedded AWS's
simulated Connect counts the very records the report reads, its own way; a stage with no instance, or a
Connect that does not answer, is said plainly in the report, which is still built, stored and sent."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from chalicelib.adapters.connect import ConnectUnavailable, set_connect
from chalicelib.adapters.mail import RecordingNotifier
from chalicelib.core.config import settings
from chalicelib.reports import store
from chalicelib.reports.connect_month import ask_connect
from chalicelib.reports.delivery import send_monthly_report
from chalicelib.reports.monthly import build_report
from cli.embedded.connect import SimulatedConnect
from cli.replay.replayer import Replayer
from cli.simulator import shapes
from cli.simulator.traffic import QUEUES, deliver, simulate

FIRST_OF_NOVEMBER = datetime(2026, 11, 1, 5, 0, tzinfo=UTC)  # 08:00 in Istanbul, when the report is sent
LAST_SEPTEMBER_SECONDS = datetime(2026, 9, 30, 20, 59, 40, tzinfo=UTC)  # 23:59:40 in Istanbul


@pytest.fixture
def recorded(aws):
    """A simulated October day through the real handlers, and a caller who began on 30 September just
    before midnight and gave up in the queue on 1 October."""
    replayer = Replayer()
    sim = simulate(date(2026, 10, 13), 1, seed=5, calls_per_hour=3, agents=1)
    late_caller = shapes.ctr(
        "sept-30-late-caller",
        initiation=LAST_SEPTEMBER_SECONDS,
        disconnected=LAST_SEPTEMBER_SECONDS + timedelta(seconds=70),
        queue={
            "arn": shapes.queue_arn(QUEUES["VOICE"][1]),
            "name": "Genel",
            "enqueue": LAST_SEPTEMBER_SECONDS + timedelta(seconds=10),
        },
    )
    for number, line in enumerate([*deliver(sim, seed=5).lines, shapes.kinesis_event(late_caller)], 1):
        replayer.replay_input(number, line)
    assert replayer.stats.ok
    yield sim
    set_connect(None)


def test_the_simulated_connect_counts_the_stored_month_its_own_way_and_every_difference_is_explained(recorded):
    set_connect(SimulatedConnect())
    report = build_report("2026-10", now=FIRST_OF_NOVEMBER)
    section, calls = report["reconciliation"], report["calls"]
    assert section["status"] == "compared" and section["source"] == "simulated"
    assert section["start"] == "2026-09-30T21:00:00.000Z" and section["end"] == "2026-10-31T21:00:00.000Z"
    rows = {row["key"]: row for row in section["figures"]}
    assert all(row["explained"] for row in rows.values()), [row["tr"] for row in rows.values()]
    assert (rows["queued"]["ours"], rows["abandoned"]["ours"]) == (calls["queued"], calls["abandoned"])
    # The September caller who gave up after midnight: Connect's October (filed by the end), not ours.
    assert {"reason": "earlier_month", "contacts": 1, "within": None, "seconds": None} in rows["queued"]["adjustments"]
    assert rows["queued"]["connect"] == calls["queued"] + 1
    assert rows["abandoned"]["connect"] > calls["abandoned"]  # the day's system drops and callback choices


def test_a_stage_with_no_connect_instance_says_so_and_the_report_builds(recorded):
    report = build_report("2026-10", now=FIRST_OF_NOVEMBER)  # the test stage: the settings' placeholder instance
    section = report["reconciliation"]
    assert (section["status"], section["problem"]) == ("unavailable", "not_configured")
    assert "bu ortamda bir Amazon Connect örneği tanımlı değil" in section["tr"]
    assert report["calls"]["inbound"] > 0
    local = ask_connect("2026-10", FIRST_OF_NOVEMBER, cfg=settings().model_copy(update={"stage": "local"}))
    assert local.problem == "local_without_twin"


class ConnectDown:
    def historical_figures(self, request):
        raise ConnectUnavailable("GetMetricDataV2: ThrottlingException (HTTP 429, request r-1)")


def test_a_connect_that_does_not_answer_leaves_the_report_built_stored_and_sent(recorded):
    set_connect(ConnectDown())
    notifier = RecordingNotifier()
    assert send_monthly_report("2026-10", FIRST_OF_NOVEMBER, notifier=notifier).status == "sent"
    section = store.stored_report("2026-10")["reconciliation"]
    assert (section["status"], section["problem"]) == ("unavailable", "unavailable")
    assert "ThrottlingException" in section["detail"]
    [sent] = notifier.sent
    assert "Amazon Connect'in kendi rakamları alınamadı" in " ".join(sent.text.split())
