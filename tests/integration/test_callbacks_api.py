"""The agents' callbacks API through chalice's test client, against DynamoDB in moto."""

import json
import logging
import threading
from datetime import datetime
from types import SimpleNamespace

import pytest

from chalicelib.callbacks import outcomes, store
from chalicelib.callbacks.rules import ABANDONED, REQUESTED, SYSTEM_DROP, Status
from chalicelib.callbacks.store import CallbackItem
from chalicelib.core.config import Settings, settings
from chalicelib.core.phones import mask
from chalicelib.web import access, api
from tests.integration.conftest import dynamodb_operations, recording

NUMBER = "+905321234567"
AGENT_ARN = "arn:aws:connect:eu-central-1:123456789012:instance/inst-1/agent/ag-123"
JSON = {"Content-Type": "application/json"}


def make_callback(
    callback_id: str,
    *,
    status: str = Status.PENDING,
    reason: str = ABANDONED,
    caller: str | None = NUMBER,
    due_at: str = "2026-10-14T07:10:00.000Z",
    overdue: bool = False,
    claimed_by: str | None = None,
    preferred_agent_arn: str | None = None,
    attempts: int = 0,
    linked: set[str] | None = None,
    queue_name: str | None = None,
) -> CallbackItem:
    item = CallbackItem(
        callback_id,
        source_contact_id=f"contact-{callback_id}",
        reason=reason,
        status=status,
        caller=caller,
        preferred_agent_arn=preferred_agent_arn,
        raised_at="2026-10-14T07:05:00.000Z",
        raised_month="2026-10",
        created_at="2026-10-14T07:05:01.000Z",
        due_at=due_at,
        dispatch_key=store.dispatch_key(reason, due_at),
        sla_due_at="2026-10-15T07:05:00.000Z",
        overdue=overdue,
        attempts=attempts,
        claimed_by=claimed_by,
        linked_contact_ids=linked,
        queue_name=queue_name,
        queue_arn=f"arn:aws:connect:eu-central-1:1:instance/i/queue/{queue_name.lower()}" if queue_name else None,
    )
    item.save()
    return item


def get(client, path: str, agent: str | None = "ayse"):
    headers = {"X-Agent-Id": agent} if agent else {}
    return client.http.get(path, headers=headers)


def post(client, path: str, agent: str | None = "ayse", body=None, raw: bytes | None = None):
    headers = {**JSON, **({"X-Agent-Id": agent} if agent else {})}
    data = raw if raw is not None else json.dumps(body if body is not None else {}).encode()
    return client.http.post(path, headers=headers, body=data)


def ids(response) -> list[str]:
    return [c["callback_id"] for c in response.json_body["callbacks"]]


@pytest.fixture
def board():
    """A small board of callbacks in every interesting state."""
    make_callback("cb-pending", due_at="2026-10-14T07:10:00.000Z")
    make_callback("cb-drop", reason=SYSTEM_DROP, due_at="2026-10-14T07:30:00.000Z", caller="+905551112233")
    make_callback(
        "cb-claimed", status=Status.CLAIMED, reason=REQUESTED, claimed_by="ayse", due_at="2026-10-14T07:20:00.000Z"
    )
    make_callback(
        "cb-dialing",
        status=Status.DIALING,
        reason=REQUESTED,
        overdue=True,
        attempts=1,
        due_at="2026-10-14T07:15:00.000Z",
        linked={"c-9", "c-8"},
    )
    make_callback("cb-done", status=Status.COMPLETED, claimed_by="ayse")
    make_callback("cb-preferred", preferred_agent_arn=AGENT_ARN, due_at="2026-10-14T07:40:00.000Z")


# --- listing -------------------------------------------------------------------------------------------


def test_default_list_is_open_work_in_dispatch_order(client, board):
    response = get(client, "/callbacks")
    assert response.status_code == 200
    # system drop first, then requested by due time, then abandoned by due time; never the completed one
    assert ids(response) == ["cb-drop", "cb-dialing", "cb-claimed", "cb-pending", "cb-preferred"]
    assert response.json_body["count"] == 5
    dialing = response.json_body["callbacks"][1]
    assert dialing["linked_contact_ids"] == ["c-8", "c-9"] and dialing["attempts"] == 1 and dialing["overdue"]
    assert set(dialing) >= {
        "callback_id",
        "source_contact_id",
        "reason",
        "status",
        "caller",
        "raised_at",
        "due_at",
        "sla_due_at",
        "overdue",
        "attempts",
        "last_outcome",
        "claimed_by",
        "preferred_agent_arn",
        "linked_contact_ids",
        "created_at",
    }


LIST_FILTERS = [
    ("status=PENDING", ["cb-drop", "cb-pending", "cb-preferred"]),
    ("status=COMPLETED", ["cb-done"]),
    ("status=CLAIMED", ["cb-claimed"]),
    ("status=OVERDUE", ["cb-dialing"]),
    ("reason=requested", ["cb-dialing", "cb-claimed"]),
    ("reason=system_drop", ["cb-drop"]),
    ("agent=ayse", ["cb-claimed"]),
    ("agent=ayse&status=COMPLETED", ["cb-done"]),
    ("agent=ag-123", ["cb-preferred"]),
    (f"agent={AGENT_ARN}", ["cb-preferred"]),
    ("status=PENDING&reason=abandoned&limit=1", ["cb-pending"]),
    ("status=FAILED", []),
]


def test_list_filters(client, board):
    # One board for every case (each moto setup costs a second).
    for params, expected in LIST_FILTERS:
        response = get(client, f"/callbacks?{params}")
        assert response.status_code == 200, (params, response.json_body)
        assert ids(response) == expected and response.json_body["count"] == len(expected), params
    assert get(client, "/callbacks?status=PENDING&reason=abandoned&limit=1").json_body["truncated"]
    assert not get(client, "/callbacks?status=PENDING&reason=abandoned").json_body["truncated"]


def test_list_uses_the_status_index_never_a_scan(client, board):
    # Every DynamoDB request the route sends, whichever code path sends it: not only CallbackItem.scan.
    with recording([]) as calls:
        assert get(client, "/callbacks?status=OPEN").status_code == 200
    queries = [params for service, operation, params in calls if operation == "Query"]
    assert "Scan" not in dynamodb_operations(calls)
    assert queries and {q["IndexName"] for q in queries} == {"by_status"}


def test_bad_list_parameters_are_400_naming_the_parameter(client, board):
    for params, field in [
        ("status=SOMETIMES", "status"),
        ("reason=bored", "reason"),
        ("limit=0", "limit"),
        ("limit=many", "limit"),
        ("queue=", "queue"),
        ("colour=red", "colour"),
    ]:
        response = get(client, f"/callbacks?{params}")
        assert response.status_code == 400, params
        assert response.json_body["error"] == "invalid_request" and response.json_body["field"] == field, params


def test_numbers_are_masked_except_for_the_agent_holding_the_claim(client, board):
    def callers(agent):
        return {c["callback_id"]: c["caller"] for c in get(client, "/callbacks", agent).json_body["callbacks"]}

    as_ayse, as_mehmet = callers("ayse"), callers("mehmet")
    assert as_ayse["cb-claimed"] == NUMBER
    assert as_mehmet["cb-claimed"] == mask(NUMBER) == "+905*******67"
    assert as_ayse["cb-pending"] == as_mehmet["cb-pending"] == mask(NUMBER)  # unclaimed: masked for all
    assert as_ayse["cb-drop"] == mask("+905551112233")
    assert get(client, "/callbacks/cb-claimed", "ayse").json_body["caller"] == NUMBER
    assert get(client, "/callbacks/cb-claimed", "mehmet").json_body["caller"] == mask(NUMBER)
    # a finished callback is nobody's to dial any more, not even its last claimer's
    assert get(client, "/callbacks/cb-done", "ayse").json_body["caller"] == mask(NUMBER)


def test_get_one_and_unknown_ids(client, board):
    response = get(client, "/callbacks/cb-dialing")
    assert response.status_code == 200 and response.json_body["status"] == Status.DIALING
    for response in (
        get(client, "/callbacks/cb-nope"),
        post(client, "/callbacks/cb-nope/claim"),
        post(client, "/callbacks/cb-nope/complete", body={"outcome": "COMPLETED"}),
    ):
        assert response.status_code == 404
        assert response.json_body == {"error": "not_found", "message": "callback cb-nope not found"}


# --- claiming ------------------------------------------------------------------------------------------


def test_claim_then_a_second_agent_gets_409_and_the_first_keeps_it(client, board):
    response = post(client, "/callbacks/cb-pending/claim", "ayse")
    assert response.status_code == 200
    assert response.json_body["status"] == Status.CLAIMED and response.json_body["claimed_by"] == "ayse"
    assert response.json_body["caller"] == NUMBER  # the claimer sees the number to dial

    second = post(client, "/callbacks/cb-pending/claim", "mehmet")
    assert second.status_code == 409
    assert second.json_body["error"] == "conflict"
    assert "CLAIMED by another agent" in second.json_body["message"]
    assert "only a PENDING callback can be claimed" in second.json_body["message"]
    assert NUMBER not in json.dumps(second.json_body)
    item = store.get_callback("cb-pending")
    assert item.status == Status.CLAIMED and item.claimed_by == "ayse"


def test_only_pending_callbacks_can_be_claimed(client, board):
    for callback_id in ("cb-dialing", "cb-done"):
        response = post(client, f"/callbacks/{callback_id}/claim", "mehmet")
        assert response.status_code == 409 and "only a PENDING callback" in response.json_body["message"]


@pytest.fixture
def atomic_item_writes(monkeypatch):
    """DynamoDB checks a write's condition and applies it atomically, per item; moto does not (it checks,
    then writes, and another thread can run in between). One lock around moto's UpdateItem restores that
    guarantee, and only that: the agents still race through read, then conditional write."""
    from moto.dynamodb.models import DynamoDBBackend

    real, lock = DynamoDBBackend.update_item, threading.Lock()

    def update_item(self, *args, **kwargs):
        with lock:
            return real(self, *args, **kwargs)

    monkeypatch.setattr(DynamoDBBackend, "update_item", update_item)


def test_racing_claims_have_exactly_one_winner(aws, atomic_item_writes):
    for n in range(5):
        make_callback(f"cb-race-{n}")
        agents = [f"agent-{n}-{k}" for k in range(4)]
        barrier = threading.Barrier(len(agents))
        won, lost, errors = [], [], []

        def take(agent, callback_id=f"cb-race-{n}", won=won, lost=lost, errors=errors, barrier=barrier):
            barrier.wait()
            try:
                outcomes.claim(callback_id, agent, datetime.now().astimezone())
                won.append(agent)
            except outcomes.CallbackConflictError:
                lost.append(agent)
            except Exception as error:  # pragma: no cover - reported below
                errors.append(error)

        threads = [threading.Thread(target=take, args=(agent,)) for agent in agents]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        assert not errors
        assert len(won) == 1 and len(lost) == len(agents) - 1
        assert store.get_callback(f"cb-race-{n}").claimed_by == won[0]


# --- completing ----------------------------------------------------------------------------------------


def test_the_claimer_completes_it(client, board):
    post(client, "/callbacks/cb-pending/claim", "ayse")
    response = post(client, "/callbacks/cb-pending/complete", "ayse", {"outcome": "COMPLETED", "note": "ulaşıldı"})
    assert response.status_code == 200
    assert response.json_body["status"] == Status.COMPLETED and response.json_body["last_outcome"] == "COMPLETED"
    item = store.get_callback("cb-pending")
    assert item.closed_by == "ayse" and item.note == "ulaşıldı" and item.attempts == 1 and item.closed_at
    assert ids(get(client, "/callbacks")).count("cb-pending") == 0  # no longer open work


def test_completing_someone_elses_or_an_unclaimed_callback_is_409(client, board):
    response = post(client, "/callbacks/cb-claimed/complete", "mehmet", {"outcome": "COMPLETED"})
    assert response.status_code == 409 and "CLAIMED by another agent" in response.json_body["message"]
    response = post(client, "/callbacks/cb-pending/complete", "mehmet", {"outcome": "COMPLETED"})
    assert response.status_code == 409 and "claim it before completing it" in response.json_body["message"]
    assert store.get_callback("cb-claimed").status == Status.CLAIMED
    assert store.get_callback("cb-pending").status == Status.PENDING


def test_no_answer_puts_it_back_later_and_the_last_attempt_fails_it(client, aws):
    make_callback("cb-retry")
    due = store.get_callback("cb-retry").due_at
    max_attempts = settings().callback_max_attempts
    for attempt in range(1, max_attempts + 1):
        assert post(client, "/callbacks/cb-retry/claim", "ayse").status_code == 200
        response = post(client, "/callbacks/cb-retry/complete", "ayse", {"outcome": "NO_ANSWER"})
        assert response.status_code == 200
        view = response.json_body
        assert view["attempts"] == attempt and view["last_outcome"] == "NO_ANSWER"
        if attempt < max_attempts:
            assert view["status"] == Status.PENDING and view["claimed_by"] is None
            assert view["due_at"] > due  # a back-off, not due again at once
            due = view["due_at"]
            item = store.get_callback("cb-retry")
            assert item.dispatch_key == store.dispatch_key(item.reason, item.due_at)
    assert view["status"] == Status.FAILED
    assert post(client, "/callbacks/cb-retry/claim", "ayse").status_code == 409


def test_a_wrong_number_fails_at_once(client, aws):
    make_callback("cb-wrong", status=Status.CLAIMED, claimed_by="ayse")
    response = post(client, "/callbacks/cb-wrong/complete", "ayse", {"outcome": "WRONG_NUMBER"})
    assert response.status_code == 200 and response.json_body["status"] == Status.FAILED


BAD_BODIES = [
    ({"outcome": "DONE"}, "outcome"),
    ({}, "outcome"),
    ({"outcome": None}, "outcome"),
    ({"outcome": "COMPLETED", "note": "x" * 2001}, "note"),
    ({"outcome": "COMPLETED", "note": 12}, "note"),
    ({"outcome": "COMPLETED", "mood": "good"}, "mood"),
]


def test_a_bad_complete_body_is_400_naming_the_field(client, board):
    for body, field in BAD_BODIES:
        response = post(client, "/callbacks/cb-claimed/complete", "ayse", body)
        assert response.status_code == 400, body
        assert response.json_body["error"] == "invalid_request" and response.json_body["field"] == field, body
        assert field in response.json_body["message"]
        assert "x" * 50 not in response.json_body["message"]  # never echoes the input
    assert store.get_callback("cb-claimed").status == Status.CLAIMED


def test_an_unknown_outcome_lists_the_allowed_ones(client, board):
    message = post(client, "/callbacks/cb-claimed/complete", "ayse", {"outcome": "DONE"}).json_body["message"]
    assert all(outcome in message for outcome in ("COMPLETED", "NO_ANSWER", "BUSY", "WRONG_NUMBER"))


def test_a_body_that_is_not_a_json_object_is_400(client, board):
    for raw, message in [(b"{not json", "not valid JSON"), (b"[1, 2]", "JSON object"), (b"", "not valid JSON")]:
        response = post(client, "/callbacks/cb-claimed/complete", "ayse", raw=raw)
        assert response.status_code == 400, raw
        assert response.json_body["field"] == "body" and message in response.json_body["message"], raw


def test_a_note_is_stored_but_never_logged(client, board, caplog, capfd):
    note = "Mehmet Bey 0532 999 88 77 numarasından tekrar aranmak istiyor NOTE-7f3a"
    caplog.set_level(logging.INFO)
    caplog.set_level(logging.DEBUG, logger="cagri")
    post(client, "/callbacks/cb-pending/claim", "ayse")
    post(client, "/callbacks/cb-pending/complete", "mehmet", {"outcome": "COMPLETED", "note": note})  # 409
    post(client, "/callbacks/cb-pending/complete", "ayse", {"outcome": "COMPLETED", "note": "x" * 2001})  # 400
    response = post(client, "/callbacks/cb-pending/complete", "ayse", {"outcome": "COMPLETED", "note": note})
    assert response.status_code == 200 and "note" not in response.json_body
    assert store.get_callback("cb-pending").note == note
    out, err = capfd.readouterr()
    logged = [caplog.text, out, err, *(json.dumps(r.__dict__, default=str) for r in caplog.records)]
    assert any("cb-pending" in text for text in logged)  # the logs did capture these requests
    for text in logged:
        assert "NOTE-7f3a" not in text and "0532" not in text and NUMBER not in text and "x" * 50 not in text


# --- identity ------------------------------------------------------------------------------------------


def test_no_identity_is_401(client, board):
    for response in (
        get(client, "/callbacks", agent=None),
        get(client, "/callbacks/cb-pending", agent=None),
        post(client, "/callbacks/cb-pending/claim", agent=None),
        post(client, "/callbacks/cb-pending/complete", agent=None, body={"outcome": "COMPLETED"}),
        post(client, "/callbacks/cb-pending/claim", agent="   "),
    ):
        assert response.status_code == 401 and response.json_body["error"] == "unauthenticated"
    assert store.get_callback("cb-pending").status == Status.PENDING


def test_the_agent_header_is_refused_outside_local_and_test(client, board, monkeypatch):
    for stage in ("dev", "prod"):
        monkeypatch.setattr(access, "settings", lambda stage=stage: Settings(stage=stage))
        assert get(client, "/callbacks").status_code == 401, stage
        assert post(client, "/callbacks/cb-pending/claim").status_code == 401, stage
    assert store.get_callback("cb-pending").status == Status.PENDING


@pytest.mark.parametrize(
    ("claims", "expected"),
    [({"cognito:username": "ayse", "sub": "uuid-1"}, "ayse"), ({"sub": "uuid-1"}, "uuid-1")],
)
def test_cognito_claims_are_the_identity_on_every_stage(monkeypatch, claims, expected):
    monkeypatch.setattr(access, "settings", lambda: Settings(stage="prod"))
    request = SimpleNamespace(context={"authorizer": {"claims": claims}}, headers={"X-Agent-Id": "mallory"})
    assert api.current_agent(request) == expected


def test_list_filters_by_queue_name_arn_or_id(client):
    make_callback("cb-genel", queue_name="Genel")
    make_callback("cb-burs", queue_name="Burs")
    for value in ("Genel", "arn:aws:connect:eu-central-1:1:instance/i/queue/genel", "genel"):
        assert ids(get(client, f"/callbacks?queue={value}")) == ["cb-genel"], value
