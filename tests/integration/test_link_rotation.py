"""Rotating REFERRAL_LINK_SECRET breaks no link in a unit's inbox: the reply page opens a link signed
with the previous secret until it expires, and refuses (403) one signed with a key it does not know."""

from __future__ import annotations

from datetime import timedelta

import time_machine
from pydantic import SecretStr

from chalicelib.core.config import settings
from chalicelib.referrals import links, unit_side
from tests.integration import test_referrals as referrals
from tests.integration.test_referrals import T0, _referred, page

env = referrals.env  # the referrals' app, units directory, moto SES and simulated Connect
NEW = "a-new-secret-of-64-letters-and-digits-0123456789abcdefghijklmnop"


def _rotate(monkeypatch, previous: str | None) -> None:
    cfg = settings().model_copy(
        update={
            "referral_link_secret": SecretStr(NEW),
            "referral_link_secret_previous": SecretStr(previous) if previous else None,
        }
    )
    monkeypatch.setattr(unit_side, "settings", lambda: cfg)


def test_links_signed_before_a_rotation_open_until_previous_is_removed(env, monkeypatch):
    client, _ = env
    _, path = _referred(client)  # mailed with the stage's secret as it was
    before = settings().secret("referral_link_secret").decode()
    assert path.split(".")[3] == links.key_id(before.encode())

    _rotate(monkeypatch, previous=before)
    with time_machine.travel(T0 + timedelta(hours=1), tick=False):
        opened = client.http.get(path)
        rid, recipient, expires, _, signature = path.removeprefix("/reply/").split(".")
        unknown = client.http.get(f"/reply/{links.sign(b'not-ours', rid, int(recipient), T0 + timedelta(days=9))}")
        forged = client.http.get(f"/reply/{rid}.{recipient}.{expires}.{links.key_id(NEW.encode())}.{signature}")
    assert opened.status_code == 200 and "Yanıt bekleyen soru" in page(opened)
    assert unknown.status_code == 403 and forged.status_code == 403

    _rotate(monkeypatch, previous=None)  # after the longest link life
    with time_machine.travel(T0 + timedelta(hours=1), tick=False):
        assert client.http.get(path).status_code == 403
