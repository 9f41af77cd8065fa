"""The report's core figures, against docs/figures.md's definitions, on hand-built records."""

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from chalicelib.contacts.facts import Fact
from chalicelib.contacts.merge import merge
from chalicelib.core.times import iso, month_bounds
from chalicelib.reports.figures import contact_month, core_figures

T0 = datetime(2026, 10, 14, 7, 0, tzinfo=UTC)


def call(
    cid: str,
    *,
    queue: float | None = None,
    agent: bool = False,
    reason: str | None = "CUSTOMER_DISCONNECT",
    aht: tuple[float, float, float] | None = None,
    channel: str = "VOICE",
    method: str = "INBOUND",
    category: str | None = None,
    ctr: bool = True,
    subtype: str | None = None,
):
    end = 10 + (queue or 0) + (200 if agent else 0)
    fields = {
        "channel": channel,
        "initiation_method": method,
        "initiated_at": iso(T0),
        "disconnected_at": iso(T0 + timedelta(seconds=end)),
        "category": category,
        "subtype": subtype,
    }
    if queue is not None:
        fields["enqueued_at"] = iso(T0 + timedelta(seconds=10))
        if ctr:
            fields["queue_seconds"] = queue
    if agent:
        fields["connected_to_agent_at"] = iso(T0 + timedelta(seconds=10 + (queue or 0)))
    if aht:
        fields["interaction_seconds"], fields["hold_seconds"], fields["acw_seconds"] = aht
    if ctr:
        return merge(
            cid,
            [Fact(contact_id=cid, source="ctr", at=iso(T0 + timedelta(hours=1)), disconnect_reason=reason, **fields)],
        )
    return merge(cid, [Fact(contact_id=cid, source="event:DISCONNECTED", at=iso(T0), **fields)])


def test_contract_figures():
    records = [
        call("a1", queue=10, agent=True, aht=(100, 20, 30), category="bilgi", reason="AGENT_DISCONNECT"),
        call("a2", queue=25, agent=True, aht=(200, 0, 10), category="şikayet"),
        call("a3", queue=3, agent=True, ctr=False),  # events only: no handle time
        call("l1", queue=4, category="kapsam_dışı"),  # short abandon
        call("l2", queue=60),
        call("l3", queue=7.5, ctr=False),  # events only, no reason: abandoned
        call("s1", queue=30, reason="TELECOM_PROBLEM"),
        call("s2", queue=2, agent=True, aht=(50, 0, 0), reason="TELECOM_PROBLEM"),
        call("x1", queue=40, reason="CONTACT_FLOW_DISCONNECT"),
        call("ivr", category="kapsam_dışı"),
        call("chat", channel="CHAT", queue=5, agent=True, category="bilgi"),
        call("out", method="OUTBOUND", agent=True),
    ]
    f = core_figures(records)
    assert f["contacts"] == {
        "total": 12,
        "by_channel": {"CHAT": 1, "VOICE": 11},
        "by_initiation_method": {"INBOUND": 11, "OUTBOUND": 1},
        "by_subtype": {},
    }
    c = f["calls"]
    assert (c["inbound"], c["queued"], c["answered"], c["abandoned"]) == (10, 9, 4, 3)
    assert (c["short_abandoned"], c["system_dropped"], c["queue_exits_other"]) == (1, 2, 1)
    assert c["abandon_rate"] == 3 / 9
    assert c["service_level"] == 3 / 9  # a1 (10 s), a3 (3 s), s2 (2 s) within 20 s; a2 waited 25 s
    assert c["asa_seconds"] == round((10 + 25 + 3 + 2) / 4, 1)
    assert c["avg_abandon_seconds"] == round((4 + 60 + 7.5) / 3, 1)
    assert c["aht_seconds"] == round((150 + 210 + 50) / 3, 1)
    assert f["by_category"] == {"bilgi": 2, "kapsam_dışı": 2, "unclassified": 6, "şikayet": 1}
    assert f["out_of_scope"] == 2


def test_values_aws_adds_are_counted_under_their_own_names():
    """Only VOICE + INBOUND is a call: a new method on a voice contact, or a new channel, is a contact."""
    records = [
        call("new-channel", channel="EMAIL_V2", queue=5, agent=True),
        call("new-method", method="CUSTOMER_FIRST_CALLBACK", queue=5, agent=True),
        call("sms", channel="CHAT", subtype="connect:SMS", queue=5, agent=True),
        call("new-reason", queue=30, reason="CALLER_WENT_TO_VOICEMAIL"),  # queued, no agent: a queue exit
        call("answered", queue=5, agent=True, subtype="connect:Telephony"),
    ]
    f = core_figures(records)
    assert f["contacts"] == {
        "total": 5,
        "by_channel": {"CHAT": 1, "EMAIL_V2": 1, "VOICE": 3},
        "by_initiation_method": {"CUSTOMER_FIRST_CALLBACK": 1, "INBOUND": 4},
        "by_subtype": {"connect:SMS": 1, "connect:Telephony": 1},
    }
    c = f["calls"]
    assert (c["inbound"], c["queued"], c["answered"], c["abandoned"], c["queue_exits_other"]) == (2, 2, 1, 0, 1)


def test_averages_over_nothing_are_null():
    c = core_figures([call("ivr")])["calls"]
    assert c["abandon_rate"] is None and c["service_level"] is None
    assert c["asa_seconds"] is None and c["avg_abandon_seconds"] is None and c["aht_seconds"] is None


def test_month_is_istanbul_local():
    zone = ZoneInfo("Europe/Istanbul")
    late = merge("m", [Fact(contact_id="m", source="ctr", initiated_at="2026-09-30T21:30:00.000Z")])
    assert contact_month(late, zone) == "2026-10"  # 00:30 on 1 Ekim in Istanbul
    assert month_bounds("2026-12") == (datetime(2026, 12, 1).date(), datetime(2026, 12, 31).date())
    assert month_bounds("2027-02")[1].day == 28
