"""Contact categories of directive 4(c), read case- and accent-insensitively.

A flow or an agent may write `Şikayet`, `SIKAYET` or `sikayet`; all mean
`şikayet`. Turkish dotted/dotless i makes `str.lower()` unreliable
(`"KAPSAM_DIŞI".lower()` is `"kapsam_dişi"`), so values are compared on an
ASCII fold. An unknown value is kept as written (stripped) so a misconfigured
flow shows up in the report instead of hiding under `diğer`.
"""

from __future__ import annotations

CATEGORIES = ("bilgi", "istek", "şikayet", "öneri", "başvuru", "işlem", "kapsam_dışı", "diğer")
OUT_OF_SCOPE = "kapsam_dışı"
UNCLASSIFIED = "unclassified"
# How people read them (reports, e-mails).
CATEGORY_LABELS = {
    "bilgi": "Bilgi",
    "istek": "İstek",
    "şikayet": "Şikayet",
    "öneri": "Öneri",
    "başvuru": "Başvuru",
    "işlem": "İşlem",
    "kapsam_dışı": "Kapsam dışı",
    "diğer": "Diğer",
    UNCLASSIFIED: "Konu seçilmemiş",
}

_FOLD = str.maketrans(
    {
        "ı": "i",
        "İ": "i",
        "I": "i",
        "ş": "s",
        "Ş": "s",
        "ç": "c",
        "Ç": "c",
        "ğ": "g",
        "Ğ": "g",
        "ü": "u",
        "Ü": "u",
        "ö": "o",
        "Ö": "o",
        "-": "_",
        " ": "_",
    }
)


def _fold(value: str) -> str:
    return value.strip().translate(_FOLD).lower()


_BY_FOLD = {_fold(name): name for name in CATEGORIES}


def normalise_category(value: str | None) -> str | None:
    if value is None or not value.strip():
        return None
    return _BY_FOLD.get(_fold(value), value.strip())
