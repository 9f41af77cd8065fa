"""After an erasure or anonymisation nothing brings the caller back: a late trace record, event or
flow invocation is stored without the number (one extra request, only then), an anonymised referral
takes no note. The nightly retention takes each record on its own. All through the deployed handlers."""

from __future__ import annotations

import io
import logging
from datetime import timedelta

import pytest
import time_machine

from chalicelib.adapters.dynamo import _thread_session
from chalicelib.contacts.merge import merge
from chalicelib.contacts.store import ContactItem
from chalicelib.core.observability import logger
from chalicelib.core.phones import caller_key
from chalicelib.privacy import service
from chalicelib.referrals import store as referrals
from chalicelib.tables import all_models
from cli.simulator import shapes as shapes
from tests.integration import test_privacy as privacy
from tests.integration.test_privacy import NOTE, NUMBER, SUPERVISOR, T0, finish, get, history, post, stored_text

env = privacy.env  # the app on stage local, the units directory, moto SES, the simulated Connect
DIGITS = NUMBER.removeprefix("+90")


@pytest.fixture
def contacts_requests():
    """Requests to the contacts table, by operation, from here on (one botocore session serves every model)."""
    seen: list[str] = []

    def count(model=None, params=None, **_):
        if params and params.get("TableName") == ContactItem.Meta.table_name:
            seen.append(model.name)

    session = _thread_session()
    session.register("before-parameter-build.dynamodb", count)
    for model in all_models():
        model._connection = None  # a botocore client copies the session's hooks when it is made
    yield seen
    session.unregister("before-parameter-build.dynamodb", count)
    for model in all_models():
        model._connection = None


def _erase(client, number: str = NUMBER) -> dict:
    request = post(
        client,
        "/privacy/requests",
        {"kind": "erasure", "number": number, "identified_by": "e-Devlet imzalı dilekçe"},
        SUPERVISOR,
    ).json_body
    done = post(client, f"/privacy/requests/{request['request_id']}/fulfil", {}, SUPERVISOR)
    assert done.status_code == 200, done.json_body
    return done.json_body


def _late_inputs(contact_id: str, number: str = NUMBER) -> list[tuple[str, dict]]:
    """What AWS may still deliver for a call after it was erased, each carrying the caller's number."""
    end = T0 + timedelta(minutes=4)
    endpoint = {"Address": number, "Type": "TELEPHONE_NUMBER"}
    return [
        (
            "contact_events",
            shapes.contact_event(
                "DISCONNECTED", contact_id, initiation=T0, time=end, disconnected=end, customerEndpoint=endpoint
            ),
        ),
        (
            "contact_trace_records",
            shapes.kinesis_event(
                shapes.ctr(contact_id, initiation=T0, disconnected=end, customer_number=number, attributes={})
            ),
        ),
        ("contact_flow", shapes.flow_invocation(contact_id, customer_number=number)),
    ]


def test_late_inputs_after_an_erasure_never_bring_the_number_back(env, contacts_requests):
    client = env
    with time_machine.travel(T0, tick=False):
        ids = history(client)
        client.lambda_.invoke("contact_flow", shapes.flow_invocation("other", customer_number=privacy.OTHER))
        assert _erase(client)["records"]["contacts"] == 2
    assert DIGITS not in stored_text()

    with time_machine.travel(T0 + timedelta(minutes=5), tick=False):
        for name, payload in _late_inputs("call-2"):
            contacts_requests.clear()
            client.lambda_.invoke(name, payload)
            # The stored write was refused (anonymised) and the input stored again without the number.
            assert contacts_requests[:2] == ["UpdateItem", "UpdateItem"], name
        contacts_requests.clear()
        client.lambda_.invoke(*_late_inputs("other", privacy.OTHER)[1])  # a contact nobody erased
        assert contacts_requests[:1] == ["UpdateItem"] and contacts_requests.count("UpdateItem") == 1

    assert DIGITS not in stored_text()
    item = ContactItem.get("call-2")
    assert (item.caller_key, item.personal_month, item.personal_since) == (None, None, None)
    assert item.anonymised_at is not None
    record = merge(item.contact_id, item.fact_list(), item.first_seen_at)
    assert record.disconnected_at == T0 + timedelta(minutes=4)  # the statistics of the late inputs are kept
    assert record.customer_address is None
    assert service.holdings(NUMBER).counts() == {"contacts": 0, "callbacks": 0, "referrals": 0}
    assert ContactItem.get("other").caller_key == caller_key(privacy.OTHER)  # everyone else as before
    assert referrals.get_referral(ids["referral_id"]).status == "CANCELLED"


def test_an_input_landing_while_a_contact_is_erased_is_erased_too(env, monkeypatch):
    client = env
    with time_machine.travel(T0, tick=False):
        client.lambda_.invoke("contact_flow", shapes.flow_invocation("call-1", customer_number=NUMBER))
    read = service.contacts.get_contact

    def read_then_a_trace_record_lands(contact_id: str):
        item = read(contact_id)
        if contact_id == "call-1" and not ContactItem.get("call-1").anonymised_at:
            client.lambda_.invoke(*_late_inputs("call-1")[1])  # between the erasure's read and its write
        return item

    monkeypatch.setattr(service.contacts, "get_contact", read_then_a_trace_record_lands)
    with time_machine.travel(T0 + timedelta(minutes=5), tick=False):
        assert _erase(client)["records"]["contacts"] == 1
    assert DIGITS not in stored_text() and ContactItem.get("call-1").caller_key is None


def test_an_anonymised_referral_takes_no_note(env):
    client = env
    with time_machine.travel(T0, tick=False):
        ids = history(client)
        privacy.answer_referral(client, ids["referral_id"])
        path = f"/referrals/{ids['referral_id']}"
        post(client, f"{path}/claim", {})
        assert post(client, f"{path}/return", {}).json_body["status"] == "RETURNED"
        _erase(client)
        refused = post(client, f"{path}/close", {"outcome": "resolved", "note": NOTE})
        closed = post(client, f"{path}/close", {"outcome": "resolved"})
    assert refused.status_code == 409 and refused.json_body["field"] == "note"
    assert closed.status_code == 200 and closed.json_body["status"] == "CLOSED"
    assert NOTE not in stored_text() and referrals.get_referral(ids["referral_id"]).notes is None


@pytest.fixture
def logged():
    buffer = io.StringIO()
    handler = logging.StreamHandler(buffer)
    handler.setFormatter(logger.registered_formatter)
    python_logger = logging.getLogger(logger.name)
    python_logger.addHandler(handler)
    yield buffer
    python_logger.removeHandler(handler)


def test_the_nightly_retention_skips_and_names_a_record_that_keeps_failing(env, logged):
    client = env
    # Written directly, as a record from an older version could look: a fact that is not JSON.
    ContactItem(
        "broken-1",
        facts={'{"contact_id":"broken-1"', '{"customer_address":"+905320000000"'},
        personal_month="2026-10",
        personal_since="2026-10-13T06:00:00.000Z",
    ).save()
    with time_machine.travel(T0, tick=False):
        ids = history(client)
        finish(client, ids)
    tick = client.events.generate_cw_event(source="aws.events", detail_type="Scheduled Event", detail={}, resources=[])
    with time_machine.travel(T0 + timedelta(days=365, minutes=1), tick=False):
        summary = client.lambda_.invoke("privacy_retention", tick).payload
    assert (summary["contacts"], summary["callbacks"], summary["referrals"]) == (2, 1, 1)
    assert summary["failed"] == ["contacts#broken-1"]
    for personal in (DIGITS, privacy.QUESTION, NOTE):
        assert personal not in stored_text().replace("5320000000", "")
    [line] = [line for line in logged.getvalue().splitlines() if "retention: record skipped" in line]
    assert '"record":"contacts#broken-1"' in line and '"error":"JSONDecodeError"' in line
    assert "+90532" not in logged.getvalue()

    with time_machine.travel(T0 + timedelta(days=366), tick=False):
        again = client.lambda_.invoke("privacy_retention", tick).payload
    assert again["failed"] == ["contacts#broken-1"] and again["contacts"] == 0  # named every night until fixed
    assert get(client, "/privacy/requests", SUPERVISOR).status_code == 200
