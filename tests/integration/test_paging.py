"""Every list route reads a page, never everything stored: `limit` (default 50, at most 200), an opaque
`next` cursor checked on the way in, key conditions where an index allows them, and a bounded read
where only a filter can select. Against DynamoDB in moto, through chalice's test client."""

from __future__ import annotations

import base64
import json
import re
from datetime import UTC, datetime

import pytest

from app import app
from chalicelib.accounts.store import AgentItem
from chalicelib.adapters import paging
from chalicelib.callbacks import store as callbacks
from chalicelib.callbacks.dispatcher import mark_overdue
from chalicelib.callbacks.rules import ABANDONED, SYSTEM_DROP, Status
from chalicelib.callbacks.store import CallbackItem
from chalicelib.incidents.store import IncidentItem
from chalicelib.privacy.store import PrivacyRequestItem
from chalicelib.referrals import store as referrals
from chalicelib.referrals.store import ReferralItem

AGENT = {"X-Agent-Id": "ayse", "X-Groups": "agents,supervisors"}
# The GET routes without a path parameter that are not lists.
# Not lists: one answer (/health, /me), or bounded by nature — today's contacts (one day's partition,
# newest first, at most `limit`), an agent's work (three lists of at most 50 each, in working order), the live
# figures and their thresholds (one document each), the reports (the last `months` months, at most 36),
# whether the centre is open (one answer).
NOT_LISTS = {"/health", "/me", "/contacts/recent", "/work", "/live", "/live/thresholds", "/reports", "/hours"}
LIST_ROUTES = sorted(
    path for path, methods in app.routes.items() if "GET" in methods and "{" not in path and path not in NOT_LISTS
)


@pytest.fixture
def client(client):
    AgentItem(
        "ayse",
        first_name="Ayşe",
        last_name="Yılmaz",
        status="ACTIVE",
        connect_user_id="user-ayse",
        connect_user_arn="arn:aws:connect:eu-central-1:1:instance/i/agent/user-ayse",
        routing_profile_id="rp",
        security_profile_ids={"sp"},
        created_at="2026-09-01T06:00:00.000Z",
        created_by="test",
    ).save()  # the caller is a known, active agent (and one more item in the /agents list)
    return client


def get(client, path: str):
    return client.http.get(path, headers=AGENT)


def walk_pages(client, path: str, key: str) -> list[list[dict]]:
    pages, cursor = [], None
    while True:
        joiner = "&" if "?" in path else "?"
        response = get(client, path + (f"{joiner}next={cursor}" if cursor else ""))
        assert response.status_code == 200, response.json_body
        pages.append(response.json_body[key])
        assert response.json_body["count"] == len(pages[-1])
        cursor = response.json_body["next"]
        assert response.json_body["truncated"] == (cursor is not None)
        if cursor is None:
            return pages
        assert len(pages) < 100, "the pages never end"


def callback(
    callback_id: str,
    status: str = Status.PENDING,
    reason: str = ABANDONED,
    minute: int = 0,
    sla: str = "2026-10-15T07:00:00.000Z",
    **extra,
):
    due = f"2026-10-14T07:{minute:02d}:00.000Z"
    CallbackItem(
        callback_id,
        source_contact_id=f"contact-{callback_id}",
        reason=reason,
        status=status,
        caller="+905321234567",
        raised_at="2026-10-14T07:00:00.000Z",
        raised_month="2026-10",
        created_at="2026-10-14T07:00:01.000Z",
        due_at=due,
        dispatch_key=callbacks.dispatch_key(reason, due),
        sla_due_at=sla,
        **extra,
    ).save()


def referral(number: int, unit_id: str, status: str = "ANSWERED", **extra) -> None:
    created = f"2026-10-14T07:{number:02d}:00.000Z"
    ReferralItem(
        f"rf-{number:03d}",
        reference=f"ÇİM-2026-{number:06d}",
        contact_id=f"call-{number}",
        unit_id=unit_id,
        unit_name=unit_id,
        category="bilgi",
        question="Soru",
        return_channel="VOICE",
        status=status,
        created_at=created,
        created_month="2026-10",
        unit_created=referrals.unit_created(unit_id, created),
        created_by="agent:ayse",
        target_hours=16,
        **extra,
    ).save()


class ScannedCount:
    """The items DynamoDB evaluated for a model's Queries: what a request really reads."""

    def __init__(self, model, monkeypatch):
        self.items = 0
        connection = model._get_connection()
        query = connection.query

        def counting(*args, **kwargs):
            page = query(*args, **kwargs)
            self.items += int(page.get("ScannedCount", 0))
            return page

        monkeypatch.setattr(connection, "query", counting)


# --- every list pages ------------------------------------------------------------------------------


def test_the_list_routes_are_the_ones_expected():
    # A new GET route without a path parameter is a list until said otherwise: it must page.
    assert LIST_ROUTES == ["/agents", "/callbacks", "/closures", "/incidents", "/local/accounts"] + [
        "/privacy/disclosures",
        "/privacy/requests",
        "/referrals",
        "/units",
    ]


@pytest.mark.parametrize("path", LIST_ROUTES)
def test_every_list_takes_a_limit_and_refuses_a_cursor_it_did_not_give(client, path):
    first = get(client, f"{path}?limit=5")
    assert first.status_code == 200 and first.json_body["count"] <= 5
    # /agents holds the test accounts the access check needs (tests/integration/conftest.py): a full page.
    assert first.json_body["next"] is None or first.json_body["count"] == 5
    for query, field in [
        ("limit=0", "limit"),
        ("limit=201", "limit"),
        ("next=", "next"),
        ("next=bm90IGpzb24", "next"),  # base64url of "not json"
        ("next=!!!", "next"),
        ("next=" + "A" * 5000, "next"),
        ("next=" + base64.urlsafe_b64encode(b'{"SOMEWHERE":null}').decode().rstrip("="), "next"),
    ]:
        response = get(client, f"{path}?{query}")
        assert response.status_code == 400, (path, query)
        assert response.json_body["error"] == "invalid_request" and response.json_body["field"] == field, (path, query)


# --- callbacks: several partitions merged, reason by key condition ------------------------------------


def test_callback_pages_follow_dispatch_order_across_statuses_without_gaps_or_repeats(client):
    for n in range(7):
        callback(f"cb-p{n}", minute=10 + n)
    for n in range(3):
        callback(f"cb-d{n}", status=Status.DIALING, minute=12 + 2 * n)
    callback("cb-c0", status=Status.CLAIMED, minute=5, claimed_by="mehmet")
    callback("cb-s0", reason=SYSTEM_DROP, minute=30)
    callback("cb-done", status=Status.COMPLETED)

    everything = get(client, "/callbacks").json_body
    assert everything["next"] is None and everything["truncated"] is False and everything["count"] == 12
    pages = walk_pages(client, "/callbacks?limit=5", "callbacks")
    assert [len(p) for p in pages] == [5, 5, 2]
    assert [c["callback_id"] for p in pages for c in p] == [c["callback_id"] for c in everything["callbacks"]]
    assert everything["callbacks"][0]["callback_id"] == "cb-s0"  # a system drop first, then by due time


def test_a_cursor_from_another_list_is_refused(client):
    for n in range(3):
        callback(f"cb-p{n}", minute=n)
    cursor = get(client, "/callbacks?status=PENDING&limit=1").json_body["next"]
    assert get(client, f"/callbacks?status=PENDING&next={cursor}").status_code == 200
    other = get(client, f"/callbacks?status=CLAIMED&next={cursor}")
    assert other.status_code == 400 and other.json_body["field"] == "next"
    key = json.loads(base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)))["PENDING"]
    for forged in (key | {"status": {"S": "CLAIMED"}}, key | {"extra": {"S": "x"}}, key | {"status": {"N": "1"}}):
        token = base64.urlsafe_b64encode(json.dumps({"PENDING": forged}).encode()).decode().rstrip("=")
        response = get(client, f"/callbacks?status=PENDING&next={token}")
        assert response.status_code == 400 and response.json_body["field"] == "next", forged


def test_the_default_page_is_50(client):
    for n in range(55):
        callback(f"cb-{n:02d}", minute=n)
    first = get(client, "/callbacks").json_body
    assert first["count"] == 50 and first["next"] is not None
    rest = get(client, f"/callbacks?next={first['next']}").json_body
    assert rest["count"] == 5 and rest["next"] is None


def test_a_reason_is_a_key_condition_not_a_read_of_every_callback(client, monkeypatch):
    for n in range(20):
        callback(f"cb-a{n}", minute=n)
    callback("cb-s0", reason=SYSTEM_DROP)
    scanned = ScannedCount(CallbackItem, monkeypatch)
    listed = get(client, "/callbacks?reason=system_drop").json_body
    assert [c["callback_id"] for c in listed["callbacks"]] == ["cb-s0"]
    assert scanned.items == 1


def test_a_filter_reads_a_bounded_number_of_items_and_goes_on_from_there(client, monkeypatch):
    monkeypatch.setattr(paging, "EVALUATE_AT_MOST", 4)
    for n in range(12):
        callback(f"cb-{n:02d}", minute=n, queue_name="Genel" if n in (1, 10) else "Kayit")
    scanned = ScannedCount(CallbackItem, monkeypatch)
    first = get(client, "/callbacks?status=PENDING&queue=Genel").json_body
    assert scanned.items == 4
    assert [c["callback_id"] for c in first["callbacks"]] == ["cb-01"] and first["next"] is not None
    pages = walk_pages(client, "/callbacks?status=PENDING&queue=Genel", "callbacks")
    assert [c["callback_id"] for p in pages for c in p] == ["cb-01", "cb-10"]


# --- referrals: a unit through its own index ------------------------------------------------------


def test_a_units_referrals_are_read_through_its_index_in_pages(client, monkeypatch):
    for n in range(1, 21):
        referral(n, "bilgi-islem" if n % 5 == 0 else "ogrenci-isleri")
    referral(30, "bilgi-islem", status="CLOSED")
    scanned = ScannedCount(ReferralItem, monkeypatch)
    pages = walk_pages(client, "/referrals?unit=bilgi-islem&limit=3", "referrals")
    assert [r["referral_id"] for p in pages for r in p] == ["rf-005", "rf-010", "rf-015", "rf-020"]
    assert scanned.items <= 4 + 1  # the unit's own referrals (and an empty last page), never the others
    closed = get(client, "/referrals?status=CLOSED&unit=bilgi-islem").json_body["referrals"]
    assert [r["referral_id"] for r in closed] == ["rf-030"]
    assert all("question" not in r for p in pages for r in p)


def test_finished_referrals_come_newest_first_and_work_oldest_first(client):
    for n in (1, 2, 3):
        referral(n, "kutuphane", status="CLOSED")
        referral(10 + n, "kutuphane", status="EXPIRED")
    closed = get(client, "/referrals?status=CLOSED").json_body["referrals"]
    assert [r["referral_id"] for r in closed] == ["rf-003", "rf-002", "rf-001"]
    work = get(client, "/referrals").json_body["referrals"]
    assert [r["referral_id"] for r in work] == ["rf-011", "rf-012", "rf-013"]


# --- the supervisor's lists -----------------------------------------------------------------------


def test_fulfilled_requests_come_newest_first_in_pages(client):
    for day in (3, 9, 6):
        PrivacyRequestItem(
            f"dsr-{day}",
            kind="access",
            caller_key="k",
            number_masked="+905*******67",
            identified_by="kimlik",
            received_at=f"2026-10-0{day}T07:00:00.000Z",
            due_at=f"2026-11-0{day}T07:00:00.000Z",
            state="FULFILLED",
            recorded_at=f"2026-10-0{day}T07:00:00.000Z",
            recorded_by="supervisor:basin",
        ).save()
    pages = walk_pages(client, "/privacy/requests?state=FULFILLED&limit=2", "requests")
    assert [[r["request_id"] for r in p] for p in pages] == [["dsr-9", "dsr-6"], ["dsr-3"]]


def test_resolved_incidents_come_newest_first(client):
    for hour in (7, 9, 8):
        IncidentItem(
            f"INC-{hour}",
            reported_by="ayse",
            reported_at=f"2026-10-14T0{hour}:00:00.000Z",
            reported_month="2026-10",
            category="headset",
            severity="low",
            description="x",
            status="RESOLVED",
        ).save()
    pages = walk_pages(client, "/incidents?status=RESOLVED&limit=2", "incidents")
    assert [[i["incident_id"] for i in p] for p in pages] == [["INC-9", "INC-8"], ["INC-7"]]
    month = get(client, "/incidents?month=2026-10&status=RESOLVED").json_body["incidents"]
    assert [i["incident_id"] for i in month] == ["INC-7", "INC-8", "INC-9"]  # a month reads in order


def test_the_cursor_is_opaque_text_for_a_query_string(client):
    for n in range(3):
        callback(f"cb-{n}", minute=n)
    cursor = get(client, "/callbacks?limit=1").json_body["next"]
    assert re.fullmatch(r"[A-Za-z0-9_-]+", cursor)


# --- the jobs read bounded sets too ---------------------------------------------------------------


def test_the_dispatcher_flags_overdue_callbacks_from_the_deadline_watch_a_batch_at_a_time(aws, monkeypatch):
    now = datetime(2026, 10, 15, 8, 0, tzinfo=UTC)
    in_time = "2026-10-16T07:00:00.000Z"
    for n in range(5):
        callback(f"cb-late{n}", minute=n, sla=f"2026-10-15T07:0{n}:00.000Z", sla_watch=callbacks.WATCHED)
    callback("cb-done", status=Status.COMPLETED, sla="2026-10-15T07:30:00.000Z", sla_watch=callbacks.WATCHED)
    for n in range(20):
        callback(f"cb-fine{n:02d}", minute=n, sla=in_time, sla_watch=callbacks.WATCHED)
    scanned = ScannedCount(CallbackItem, monkeypatch)
    assert mark_overdue(now, limit=3) == 3
    assert scanned.items == 3  # the past-deadline ones only, a batch: never every open callback
    assert mark_overdue(now, limit=3) == 2  # the rest, and the completed one leaves the watch unflagged
    assert mark_overdue(now, limit=3) == 0
    flagged = {c.callback_id for c in CallbackItem.scan() if c.overdue}
    assert flagged == {f"cb-late{n}" for n in range(5)}
    assert callbacks.get_callback("cb-done").sla_watch is None and not callbacks.get_callback("cb-done").overdue
    assert {c.callback_id for c in CallbackItem.watched.query(callbacks.WATCHED)} == {
        f"cb-fine{n:02d}" for n in range(20)
    }


def test_the_agenda_reads_a_batch_of_what_is_due(aws, monkeypatch):
    for n in range(1, 8):
        referral(n, "kutuphane", status="OPEN", next_action="send", next_action_at=f"2026-10-14T07:{n:02d}:00.000Z")
    monkeypatch.setattr(referrals, "AGENDA_BATCH", 4)
    scanned = ScannedCount(ReferralItem, monkeypatch)
    due = [i.referral_id for i in referrals.due_on_agenda("OPEN", "2026-10-14T08:00:00.000Z")]
    assert due == ["rf-001", "rf-002", "rf-003", "rf-004"] and scanned.items == 4
