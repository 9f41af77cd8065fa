"""Signed reply links: only what we issued opens, and only until it expires."""

from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from chalicelib.referrals.links import LinkExpired, LinkInvalid, sign, verify

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
    rid, recipient, expires, signature = token.split(".")
    with pytest.raises(LinkInvalid):
        verify(b"other", token, NOW)
    for altered in (
        f"{rid}.1.{expires}.{signature}",
        f"{rid}.{recipient}.{int(expires) + 1}.{signature}",
        f"rf-{'f' * 20}.{recipient}.{expires}.{signature}",
        f"{rid}.{recipient}.{expires}.{signature[:-1]}{'A' if signature[-1] != 'A' else 'B'}",
        token + "x",
        "",
    ):
        with pytest.raises(LinkInvalid):
            verify(SECRET, altered, NOW)


@given(st.text(max_size=300))
def test_no_text_is_a_valid_token_by_accident(text):
    with pytest.raises((LinkInvalid, LinkExpired)):
        verify(SECRET, text, NOW)
