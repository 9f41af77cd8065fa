"""A system drop first known as a lost call (issue 19's busier demo found it): the events and the IVR's
invocation say "queued, hung up", the caller rings again and gets through — which cancels a lost call's
callback — and only then the trace record says TELECOM_PROBLEM. A system drop is always called back
(directive 6(6)), so its callback comes back as a system drop's, whatever the order of arrival."""

from __future__ import annotations

from datetime import timedelta

import pytest

from chalicelib.callbacks.rules import SYSTEM_DROP, Status, callback_id_for
from chalicelib.callbacks.store import CallbackItem
from tests.integration.test_callbacks import T0, call


@pytest.fixture(autouse=True)
def home(tmp_path, monkeypatch):
    monkeypatch.setenv("CALLCENTER_HOME", str(tmp_path))


def test_a_drop_known_late_is_called_back_though_the_caller_got_through_in_between(client):
    call(client, "dropped", T0, wait=120, flow=True, ctr=False)  # events and the IVR: a lost call, so far
    assert CallbackItem.get(callback_id_for("dropped")).status == Status.PENDING
    call(client, "later", T0 + timedelta(hours=2), answered=True, reason="AGENT_DISCONNECT")
    assert CallbackItem.get(callback_id_for("dropped")).status == Status.CANCELLED  # got through: no lost call
    call(client, "dropped", T0, wait=120, events=False, reason="TELECOM_PROBLEM")  # the trace record, late
    item = CallbackItem.get(callback_id_for("dropped"))
    assert (item.reason, item.status, item.close_reason, item.closed_at) == (SYSTEM_DROP, Status.PENDING, None, None)
    assert [c.reason for c in CallbackItem.scan() if c.source_contact_id == "dropped"] == [SYSTEM_DROP]
    call(client, "dropped", T0, wait=120, events=False, reason="TELECOM_PROBLEM")  # redelivered: the same
    assert CallbackItem.get(callback_id_for("dropped")).status == Status.PENDING
