"""The supervisor's reports through the API (issue 16): the stored months, the page that was e-mailed and
its workbook, and a send handed to the report function (here its local twin, run before answering)."""

from __future__ import annotations

import gzip
import io
from datetime import UTC, datetime

import pytest
import time_machine
from chalice.test import LambdaContext
from openpyxl import load_workbook

from chalicelib.adapters.functions import set_functions
from chalicelib.adapters.mail import RecordingNotifier, set_notifier
from chalicelib.reports import store
from cli.embedded.functions import LocalFunctions
from tests.integration.test_workspace import call

NOW = datetime(2026, 11, 3, 8, 0, tzinfo=UTC)  # November in Istanbul: October has ended
SUPERVISOR = {"X-Agent-Id": "basin", "X-Groups": "supervisors", "Content-Type": "application/json"}


@pytest.fixture
def sent(aws):
    notifier = RecordingNotifier()
    set_notifier(notifier)
    jobs = LocalFunctions(wait=True)
    set_functions(jobs)
    yield notifier, jobs
    set_functions(None)
    set_notifier(None)


def test_before_a_send_there_is_nothing_to_open(client, sent):
    with time_machine.travel(NOW, tick=False):
        client.http.post("/reports/2026-10/rebuild", headers=SUPERVISOR)
        listed = client.http.get("/reports", headers=SUPERVISOR).json_body
        [october] = [r for r in listed["reports"] if r["month"] == "2026-10"]
        assert october["built_at"] and october["sent_at"] is None and october["rendered_at"] is None
        page = client.http.get("/reports/2026-10/html", headers=SUPERVISOR)
        assert page.status_code == 404 and page.json_body["field"] == "month"
        assert client.http.get("/reports/2026-10/workbook", headers=SUPERVISOR).status_code == 404


def test_a_send_from_the_console_goes_through_the_report_function_and_can_then_be_opened(client, sent):
    notifier, jobs = sent
    for day in (13, 14, 15):  # a few calls in October, so the e-mail has its charts
        start = datetime(2026, 10, day, 7, 0, tzinfo=UTC)
        call(
            client,
            f"oct-{day}",
            start,
            answered=day != 14,
            reason="AGENT_DISCONNECT" if day != 14 else "CUSTOMER_DISCONNECT",
        )
    with time_machine.travel(NOW, tick=False):
        asked = client.http.post("/reports/2026-10/send", headers=SUPERVISOR, body="{}")
        assert asked.status_code == 202
        assert (asked.json_body["month"], asked.json_body["status"], asked.json_body["force"]) == (
            "2026-10",
            "queued",
            False,
        )
        [(function, event)] = jobs.started
        assert function == "cagri-local-monthly_report" and event["detail"] == {"month": "2026-10", "force": False}
        [email] = notifier.sent
        assert "Ekim 2026" in email.subject
        [october] = [r for r in client.http.get("/reports", headers=SUPERVISOR).json_body["reports"]]
        assert october["sent_at"] == "2026-11-03T08:00:00.000Z" and october["message_id"]
        page = client.http.get("/reports/2026-10/html", headers=SUPERVISOR)
        assert page.status_code == 200 and page.headers["Content-Type"].startswith("text/html")
        assert "data:image/png;base64," in page.body.decode() and "cid:" not in page.body.decode()
        accept = {"Accept": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}
        workbook = client.http.get("/reports/2026-10/workbook", headers=SUPERVISOR | accept)
        assert workbook.status_code == 200 and workbook.body == email.attachments[0].content
        assert load_workbook(io.BytesIO(workbook.body)).sheetnames  # a workbook that opens
        # Sending again without force is said at once and changes nothing; with force it goes again.
        again = client.http.post("/reports/2026-10/send", headers=SUPERVISOR, body="{}")
        assert again.status_code == 200 and again.json_body["status"] == "already_sent"
        assert len(notifier.sent) == 1 and len(jobs.started) == 1
        client.http.post("/reports/2026-10/send", headers=SUPERVISOR, body='{"force": true}')
        assert len(notifier.sent) == 2


def test_what_was_emailed_survives_a_rebuild(client, sent):
    with time_machine.travel(NOW, tick=False):
        client.http.post("/reports/2026-10/send", headers=SUPERVISOR, body="{}")
        before = store.rendered_page("2026-10")
        client.http.post("/reports/2026-10/rebuild", headers=SUPERVISOR)
        assert store.rendered_page("2026-10") == before
        item = store.ReportItem.get("2026-10")
        assert len(item.page_gz) < 200_000 and gzip.decompress(item.page_gz).decode() == before


@pytest.mark.parametrize(("month", "field"), [("2026-11", "month"), ("2026-13", "month")])
def test_a_month_that_has_not_ended_or_is_not_a_month_is_refused(client, sent, month, field):
    with time_machine.travel(NOW, tick=False):
        response = client.http.post(f"/reports/{month}/send", headers=SUPERVISOR, body="{}")
    assert response.status_code == 400 and response.json_body["field"] == field
    assert sent[1].started == []


def test_the_report_function_sends_the_month_it_is_asked_for():
    from chalicelib.reports import handlers

    called = {}

    def fake_send(month, now, force=False):
        called.update(month=month, force=force)
        from chalicelib.reports.delivery import SendResult

        return SendResult(month, "sent", ("a@b.c",), "m-1")

    import chalicelib.reports.delivery as delivery

    original = delivery.send_monthly_report
    delivery.send_monthly_report = fake_send
    try:
        # As Lambda invokes it: the raw event the API sent, and a context.
        event = handlers.request_event("2026-09", True, NOW)
        context = LambdaContext("monthly_report", memory_size=384)
        assert handlers.handle_monthly_report(event, context)["month"] == "2026-09"
        assert called == {"month": "2026-09", "force": True}
    finally:
        delivery.send_monthly_report = original
