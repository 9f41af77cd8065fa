"""`callcenter demo`: the main job, end to end, on the embedded AWS.

Starts the embedded AWS (or reuses the running one), simulates a month of the centre
(October: the start-of-semester peak, the 28 Ekim half day, the 29 Ekim holiday, and 30 Ekim
closed by the supervisor as administrative leave) with
`cli.simulator.traffic` in the exact shapes Amazon Connect publishes, delivers it the way AWS does
(duplicates, out of order), replays it through the same handlers the Lambdas run, two
processes side by side as concurrent Lambdas, returns the calls, answers the referrals,
e-mails the monthly report, and prints the report's figures beside the simulation's own truth.

The centre is a real one in the first weeks of term: three agents on shifts (`DEMO_ROSTER`), one of them
in training on Tuesday and Thursday mornings and one who comes after lunch, so the morning peak is short of
agents (service level under target, queues of minutes) while the afternoons are quiet; one agent now and
then leaves without logging out. Their sessions reach the report through the agent event stream.
"""

from __future__ import annotations

import json
import os
import time as clock
from collections import Counter
from datetime import date, datetime, time, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn
from rich.table import Table

from cli.embedded.api import DEFAULT_PORT
from cli.simulator.agents import Break, Roster, Shift

if TYPE_CHECKING:
    from chalicelib.core.workhours import WorkingCalendar
    from chalicelib.reports.delivery import SendResult

DEMO_START = date(2026, 10, 1)  # the autumn semester's first month: the peak, 28 Ekim half day, 29 Ekim holiday
DEMO_DAYS = 31
REPLAY_WORKERS = 2  # concurrent Lambdas; two keep the one-process embedded AWS busy on two cores
# A small university's centre: a few calls an hour (more in the first weeks of term), three agents.
CALLS_PER_HOUR = 4
MEAN_HANDLE_SECONDS = 330  # students' questions at registration take a while
MEAN_PATIENCE_SECONDS = 240  # and they hold on for minutes before giving up
_TUESDAY_THURSDAY = frozenset({1, 3})
DEMO_ROSTER = Roster(
    (
        Shift(
            "temsilci1",
            time(8, 30),
            time(17, 30),
            (Break("Mola", time(10, 45), 15), Break("Öğle arası", time(12, 0), 60), Break("Mola", time(15, 30), 15)),
        ),
        Shift(  # a new agent: training on Tuesday and Thursday mornings (directive 7(f))
            "temsilci2",
            time(8, 30),
            time(17, 30),
            (
                Break("Eğitim", time(10, 0), 90, _TUESDAY_THURSDAY),
                Break("Mola", time(11, 15), 15),
                Break("Öğle arası", time(13, 0), 60),
                Break("Mola", time(16, 0), 15),
            ),
        ),
        Shift("temsilci3", time(13, 0), time(17, 30), (Break("Mola", time(15, 0), 15),)),  # afternoons
    ),
    forgetful=2,
    p_forget=0.12,
)
AGENTS = DEMO_ROSTER.size
OUT = Path("out")


def _fmt(value: object, key: str | None = None) -> str:
    if value is None:
        return "—"
    # A rate, in the report and in Connect's figures alike.
    if key in ("abandon_rate", "service_level", "response_rate", "resolved_rate"):
        return f"{value:.1%}"
    if isinstance(value, dict):  # satisfaction by category: the categories with a response
        return f"{len(value)} categories"
    return f"{value:.1f}" if isinstance(value, float) else str(value)


def _agents_shown(at: datetime) -> dict[str, int | None]:
    """What the live screen says of the agents at `at`: the agent events' records (the simulated Connect
    has no real-time data)."""
    from chalicelib.activity.live import agents_at
    from chalicelib.core.config import settings
    from chalicelib.core.times import now

    seen = agents_at(at, settings(), now())
    return {"online": seen.online, "available": seen.available} if seen else {"online": None, "available": None}


def _pct(value: float | None) -> str:
    return "—" if value is None else f"{value:.1%}"


def _calendar() -> WorkingCalendar:
    from chalicelib.adapters.closures import centre_calendar

    return centre_calendar()


def _send_report(month: str) -> SendResult:
    """What the scheduled `monthly_report` Lambda does on the 1st at 08:00, for the simulated month."""
    from datetime import UTC

    from chalicelib.core.times import month_bounds
    from chalicelib.reports.delivery import send_monthly_report

    first_of_next = month_bounds(month)[1] + timedelta(days=1)
    now = datetime(first_of_next.year, first_of_next.month, 1, 5, 0, tzinfo=UTC)  # 08:00 in Istanbul
    return send_monthly_report(month, now)


def _save_report_files(report: dict[str, Any]) -> dict[str, Path]:
    """What was e-mailed, as files to open: the HTML (charts inlined), the charts, the workbook, the JSON."""
    from chalicelib.reports.render import render_charts, render_html_file, render_xlsx

    month = report["month"]
    charts = render_charts(report)
    (OUT / "charts").mkdir(parents=True, exist_ok=True)
    for name, png in charts.items():
        (OUT / "charts" / f"{name}.png").write_bytes(png)
    paths = {
        "html": OUT / f"report-{month}.html",
        "xlsx": OUT / f"report-{month}.xlsx",
        "json": OUT / f"report-{month}.json",
    }
    paths["html"].write_text(render_html_file(report, charts), encoding="utf-8")
    paths["xlsx"].write_bytes(render_xlsx(report))
    paths["json"].write_text(json.dumps(report, ensure_ascii=False, indent=2), encoding="utf-8")
    return paths


def run_demo(start: date = DEMO_START, days: int = DEMO_DAYS, port: int | None = None) -> int:
    console = Console()
    from cli.runtime import quiet_lambda_logs

    quiet_lambda_logs()
    from cli.embedded import aws as embedded

    with console.status("Starting the embedded AWS (moto server on 127.0.0.1)…"):
        endpoint = embedded.use_aws_environment() or embedded.start(port or embedded.DEFAULT_PORT)
        embedded.provision(endpoint)
    from cli.embedded.sms import use_simulated_sms

    use_simulated_sms()  # moto has no SMS service: the twin's outbox is listed by `local outbox`
    # The demo's centre has the courtesy texts on (a deployment turns them on in .chalice/config.json).
    for switch in ("SMS_AFTER_SYSTEM_DROP", "SMS_AFTER_FAILED_CALLBACK"):
        os.environ.setdefault(switch, "true")
    from chalicelib.core.config import settings

    settings.cache_clear()
    console.print(f"[green]✓[/] embedded AWS at {endpoint}")
    from cli.simulator.accounts import open_demo_accounts

    with console.status("Opening the agents' accounts (Cognito invitation, Connect user, training)…"):
        agents = open_demo_accounts(AGENTS)
    console.print(f"[green]✓[/] accounts: {', '.join(agents)} (agents) and basin (supervisor)")

    from cli.replay.parallel import replay_concurrently
    from cli.replay.replayer import Replayer
    from cli.simulator.agents import expected_agents_now, expected_agents_time
    from cli.simulator.closures import declare_demo_closure
    from cli.simulator.traffic import deliver, expected_core_figures, simulate, write_jsonl

    closure = declare_demo_closure(start, days)
    if closure is not None:
        console.print(
            f"[green]✓[/] closure declared by the supervisor: {closure.day:%d.%m.%Y} all day ({closure.reason})"
        )
    with console.status(f"Simulating {days} days of the centre…"):
        sim = simulate(
            start,
            days,
            calls_per_hour=CALLS_PER_HOUR,
            mean_handle_seconds=MEAN_HANDLE_SECONDS,
            mean_patience_seconds=MEAN_PATIENCE_SECONDS,
            semester_peak=True,
            roster=DEMO_ROSTER,
            calendar=_calendar(),
        )
        delivery = deliver(sim, duplicate_rate=0.05, shuffle=True)
    OUT.mkdir(exist_ok=True)
    inputs_path = OUT / "demo-inputs.jsonl"
    write_jsonl(delivery.lines, inputs_path)
    forgotten = sum(d.forgot for d in sim.agent_days)
    console.print(
        f"[green]✓[/] simulated {len(sim.contacts)} contacts and {len(sim.agent_days)} agent shifts "
        f"({forgotten} left without logging out: {len(sim.agent_inputs)} agent events) → {len(delivery.lines)} "
        f"Lambda inputs (5 % redelivered, shuffled) in {inputs_path}"
    )

    started = clock.perf_counter()
    columns = (
        TextColumn(f"replaying through the Lambda handlers ({REPLAY_WORKERS} processes)"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeRemainingColumn(),
    )
    with Progress(*columns, console=console, transient=True) as progress:
        task = progress.add_task("replay", total=len(delivery.lines))
        stats = replay_concurrently([str(inputs_path)], REPLAY_WORKERS, on_lines=lambda n: progress.advance(task, n))
    console.print(f"[green]✓[/] {stats.summary(clock.perf_counter() - started)}")
    for problem in stats.problems[:10]:
        console.print(f"  [red]{problem}[/]")
    replayer = Replayer()  # the callback calls' contact records, as they happen

    from cli.simulator.callbacks import check_invariants, run_dispatcher

    with console.status("Returning calls: the dispatcher every 30 minutes of the simulated days…"):
        run = run_dispatcher(lambda line: replayer.replay_input(0, line), start, days + 3)
    invariants = check_invariants(sim, delivery)
    console.print(
        f"[green]✓[/] callbacks: {invariants.callbacks} raised ({invariants.asked_when_open} asked out of hours, "
        f"rung at the opening right after the system drops), {run.placed} calls placed by the "
        f"simulated Connect in {run.cycles} dispatch cycles, {run.answered} answered"
    )
    for problem in invariants.problems[:10]:
        console.print(f"  [red]{problem}[/]")

    from cli.simulator.referrals import run_referrals

    month_end = (start.replace(day=28) + timedelta(days=4)).replace(day=1)
    steps = (TextColumn("referrals: units answer, agents return (agenda hourly)"), BarColumn(), MofNCompleteColumn())
    with Progress(*steps, console=console, transient=True) as progress:
        open_hours = sum(
            1
            for d in range((month_end - start).days)
            for h in range(9, 18)
            if _calendar().is_open(datetime.combine(start + timedelta(days=d), time(h), tzinfo=_calendar().zone))
        )
        task = progress.add_task("referrals", total=open_hours)
        referrals = run_referrals(sim, start, (month_end - start).days, on_step=lambda: progress.advance(task))
    console.print(
        f"[green]✓[/] referrals: {referrals.referred} questions referred to units by e-mail; "
        f"{referrals.answered} answered on the reply page, {referrals.forwarded} forwarded to another unit, "
        f"{referrals.silent} never answered (reminded, escalated, expired); {referrals.returned} answers "
        "returned to callers"
    )
    for problem in referrals.problems[:10]:
        console.print(f"  [red]{problem}[/]")
    from cli.embedded.sms import sent_sms

    texts = Counter(text["kind"] for text in sent_sms())
    console.print(
        f"[green]✓[/] SMS: {texts['referral_answer_ready']} callers told their answer is ready, "
        f"{texts['callback_dropped']} told after a system drop that we will call back, "
        f"{texts['callback_failed']} asked to ring us after the last attempt failed (simulated End User Messaging)"
    )

    from cli.simulator.incidents import run_incidents

    with console.status("Console faults: agents report them, the supervisor resolves them…"):
        incidents = run_incidents(start, days)
    console.print(
        f"[green]✓[/] console faults: {incidents.reported} reported by agents, {incidents.resolved} resolved "
        "by the supervisor"
    )
    for problem in incidents.problems[:10]:
        console.print(f"  [red]{problem}[/]")

    from chalicelib.adapters.connect import set_connect
    from chalicelib.reports.monthly import build_report
    from chalicelib.reports.store import stored_report
    from cli.embedded.connect import SimulatedConnect

    set_connect(SimulatedConnect())  # the report sets the simulated Connect's own figures beside its own
    month = start.strftime("%Y-%m")
    with console.status("The monthly report: built from the records and e-mailed through the embedded SES…"):
        sent = _send_report(month)
        report = stored_report(month) or build_report(month)
        saved = _save_report_files(report)
    console.print(f"[green]✓[/] monthly report for {month}: {sent.status} to {', '.join(sent.recipients)}")
    expected = expected_core_figures(sim, delivery, month)

    table = Table(title=f"Çağrı Merkezi — {month} ({days} simulated days from {start:%d.%m.%Y})")
    table.add_column("figure")
    table.add_column("report", justify="right")
    table.add_column("simulation truth", justify="right")
    mismatches = 0
    rows = [("contacts", "total")] + [("calls", key) for key in report["calls"]] + [("out_of_scope", None)]
    rows += [("satisfaction", key) for key in report["satisfaction"]]
    for section, key in rows:
        got = report[section][key] if key else report[section]
        want = expected[section][key] if key else expected[section]
        if (section, key) == ("contacts", "total"):
            want += run.placed_months.get(month, 0)  # the callback calls are contacts of the month too
        mismatches += got != want
        mark = "" if got == want else " [red]≠[/]"
        table.add_row(f"{section}.{key}" if key else section, _fmt(got, key) + mark, _fmt(want, key))
    console.print(table)
    zone = ZoneInfo(report["timezone"])
    expected_agents = expected_agents_time(sim.agent_days, month, zone)
    agents_table = Table(title="agents_time (the agent event stream)")
    agents_table.add_column("agent")
    agents_table.add_column("logged in, h (report)", justify="right")
    agents_table.add_column("truth", justify="right")
    agents_table.add_column("occupancy (report)", justify="right")
    agents_table.add_column("truth", justify="right")
    got_agents = report.get("agents_time") or {"logged_in_hours": None, "by_agent": {}}
    want_agents = expected_agents or {"logged_in_hours": None, "by_agent": {}}
    mismatches += got_agents != want_agents
    for name in sorted(set(got_agents["by_agent"]) | set(want_agents["by_agent"])):
        got, want = got_agents["by_agent"].get(name, {}), want_agents["by_agent"].get(name, {})
        mark = "" if got == want else " [red]≠[/]"
        agents_table.add_row(
            name,
            _fmt(got.get("logged_in_hours")) + mark,
            _fmt(want.get("logged_in_hours")),
            _pct(got.get("occupancy")),
            _pct(want.get("occupancy")),
        )
    agents_table.add_row("total", _fmt(got_agents["logged_in_hours"]), _fmt(want_agents["logged_in_hours"]), "", "")
    console.print(agents_table)
    staffing = report["staffing"]
    console.print(
        f"Staffing: 'at work' from {staffing['at_work_source']} ({staffing['days_from_agent_events']} working days); "
        f"the need exceeded those at work in {staffing['hours_short']} weekday-hours: "
        + "; ".join(s for s in staffing["gaps"]["tr"] if "eksik" in s)[:400]
    )
    cb = report["callbacks"]
    console.print(
        f"Callbacks: {cb['created']} created {cb['by_reason']} ({cb['requested_out_of_hours']} requested out of "
        f"hours), {cb['completed']} completed "
        f"({cb['completed_within_sla']} within SLA, median {_fmt(cb['median_seconds_to_callback'])} s), "
        f"{cb['failed']} failed, {cb['unreachable']} unreachable, {cb['cancelled']} cancelled, "
        f"{cb['overdue']} overdue, {cb['open_at_month_end']} open at month end"
    )
    closed = [d for d in report["by_day"] if closure is not None and d["date"] == closure.day.isoformat()]
    console.print(
        f"Working days: {report['calls_detail']['working_days']}"
        + (f" (the closed {closed[0]['date']}: {closed[0]['inbound']} calls met a closed centre)" if closed else "")
    )
    rf = report["referrals"]
    console.print(
        f"Referrals: {rf['created']} created (+{rf['forwards']} forwarded), {rf['answered']} answered "
        f"({rf['answered_on_time']} on time, median {_fmt(rf['median_unit_working_hours'])} working hours), "
        f"{rf['late']} late, {rf['returned']} returned to callers, {rf['open_at_month_end']} open at month end"
    )
    if invariants.ok:
        console.print(
            f"[green]✓[/] every one of the {invariants.system_drops} in-scope system-dropped calls has exactly "
            "one system_drop callback; every out-of-hours request has its callback; no caller has two open "
            "callbacks; nothing out of scope is called back"
        )
    for line in report["findings"]["tr"]:
        console.print(f"  • {line}")
    # Beside the simulated Connect's own figures: from the same records, so every difference has a known reason.
    beside = report["reconciliation"].get("figures") or []
    unexplained = [row for row in beside if row["explained"] is False]
    console.print(
        ("[red]✗[/]" if unexplained or not beside else "[green]✓[/]")
        + " beside the simulated Amazon Connect's own figures (ours → Connect's): "
        + ", ".join(
            f"{row['key']} {_fmt(row['ours'], row['key'])} → {_fmt(row['connect'], row['key'])}" for row in beside
        )
        + (f"; {len(unexplained)} unexplained" if unexplained else "; each gap explained in the report")
    )
    console.print(f"Open the e-mailed report: {saved['html']}  (workbook {saved['xlsx']}, charts in {OUT}/charts/)")
    console.print(
        f"Try: .venv/bin/callcenter report --month {month} --format json  ·  "
        ".venv/bin/callcenter local outbox  ·  .venv/bin/callcenter callbacks list"
    )
    console.print(
        "The agents' panel on the demo month: .venv/bin/callcenter local api, then open "
        f"http://127.0.0.1:{DEFAULT_PORT}/console/ (sign in as basin, the local supervisor)"
    )
    busy_day = (start + timedelta(days=min(6, days - 1))).isoformat()  # a weekday of the first weeks
    at = datetime.fromisoformat(f"{busy_day}T14:00:00+03:00")
    truth_now, shown_now = expected_agents_now(sim.agent_days, at), _agents_shown(at)
    mismatches += shown_now != truth_now
    console.print(
        f"At 14:00 on {busy_day} the live screen shows {shown_now['online']} agents logged in and "
        f"{shown_now['available']} free, from the agent events (the simulation: {truth_now['online']} and "
        f"{truth_now['available']})."
    )
    console.print(
        f"The centre as it stood on a demo day: .venv/bin/callcenter live --at {busy_day}T14:00:00+03:00, or the "
        f"supervisor's console at http://127.0.0.1:{DEFAULT_PORT}/console/supervisor?at={busy_day}T14:00:00%2B03:00"
    )
    console.print("The embedded AWS keeps running; stop it with: .venv/bin/callcenter local stop")
    problems = referrals.problems or incidents.problems or unexplained or not beside
    if mismatches or not stats.ok or not replayer.stats.ok or not invariants.ok or problems:
        console.print(f"[red]{mismatches} figure(s) differ from the simulation's truth[/]")
        return 1
    return 0
