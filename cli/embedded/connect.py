"""The simulated Amazon Connect of the embedded AWS and the demo (moto has no Connect contact or user APIs).

Three twins: `SimulatedConnect` (contacts, below), `SimulatedConnectUsers` (agent accounts) and
`SimulatedConnectHours` (the hours of operation's overrides: declared closures), at the end.

Implements `chalicelib.adapters.connect.ConnectPort`: each placement is kept in memory and appended as one
JSON line to `$CALLCENTER_HOME/connect-placements.jsonl`, so later commands can read it back.
Idempotent like Connect's ClientToken: the ContactId is derived from the token, and a token seen
before (in this process or in the file) returns the same ContactId without a second record.

Its historical figures (GetMetricDataV2) are computed from the same inputs the report reads, the
contact records in the embedded AWS, under Connect's own definitions (`simulated_history`): so the
demo's report sets real, explainable differences beside its own figures.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Callable, Iterable
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from chalicelib.adapters.connect import (
    AgentsNow,
    CallbackPlacement,
    ConnectDuplicate,
    ConnectNotFound,
    ConnectRefused,
    ConnectUnavailable,
    HistoricalFigures,
    MetricsRequest,
    ReferralTask,
)
from chalicelib.adapters.connect_hours import HoursOverride
from chalicelib.adapters.connect_users import ConnectUser, NewConnectUser
from chalicelib.contacts.merge import ContactRecord
from cli.embedded.aws import SIMULATED_CONNECT_FILES, home

_NAMESPACE = uuid.uuid5(uuid.NAMESPACE_URL, "urn:cagri:simulated-connect")


def placements_path() -> Path:
    return home() / SIMULATED_CONNECT_FILES[0]


def contact_id_for(client_token: str) -> str:
    return str(uuid.uuid5(_NAMESPACE, client_token))


def _read_json(path: Path) -> dict[str, dict[str, Any]]:
    return json.loads(path.read_text()) if path.exists() else {}


def _write_json(path: Path, records: dict[str, dict[str, Any]]) -> None:
    """Replaced whole (write, then rename), so a reader in another process never sees half a file."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".tmp")
    tmp.write_text(json.dumps(records, ensure_ascii=False, indent=2) + "\n")
    tmp.replace(path)


class SimulatedConnect:
    def __init__(self, now: Callable[[], datetime] = lambda: datetime.now(UTC)) -> None:
        self._now = now
        self._records: list[dict[str, Any]] = []
        self._failures: list[Exception | type[Exception]] = []

    def fail_next(self, n: int = 1, exc: Exception | type[Exception] = ConnectUnavailable) -> None:
        """The next `n` placements raise `exc` (an instance, or a class instantiated per failure)."""
        self._failures.extend([exc] * n)

    def placements(self) -> list[dict[str, Any]]:
        """Every placement recorded so far, the file's (all processes') when there is one."""
        path = placements_path()
        if path.exists():
            self._records = [json.loads(line) for line in path.read_text().splitlines() if line.strip()]
        return list(self._records)

    def start_outbound_call(self, placement: CallbackPlacement) -> str:
        return self._place("call", placement)

    def start_task(self, placement: CallbackPlacement) -> str:
        return self._place("task", placement)

    def start_referral_task(self, task: ReferralTask) -> str:
        return self._record(
            f"referral task for {task.referral_id}",
            task.client_token,
            {"referral_id": task.referral_id, "reference": task.reference, "mode": "referral_task"},
        )

    def update_contact_attributes(self, initial_contact_id: str, attributes: dict[str, str]) -> None:
        """Recorded like a placement (one line per change), so a test or an operator can see what was set."""
        token = f"attributes-{initial_contact_id}-" + ",".join(f"{k}={v}" for k, v in sorted(attributes.items()))
        self._record(
            f"attributes of contact {initial_contact_id}",
            token,
            {"mode": "contact_attributes", "initial_contact_id": initial_contact_id, "attributes": dict(attributes)},
        )

    def agents_now(self, at: datetime) -> AgentsNow | None:
        """Amazon Connect's real-time view: the simulated Connect has none (nobody is logged in to it), so the
        live service reads who was online and available from the agent event stream's records, as it does
        in AWS for any moment but now."""
        return None

    def historical_figures(self, request: MetricsRequest) -> HistoricalFigures:
        """GetMetricDataV2, simulated from the contact records the embedded AWS holds. Unlike Connect it
        keeps every month (the demo's are in the future) and has no clock to stop at."""
        from chalicelib.contacts.merge import merge
        from chalicelib.contacts.store import contacts_initiated_between

        zone = ZoneInfo(request.timezone)
        # A contact counts where it ended; a voice contact begun the day before the period may end in it.
        first = (request.start.astimezone(zone) - timedelta(days=1)).date()
        last = request.end.astimezone(zone).date()
        items = contacts_initiated_between(first, last)
        return simulated_history((merge(i.contact_id, i.fact_list(), i.first_seen_at) for i in items), request)

    def attributes_of(self, initial_contact_id: str) -> dict[str, str]:
        """What the simulated Connect holds for a contact: the latest value of each attribute set."""
        held: dict[str, str] = {}
        for record in self.placements():
            if record.get("mode") == "contact_attributes" and record["initial_contact_id"] == initial_contact_id:
                held.update(record["attributes"])
        return held

    def _place(self, mode: str, placement: CallbackPlacement) -> str:
        fields = {
            "callback_id": placement.callback_id,
            "attempt": placement.attempt,
            "mode": mode,
            "reason": placement.reason,
            "destination": placement.destination,
        }
        return self._record(f"{mode} for callback {placement.callback_id}", placement.client_token, fields)

    def _record(self, what: str, token: str, fields: dict[str, Any]) -> str:
        if self._failures:
            exc = self._failures.pop(0)
            raise exc(f"simulated: {what}") if isinstance(exc, type) else exc
        for record in self.placements():
            if record["client_token"] == token:
                return str(record["contact_id"])
        contact_id = contact_id_for(token)
        record = {
            **fields,
            "client_token": token,
            "contact_id": contact_id,
            "placed_at": self._now().isoformat(),
        }
        self._records.append(record)
        path = placements_path()
        path.parent.mkdir(parents=True, exist_ok=True)
        with path.open("a", encoding="utf-8") as out:
            out.write(json.dumps(record, ensure_ascii=False) + "\n")
        return contact_id


def simulated_history(records: Iterable[ContactRecord], request: MetricsRequest) -> HistoricalFigures:
    """What GetMetricDataV2 would answer for these contact records: each counted as Connect counts it
    (`reconciliation.connect_counts`: every voice contact in a queue, filed by its disconnect), summed over
    one TOTAL interval; every queue the records name is one of the instance's standard queues."""
    from chalicelib.reports.reconciliation import connect_counts

    queued = handled = abandoned = within = handle_count = 0
    handle_total = 0.0
    queues: set[str] = set()
    for record in records:
        counted = connect_counts(record, request.start, request.end, request.threshold_seconds)
        if record.queue_arn:
            queues.add(record.queue_arn)
        queued += counted.queued
        handled += counted.handled
        abandoned += counted.abandoned
        within += counted.within
        if counted.handle is not None:
            handle_total += counted.handle
            handle_count += 1
    return HistoricalFigures(
        queued=queued,
        handled=handled,
        abandoned=abandoned,
        service_level=within / queued if queued else None,
        aht_seconds=handle_total / handle_count if handle_count else None,
        source="simulated",
        queues=len(queues),
    )


# ---------------------------------------------------------------- users (agent accounts)


def users_path() -> Path:
    return home() / SIMULATED_CONNECT_FILES[1]


class SimulatedConnectUsers:
    """The embedded AWS's twin of `chalicelib.adapters.connect_users.ConnectUsersPort`.

    Users live in `$CALLCENTER_HOME/connect-users.json` (id, ARN, username, routing and security
    profiles), so later commands see them. Like Connect it refuses a taken username and a
    password outside the policy, and it never writes the password or the names anywhere.
    """

    def __init__(self, instance_id: str = "00000000-0000-0000-0000-000000000000", status: str = "ACTIVE") -> None:
        self._instance_id = instance_id
        self._status = status
        self._failures: list[Exception] = []

    def fail_next(self, exc: Exception) -> None:
        self._failures.append(exc)

    def users(self) -> dict[str, dict[str, Any]]:
        return _read_json(users_path())

    def _save(self, users: dict[str, dict[str, Any]]) -> None:
        _write_json(users_path(), users)

    def _maybe_fail(self) -> None:
        if self._failures:
            raise self._failures.pop(0)

    def create_user(self, user: NewConnectUser) -> ConnectUser:
        from chalicelib.accounts.rules import meets_password_policy

        self._maybe_fail()
        users = self.users()
        if any(record["username"] == user.username for record in users.values()):
            raise ConnectDuplicate("simulated: CreateUser: DuplicateResourceException")
        if not meets_password_policy(user.password):
            raise ConnectRefused("simulated: CreateUser: InvalidParameterException (Password)")
        user_id = str(uuid.uuid5(_NAMESPACE, f"user:{user.username}"))
        arn = f"arn:aws:connect:eu-central-1:000000000000:instance/{self._instance_id}/agent/{user_id}"
        users[user_id] = {
            "username": user.username,
            "arn": arn,
            "routing_profile_id": user.routing_profile_id,
            "security_profile_ids": list(user.security_profile_ids),
            "phone_type": "SOFT_PHONE",
        }
        self._save(users)
        return ConnectUser(user_id=user_id, user_arn=arn)

    def set_routing_profile(self, user_id: str, routing_profile_id: str) -> None:
        self._maybe_fail()
        users = self.users()
        if user_id not in users:
            raise ConnectNotFound(f"simulated: UpdateUserRoutingProfile {user_id}: ResourceNotFoundException")
        users[user_id]["routing_profile_id"] = routing_profile_id
        self._save(users)

    def delete_user(self, user_id: str) -> None:
        self._maybe_fail()
        users = self.users()
        if user_id not in users:
            raise ConnectNotFound(f"simulated: DeleteUser {user_id}: ResourceNotFoundException")
        del users[user_id]
        self._save(users)

    def instance_status(self) -> str:
        self._maybe_fail()
        return self._status


# ---------------------------------------------------------------- hours of operation (declared closures)


def hours_path() -> Path:
    return home() / SIMULATED_CONNECT_FILES[2]


class SimulatedConnectHours:
    """The embedded AWS's twin of `chalicelib.adapters.connect_hours.ConnectHoursPort`.

    Overrides live in `$CALLCENTER_HOME/connect-hours.json` (id → name, day, description, open hours),
    so later commands and tests see what Connect would hold. A second override of the same name is
    answered with the one there, and a delete of one that is gone is no error: as the adapter does.
    """

    def __init__(self) -> None:
        self._failures: list[Exception] = []

    def fail_next(self, exc: Exception) -> None:
        self._failures.append(exc)

    def _maybe_fail(self) -> None:
        if self._failures:
            raise self._failures.pop(0)

    def overrides(self) -> dict[str, dict[str, Any]]:
        return _read_json(hours_path())

    def _save(self, overrides: dict[str, dict[str, Any]]) -> None:
        _write_json(hours_path(), overrides)

    def create_override(self, override: HoursOverride) -> str:
        self._maybe_fail()
        overrides = self.overrides()
        for override_id, held in overrides.items():
            if held["name"] == override.name:
                return override_id
        override_id = str(uuid.uuid5(_NAMESPACE, f"hours-override:{override.name}"))
        hours = (
            []
            if override.open_from is None or override.open_until is None
            else [{"from": override.open_from.strftime("%H:%M"), "until": override.open_until.strftime("%H:%M")}]
        )
        overrides[override_id] = {
            "name": override.name,
            "day": override.day.isoformat(),
            "description": override.reason,
            "open": hours,
        }
        self._save(overrides)
        return override_id

    def delete_override(self, day: date, override_id: str | None) -> None:
        self._maybe_fail()
        overrides = self.overrides()
        for found in [override_id] if override_id else [i for i, o in overrides.items() if o["day"] == day.isoformat()]:
            overrides.pop(found, None)
        self._save(overrides)
