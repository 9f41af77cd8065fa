"""`callcenter units seed|list`: the units directory, on the embedded AWS `local start` seeded."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.e2e.conftest import Operator

pytestmark = pytest.mark.e2e

SEED = Path(__file__).resolve().parents[2] / "data" / "units.json"


def listed(operator: Operator) -> list[dict]:
    done = operator.run("units", "list", "--format", "json")
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


def test_local_start_seeds_the_directory_and_seeding_again_keeps_it(operator: Operator, tmp_path: Path) -> None:
    seeded = {unit["unit_id"] for unit in json.loads(SEED.read_text(encoding="utf-8"))}
    units = listed(operator)
    assert {unit["unit_id"] for unit in units} == seeded
    assert [unit["unit_id"] for unit in units] == sorted(seeded)  # one Query, in id order
    assert all(unit["updated_by"] == "system:provisioning" for unit in units)

    again = operator.run("units", "seed")
    assert again.returncode == 0, again.stderr
    assert f"written 0, kept {len(seeded)}" in again.stdout

    edited = tmp_path / "units.json"
    edited.write_text(
        json.dumps(
            [
                {
                    "unit_id": "kutuphane",
                    "name_tr": "Kütüphane",
                    "name_en": "Library",
                    "emails": ["KUTUPHANE@ostimteknik.edu.tr"],
                    "deputy_email": "kutuphane.baskan@ostimteknik.edu.tr",
                    "target_hours": 8,
                },
                {
                    "unit_id": "yabanci-diller",
                    "name_tr": "Yabancı Diller Yüksekokulu",
                    "name_en": "School of Foreign Languages",
                    "emails": ["ydyo@ostimteknik.edu.tr"],
                    "deputy_email": "ydyo.mudur@ostimteknik.edu.tr",
                    "target_hours": 16,
                    "active": False,
                },
            ],
            ensure_ascii=False,
        ),
        encoding="utf-8",
    )
    kept = operator.run("units", "seed", str(edited))
    assert kept.returncode == 0 and "written 1, kept 1" in kept.stdout, kept.stdout + kept.stderr
    replaced = operator.run("units", "seed", str(edited), "--replace")
    assert replaced.returncode == 0 and "written 2, kept 0" in replaced.stdout, replaced.stdout + replaced.stderr

    by_id = {unit["unit_id"]: unit for unit in listed(operator)}
    assert by_id["kutuphane"]["name_tr"] == "Kütüphane" and by_id["kutuphane"]["emails"] == [
        "kutuphane@ostimteknik.edu.tr"
    ]
    assert by_id["yabanci-diller"]["active"] is False and by_id["kutuphane"]["updated_by"] == "operator:cli"
    active = operator.run("units", "list", "--format", "json", "--active-only")
    assert "yabanci-diller" not in {unit["unit_id"] for unit in json.loads(active.stdout)}
    table = operator.run("units", "list")
    assert table.returncode == 0 and "Kütüphane" in table.stdout


def test_a_bad_seed_file_is_refused_with_the_unit_and_field(operator: Operator, tmp_path: Path) -> None:
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps([{"unit_id": "personel", "name_tr": "Personel", "name_en": "HR", "emails": []}]))
    done = operator.run("units", "seed", str(bad))
    assert done.returncode == 2
    assert "unit 1 (personel)" in done.stderr and "emails" in done.stderr

    (tmp_path / "broken.json").write_text("[{")
    assert operator.run("units", "seed", str(tmp_path / "broken.json")).returncode == 2
    missing = operator.run("units", "seed", str(tmp_path / "nope.json"))
    assert missing.returncode == 2 and "cannot read" in missing.stderr


def test_a_unit_name_with_a_line_break_is_refused_naming_the_unit_and_field(operator: Operator, tmp_path: Path) -> None:
    unit = {
        "unit_id": "kutuphane",
        "name_tr": "Kütüphane",
        "name_en": "Library",
        "emails": ["kutuphane@ostimteknik.edu.tr"],
        "deputy_email": "kutuphane.baskan@ostimteknik.edu.tr",
        "target_hours": 8,
    }
    bad = tmp_path / "line-break.json"
    bad.write_text(json.dumps([unit, unit | {"unit_id": "arsiv", "name_tr": "Arşiv\nve Belge"}], ensure_ascii=False))
    done = operator.run("units", "seed", str(bad), "--replace")
    assert done.returncode == 2, done.stdout
    assert "unit 2 (arsiv): name_tr:" in done.stderr and "control characters" in done.stderr
    assert "arsiv" not in {u["unit_id"] for u in listed(operator)}  # nothing of the file was written
