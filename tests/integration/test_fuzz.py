"""Fuzzing every entry point (issue 8): whatever arrives, no unhandled exception — a clear rejection
or a 4xx — and the good inputs beside the bad ones are still recorded."""

from __future__ import annotations

import base64
import json
import re

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from app import app
from chalicelib.contacts.store import get_contact
from chalicelib.contacts.vocabulary import MAX_LENGTH, word
from cli.simulator import shapes as shapes

FUZZ = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=40),
    lambda children: st.lists(children, max_size=5) | st.dictionaries(st.text(max_size=15), children, max_size=6),
    max_leaves=30,
)
# Objects that look like the real thing, with fields broken: the likeliest bad input.
EVENT = shapes.contact_event("QUEUED", "fuzz-event", queue_arn=shapes.queue_arn())
FLOW = shapes.flow_invocation("fuzz-flow")


def mutated(base: dict) -> st.SearchStrategy[dict]:
    def mutate(path_value):
        (keys, value) = path_value
        doc = json.loads(json.dumps(base))
        target = doc
        for key in keys[:-1]:
            target = target.setdefault(key, {}) if isinstance(target, dict) else target
        if isinstance(target, dict) and keys:
            target[keys[-1]] = value
        return doc

    paths = st.lists(st.sampled_from(sorted(_paths(base))), min_size=1, max_size=1).map(lambda p: p[0])
    return st.tuples(paths, JSON_VALUES).map(mutate)


def _paths(doc, prefix=()):
    if isinstance(doc, dict):
        for key, value in doc.items():
            yield (*prefix, key)
            yield from _paths(value, (*prefix, key))


@FUZZ
@given(event=mutated(EVENT) | JSON_VALUES.filter(lambda v: isinstance(v, dict)))
def test_contact_events_are_recorded_or_rejected_never_crash(client, event):
    # EventBridge always delivers its envelope (Chalice reads every key of it before our code runs);
    # everything inside it, and the envelope's values, may be anything.
    event = {**EVENT, **event}
    result = client.lambda_.invoke("contact_events", event).payload
    assert result["status"] in ("recorded", "rejected"), result


@FUZZ
@given(field=st.sampled_from(["channel", "initiationMethod", "eventType"]), value=st.text(max_size=80))
def test_any_value_in_an_enumeration_field_is_recorded_never_rejected(client, field, value):
    """Issue 13 item 7: whatever AWS (or a broken sender) writes there, the contact is recorded and counted."""
    event = json.loads(json.dumps(EVENT))
    event["detail"][field] = value
    result = client.lambda_.invoke("contact_events", event).payload
    blank_type = field == "eventType" and word(value) is None  # no event type at all is not the shape
    assert result["status"] == ("rejected" if blank_type else "recorded"), result
    if not blank_type:
        stored = get_contact("fuzz-event").fact_list()
        assert all(len(f.channel or "") <= MAX_LENGTH and len(f.source) <= MAX_LENGTH + 6 for f in stored)


@FUZZ
@given(
    bad=st.lists(st.binary(max_size=200) | JSON_VALUES.map(lambda v: json.dumps(v).encode()), min_size=1, max_size=4)
)
def test_a_kinesis_batch_keeps_its_good_record_whatever_is_beside_it(client, bad):
    good = shapes.ctr("fuzz-good", channel="VOICE", initiation_method="INBOUND")
    records = [base64.b64encode(json.dumps(good).encode()).decode()]
    records += [base64.b64encode(raw).decode() for raw in bad] + ["%%% not base64 %%%"]
    event = {
        "Records": [
            {
                "kinesis": {
                    "kinesisSchemaVersion": "1.0",
                    "partitionKey": f"p{i}",
                    "sequenceNumber": f"{i:056d}",
                    "data": data,
                    "approximateArrivalTimestamp": 1791874800.0,
                },
                "eventSource": "aws:kinesis",
                "eventVersion": "1.0",
                "eventID": f"shardId-000000000000:{i:056d}",
                "eventName": "aws:kinesis:record",
                "invokeIdentityArn": "arn:aws:iam::111122223333:role/cagri",
                "awsRegion": "eu-central-1",
                "eventSourceARN": "arn:aws:kinesis:eu-central-1:111122223333:stream/cagri-test-ctr",
            }
            for i, data in enumerate(records)
        ]
    }
    response = client.lambda_.invoke("contact_trace_records", event).payload
    assert response == {"batchItemFailures": []}  # bad records are rejected (kept for redrive), not retried
    assert get_contact("fuzz-good") is not None


@FUZZ
@given(event=mutated(FLOW) | JSON_VALUES)
def test_the_contact_flow_always_answers_a_flat_string_map(client, event):
    answer = client.lambda_.invoke("contact_flow", event).payload
    assert isinstance(answer, dict) and all(isinstance(k, str) and isinstance(v, str) for k, v in answer.items())
    assert answer["centre_open"] in ("true", "false")


ROUTES = sorted(
    (re.sub(r"\{[^}]+\}", "x-1", path), method)
    for path, methods in app.routes.items()
    for method in methods
    if method in ("POST", "PUT") and not path.startswith("/reply")
)
SUPERVISOR = {"X-Agent-Id": "basin", "X-Groups": "supervisors", "Content-Type": "application/json"}


@FUZZ
@given(route=st.sampled_from(ROUTES), body=JSON_VALUES | st.binary(max_size=100))
def test_every_json_route_answers_bad_bodies_with_a_4xx_naming_the_problem(client, route, body):
    path, method = route
    raw = body if isinstance(body, bytes) else json.dumps(body).encode()
    response = client.http.request(method, path, headers=SUPERVISOR, body=raw)
    assert response.status_code < 500, (method, path, response.body[:300])
    if response.status_code >= 400:
        payload = json.loads(response.body)
        assert payload["error"] and payload["message"]


@FUZZ
@given(form=st.dictionaries(st.sampled_from(["action", "answer", "forward_unit", "x"]), st.text(max_size=300)))
def test_the_reply_page_never_fails_on_a_form(client, form):
    from urllib.parse import urlencode

    response = client.http.post(
        "/reply/rf-0123456789abcdef0123.0.1800000000.AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",
        headers={"Content-Type": "application/x-www-form-urlencoded"},
        body=urlencode(form).encode(),
    )
    assert response.status_code == 403 and b"<script" not in response.body


def test_replay_rejects_an_event_without_its_envelope_instead_of_failing(aws):
    from cli.replay.replayer import Replayer

    replayer = Replayer()
    replayer.replay_input(7, {"detail-type": "Amazon Connect Contact Event", "detail": {}})
    assert (replayer.stats.rejected, replayer.stats.failed) == (1, 0)
    assert replayer.stats.problems == [
        "line 7: not an EventBridge event: its envelope lacks version, id, source, account, time, region, resources"
    ]
