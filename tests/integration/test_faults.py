"""Faults change nothing: replayed the way AWS redelivers, with a share of DynamoDB (and SES) calls
failing before or after doing their work, the records, callbacks, referrals, e-mails and report
equal a fault-free run's.

The redelivery is the deployment's own (infra/retries.py): three tries of a contact event, six of
a trace record, then the dead-letter and failure queues (SQS, the records left in the Kinesis
stream), which the operator redrives on the alarm with `callcenter redrive`;
Amazon Connect never retries a flow's Lambda block. So the one thing a failure may cost is a
contact-flow invocation's own fact, and the test shows it costs nothing the report or the
callbacks read: the trace record brings the same information.
"""

from __future__ import annotations

import base64
import json
import re
from dataclasses import asdict
from datetime import date
from email import message_from_string, policy

import boto3
import pytest
from moto import mock_aws
from moto.core import DEFAULT_ACCOUNT_ID
from moto.ses.models import ses_backends

from chalicelib.adapters import closures
from chalicelib.adapters.closures import centre_calendar, forget_closures
from chalicelib.adapters.dynamo import _thread_session
from chalicelib.callbacks.store import CallbackItem
from chalicelib.contacts.merge import merge
from chalicelib.contacts.store import ContactItem
from chalicelib.core.config import settings
from chalicelib.reports.monthly import build_report
from chalicelib.tables import all_models
from cli.replay.redrive import redrive
from cli.replay.replayer import Replayer
from cli.simulator.callbacks import SCHEDULE, run_dispatcher
from cli.simulator.traffic import deliver, simulate
from infra.retries import FLOW_LAMBDA_ATTEMPTS, ctr_attempts, event_attempts
from tests.integration.faults import Faults, FaultyConnect

DAY = date(2026, 10, 14)
CALLBACK_FIELDS = (
    "callback_id",
    "source_contact_id",
    "reason",
    "status",
    "caller",
    "raised_at",
    "due_at",
    "sla_due_at",
    "attempts",
    "attempt_contact_id",
    "last_outcome",
    "unreachable_reason",
)


def _fresh_tables() -> None:
    for model in all_models():
        model._connection = None
        model.create_table(billing_mode="PAY_PER_REQUEST", wait=True)
    forget_closures()
    centre_calendar()  # its declared closures, read before any fault (`_closures_read_once`)


def _closures_read_once(monkeypatch) -> None:
    """The declared closures are read as the tables are made, before the faults, and kept for the whole run
    (the cache's clock stands still), as a warm container keeps them for a minute. The faults are drawn one
    per AWS call: a read whenever a slow run passed the cache's minute would move every later fault, and the
    runs would differ by how busy the machine was. What a failed read does: test_closures.py."""
    monkeypatch.setattr(closures, "_clock", lambda: 0.0)


def _deployed_replayer() -> Replayer:
    """AWS's attempts as deployed; a caller whose callback request failed asks again twice."""
    return Replayer(
        event_attempts=event_attempts(),
        kinesis_attempts=ctr_attempts(),
        flow_attempts=FLOW_LAMBDA_ATTEMPTS,
        caller_retries=2,
    )


_CALL_TIMES = ("initiated_at", "enqueued_at", "dequeued_at", "connected_to_agent_at", "disconnected_at")


def _untimed(records: dict) -> dict:
    return {cid: {k: v for k, v in r.items() if k not in _CALL_TIMES} for cid, r in records.items()}


def _undue(callbacks: dict) -> dict:
    due = CALLBACK_FIELDS.index("due_at")
    return {cid: fields[:due] + fields[due + 1 :] for cid, fields in callbacks.items()}


def _counts(section: dict, but: tuple[str, ...] = ()) -> dict:
    """A report section's counts (how many, by what), without its durations, which delays move."""
    return {k: v for k, v in section.items() if isinstance(v, (int, dict)) and not isinstance(v, bool) and k not in but}


def _in_time(closed: dict) -> set[str]:
    return {
        cid for cid, (status, closed_at, sla, _overdue) in closed.items() if status == "COMPLETED" and closed_at <= sla
    }


def _accounted(problem: str) -> bool:
    return "failed after" in problem or problem.endswith("contact-flow handler error: internal")


def _record_view(item: ContactItem) -> dict:
    """What the report and the callbacks read of a contact, but whether a flow invocation was stored
    and what it saw (a failed look leaves an answered call's end to check the caller's callbacks)."""
    view = asdict(merge(item.contact_id, item.fact_list(), item.first_seen_at))
    view.pop("has_flow")
    view.pop("open_callback_seen")
    return view


class _Operator:
    """On the dead-letter alarm the operator runs `callcenter redrive` (cli.replay.redrive) until the queues
    are empty. What AWS gave up on is put where AWS puts it: a contact event in the dead-letter queue
    as EventBridge sends it; trace records stay in the stream and the failure queue names their
    sequence numbers. A redriven input fails again at the same rate and stays in its queue."""

    ROUNDS = 5

    def __init__(self, replayer: Replayer) -> None:
        self.replayer, self.drained, self.problems, self.redriven = replayer, 0, [], 0
        self.sqs = boto3.client("sqs", region_name=settings().region)
        self.kinesis = boto3.client("kinesis", region_name=settings().region)
        self.events = self.sqs.create_queue(QueueName="cagri-test-contact-events-dlq")["QueueUrl"]
        self.failures = self.sqs.create_queue(QueueName="cagri-test-ctr-failures")["QueueUrl"]
        self.stream = settings().ctr_stream
        self.kinesis.create_stream(StreamName=self.stream, ShardCount=1)
        self.arn = self.kinesis.describe_stream(StreamName=self.stream)["StreamDescription"]["StreamARN"]

    def _dead_letter(self, lambda_input: dict) -> None:
        if "detail-type" in lambda_input:
            self.sqs.send_message(QueueUrl=self.events, MessageBody=json.dumps(lambda_input))
            return
        put = [
            self.kinesis.put_record(
                StreamName=self.stream,
                Data=base64.b64decode(record["kinesis"]["data"]),
                PartitionKey=record["kinesis"]["partitionKey"],
            )
            for record in lambda_input["Records"]
        ]
        info = {
            "shardId": put[0]["ShardId"],
            "startSequenceNumber": put[0]["SequenceNumber"],
            "endSequenceNumber": put[-1]["SequenceNumber"],
            "batchSize": len(put),
            "streamArn": self.arn,
        }
        self.sqs.send_message(QueueUrl=self.failures, MessageBody=json.dumps({"KinesisBatchInfo": info}))

    def redrive(self) -> None:
        for _number, lambda_input in self.replayer.dead_letters[self.drained :]:
            self._dead_letter(lambda_input)
        self.drained = len(self.replayer.dead_letters)
        for _round in range(self.ROUNDS):
            stats = redrive(
                [self.events, self.failures], self.sqs, self.kinesis, _deployed_replayer(), visibility_seconds=0
            )
            self.redriven += stats.redriven
            if stats.ok:
                return
        self.problems += stats.problems


def run_through(lines, home, monkeypatch, faults: Faults | None, first_day: date = DAY, days: int = 2) -> dict:
    """One replay of the traffic, then `days` of callback dispatching from `first_day`, in a fresh
    embedded DynamoDB; what the run ended with (bench/faults_month.py runs it over a month)."""
    monkeypatch.setenv("CALLCENTER_HOME", str(home))
    _closures_read_once(monkeypatch)
    session = _thread_session()
    with mock_aws():
        _fresh_tables()
        if faults:
            faults.install(session)
            for model in all_models():
                model._connection = None  # new clients carry the fault hooks
        try:
            # The attempts the deployment makes (infra/retries.py), then what AWS gave up on is
            # redriven from the dead-letter and failure queues, as the operator does on the alarm.
            replayer = _deployed_replayer()
            for number, line in enumerate(lines, 1):
                replayer.replay_input(number, line)
            operator = _Operator(replayer)
            operator.redrive()
            # The dispatcher runs every 2 minutes, as deployed; a failed run is left to the next one.
            # Its calls' trace records fail like any other; the alarm brings the operator within minutes.
            if faults:
                monkeypatch.setattr("cli.embedded.connect.SimulatedConnect", FaultyConnect.of(faults))
            dispatched = run_dispatcher(
                lambda line: replayer.replay_input(0, line),
                first_day,
                days,
                seed=3,
                retries=30,
                every=SCHEDULE,
                on_cycle=operator.redrive,
            )
            if faults:
                faults.enabled = False
            state = {
                "contacts": {c.contact_id: sorted(c.facts) for c in ContactItem.scan()},
                "callbacks": {
                    c.callback_id: tuple(getattr(c, name) for name in CALLBACK_FIELDS) for c in CallbackItem.scan()
                },
                "closed": {
                    c.callback_id: (c.status, c.closed_at, c.sla_due_at, c.overdue) for c in CallbackItem.scan()
                },
                "report": build_report(first_day.strftime("%Y-%m")),
                "placed": dispatched.placed,
                "records": {c.contact_id: _record_view(c) for c in ContactItem.scan()},
                "dead_letters": len(replayer.dead_letters),
                "redriven": operator.redriven,
                "failed_flows": set(replayer.failed_flows),
                # Dead letters are redriven and flow failures accounted for below; anything else is a problem.
                "problems": [p for p in replayer.stats.problems if not _accounted(p)] + operator.problems,
            }
        finally:
            if faults:
                faults.uninstall(session)
            for model in all_models():
                model._connection = None
    return state


@pytest.mark.parametrize("rate", [0.12])
def test_a_day_replayed_through_failing_dynamodb_and_connect_ends_as_without_faults(tmp_path, monkeypatch, rate):
    sim = simulate(DAY, 1, seed=31, calls_per_hour=12, agents=2)
    lines = deliver(sim, seed=31, duplicate_rate=0.1, shuffle=True).lines
    clean = run_through(lines, tmp_path / "clean", monkeypatch, None)
    # The dispatcher places a dozen calls in the day: a higher rate makes sure Connect fails too.
    faults = Faults(rate=rate, seed=int(rate * 100), service_rates={"connect": 0.4})
    faulty = run_through(lines, tmp_path / "faulty", monkeypatch, faults)
    assert sum(faults.injected.values()) > 50, faults.injected  # the faults really happened …
    assert_same_outcome(clean, faulty, faults)


def _unlooked(fact: str) -> str:
    data = json.loads(fact)
    data.pop("open_callback_seen", None)
    return json.dumps(data, sort_keys=True)


def assert_same_outcome(clean: dict, faulty: dict, faults: Faults) -> None:
    """The faulty run ended as the clean one did, but for the differences named here."""
    assert {k.split(":")[1] for k in faults.injected} == {"before", "after"}
    assert faults.injected["Connect:before"] and faults.injected["Connect:after"], faults.injected
    assert clean["problems"] == faulty["problems"] == []  # … AWS's redelivery and the redrive absorbed them
    assert faulty["dead_letters"] > 0 and faulty["failed_flows"]  # (the numbers are AWS's, not generous)
    assert faulty["redriven"] == faulty["dead_letters"]  # each by `callcenter redrive`, from its queue
    # A contact-flow invocation is never retried by Connect: when its write failed, that one fact is
    # missing. Nothing else may be, and the flow's facts reach us again in the contact's trace record,
    # so what the report and the callbacks read of each contact is the same.
    # A throttled Connect places a callback a cycle or two later: the call's times and the callback's
    # next due time move, nothing else (its attempts, outcome and status are the same).
    calls = {cid for cid, record in clean["records"].items() if record["initiation_method"] == "API"}
    for contact_id, clean_facts in clean["contacts"].items():
        if contact_id in calls:
            continue
        # What the flow saw of the caller is ours, not Connect's: a failed look stores its fact without it.
        facts = [_unlooked(f) for f in clean_facts]
        stored = [_unlooked(f) for f in faulty["contacts"].get(contact_id, [])]
        missing = set(facts) - set(stored)
        assert set(stored) <= set(facts)
        assert all(json.loads(f)["source"] == "flow" for f in missing), contact_id
        assert not missing or contact_id in faulty["failed_flows"]
    assert _untimed(faulty["records"]) == _untimed(clean["records"])
    assert {k: r for k, r in faulty["records"].items() if k not in calls} == {
        k: r for k, r in clean["records"].items() if k not in calls
    }
    assert all(faulty["records"][c]["initiated_at"] >= clean["records"][c]["initiated_at"] for c in calls)
    assert _undue(faulty["callbacks"]) == _undue(clean["callbacks"])
    assert faulty["placed"] == clean["placed"]  # no call placed twice
    for key in ("contacts", "calls", "out_of_scope", "by_category", "agents_time"):
        assert faulty["report"][key] == clean["report"][key], key
    assert clean["report"]["agents_time"] is not None  # the day's agent events went through the faults too
    # A delayed call may close its callback after the deadline, never before it: the one count a
    # delay moves is how many were done in time (and so marked overdue), each by a later close.
    in_time = {name: _in_time(run["closed"]) for name, run in (("clean", clean), ("faulty", faulty))}
    moved = in_time["clean"] - in_time["faulty"]
    assert in_time["faulty"] <= in_time["clean"]
    assert all(faulty["closed"][cid][1] > clean["closed"][cid][1] for cid in moved), moved
    for run, name in ((clean, "clean"), (faulty, "faulty")):
        assert run["report"]["callbacks"]["completed_within_sla"] == len(in_time[name])
    overdue = {
        name: {cid for cid, c in run["closed"].items() if c[3]} for name, run in (("clean", clean), ("faulty", faulty))
    }
    assert overdue["clean"] <= overdue["faulty"]
    later = overdue["faulty"] - overdue["clean"]
    assert all((faulty["closed"][cid][1] or "~") > (clean["closed"][cid][1] or "~") for cid in later), later
    timing = ("completed_within_sla", "overdue")
    assert _counts(faulty["report"]["callbacks"], timing) == _counts(clean["report"]["callbacks"], timing)


def test_an_attempt_whose_link_was_lost_is_resumed_with_the_same_token(aws, tmp_path, monkeypatch):
    from datetime import UTC, datetime, timedelta

    from chalicelib.callbacks import dispatcher
    from chalicelib.callbacks.rules import Status
    from chalicelib.callbacks.store import dispatch_key, get_callback
    from cli.embedded.connect import SimulatedConnect

    monkeypatch.setenv("CALLCENTER_HOME", str(tmp_path))
    now = datetime(2026, 10, 14, 8, 0, tzinfo=UTC)  # 11:00 in Istanbul
    due = "2026-10-14T07:50:00.000Z"
    CallbackItem(
        "cb-lost",
        source_contact_id="c-lost",
        reason="abandoned",
        status=Status.PENDING,
        caller="+905321234567",
        raised_at="2026-10-14T07:45:00.000Z",
        raised_month="2026-10",
        created_at="2026-10-14T07:45:01.000Z",
        due_at=due,
        dispatch_key=dispatch_key("abandoned", due),
        sla_due_at="2026-10-15T07:45:00.000Z",
    ).save()
    connect = SimulatedConnect(now=lambda: now)
    real = dispatcher._remember_attempt
    monkeypatch.setattr(dispatcher, "_remember_attempt", lambda *a, **k: (_ for _ in ()).throw(TimeoutError("lost")))
    first = dispatcher.dispatch(now, connect, sleep=lambda _s: None)
    assert (first.placed, first.errors) == (0, 1) and len(connect.placements()) == 1
    stuck = get_callback("cb-lost")
    assert stuck.status == Status.DIALING and stuck.attempt_contact_id is None

    monkeypatch.setattr(dispatcher, "_remember_attempt", real)
    assert dispatcher.dispatch(now + timedelta(minutes=5), connect, sleep=lambda _s: None).resumed == 0  # not yet
    later = dispatcher.dispatch(now + timedelta(minutes=11), connect, sleep=lambda _s: None)
    assert later.resumed == 1 and len(connect.placements()) == 1  # same ClientToken: nobody rung twice
    resumed = get_callback("cb-lost")
    assert resumed.status == Status.DIALING and resumed.attempts == 1
    assert resumed.attempt_contact_id == connect.placements()[0]["contact_id"]


# --- referrals and their e-mails ---------------------------------------------------------------------------


def _undated(mails: list[tuple[str, str]]) -> list[tuple[str, str]]:
    return sorted((to, re.sub(r"\d\d\.\d\d\.\d{4} \d\d:\d\d", "<deadline>", subject)) for to, subject in mails)


def _mailed(reference: str) -> bool:
    """Whether the embedded SES has sent an e-mail about this referral."""
    backend = ses_backends[DEFAULT_ACCOUNT_ID][settings().region]
    return any(
        reference in str(message_from_string(m.raw_data, policy=policy.default)["Subject"])
        for m in backend.sent_messages
    )


def _until_done(step, tries: int = 40):
    """What AWS and people do with a failed step: the Lambda retry, the next schedule, the agent's or
    unit's second click. A conflict means an earlier try did land."""
    from chalicelib.callbacks.store import CallbackConflict
    from chalicelib.referrals.store import ReferralConflict

    for attempt in range(tries):
        try:
            return step()
        except (ReferralConflict, CallbackConflict):
            return None
        except Exception:
            if attempt == tries - 1:
                raise
    return None


def _referral_run(home, monkeypatch, faults: Faults | None) -> dict:
    import json as json_module
    from datetime import UTC, datetime, timedelta
    from pathlib import Path

    import boto3

    from chalicelib.adapters.connect import set_connect
    from chalicelib.adapters.mail import set_notifier
    from chalicelib.referrals import agents_side, store, unit_side, units
    from chalicelib.referrals.agenda import run_agenda
    from chalicelib.referrals.mailing import reply_link
    from chalicelib.referrals.store import ReferralItem
    from cli.embedded.connect import SimulatedConnect
    from cli.simulator import shapes as shapes

    monkeypatch.setenv("CALLCENTER_HOME", str(home))
    _closures_read_once(monkeypatch)
    t0 = datetime(2026, 10, 13, 7, 0, tzinfo=UTC)  # Tuesday 10:00 Istanbul
    session = _thread_session()
    seed = Path(__file__).resolve().parents[2] / "data" / "units.json"
    with mock_aws():
        _fresh_tables()
        boto3.client("ses", region_name=settings().region).verify_email_identity(EmailAddress=settings().sender_address)
        units.seed_units(units.parse_seed(seed.read_text(encoding="utf-8")), by="test")
        connect = SimulatedConnect(now=lambda: t0)
        set_connect(connect)
        set_notifier(None)
        boto3.setup_default_session()
        ses_session = boto3.DEFAULT_SESSION._session
        if faults:
            faults.install(session)
            faults.install(ses_session)
            for model in all_models():
                model._connection = None
        try:
            replayer = _deployed_replayer()
            for i, number in enumerate(("+905321234567", "+905331234567", "+905341234567")):
                # The flow may fail to write (Connect does not retry it); the contact event is retried.
                replayer.replay_input(i, shapes.flow_invocation(f"call-{i}", customer_number=number))
                replayer.replay_input(i, shapes.contact_event("INITIATED", f"call-{i}"))
            for number, line in replayer.dead_letters:
                _deployed_replayer().replay_input(number, line)
            asks = [("call-0", "ogrenci-isleri"), ("call-1", "bilgi-islem"), ("call-2", "mali-isler")]
            ids = []
            for contact_id, unit_id in asks:
                request = agents_side.NewReferral(contact_id, unit_id, "Soru metni burada.", "bilgi", "VOICE")
                ids.append(_until_done(lambda r=request: agents_side.create(r, "ayse", t0))[0].referral_id)
            # From hour 2 the first unit answers and the second forwards, each once its e-mail (and
            # so its link) has reached it; from hour 4 the agent returns the answer once it is there.
            pending = {0: "answer", 1: "forward"}
            returned = False
            for hour in range(1, 60):
                now = t0 + timedelta(hours=hour)
                for k, step in list(pending.items()) if hour >= 2 else ():
                    item = _until_done(lambda i=ids[k]: store.get_referral(i))
                    if not _mailed(item.reference):
                        continue
                    token = reply_link(item, 0, settings()).rsplit("/", 1)[1]
                    if step == "answer":
                        _until_done(lambda t=token, n=now: unit_side.answer(t, "Yanıt.", None, n))
                    else:
                        _until_done(lambda t=token, n=now: unit_side.forward(t, "personel", None, n))
                    del pending[k]
                if hour >= 4 and not returned and 0 not in pending:
                    _until_done(lambda n=now: agents_side.claim(ids[0], "ayse", n))
                    _until_done(lambda n=now: agents_side.return_answer(ids[0], "ayse", "resolved", None, n))
                    returned = True
                _until_done(lambda n=now: run_agenda(n, connect=connect))
            if faults:
                faults.enabled = False
            backend = ses_backends[DEFAULT_ACCOUNT_ID][settings().region]
            mails = sorted(
                (str(m["To"]), m["Subject"].split("] ", 1)[1])
                for m in (message_from_string(raw.raw_data, policy=policy.default) for raw in backend.sent_messages)
            )
            state = {
                item.unit_id: (
                    item.status,
                    bool(item.reminded_at),
                    bool(item.escalated_at),
                    item.answer,
                    item.outcome,
                    bool(item.task_contact_id),
                    json_module.dumps(sorted(item.mail_claims or {})),
                )
                for item in ReferralItem.scan()
                if not item.referral_id.startswith("counter#")
            }
            references = sorted(i.reference for i in ReferralItem.scan() if not i.referral_id.startswith("counter#"))
            tasks = len([p for p in connect.placements() if p.get("mode") == "referral_task"])
        finally:
            if faults:
                faults.uninstall(session)
                faults.uninstall(ses_session)
            set_connect(None)
            set_notifier(None)
            for model in all_models():
                model._connection = None
    return {"state": state, "mails": mails, "references": references, "tasks": tasks}


def test_referrals_and_their_emails_survive_failing_dynamodb_and_ses(tmp_path, monkeypatch):
    clean = _referral_run(tmp_path / "clean", monkeypatch, None)
    # SES sends a dozen e-mails here: a higher rate makes sure sending fails too.
    faults = Faults(rate=0.15, seed=4, services=("dynamodb", "ses"), service_rates={"ses": 0.35})
    faulty = _referral_run(tmp_path / "faulty", monkeypatch, faults)
    assert sum(faults.injected.values()) > 20, faults.injected
    assert any(k.startswith("SendRawEmail") for k in faults.injected), faults.injected
    assert faulty["state"] == clean["state"]
    # Every e-mail once: none lost, none twice. A unit whose e-mail came an hour late (its first send
    # failed) acts an hour late, so a deadline in a later subject may be an hour later.
    assert _undated(faulty["mails"]) == _undated(clean["mails"])
    assert faulty["tasks"] == clean["tasks"] == 1
    # A counter increment whose answer was lost leaves a gap; references stay unique.
    assert len(set(faulty["references"])) == len(faulty["references"]) == 4
    # The clean run is the story: answered and returned, forwarded, and two still with their units
    # after reminders and escalation.
    assert {unit: s[:3] for unit, s in clean["state"].items()} == {
        "ogrenci-isleri": ("CLOSED", False, False),
        "bilgi-islem": ("FORWARDED", False, False),
        "personel": ("SENT", True, True),
        "mali-isler": ("SENT", True, True),
    }
