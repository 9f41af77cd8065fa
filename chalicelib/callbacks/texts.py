"""Pure: the texts a caller may get about their callback, and when each is due.

Turkish, two SMS parts at most (UCS-2: 134 characters), no personal data: no name, no reason beyond
"a technical problem", nothing a stranger holding the phone could learn from but that we called.
"""

from __future__ import annotations

from chalicelib.callbacks.rules import BUSY, NO_ANSWER, SYSTEM_DROP
from chalicelib.core.config import Settings
from chalicelib.core.phones import display

SMS_SENDER_NAME = "OSTİM Teknik Çağrı Merkezi"
DROPPED, FAILED = "callback_dropped", "callback_failed"
# How long the network keeps trying to deliver each: "we will call you back" is stale once we have.
TTL_SECONDS = {DROPPED: 3_600, FAILED: 86_400}


def dropped_text() -> str:
    return f"{SMS_SENDER_NAME}: Görüşmeniz teknik bir sorunla kesildi. Sizi en kısa sürede geri arayacağız."


def failed_text(cfg: Settings) -> str:
    hours = f"{cfg.opening_time:%H:%M}-{cfg.closing_time:%H:%M}"
    return (
        f"{SMS_SENDER_NAME}: Sizi geri aradık, ulaşamadık. "
        f"Lütfen bizi {display(cfg.centre_number)} numarasından arayın (hafta içi {hours})."
    )


def dropped_notice_due(reason: str, cfg: Settings) -> bool:
    """Right after a system drop raised its callback, when the centre has turned the notice on."""
    return reason == SYSTEM_DROP and cfg.sms_after_system_drop


def failed_notice_due(outcome: str, cfg: Settings) -> bool:
    """When the last attempt went unanswered (or busy): not for a wrong number, which would text a
    stranger, and not for a callback Connect refused to place, which was never tried."""
    return outcome in (NO_ANSWER, BUSY) and cfg.sms_after_failed_callback
