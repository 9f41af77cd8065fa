"""Amazon Connect's vocabulary: the values it documents today, and how a value it adds tomorrow is kept.

AWS adds values (customer-first callbacks, campaign methods, new channels and subtypes), and a
rejected input is a contact missing from the records once its 30-day copy expires. So a channel,
initiation method, disconnect reason or event type not listed here is recorded as it is and counted
under its own name (docs/figures.md, "Values AWS adds"); the lists only decide what is worth a log line.

"As it is" means as Connect writes its vocabulary: one word of letters, digits, `_`, `:`, `.` or `-`,
starting with a letter, at most `MAX_LENGTH` characters (longer is cut). Anything else in one of these
fields (a number, a name, a sentence) is no value AWS added but a malformed input that may carry
personal data, and these fields outlive anonymisation and reach the e-mailed report: the contact is
recorded and counted, its value as `UNRECOGNISED`.

Values are compared after Unicode normalisation: NFKC (full-width letters, compatibility forms), then
the combining marks dropped, so `Voıce`, `ＶＯＩＣＥ` and `VOİCE` are all VOICE.
"""

from __future__ import annotations

import re
import unicodedata
from typing import Any

MAX_LENGTH = 64
UNRECOGNISED = "UNRECOGNISED"
_WORD = re.compile(r"[A-Za-z][A-Za-z0-9_:.\-]*")
_DIGIT_RUN = re.compile(r"[0-9]{5}")  # a phone number or an id typed into the field; no AWS value has one

# Documented enumerations (tests/fixtures/AWS_SHAPES.md).
CHANNELS = frozenset({"VOICE", "CHAT", "TASK", "EMAIL"})
INITIATION_METHODS = frozenset(
    {
        "INBOUND",
        "OUTBOUND",
        "TRANSFER",
        "QUEUE_TRANSFER",
        "CALLBACK",
        "API",
        "DISCONNECT",
        "MONITOR",
        "EXTERNAL_OUTBOUND",
        "WEBRTC_API",
        "AGENT_REPLY",
        "FLOW",
        "CAMPAIGN_PREVIEW",
    }
)
EVENT_TYPES = frozenset(
    {
        "INITIATED",
        "CONNECTED_TO_SYSTEM",
        "CONTACT_DATA_UPDATED",
        "QUEUED",
        "CONNECTED_TO_AGENT",
        "DISCONNECTED",
        "COMPLETED",
        "AMD_DISABLED",
        "PAUSED",
        "RESUMED",
    }
)
DISCONNECT_REASONS = frozenset(
    {
        # voice
        "TELECOM_BUSY",
        "TELECOM_NUMBER_INVALID",
        "TELECOM_POTENTIAL_BLOCKING",
        "TELECOM_UNANSWERED",
        "TELECOM_TIMEOUT",
        "TELECOM_ORIGINATOR_CANCEL",
        "TELECOM_PROBLEM",
        "CUSTOMER_NEVER_ARRIVED",
        "THIRD_PARTY_DISCONNECT",
        "CUSTOMER_DISCONNECT",
        "AGENT_DISCONNECT",
        "BARGED",
        "CONTACT_FLOW_DISCONNECT",
        "OTHER",
        # outbound campaigns (AWS's spelling)
        "OUTBOUND_DESTINATION_ENDPOINT_ERROR",
        "OUTBOUND_RESOURCE_ERROR",
        "OUTBOUND_ATTEMPT_FAILED",
        "OUTBUND_PREVIEW_DISCARDED",
        "EXPIRED",
        # chat, task, email
        "AGENT_NETWORK_DISCONNECT",
        "CUSTOMER_CONNECTION_NOT_ESTABLISHED",
        "API",
        "IDLE_DISCONNECT",
        "SYSTEM_ERROR",
        "AGENT_COMPLETED",
        "TRANSFERRED",
        "DISCARDED",
    }
)


def without_marks(text: str) -> str:
    """Combining marks and invisible format characters dropped (`İ` → `I`, `ş` → `s`, no zero-width space)."""
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c) and unicodedata.category(c) != "Cf")


def word(value: Any, *, upper: bool = True) -> str | None:
    """A vocabulary value as recorded: normalised, upper-cased for Connect's enumerations, bounded."""
    if not isinstance(value, str):
        return None
    text = unicodedata.normalize("NFKC", value).strip()
    if not text:
        return None
    if upper:
        text = without_marks(text.upper())
    if not _WORD.fullmatch(text) or _DIGIT_RUN.search(text):
        return UNRECOGNISED
    return text[:MAX_LENGTH]


def shown(value: str) -> str:
    """A value quoted in a log line only when it looks like Connect's own vocabulary (upper-case words):
    a malformed input may carry a number or a name there."""
    if re.fullmatch(r"[A-Z_]+( ?[|,/] ?[A-Z_]+)*", value) and len(value) <= 120:
        return repr(value)
    return "(not shown: not an upper-case word)"


def unfamiliar(fact: Any) -> list[tuple[str, str]]:
    """The (field, value) pairs of a fact that Connect's documentation does not list: new values to notice."""
    checks = (
        ("channel", fact.channel, CHANNELS),
        ("initiation_method", fact.initiation_method, INITIATION_METHODS),
        ("disconnect_reason", fact.disconnect_reason, DISCONNECT_REASONS),
        ("event_type", fact.event_type, EVENT_TYPES),
    )
    return [(field, value) for field, value, known in checks if value is not None and value not in known]
