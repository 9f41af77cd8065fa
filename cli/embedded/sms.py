"""The embedded AWS's SMS: a twin of AWS End User Messaging SMS, which moto does not implement.

Implements `chalicelib.adapters.sms.SmsSender`. Each message sent is appended as one JSON line to
`$CALLCENTER_HOME/sms-outbox.jsonl` (every process of the CLI, the local API and the demo's replay
workers write to the same file), which `callcenter local outbox` lists beside the SES e-mails. Like the
real service it refuses what `SendTextMessage` would (a destination that is not E.164, an empty or
over-long body, a number that opted out); it delivers nothing. Started afresh with each embedded AWS.
"""

from __future__ import annotations

import json
import re
import uuid
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from chalicelib.adapters.sms import OutgoingSms, SmsRefused, segments
from cli.embedded.aws import SIMULATED_SMS_FILE, home

_E164 = re.compile(r"^\+[1-9][0-9]{6,14}$")
_BODY_MAX = 1600  # SendTextMessage's MessageBody limit


def outbox_path() -> Path:
    return home() / SIMULATED_SMS_FILE


def sent_sms() -> list[dict[str, Any]]:
    """Every text the twin sent since the embedded AWS started, in order."""
    path = outbox_path()
    if not path.exists():
        return []
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


class SimulatedSms:
    def __init__(self, origination: str = "OSTIMTEKNIK", opted_out: frozenset[str] = frozenset()) -> None:
        self._origination = origination
        self._opted_out = opted_out
        self._failures: list[Exception] = []

    def fail_next(self, error: Exception) -> None:
        self._failures.append(error)

    def send(self, sms: OutgoingSms) -> str:
        if self._failures:
            raise self._failures.pop(0)
        what = f"simulated: SendTextMessage ({sms.kind} {sms.ref})"
        if not _E164.match(sms.destination):
            raise SmsRefused(f"{what}: ValidationException (INVALID_PARAMETER)")
        if not sms.body.strip() or len(sms.body) > _BODY_MAX:
            raise SmsRefused(f"{what}: ValidationException (MAXIMUM_SIZE_EXCEEDED)")
        if sms.destination in self._opted_out:
            raise SmsRefused(f"{what}: ConflictException (DESTINATION_PHONE_NUMBER_OPTED_OUT)")
        sms_id = str(uuid.uuid4())
        record = {
            "id": sms_id,
            "kind": sms.kind,
            "ref": sms.ref,
            "origination": self._origination,
            "destination": sms.destination,
            "body": sms.body,
            "segments": segments(sms.body),
            "sent_at": datetime.now(UTC).isoformat(),
        }
        path = outbox_path()
        path.parent.mkdir(parents=True, exist_ok=True)
        with path.open("a", encoding="utf-8") as out:
            out.write(json.dumps(record, ensure_ascii=False) + "\n")  # one write per line: processes may share it
        return sms_id


def use_simulated_sms() -> None:
    """Text through the twin in this process: the embedded AWS (moto) has no End User Messaging SMS."""
    from chalicelib.adapters.sms import set_sms
    from chalicelib.core.config import settings

    set_sms(SimulatedSms(origination=settings().sms_origination_identity or "OSTIMTEKNIK"))


def outbox_entries() -> list[dict[str, Any]]:
    """The texts in `callcenter local outbox --format json`: shaped like its e-mails (every key they have,
    so a reader of the e-mails reads past them) with `kind` "sms", the body as `text` and the details
    under `sms`."""
    return [
        {
            "id": record["id"],
            "kind": "sms",
            "source": record["origination"],
            "to": [record["destination"]],
            "cc": [],
            "bcc": [],
            "recipients": [record["destination"]],
            "subject": "",
            "text": record["body"],
            "html": None,
            "attachments": [],
            "sms": {key: record[key] for key in ("kind", "ref", "segments", "sent_at")},
        }
        for record in sent_sms()
    ]
