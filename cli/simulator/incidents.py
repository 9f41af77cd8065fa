"""Console faults in the demo month (directive 8(b)), through the real API on a simulated clock.

On some working days an agent reports a fault of their console (headset, CCP, network, …); the
supervisor acknowledges it within the hour and resolves it a few working hours later, the odd one
only the next day. Nothing is written to the tables directly.
"""

from __future__ import annotations

import json
import random
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import TypedDict

P_FAULT_DAY = 0.35  # working days on which an agent reports a console fault
CATEGORIES = {"headset": 4, "ccp": 3, "network": 2, "computer": 2, "software": 1}
SEVERITIES = {"low": 3, "medium": 4, "high": 1}
DESCRIPTIONS = {
    "headset": "Kulaklıkta cızırtı var, arayan sesi kesik kesik duyuyor.",
    "ccp": "CCP oturumu kendiliğinden kapanıyor, çağrı kabul edilemiyor.",
    "network": "Ağ bağlantısı birkaç dakikada bir kopuyor.",
    "computer": "Bilgisayar açılışta donuyor, yeniden başlatmak gerekiyor.",
    "software": "Tarayıcı güncellemesinden sonra CCP mikrofonu görmüyor.",
}
RESOLUTION = "Parça değiştirildi, konsol yeniden kuruldu ve denendi."
AGENTS = ("temsilci1", "temsilci2", "temsilci3")  # cli.simulator.accounts opens their accounts first
SUPERVISOR = {"X-Agent-Id": "basin", "X-Groups": "supervisors"}
JSON = {"Content-Type": "application/json"}


class _Fault(TypedDict):
    """A fault to report: by whom, the report's body, when it is acknowledged and when fixed."""

    agent: str
    body: dict[str, str]
    ack: datetime
    fix: datetime


@dataclass
class IncidentRun:
    reported: int = 0
    resolved: int = 0
    problems: list[str] = field(default_factory=list)


def run_incidents(first_day: date, days: int, seed: int = 17) -> IncidentRun:
    import time_machine
    from chalice.test import Client

    from app import app
    from chalicelib.adapters.closures import centre_calendar

    rng, calendar, run = random.Random(seed), centre_calendar(), IncidentRun()
    steps: list[tuple[datetime, _Fault]] = []
    for offset in range(days):
        day = first_day + timedelta(days=offset)
        hours = [h for h in range(9, 17) if calendar.is_open(datetime.combine(day, time(h), tzinfo=calendar.zone))]
        if not hours or rng.random() >= P_FAULT_DAY:
            continue
        reported = datetime.combine(day, time(rng.choice(hours), rng.randrange(60)), tzinfo=calendar.zone)
        category = rng.choices(list(CATEGORIES), list(CATEGORIES.values()))[0]
        body = {
            "category": category,
            "severity": rng.choices(list(SEVERITIES), list(SEVERITIES.values()))[0],
            "description": DESCRIPTIONS[category],
        }
        acknowledged = reported + timedelta(minutes=rng.randint(10, 50))
        resolved = calendar.add_working_time(acknowledged, timedelta(hours=rng.choice((1, 1, 2, 2, 3, 4, 9))))
        steps.append((reported, {"agent": rng.choice(AGENTS), "body": body, "ack": acknowledged, "fix": resolved}))
    with Client(app, stage_name="local") as client:
        for reported, data in steps:
            with time_machine.travel(reported, tick=False):
                headers = {**JSON, "X-Agent-Id": data["agent"]}
                created = client.http.post("/incidents", headers=headers, body=json.dumps(data["body"]).encode())
            if created.status_code != 201:
                run.problems.append(f"incident report: HTTP {created.status_code}")
                continue
            run.reported += 1
            incident = created.json_body["incident_id"]
            for when, path, body in (
                (data["ack"], f"/incidents/{incident}/acknowledge", {}),
                (data["fix"], f"/incidents/{incident}/resolve", {"resolution": RESOLUTION}),
            ):
                with time_machine.travel(when, tick=False):
                    done = client.http.post(path, headers={**JSON, **SUPERVISOR}, body=json.dumps(body).encode())
                if done.status_code != 200:
                    run.problems.append(f"{path.rsplit('/', 1)[1]}: HTTP {done.status_code}")
            run.resolved += 1
    return run
