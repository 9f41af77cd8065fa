"""Pure: the thresholds the supervisor sets, and what the console says when a figure crosses one.

A figure at or past its threshold is a warning; at twice it, critical. Each alert says what to do,
Turkish first (directive 7(a): the supervisor keeps the centre running now, not once a month).
"""

from __future__ import annotations

from dataclasses import asdict, dataclass


@dataclass(frozen=True)
class Thresholds:
    longest_wait_seconds: int = 120
    lost_last_30_minutes: int = 5
    callbacks_overdue: int = 1

    def as_dict(self) -> dict[str, int]:
        return asdict(self)


def _minutes(seconds: float) -> str:
    whole = int(seconds)
    return f"{whole // 60} dk {whole % 60} sn" if whole >= 60 else f"{whole} sn"


def _level(value: float, threshold: int) -> str | None:
    if threshold <= 0 or value < threshold:
        return None
    return "critical" if value >= 2 * threshold else "warning"


def alerts(longest_wait: float | None, lost_recently: int, overdue: int, limits: Thresholds) -> list[dict[str, str]]:
    found: list[dict[str, str]] = []
    level = _level(longest_wait or 0, limits.longest_wait_seconds)
    if level and longest_wait is not None:
        found.append(
            {
                "figure": "longest_wait_now_seconds",
                "level": level,
                "message_tr": f"Kuyrukta {_minutes(longest_wait)} bekleyen arayan var: müsait temsilcileri kuyruğa "
                "alın, molaları erteleyin.",
                "message_en": f"A caller has waited {int(longest_wait)} s: bring available agents to the queue, "
                "postpone breaks.",
            }
        )
    level = _level(lost_recently, limits.lost_last_30_minutes)
    if level:
        found.append(
            {
                "figure": "lost_last_30_minutes",
                "level": level,
                "message_tr": f"Son 30 dakikada {lost_recently} çağrı kayboldu: kuyruğu ve temsilcilerin durumunu "
                "denetleyin; geri aramalar kendiliğinden açıldı.",
                "message_en": f"{lost_recently} calls were lost in the last 30 minutes: check the queue and the "
                "agents' states; their callbacks are raised.",
            }
        )
    level = _level(overdue, limits.callbacks_overdue)
    if level:
        found.append(
            {
                "figure": "callbacks_overdue",
                "level": level,
                "message_tr": f"{overdue} geri arama süresini aştı: temsilcilerden İşlerim listesinden hemen "
                "aramalarını isteyin.",
                "message_en": f"{overdue} callbacks are past their deadline: ask agents to call them now from "
                "their work list.",
            }
        )
    return found
