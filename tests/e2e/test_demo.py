"""`callcenter demo` end to end, on a few days around the 29 Ekim holiday so it stays short: 28 Ekim the half
day, 29 Ekim the holiday, 30 Ekim closed by the supervisor (idari izin).

The demo exits non-zero when a figure of the report differs from the simulation's truth, when a
callback invariant breaks, or when a referral step fails; so this is the whole centre's check.
"""

from __future__ import annotations

import json
import os
import subprocess

import pytest

from tests.e2e.conftest import CLI, REPO, _free_port

pytestmark = pytest.mark.e2e


def test_the_demo_runs_days_around_the_holiday_and_mails_a_report_that_matches_the_simulation(tmp_path):
    env = {k: v for k, v in os.environ.items() if not k.startswith("AWS_ENDPOINT_URL")}
    env["CALLCENTER_HOME"] = str(tmp_path / "home")
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(REPO), env.get("PYTHONPATH")]))
    env["COLUMNS"] = "200"
    port = str(_free_port())
    try:
        done = subprocess.run(
            [str(CLI), "demo", "--start", "2026-10-27", "--days", "4", "--port", port],
            cwd=tmp_path,
            env=env,
            capture_output=True,
            text=True,
            timeout=600,
            check=False,
        )
        assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-2000:]
        assert "differ" not in done.stdout and "[red]" not in done.stdout
        report = json.loads((tmp_path / "out" / "report-2026-10.json").read_text(encoding="utf-8"))
        days = {day["date"]: day for day in report["by_day"]}
        assert days["2026-10-27"]["answered"] > 0
        assert days["2026-10-29"]["answered"] == 0  # Cumhuriyet Bayramı: the centre is closed
        # 30 Ekim: callers ring as on a working day and meet the closure the supervisor declared.
        assert days["2026-10-30"]["inbound"] > 0 and days["2026-10-30"]["queued"] == 0
        assert report["calls_detail"]["working_days"] == 20  # 22 weekdays, less 29 Ekim and 30 Ekim
        closures = subprocess.run(
            [str(CLI), "closures", "list", "--format", "json"], env=env, capture_output=True, text=True, check=True
        )
        assert [(c["date"], c["from"]) for c in json.loads(closures.stdout)] == [("2026-10-30", None)]
        closed = subprocess.run(
            [str(CLI), "hours", "at", "2026-10-30T10:00:00+03:00", "--format", "json"],
            env=env, capture_output=True, text=True, check=True,
        )  # fmt: skip
        assert json.loads(closed.stdout)["reason"].startswith("Cumhuriyet Bayramı nedeniyle")
        survey = report["satisfaction"]  # equal to the simulation's truth, or the demo would have failed
        assert survey["responses"] > 0 and survey["average"] is not None and survey["by_category"]
        # Callers of the closed centre (nights, the holiday) who asked to be called when it opens; each has
        # its callback, or the demo's invariants would have failed.
        assert report["callbacks"]["requested_out_of_hours"] > 0
        assert (tmp_path / "out" / "report-2026-10.xlsx").stat().st_size > 0
        # Beside the simulated Connect's own figures (issue 19): every one compared, every difference explained,
        # and the callback call the demo placed is Connect's (queued, handled) and not a caller of ours.
        beside = report["reconciliation"]
        assert (beside["status"], beside["source"]) == ("compared", "simulated")
        rows = {row["key"]: row for row in beside["figures"]}
        assert set(rows) == {"queued", "handled", "abandoned", "service_level", "aht_seconds"}
        assert all(row["explained"] for row in rows.values())
        assert rows["queued"]["ours"] == report["calls"]["queued"] < rows["queued"]["connect"]
        assert any(a["reason"] == "callback_calls" for a in rows["handled"]["adjustments"])
        html = (tmp_path / "out" / "report-2026-10.html").read_text(encoding="utf-8")
        assert "Amazon Connect ile karşılaştırma" in html and "Rakamlar yerel ortamın simüle Connect" in html
        assert "beside the simulated Amazon Connect's own figures" in done.stdout
        outbox = subprocess.run(
            [str(CLI), "local", "outbox", "--format", "json"], env=env, capture_output=True, text=True, check=True
        )
        subjects = [message["subject"] for message in json.loads(outbox.stdout)]
        assert subjects.count("Çağrı ve İletişim Merkezi — Ekim 2026 aylık raporu") == 1, subjects
    finally:
        subprocess.run([str(CLI), "local", "stop"], env=env, capture_output=True, timeout=60, check=False)
