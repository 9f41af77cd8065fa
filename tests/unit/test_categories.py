import unicodedata

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from chalicelib.contacts.categories import CATEGORIES, OUT_OF_SCOPE, normalise_category


@pytest.mark.parametrize(
    ("written", "meant"),
    [
        ("Şikayet", "şikayet"),
        ("SIKAYET", "şikayet"),
        ("sikayet", "şikayet"),
        ("KAPSAM_DIŞI", "kapsam_dışı"),
        ("kapsam dışı", "kapsam_dışı"),
        (" bilgi ", "bilgi"),
        ("ÖNERİ", "öneri"),
        ("Başvuru", "başvuru"),
        ("İŞLEM", "işlem"),
        ("diger", "diğer"),
    ],
)
def test_categories_read_case_and_accent_insensitively(written, meant):
    assert normalise_category(written) == meant


def test_every_category_maps_to_itself_and_unknown_values_are_kept():
    assert [normalise_category(c) for c in CATEGORIES] == list(CATEGORIES)
    assert normalise_category("burs") == "burs"
    assert normalise_category("  ") is None


def _turkish_upper(c: str) -> str:
    return {"i": "İ", "ı": "I"}.get(c, c.upper())


def _full_width(c: str) -> str:
    return chr(ord(c) + 0xFEE0) if "!" <= c <= "~" else c


SPELLINGS = {
    "lower": str.lower,
    "turkish upper": _turkish_upper,
    "python upper": str.upper,
    "full-width": _full_width,
    "full-width upper": lambda c: _full_width(_turkish_upper(c)),
}


@st.composite
def written_forms(draw) -> tuple[str, str]:
    """A category as a person, a flow or a keyboard may write it: any case per letter (Turkish or not),
    full-width letters, `-` or a space for `_`, composed or decomposed, with stray spaces around."""
    category = draw(st.sampled_from(CATEGORIES))
    letters = []
    for c in category:
        if c == "_":
            letters.append(draw(st.sampled_from(["_", "-", " ", "＿"])))
        else:
            letters.append(SPELLINGS[draw(st.sampled_from(sorted(SPELLINGS)))](c))
    form = draw(st.sampled_from(["NFC", "NFD", "NFKC", "NFKD"]))
    padding = draw(st.sampled_from(["", " ", "\t", "\u3000"]))
    return category, padding + unicodedata.normalize(form, "".join(letters)) + padding


@settings(max_examples=400, deadline=None)
@given(written_forms())
def test_every_category_in_every_case_and_normalisation_form_folds_to_itself(written):
    category, text = written
    assert normalise_category(text) == category, ascii(text)


@pytest.mark.parametrize(
    "written",
    [
        "kapsam_dis\u0327i\u0307",  # decomposed ş, and a dot above after i as İ.lower() leaves it
        "KAPSAM_DIS\u0327I",  # decomposed Ş
        "KAPSAM_DI\u0307S\u0327I",  # decomposed İ
        "ｋａｐｓａｍ＿ｄışı",  # full-width
        "kapsam\u200b_dışı",  # a zero-width space pasted in
    ],
)
def test_a_decomposed_or_full_width_kapsam_disi_is_out_of_scope(written):
    assert normalise_category(written) == OUT_OF_SCOPE
