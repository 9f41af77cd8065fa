"""A Kinesis record's data as the JSON its producer wrote: what Amazon Connect puts on its streams
(contact trace records, agent events) is base64 of UTF-8 JSON; anything else is rejected, named."""

from __future__ import annotations

import base64
import binascii
import json
from typing import Any

from chalicelib.contacts.rejections import InputRejected


def decode_json(data: Any, what: str) -> Any:
    """The decoded JSON, or InputRejected saying which step failed (`what`: the record's kind, for the reason)."""
    try:
        text = base64.b64decode(str(data), validate=True).decode("utf-8")
    except (binascii.Error, ValueError, TypeError):
        raise InputRejected(f"{what}: data is not base64-encoded UTF-8") from None
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise InputRejected(f"{what}: data is not JSON ({exc.msg} at character {exc.pos})") from None
