"""The simulated Amazon Connect of the embedded AWS and the demo (moto has no Connect contact APIs).

Implements `chalicelib.connect.ConnectPort`: each placement is kept in memory and appended as one
JSON line to `$CALLCENTER_HOME/connect-placements.jsonl`, so later commands can read it back.
Idempotent like Connect's ClientToken: the ContactId is derived from the token, and a token seen
before (in this process or in the file) returns the same ContactId without a second record.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from chalicelib.connect import CallbackPlacement, ConnectUnavailable, ReferralTask
from cli.embedded import home

_NAMESPACE = uuid.uuid5(uuid.NAMESPACE_URL, "urn:cagri:simulated-connect")


def placements_path() -> Path:
    return home() / "connect-placements.jsonl"


def contact_id_for(client_token: str) -> str:
    return str(uuid.uuid5(_NAMESPACE, client_token))


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
                return record["contact_id"]
        record = {
            **fields,
            "client_token": token,
            "contact_id": contact_id_for(token),
            "placed_at": self._now().isoformat(),
        }
        self._records.append(record)
        path = placements_path()
        path.parent.mkdir(parents=True, exist_ok=True)
        with path.open("a", encoding="utf-8") as out:
            out.write(json.dumps(record, ensure_ascii=False) + "\n")
        return record["contact_id"]
