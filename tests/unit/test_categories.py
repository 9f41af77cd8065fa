import pytest

from chalicelib.contacts.categories import CATEGORIES, normalise_category


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
