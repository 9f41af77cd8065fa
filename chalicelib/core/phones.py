"""Phone numbers, in one place: E.164, what may be shown, and the keyed hash that finds a caller.

- `e164`: a number Connect gave us, in E.164, or why we may not call it (withheld, not E.164);
- `subject_number`: a number a person typed, in any Turkish or international form, as E.164;
- `mask`: enough to recognise a record in a list, not to dial (`+905*******67`);
- `display`: how a Turkish number is read out (`0532 123 45 67`), others in international form;
- `is_mobile`: whether a text message can reach the number (a landline cannot take one);
- `caller_key`: HMAC-SHA256 under the stage's `CALLER_HASH_SECRET`, the only form of a number in any
  key or index (KVKK minimisation: someone holding a table alone cannot enumerate numbers from it,
  as they could from a plain-number index or an unkeyed hash of the small space of Turkish numbers).
"""

from __future__ import annotations

import hashlib
import hmac

import phonenumbers

from chalicelib.core.config import settings
from chalicelib.core.errors import Invalid

ANONYMOUS = "anonymous"
NOT_E164 = "not_e164"


def e164(address: str | None) -> tuple[str | None, str | None]:
    """The number in E.164, or None and why we may not call it."""
    if not address or not address.strip() or ANONYMOUS in address.lower():
        return None, ANONYMOUS
    text = address.strip()
    if not text.startswith("+"):
        return None, NOT_E164
    try:
        parsed = phonenumbers.parse(text, None)
    except phonenumbers.NumberParseException:
        return None, NOT_E164
    if not phonenumbers.is_valid_number(parsed):
        return None, NOT_E164
    return phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.E164), None


def subject_number(text: str, region: str = "TR") -> str:
    """The number a request is about, in E.164: "+905321234567", "0532 123 45 67", "5321234567"…

    `Invalid` (naming no digits) when it is not a valid number."""
    try:
        parsed = phonenumbers.parse(text.strip(), region)
    except phonenumbers.NumberParseException:
        raise Invalid("number: not a phone number", "number") from None
    if not phonenumbers.is_valid_number(parsed):
        raise Invalid("number: not a valid phone number", "number")
    return phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.E164)


def mask(number: str | None) -> str | None:
    """+905321234567 → +905*******67: enough to recognise, not to dial."""
    if not number:
        return number
    digits = number.lstrip("+")
    return "+" + digits[:3] + "*" * max(len(digits) - 5, 0) + digits[-2:]


def mask_email(address: str) -> str:
    """ayse@ostimteknik.edu.tr → a***@ostimteknik.edu.tr."""
    local, _, domain = address.partition("@")
    return f"{local[:1]}***@{domain}"


def display(number: str | None) -> str:
    """An E.164 number as people read it: national form for Turkish numbers ("(0312) 386 10 92"),
    international otherwise; anything that is not a number, as given."""
    try:
        parsed = phonenumbers.parse(number or "", None)
    except phonenumbers.NumberParseException:
        return number or ""
    if parsed.country_code == 90:
        return phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.NATIONAL)
    return phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.INTERNATIONAL)


def is_mobile(number: str | None) -> bool:
    """Whether an E.164 number can take a text message: a mobile line, or one its plan cannot tell
    from a landline (some countries number both alike). (0312) 386 10 92 cannot; 0532 123 45 67 can."""
    try:
        parsed = phonenumbers.parse(number or "", None)
    except phonenumbers.NumberParseException:
        return False
    kinds = (phonenumbers.PhoneNumberType.MOBILE, phonenumbers.PhoneNumberType.FIXED_LINE_OR_MOBILE)
    return phonenumbers.is_valid_number(parsed) and phonenumbers.number_type(parsed) in kinds


def caller_key(number: str) -> str:
    """HMAC-SHA256 of an E.164 number under the stage's `CALLER_HASH_SECRET` (hex, 32 chars)."""
    digest = hmac.new(settings().secret("caller_hash_secret"), number.encode(), hashlib.sha256)
    return digest.hexdigest()[:32]
