"""Signed, expiring reply links: the unit's only way in (no account, no password).

A token is `<referral id>.<recipient number>.<expiry, epoch seconds>.<key id>.<signature>`, the
signature an HMAC-SHA256 over all four under the stage's secret. One link per referral and recipient
(the deputy's link differs from the unit's), so an answer is attributable to the address it was sent
to. The signature is checked before anything is read, so a forged link costs no database read.

The key id names the secret that signed the link (8 hex of a SHA-256 over it: never the secret), so
`REFERRAL_LINK_SECRET` can be rotated without breaking a link in anyone's inbox: the previous secret
(`REFERRAL_LINK_SECRET_PREVIOUS`) still opens the links it signed until they expire. Links issued
before key ids (`<referral>.<recipient>.<expiry>.<signature>`) open under the current or the previous
secret, whichever signed them.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import re
from dataclasses import dataclass
from datetime import UTC, datetime

_VERSION = b"reply-v2"
_LEGACY_VERSION = b"reply-v1"  # links without a key id
_TOKEN = re.compile(r"^(rf-[0-9a-f]{20})\.(\d{1,3})\.(\d{9,11})\.(?:([0-9a-f]{8})\.)?([A-Za-z0-9_-]{32})$")


def key_id(secret: bytes) -> str:
    """Which secret signed a link: 8 hex of SHA-256 over it (domain-separated), nothing to sign with."""
    return hashlib.sha256(b"cagri-reply-link-key-id|" + secret).hexdigest()[:8]


@dataclass(frozen=True)
class LinkKeys:
    """The secret links are signed with, and the one before it, accepted until its links expire."""

    current: bytes
    previous: bytes | None = None

    def by_id(self, kid: str) -> bytes | None:
        for secret in (self.current, self.previous):
            if secret is not None and hmac.compare_digest(key_id(secret), kid):
                return secret
        return None

    def all(self) -> tuple[bytes, ...]:
        return (self.current,) if self.previous is None else (self.current, self.previous)


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


def _digest(secret: bytes, parts: list[bytes]) -> str:
    digest = hmac.new(secret, b"|".join(parts), hashlib.sha256).digest()
    return base64.urlsafe_b64encode(digest).decode()[:32]  # 192 bits: ample, and a short URL


def _signature(secret: bytes, kid: str, referral_id: str, recipient: int, expires: int) -> str:
    return _digest(
        secret, [_VERSION, kid.encode(), referral_id.encode(), str(recipient).encode(), str(expires).encode()]
    )


def _legacy_signature(secret: bytes, referral_id: str, recipient: int, expires: int) -> str:
    return _digest(secret, [_LEGACY_VERSION, referral_id.encode(), str(recipient).encode(), str(expires).encode()])


def sign(secret: bytes, referral_id: str, recipient: int, expires: datetime) -> str:
    epoch, kid = int(expires.timestamp()), key_id(secret)
    return f"{referral_id}.{recipient}.{epoch}.{kid}.{_signature(secret, kid, referral_id, recipient, epoch)}"


def verify(keys: LinkKeys | bytes, token: str, now: datetime) -> ReplyLink:
    """The link a token stands for; LinkInvalid if we did not issue it (forged, altered, or signed by a
    key no longer accepted), LinkExpired if it is too old."""
    keys = keys if isinstance(keys, LinkKeys) else LinkKeys(keys)
    match = _TOKEN.match(token or "")
    if match is None:
        raise LinkInvalid("malformed")
    referral_id, recipient, expires, kid, signature = match.groups()
    if kid is None:
        expected = [_legacy_signature(secret, referral_id, int(recipient), int(expires)) for secret in keys.all()]
    else:
        secret = keys.by_id(kid)
        if secret is None:
            raise LinkInvalid("unknown key")
        expected = [_signature(secret, kid, referral_id, int(recipient), int(expires))]
    if not any(hmac.compare_digest(candidate, signature) for candidate in expected):
        raise LinkInvalid("signature")
    link = ReplyLink(referral_id, int(recipient), int(expires))
    if now.astimezone(UTC).timestamp() >= link.expires:
        raise LinkExpired(link)
    return link
