"""Signed reply links: only what we issued opens, and only until it expires."""

import base64
import hashlib
import hmac
from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from chalicelib.referrals.links import LinkExpired, LinkInvalid, LinkKeys, key_id, sign, verify

SECRET = b"test-secret"
RID = "rf-0123456789abcdef0123"
NOW = datetime(2026, 10, 13, 7, 0, tzinfo=UTC)
EXPIRES = NOW + timedelta(days=7)


def test_a_link_we_signed_opens_for_its_recipient():
    link = verify(SECRET, sign(SECRET, RID, 1, EXPIRES), NOW)
    assert (link.referral_id, link.recipient, link.expires) == (RID, 1, int(EXPIRES.timestamp()))


def test_each_recipient_has_their_own_link():
    assert sign(SECRET, RID, 0, EXPIRES) != sign(SECRET, RID, 1, EXPIRES)


def test_expiry_is_exclusive():
    token = sign(SECRET, RID, 0, EXPIRES)
    verify(SECRET, token, EXPIRES - timedelta(seconds=1))
    with pytest.raises(LinkExpired) as raised:
        verify(SECRET, token, EXPIRES)
    assert raised.value.link.referral_id == RID


def test_another_secret_or_any_changed_part_is_refused():
    token = sign(SECRET, RID, 0, EXPIRES)
    rid, recipient, expires, kid, signature = token.split(".")
    with pytest.raises(LinkInvalid):
        verify(b"other", token, NOW)
    for altered in (
        f"{rid}.1.{expires}.{kid}.{signature}",
        f"{rid}.{recipient}.{int(expires) + 1}.{kid}.{signature}",
        f"rf-{'f' * 20}.{recipient}.{expires}.{kid}.{signature}",
        f"{rid}.{recipient}.{expires}.{kid}.{signature[:-1]}{'A' if signature[-1] != 'A' else 'B'}",
        f"{rid}.{recipient}.{expires}.{signature}",  # the key id dropped: not a link we issued
        token + "x",
        "",
    ):
        with pytest.raises(LinkInvalid):
            verify(SECRET, altered, NOW)


# --- rotating the secret ---------------------------------------------------------------------------------

NEW = b"the-next-secret"


def test_the_key_id_names_the_secret_without_revealing_it():
    kid = sign(SECRET, RID, 0, EXPIRES).split(".")[3]
    assert kid == key_id(SECRET) and len(kid) == 8 and kid != key_id(NEW)
    assert SECRET.decode() not in kid and kid not in SECRET.hex()


def test_a_link_signed_with_the_previous_secret_opens_until_it_expires():
    token = sign(SECRET, RID, 1, EXPIRES)
    rotated = LinkKeys(current=NEW, previous=SECRET)
    assert verify(rotated, token, NOW).recipient == 1
    assert verify(rotated, sign(NEW, RID, 1, EXPIRES), NOW).recipient == 1
    with pytest.raises(LinkExpired):
        verify(rotated, token, EXPIRES)
    with pytest.raises(LinkInvalid):  # the previous secret removed after the longest link life
        verify(LinkKeys(current=NEW), token, NOW)


def test_a_link_signed_with_an_unknown_key_or_forged_is_refused():
    keys = LinkKeys(current=NEW, previous=SECRET)
    with pytest.raises(LinkInvalid, match="unknown key"):
        verify(keys, sign(b"someone-elses", RID, 0, EXPIRES), NOW)
    rid, recipient, expires, _, signature = sign(b"someone-elses", RID, 0, EXPIRES).split(".")
    with pytest.raises(LinkInvalid, match="signature"):  # a known key id on someone else's signature
        verify(keys, f"{rid}.{recipient}.{expires}.{key_id(NEW)}.{signature}", NOW)


def _legacy(secret: bytes, referral_id: str, recipient: int, expires: datetime) -> str:
    """A link as issued before key ids (reply-v1): referral, recipient, expiry, signature."""
    epoch = int(expires.timestamp())
    message = b"|".join([b"reply-v1", referral_id.encode(), str(recipient).encode(), str(epoch).encode()])
    signature = base64.urlsafe_b64encode(hmac.new(secret, message, hashlib.sha256).digest()).decode()[:32]
    return f"{referral_id}.{recipient}.{epoch}.{signature}"


def test_links_issued_before_key_ids_still_open_with_the_secret_that_signed_them():
    old = _legacy(SECRET, RID, 0, EXPIRES)
    assert verify(SECRET, old, NOW).referral_id == RID
    assert verify(LinkKeys(current=NEW, previous=SECRET), old, NOW).referral_id == RID  # after one rotation
    with pytest.raises(LinkInvalid):
        verify(LinkKeys(current=NEW), old, NOW)
    with pytest.raises(LinkInvalid):
        verify(SECRET, _legacy(b"forged", RID, 0, EXPIRES), NOW)


@given(st.text(max_size=300))
def test_no_text_is_a_valid_token_by_accident(text):
    with pytest.raises((LinkInvalid, LinkExpired)):
        verify(SECRET, text, NOW)
