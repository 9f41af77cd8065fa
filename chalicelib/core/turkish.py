"""Calendar words in Turkish (and English beside them), and dates as people here write them."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

MONTHS_TR = (
    "Ocak",
    "Şubat",
    "Mart",
    "Nisan",
    "Mayıs",
    "Haziran",
    "Temmuz",
    "Ağustos",
    "Eylül",
    "Ekim",
    "Kasım",
    "Aralık",
)
WEEKDAYS_TR = ("Pazartesi", "Salı", "Çarşamba", "Perşembe", "Cuma", "Cumartesi", "Pazar")
WEEKDAYS_SHORT_TR = ("Pzt", "Sal", "Çar", "Per", "Cum", "Cmt", "Paz")
WEEKDAYS_EN = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")


def _local(moment: datetime | str, zone: ZoneInfo) -> datetime:
    if isinstance(moment, str):
        moment = datetime.fromisoformat(moment.replace("Z", "+00:00"))
    return moment.astimezone(zone)


def datetime_tr(moment: datetime | str, zone: ZoneInfo) -> str:
    """ "2 Aralık 2026 Çarşamba 17:30" in the centre's time zone."""
    local = _local(moment, zone)
    return f"{local.day} {MONTHS_TR[local.month - 1]} {local.year} {WEEKDAYS_TR[local.weekday()]} {local:%H:%M}"


def datetime_en(moment: datetime | str, zone: ZoneInfo) -> str:
    """ "Wednesday 2 December 2026, 17:30 (Istanbul time)"."""
    local = _local(moment, zone)
    return f"{WEEKDAYS_EN[local.weekday()]} {local.day} {local:%B %Y}, {local:%H:%M} (Istanbul time)"
