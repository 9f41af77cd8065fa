"""Contact categories of directive 4(c), read case- and accent-insensitively.

A flow or an agent may write `Şikayet`, `SIKAYET` or `sikayet`; all mean
`şikayet`. Turkish dotted/dotless i makes `str.lower()` unreliable
(`"KAPSAM_DIŞI".lower()` is `"kapsam_dişi"`), and the same word may arrive
composed, decomposed or in full-width letters, so values are compared after
Unicode normalisation (NFKC) on a fold without marks. An unknown value is kept as written (stripped) so a misconfigured
flow shows up in the report instead of hiding under `diğer`.
"""

from __future__ import annotations

import unicodedata

from chalicelib.contacts.vocabulary import without_marks

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

# Dotless ı is the one Turkish letter with no decomposition; every other (ş, ç, ğ, ü, ö, İ) falls to
# its base letter once the combining marks are dropped.
_FOLD = str.maketrans({"ı": "i", "-": "_", " ": "_"})


def _fold(value: str) -> str:
    """NFKC first (full-width letters, compatibility forms), then Turkish-aware folding to plain letters:
    `KAPSAM_DIŞI`, a decomposed `kapsam_dis\u0327i\u0307` and `ｋａｐｓａｍ＿ｄｉşı` all fold alike."""
    return without_marks(unicodedata.normalize("NFKC", value).strip().translate(_FOLD)).lower()


_BY_FOLD = {_fold(name): name for name in CATEGORIES}


def normalise_category(value: str | None) -> str | None:
    if value is None or not value.strip():
        return None
    return _BY_FOLD.get(_fold(value), value.strip())
