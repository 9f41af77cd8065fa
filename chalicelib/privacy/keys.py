"""Keyed hashes for looking people up without storing a plain-number index (KVKK: minimisation).

An index on `caller_key(number)` finds a caller's records; someone holding the table alone (a
backup, an export) cannot enumerate numbers from it without the key, as they could from a
plain-number index or an unkeyed hash of the small space of Turkish phone numbers.
"""

from __future__ import annotations

import hashlib
import hmac

from chalicelib.config import settings


def caller_key(number: str) -> str:
    """HMAC-SHA256 of an E.164 number under the stage's `CALLER_HASH_SECRET` (hex, 32 chars)."""
    digest = hmac.new(settings().secret("caller_hash_secret"), number.encode(), hashlib.sha256)
    return digest.hexdigest()[:32]
