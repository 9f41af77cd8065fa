"""Our month beside Amazon Connect's own figures (chalicelib/reports/reconciliation.py), on hand-built records.

Connect's side is written here from its documentation, not from the module: "Contacts abandoned" is a contact
removed from a queue without an agent and not queued for Connect's own callback; "Service level X" the share
of queued contacts removed from the queue within X s, whether answered, abandoned or sent to a callback;
"Contacts handled" any contact connected to an agent; handle time = talk + hold + after-contact work; a
contact record's metrics are filed by its disconnect.
"""

from __future__ import annotations

import ast
import io
import json
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
from markupsafe import escape

import tests.conftest  # noqa: F401  (environment before any chalicelib import)
from chalicelib.adapters.connect import HistoricalFigures, MetricsRequest
from chalicelib.contacts.facts import Fact
from chalicelib.contacts.merge import merge
from chalicelib.core.config import settings
from chalicelib.core.times import iso, month_instants
from chalicelib.reports import reconciliation
from chalicelib.reports.monthly import assemble_report
from chalicelib.reports.reconciliation import (
    NOTHING,
    PROBLEMS,
    ConnectAnswer,
    Counted,
    Tally,
    connect_counts,
    our_counts,
    reconcile,
)
from chalicelib.reports.render import render_html, render_text, render_xlsx
from cli.embedded.connect import simulated_history
from tests.fixtures.reports.months import of_month, simulated_records

START, END = month_instants("2026-10", settings().zone)  # 2026-09-30T21:00Z … 2026-10-31T21:00Z
T0 = datetime(2026, 10, 14, 7, 0, tzinfo=UTC)
QUEUE = "arn:aws:connect:eu-central-1:123456789012:instance/i-1/queue/q-1"
CALLBACK_QUEUE = "arn:aws:connect:eu-central-1:123456789012:instance/i-1/queue/q-cb"


def contact(
    cid: str,
    *,
    at: datetime = T0,
    wait: float | None = None,
    agent: bool = False,
    reason: str | None = "CUSTOMER_DISCONNECT",
    handle: tuple[float, float, float] | None = None,
    channel: str = "VOICE",
    method: str = "INBOUND",
    callback_id: str | None = None,
    queue_arn: str | None = QUEUE,
    ended: bool = True,
):
    """A contact as its trace record tells it: `wait` s in the queue (None: never queued), then an agent or not."""
    fields = {
        "channel": channel,
        "initiation_method": method,
        "initiated_at": iso(at),
        "callback_id": callback_id,
    }
    talk = sum(handle[:2]) if handle else 120
    if wait is not None:
        fields |= {"queue_arn": queue_arn, "enqueued_at": iso(at + timedelta(seconds=10)), "queue_seconds": wait}
    if agent:
        fields["connected_to_agent_at"] = iso(at + timedelta(seconds=10 + (wait or 0)))
    if handle:
        fields["interaction_seconds"], fields["hold_seconds"], fields["acw_seconds"] = handle
    if not ended:  # still going: an event, no trace record yet
        return merge(cid, [Fact(contact_id=cid, source="event:QUEUED", at=iso(at), **fields)])
    end = at + timedelta(seconds=10 + (wait or 0) + (talk if agent else 0))
    fields |= {"disconnected_at": iso(end), "disconnect_reason": reason}
    return merge(cid, [Fact(contact_id=cid, source="ctr", at=iso(end + timedelta(minutes=1)), **fields)])


def figures(**values) -> HistoricalFigures:
    base = {"queued": 0, "handled": 0, "abandoned": 0, "service_level": None, "aht_seconds": None}
    return HistoricalFigures(**(base | values), source="amazon_connect", queues=2)


def tally_of(*records, carried_in=()) -> Tally:
    tally = Tally(START, END, 20)
    for r in records:
        tally.add(r)
    for r in carried_in:
        tally.add(r, of_the_month=False)
    return tally


def by_key(section) -> dict:
    return {row.key: row for row in section.figures}


# -- how each side counts one contact -----------------------------------------------------------------

Q, H, A, W = "queued", "handled", "abandoned", "within"


def flags(*names, handle=None) -> Counted:
    return Counted(**dict.fromkeys(names, True), handle=handle)


CASES = [
    # (record, Connect's count, ours)
    (contact("answered", wait=10, agent=True, handle=(100, 20, 30)), flags(Q, H, W, handle=150), None),
    (contact("answered-late", wait=30, agent=True, handle=(100, 0, 20)), flags(Q, H, handle=120), None),
    # A short abandon: lost to us (4(a)); to Connect abandoned, and out of the queue within 20 s.
    (contact("short", wait=3), flags(Q, A, W), flags(Q, A)),
    (contact("gave-up", wait=60), flags(Q, A), flags(Q, A)),
    # A system fault in the queue: a system drop to us (6(6)), an abandon to Connect.
    (contact("drop-in-queue", wait=8, reason="TELECOM_PROBLEM"), flags(Q, A, W), flags(Q)),
    # The caller chose a callback and the flow ended the call: not lost to us, abandoned to Connect.
    (contact("chose-callback", wait=45, reason="CONTACT_FLOW_DISCONNECT"), flags(Q, A), flags(Q)),
    # Cut off with the agent: answered and handled on both sides.
    (
        contact("drop-with-agent", wait=5, agent=True, reason="TELECOM_PROBLEM", handle=(40, 0, 0)),
        flags(Q, H, W, handle=40),
        None,
    ),
    # The call a callback placed, answered and queued for the next agent: Connect's, not a caller of ours.
    (
        contact(
            "cb-call",
            wait=4,
            agent=True,
            method="API",
            callback_id="cb-1",
            queue_arn=CALLBACK_QUEUE,
            handle=(90, 0, 20),
        ),
        flags(Q, H, W, handle=110),
        NOTHING,
    ),
    (contact("outbound", agent=True, method="OUTBOUND", handle=(60, 0, 0)), NOTHING, NOTHING),  # in no queue
    (contact("chat", wait=5, agent=True, channel="CHAT", handle=(300, 0, 0)), NOTHING, NOTHING),  # not voice
    (contact("ivr-only", reason="CONTACT_FLOW_DISCONNECT"), NOTHING, NOTHING),
    (contact("waiting-now", wait=None, ended=False), NOTHING, NOTHING),
    (contact("next-month", at=END - timedelta(seconds=30), wait=60), NOTHING, flags(Q, A)),  # ends after
]


@pytest.mark.parametrize(("record", "theirs", "ours"), CASES, ids=[c[0].contact_id for c in CASES])
def test_each_side_counts_a_contact_by_its_own_definitions(record, theirs, ours):
    assert connect_counts(record, START, END, 20) == theirs
    assert our_counts(record, 20) == (theirs if ours is None else ours)


def test_a_queued_call_still_waiting_is_ours_and_not_yet_connects():
    waiting = merge(
        "w",
        [
            Fact(
                contact_id="w",
                source="event:QUEUED",
                at=iso(T0),
                channel="VOICE",
                initiation_method="INBOUND",
                initiated_at=iso(T0),
                queue_arn=QUEUE,
                enqueued_at=iso(T0 + timedelta(seconds=10)),
            )
        ],
    )
    assert our_counts(waiting, 20) == flags(Q)
    assert connect_counts(waiting, START, END, 20) == NOTHING  # Connect's record is published when it ends
    section = reconcile(tally_of(waiting), ConnectAnswer(figures=figures()), "Europe/Istanbul")
    assert [(a.reason, a.contacts) for a in by_key(section)["queued"].adjustments] == [("in_progress", -1)]
    assert by_key(section)["queued"].explained


# -- explained differences, with the breakdown ---------------------------------------------------------


def month_of_calls():
    return [
        contact("a1", wait=10, agent=True, handle=(100, 20, 30)),  # 150 s
        contact("a2", wait=30, agent=True, handle=(200, 0, 10)),  # 210 s
        contact("l1", wait=3),  # short abandon
        contact("l2", wait=60),
        contact("l3", wait=25),
        contact("d1", wait=8, reason="TELECOM_PROBLEM"),
        contact("x1", wait=45, reason="CONTACT_FLOW_DISCONNECT"),
    ]


def test_connects_abandoned_is_ours_plus_the_system_drops_and_flow_exits_and_says_so():
    # Connect, by its documentation: 7 queued, 2 handled, 5 abandoned (3 hung up, a fault, a callback choice);
    # out of the queue within 20 s: a1, l1, d1 → 3/7; handle time (150 + 210) / 2.
    section = reconcile(
        tally_of(*month_of_calls()),
        ConnectAnswer(figures=figures(queued=7, handled=2, abandoned=5, service_level=3 / 7, aht_seconds=180.0)),
        "Europe/Istanbul",
    )
    assert section.status == "compared" and section.source == "amazon_connect"
    rows = by_key(section)
    assert all(row.explained for row in rows.values())
    abandoned = rows["abandoned"]
    assert (abandoned.ours, abandoned.connect, abandoned.expected, abandoned.unexplained) == (3, 5, 5, 0)
    assert {a.reason: a.contacts for a in abandoned.adjustments} == {
        "system_drops_in_queue": 1,
        "left_queue_by_flow": 1,
    }
    assert "Fark bilinen nedenlerle tamamen açıklanıyor" in abandoned.tr
    assert "sistem kesintisi" in abandoned.tr and "geri arama" in abandoned.tr
    assert "The known reasons account for all of it" in abandoned.en

    service = rows["service_level"]
    assert service.ours == pytest.approx(1 / 7) and service.expected == pytest.approx(3 / 7, abs=5e-5)
    assert {a.reason: (a.contacts, a.within) for a in service.adjustments} == {
        "abandoned_within": (0, 1),  # the short abandon left the queue within 20 s
        "system_drops_in_queue": (0, 1),
    }
    assert rows["queued"].tr.endswith("aynı.") and not rows["queued"].adjustments
    assert rows["aht_seconds"].ours == rows["aht_seconds"].connect == 180.0
    assert reconciliation.finding(section) is None


def test_connect_counts_the_calls_our_callbacks_placed():
    callback = contact(
        "cb", wait=4, agent=True, method="API", callback_id="cb-1", queue_arn=CALLBACK_QUEUE, handle=(90, 0, 0)
    )
    section = reconcile(
        tally_of(*month_of_calls(), callback),
        ConnectAnswer(figures=figures(queued=8, handled=3, abandoned=5, service_level=4 / 8, aht_seconds=150.0)),
        "Europe/Istanbul",
    )
    rows = by_key(section)
    assert all(row.explained for row in rows.values()), [row.tr for row in rows.values()]
    assert [(a.reason, a.contacts) for a in rows["queued"].adjustments] == [("callback_calls", 1)]
    assert [(a.reason, a.contacts, a.seconds) for a in rows["aht_seconds"].adjustments] == [("callback_calls", 1, 90.0)]
    assert "sistemin geri arama için başlattığı aramalar" in rows["handled"].tr
    assert "ortalama 1 dk 30 sn" in rows["aht_seconds"].tr


def test_connect_files_a_contact_by_its_end_across_the_month_edges():
    before = contact("sept-30", at=START - timedelta(seconds=30), wait=40)  # began 23:59:30, ended in October
    after = contact("oct-31", at=END - timedelta(seconds=30), wait=60)  # began 23:59:30, ended in November
    section = reconcile(
        tally_of(after, carried_in=[before]),
        ConnectAnswer(figures=figures(queued=1, abandoned=1, service_level=0.0)),
        "Europe/Istanbul",
    )
    queued = by_key(section)["queued"]
    assert queued.explained and queued.ours == queued.connect == 1
    assert {a.reason: a.contacts for a in queued.adjustments} == {"earlier_month": 1, "later_month": -1}
    assert "birbirini götürüyor" in queued.tr


# -- what no reason explains is a finding ---------------------------------------------------------------


def test_an_unexplained_difference_is_a_finding_not_a_footnote():
    records = month_of_calls()
    answer = ConnectAnswer(figures=figures(queued=9, handled=2, abandoned=7, service_level=3 / 7, aht_seconds=180.0))
    report = assemble_report("2026-10", records, [], {"month": "2026-09"}, connect=answer)
    rows = {row["key"]: row for row in report["reconciliation"]["figures"]}
    assert rows["queued"]["explained"] is False and rows["queued"]["unexplained"] == 2
    assert rows["abandoned"]["unexplained"] == 2 and rows["handled"]["explained"] is True
    assert rows["queued"]["tr"].startswith("BULGU — Kuyruğa giren: bizde 7, Connect'te 9.")
    assert "2 temasın farkı açıklanamıyor" in rows["queued"]["tr"]
    assert rows["queued"]["en"].startswith("FINDING — ")
    assert "2 rakamdaki fark bilinen nedenlerle açıklanamıyor" in report["reconciliation"]["tr"]
    # Second only to the headline among the findings, in both languages.
    assert report["findings"]["tr"][1].startswith("Amazon Connect'in kendi rakamlarıyla bilinen nedenlerle")
    assert "Kuyruğa giren: Connect'te 9, bizde 7 (bilinen nedenlerle beklenen 7)" in report["findings"]["tr"][1]
    assert report["findings"]["en"][1].startswith("Amazon Connect's own figures differ from ours")


def test_a_month_we_recorded_nothing_of_is_a_finding_when_connect_saw_calls():
    answer = ConnectAnswer(figures=figures(queued=120, handled=100, abandoned=20, service_level=0.7, aht_seconds=200.0))
    report = assemble_report("2026-10", [], [], {"month": "2026-09"}, connect=answer)
    assert report["findings"]["tr"][0].startswith("Bu ay hiç gelen çağrı kaydedilmedi")
    assert report["findings"]["tr"][1].startswith("Amazon Connect'in kendi rakamlarıyla")


@pytest.mark.parametrize(
    ("service_level", "explained"), [(3 / 7 + 0.0004, True), (3 / 7 - 0.0004, True), (3 / 7 + 0.002, False)]
)
def test_the_service_level_is_held_to_connects_rounding_and_no_more(service_level, explained):
    answer = ConnectAnswer(
        figures=figures(queued=7, handled=2, abandoned=5, service_level=service_level, aht_seconds=180.4)
    )
    row = by_key(reconcile(tally_of(*month_of_calls()), answer, "Europe/Istanbul"))["service_level"]
    assert row.explained is explained
    assert by_key(reconcile(tally_of(*month_of_calls()), answer, "Europe/Istanbul"))["aht_seconds"].explained
    if not explained:
        assert row.tr.startswith("BULGU") and "0,2 puanlık fark açıklanamıyor" in row.tr


def test_a_value_connect_does_not_give_is_not_compared_and_not_a_finding():
    answer = ConnectAnswer(figures=figures(queued=7, handled=None, abandoned=5, service_level=3 / 7, aht_seconds=180.0))
    section = reconcile(tally_of(*month_of_calls()), answer, "Europe/Istanbul")
    handled = by_key(section)["handled"]
    assert handled.explained is None and "Connect bu rakamı vermedi" in handled.tr
    assert reconciliation.finding(section) is None


# -- when Connect cannot be asked -------------------------------------------------------------------------


@pytest.mark.parametrize("problem", sorted(PROBLEMS))
def test_when_connect_cannot_be_asked_the_section_says_so_and_the_report_builds(problem):
    detail = "GetMetricDataV2: ThrottlingException (HTTP 429, request r-1)" if problem == "unavailable" else None
    answer = None if problem == "not_asked" else ConnectAnswer(problem=problem, detail=detail)
    report = assemble_report("2026-10", month_of_calls(), [], {"month": "2026-09"}, connect=answer)
    section = report["reconciliation"]
    assert section["status"] == "unavailable" and section["problem"] == problem and section["figures"] == []
    assert section["tr"].startswith("Amazon Connect'in kendi rakamları alınamadı: " + PROBLEMS[problem][0])
    assert section["en"].startswith("Amazon Connect's own figures could not be had: " + PROBLEMS[problem][1])
    if detail:
        assert detail in section["tr"]
    assert report["calls"]["queued"] == 7 and not any("Amazon Connect'in kendi" in s for s in report["findings"]["tr"])
    html, text = render_html(report, None), render_text(report)
    assert "Amazon Connect ile karşılaştırma" in html and str(escape(PROBLEMS[problem][0])) in html
    assert "AMAZON CONNECT İLE KARŞILAŞTIRMA" in text


# -- a simulated month, and what the renderings show ------------------------------------------------------


@pytest.fixture(scope="module")
def october():
    """A simulated October and the simulated Connect's answer for it (the demo's pair)."""
    records = of_month(simulated_records(date(2026, 10, 1), 31, 7), "2026-10")
    request = MetricsRequest(START, END, "Europe/Istanbul", 20, datetime(2026, 11, 1, 5, tzinfo=UTC))
    answer = ConnectAnswer(figures=simulated_history(records, request))
    report = assemble_report("2026-10", records, [], {"month": "2026-09"}, connect=answer)
    return json.loads(json.dumps(report))  # as read back from the reports table


def test_a_simulated_month_differs_from_connect_only_for_known_reasons(october):
    section, calls = october["reconciliation"], october["calls"]
    rows = {row["key"]: row for row in section["figures"]}
    assert section["source"] == "simulated" and all(row["explained"] for row in rows.values())
    # Ours, exactly as the report's calls block.
    assert (rows["queued"]["ours"], rows["handled"]["ours"], rows["abandoned"]["ours"]) == (
        calls["queued"],
        calls["answered"],
        calls["abandoned"],
    )
    assert rows["service_level"]["ours"] == calls["service_level"]
    assert rows["aht_seconds"]["ours"] == calls["aht_seconds"]
    # A real difference: Connect's abandoned holds the system drops in the queue and the callback choices.
    assert rows["abandoned"]["connect"] == calls["abandoned"] + sum(
        a["contacts"] for a in rows["abandoned"]["adjustments"]
    )
    assert (
        rows["abandoned"]["connect"] > calls["abandoned"] and rows["service_level"]["connect"] > calls["service_level"]
    )


def test_the_renderings_show_connects_figures_beside_ours(october):
    html, text = render_html(october, None), render_text(october)
    assert 'id="connect"' in html and "Amazon Connect ile karşılaştırma" in html
    for row in october["reconciliation"]["figures"]:
        assert str(escape(row["tr"])) in html
        assert row["metric"] in html
    assert "Rakamlar yerel ortamın simüle Connect'inden." in " ".join(text.split())
    from openpyxl import load_workbook

    sheet = load_workbook(io.BytesIO(render_xlsx(october)))["Connect karşılaştırması"]
    rows = list(sheet.iter_rows(min_row=2, max_row=6, values_only=True))
    assert [row[1] for row in rows] == list(reconciliation.METRIC_NAMES.values())
    assert rows[2][2] == october["calls"]["abandoned"] and isinstance(rows[2][3], int)
    assert "%" in sheet.cell(5, 3).number_format


def test_the_comparison_imports_no_aws_library():
    """The rules stay pure: Connect's types only for the type checker, never boto3 at run time."""
    tree = ast.parse(Path(reconciliation.__file__).read_text(encoding="utf-8"))
    guarded = {
        id(node)
        for block in tree.body
        if isinstance(block, ast.If) and getattr(block.test, "id", "") == "TYPE_CHECKING"
        for node in ast.walk(block)
    }
    imported = [
        alias.name if isinstance(node, ast.Import) else node.module
        for node in ast.walk(tree)
        if isinstance(node, (ast.Import, ast.ImportFrom)) and id(node) not in guarded
        for alias in (node.names if isinstance(node, ast.Import) else [None])
    ]
    assert not [m for m in imported if m and (m.split(".")[0] in ("boto3", "botocore") or "adapters" in m)]
