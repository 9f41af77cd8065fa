"""Signed, expiring reply links: the unit's only way in (no account, no password).

A token is `<referral id>.<recipient number>.<expiry, epoch seconds>.<signature>`, the signature an
HMAC-SHA256 over all three under the stage's secret. One link per referral and recipient (the
deputy's link differs from the unit's), so an answer is attributable to the address it was sent to.
The signature is checked before anything is read, so a forged link costs no database read.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import re
from dataclasses import dataclass
from datetime import UTC, datetime

_VERSION = b"reply-v1"
_TOKEN = re.compile(r"^(rf-[0-9a-f]{20})\.(\d{1,3})\.(\d{9,11})\.([A-Za-z0-9_-]{32})$")


class LinkInvalid(Exception):
    """Not a link we issued (forged, altered or truncated)."""


class LinkExpired(Exception):
    """A genuine link past its expiry."""

    def __init__(self, link: ReplyLink) -> None:
        super().__init__(link.referral_id)
        self.link = link


@dataclass(frozen=True)
class ReplyLink:
    referral_id: str
    recipient: int  # index into the referral's recipients
    expires: int  # epoch seconds


def _signature(secret: bytes, referral_id: str, recipient: int, expires: int) -> str:
    message = b"|".join([_VERSION, referral_id.encode(), str(recipient).encode(), str(expires).encode()])
    digest = hmac.new(secret, message, hashlib.sha256).digest()
    return base64.urlsafe_b64encode(digest).decode()[:32]  # 192 bits: ample, and a short URL


def sign(secret: bytes, referral_id: str, recipient: int, expires: datetime) -> str:
    epoch = int(expires.timestamp())
    return f"{referral_id}.{recipient}.{epoch}.{_signature(secret, referral_id, recipient, epoch)}"


def verify(secret: bytes, token: str, now: datetime) -> ReplyLink:
    """The link a token stands for; LinkInvalid if we did not issue it, LinkExpired if it is too old."""
    match = _TOKEN.match(token or "")
    if match is None:
        raise LinkInvalid("malformed")
    referral_id, recipient, expires, signature = match.groups()
    expected = _signature(secret, referral_id, int(recipient), int(expires))
    if not hmac.compare_digest(expected, signature):
        raise LinkInvalid("signature")
    link = ReplyLink(referral_id, int(recipient), int(expires))
    if now.astimezone(UTC).timestamp() >= link.expires:
        raise LinkExpired(link)
    return link
