"""An agent's work in one read (the panel's "İşlerim"): the callbacks to make, the units' answers to
take back to callers, and the referrals that expired without one — each list in the order to work it.

- callbacks: the agent's own claimed ones first, then every pending one in dispatch order (system drops
  first, then callers who asked, then lost calls; oldest first within each), as the dispatcher orders;
- answers: ANSWERED referrals, oldest answer first (the longest-waiting caller first);
- expired: EXPIRED referrals, oldest first: the caller must be told no answer came.
Each list is a bounded read of its status index (`LIMIT` items); the counts are of what is listed.
"""

from __future__ import annotations

from dataclasses import dataclass

from chalicelib.callbacks import store as callbacks
from chalicelib.callbacks.rules import Status as CallbackStatus
from chalicelib.callbacks.store import CallbackItem
from chalicelib.referrals import store as referrals
from chalicelib.referrals.rules import Status as ReferralStatus
from chalicelib.referrals.store import ReferralItem

LIMIT = 50


@dataclass(frozen=True)
class Work:
    callbacks: list[CallbackItem]
    answers: list[ReferralItem]
    expired: list[ReferralItem]


def work_of(agent: str) -> Work:
    mine = callbacks.work_page((CallbackStatus.CLAIMED,), agent=agent, limit=LIMIT, cursor=None).items
    mine = [item for item in mine if item.claimed_by == agent]  # not the ones merely preferred for them
    pending = callbacks.work_page((CallbackStatus.PENDING,), limit=LIMIT - len(mine), cursor=None).items
    answers = referrals.status_page((ReferralStatus.ANSWERED,), None, False, LIMIT, None).items
    expired = referrals.status_page((ReferralStatus.EXPIRED,), None, False, LIMIT, None).items
    return Work(mine + pending, answers, expired)
