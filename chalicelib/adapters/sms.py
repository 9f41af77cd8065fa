"""The SMS port: text messages to callers through AWS End User Messaging SMS, or a twin.

`EndUserMessagingSms` calls `pinpoint-sms-voice-v2` `SendTextMessage` (tested with botocore's Stubber
against the real service model: moto does not implement the service); the embedded AWS's twin is
`cli/embedded/sms.py`; the tests' recorder is `tests/integration/sms_recorder.py`. The number and the
body are personal data: neither is ever logged or put in an error message; errors carry the service's
code and reason only.

Errors are translated here: `SmsUnavailable` (throttled, a fault on AWS's side, never connected: try
again later), `SmsRefused` (the request itself is refused: opted out, not a number, sending disabled:
retrying will not help), `SmsOutcomeUnknown` (the request went out and the answer was lost: it may have
been sent, so it must not be sent again).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Protocol

from botocore.exceptions import ClientError, HTTPClientError, ParamValidationError
from botocore.exceptions import ConnectionError as BotoConnectionError

# GSM 03.38: what a 7-bit SMS can carry (the extension characters take two septets). Anything else
# (ç, ğ, ı, ş, İ: most Turkish text) makes the whole message UCS-2, 70 characters a part instead of 160.
GSM_BASIC = frozenset(
    "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿"
    "abcdefghijklmnopqrstuvwxyzäöñüà"
)
GSM_EXTENSION = frozenset("^{}\\[~]|€\f")


def segments(text: str) -> int:
    """How many parts the network carries `text` in (what each message costs): 160 GSM-7 characters in
    one part or 153 a part when longer; in UCS-2, 70 UTF-16 units or 67 a part."""
    if all(c in GSM_BASIC or c in GSM_EXTENSION for c in text):
        units, single, multi = sum(2 if c in GSM_EXTENSION else 1 for c in text), 160, 153
    else:
        # surrogatepass: a lone surrogate (JSON may carry one) is one UTF-16 unit, not an exception.
        units, single, multi = len(text.encode("utf-16-le", "surrogatepass")) // 2, 70, 67
    return 1 if units <= single else -(-units // multi)


@dataclass(frozen=True)
class OutgoingSms:
    destination: str  # E.164
    body: str
    kind: str  # what it is, for delivery records and the outbox: referral_answer, callback_dropped…
    ref: str  # the record it is about (a referral or callback id): never personal data
    ttl_seconds: int = 86_400  # a notice that arrives too late is worse than none
    context: dict[str, str] = field(default_factory=dict)


class SmsUnavailable(Exception):
    """Throttled, failed on AWS's side or never sent: try again later."""


class SmsRefused(Exception):
    """The service refused this message (opted out, not a mobile number, sending disabled…)."""


class SmsOutcomeUnknown(Exception):
    """The request went out and its answer was lost: the message may have been sent."""


class SmsSender(Protocol):
    def send(self, sms: OutgoingSms) -> str:
        """Send; returns the provider's message id."""


# Codes SendTextMessage declares (botocore's pinpoint-sms-voice-v2 model) that a later try may get past.
_UNAVAILABLE_CODES = frozenset({"ThrottlingException", "InternalServerException"})


class EndUserMessagingSms:
    """`SmsSender` over boto3's `pinpoint-sms-voice-v2`, transactional messages from the configured identity."""

    def __init__(self, client: Any = None, settings: Any = None) -> None:
        if settings is None:
            from chalicelib.core.config import settings as load

            settings = load()
        self._settings = settings
        self._client = client

    @property
    def client(self) -> Any:
        if self._client is None:
            import boto3
            from botocore.config import Config

            # One retry at most: the caller of `send` holds a claim and must learn the outcome quickly.
            self._client = boto3.client(
                "pinpoint-sms-voice-v2",
                region_name=self._settings.region,
                config=Config(connect_timeout=2, read_timeout=5, retries={"mode": "standard", "max_attempts": 2}),
            )
        return self._client

    def send(self, sms: OutgoingSms) -> str:
        cfg = self._settings
        params: dict[str, Any] = {
            "DestinationPhoneNumber": sms.destination,
            "MessageBody": sms.body,
            "MessageType": "TRANSACTIONAL",
            "TimeToLive": sms.ttl_seconds,
            "Context": {"kind": sms.kind, "ref": sms.ref, **sms.context},
        }
        if cfg.sms_origination_identity:
            params["OriginationIdentity"] = cfg.sms_origination_identity
        if cfg.sms_configuration_set:
            params["ConfigurationSetName"] = cfg.sms_configuration_set
        where = f"SendTextMessage ({sms.kind} {sms.ref})"
        try:
            return str(self.client.send_text_message(**params)["MessageId"])
        except ClientError as error:
            detail = error.response.get("Error", {})
            code = detail.get("Code", "ClientError")
            reason = error.response.get("Reason") or detail.get("Reason")
            status = error.response.get("ResponseMetadata", {}).get("HTTPStatusCode") or 0
            # Never the service's message: it may quote the number.
            message = f"{where}: {code}" + (f" ({reason})" if reason else "")
            unavailable = code in _UNAVAILABLE_CODES or status >= 500 or status == 429
            raise (SmsUnavailable if unavailable else SmsRefused)(message) from None
        except BotoConnectionError as error:  # never connected (refused, timed out connecting): nothing went out
            raise SmsUnavailable(f"{where}: {type(error).__name__}") from None
        except HTTPClientError as error:  # a read timeout, a connection closed mid-answer: it may have gone
            raise SmsOutcomeUnknown(f"{where}: {type(error).__name__}") from None
        except ParamValidationError:  # its report quotes the values: name nothing
            raise SmsRefused(f"{where}: parameter validation failed") from None


_sender: SmsSender | None = None


def get_sms() -> SmsSender:
    global _sender
    if _sender is None:
        _sender = EndUserMessagingSms()
    return _sender


def set_sms(sender: SmsSender | None) -> None:
    """Replace the sender (the embedded AWS's twin, a test double); `None` goes back to the default."""
    global _sender
    _sender = sender
