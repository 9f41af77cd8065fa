"""Benchmark: peak memory and CPU of the monthly report Lambda and of the API's rebuild, at 10,000 contacts.

What `lambda_memory_size` and `lambda_timeout` of `monthly_report` and `api_handler` in
.chalice/config.json are set from (issue 13, item 8). The month is loaded into the embedded AWS
(moto's server, its own process), then each Lambda's work runs in a fresh interpreter of its own,
as a Lambda container does, so the figures are that process's alone (moto's memory and CPU are not
in them):
- monthly_report: import the handler's module, build the month from DynamoDB and store it, render
  charts, HTML, text and workbook, build the MIME message and send it through SES;
- api_handler: import the app (what `app.app` loads), `POST /reports/{month}/rebuild` (build and
  store, no rendering), then `GET /reports/{month}` (read back, serialise).
Per stage: peak RSS (the process's high-water mark, VmHWM, what Lambda reports as "Max Memory
Used" less its runtime's own share; `getrusage`'s ru_maxrss is the same figure in a Lambda, but on
Linux a child keeps its forking parent's peak in it), CPU seconds (user + system of the child
alone, the figure that scales with Lambda's CPU share; wall seconds include moto's and are no
measure of DynamoDB), DynamoDB requests, and, in a second pass, the peak of Python allocations
(tracemalloc).
Run: .venv/bin/python bench/report_memory.py [contacts]   (writes bench/report_memory.json)
"""

from __future__ import annotations

import json
import math
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

MONTH, NOW = "2026-10", "2026-11-01T05:00:00+00:00"  # the schedule fires at 08:00 Istanbul on the 1st
# Choosing from the measurement (issue 13, item 8).
# Memory: the Lambda runtime's own (bootstrap, runtime client, boto3 as it loads it) counted on top
# of the measured peak, although part of it (the interpreter, boto3) is in the measurement already;
# then half as much again for busier months and what this machine does not show; 64 MB steps.
RUNTIME_OVERHEAD_MB = 80
MEMORY_HEADROOM = 1.5
# Time: Lambda gives a function CPU in proportion to its memory (one vCPU at 1,769 MB), so the CPU
# seconds measured here (parsing the answers included) are stretched by that share; DynamoDB's own
# time is a stated assumption, because moto's server is no measure of it: 50 ms a request in the
# region, most of them a day's Query page of up to 1 MB, many of them empty.
LAMBDA_FULL_CPU_MB = 1769
SECONDS_PER_DYNAMODB_REQUEST = 0.05
# The monthly job: a month whose previous one is not stored reads both (x2), and half again.
TIMEOUT_HEADROOM = 3.0
# The API: API Gateway's REST integration answers within 29 s or not at all, so the rebuild must
# fit in half of that; a longer Lambda timeout would only run on after the caller got a 504.
API_GATEWAY_LIMIT_SECONDS = 29
API_HEADROOM = 2.0

CHILD = r"""
import json, os, resource, sys, time, tracemalloc  # noqa: E401
from datetime import datetime

def rss_mb():
    # VmHWM: this process's peak resident set. ru_maxrss would do in a Lambda, but here it keeps the
    # forking parent's peak across fork and exec (Linux carries it over), so it would start at ours.
    with open("/proc/self/status") as status:
        return next(int(line.split()[1]) for line in status if line.startswith("VmHWM:")) / 1024

def cpu():
    r = resource.getrusage(resource.RUSAGE_SELF)
    return r.ru_utime + r.ru_stime

stages, traced, requests = [], os.environ.get("BENCH_TRACE") == "1", [0]
def stage(name, work):
    if traced:
        tracemalloc.start()
    c, t, n = cpu(), time.perf_counter(), requests[0]
    value = work()
    row = {"stage": name, "cpu_seconds": round(cpu() - c, 2), "wall_seconds": round(time.perf_counter() - t, 2),
           "peak_rss_mb": round(rss_mb(), 1), "dynamodb_requests": requests[0] - n}
    if traced:
        row["python_peak_mb"] = round(tracemalloc.get_traced_memory()[1] / 2**20, 1)
        tracemalloc.stop()
    stages.append(row)
    return value

def count_requests():  # every DynamoDB request (one botocore session serves every model)
    from chalicelib.adapters.dynamo import _thread_session
    _thread_session().register("before-call.dynamodb", lambda **_: requests.__setitem__(0, requests[0] + 1))

month, now = sys.argv[2], datetime.fromisoformat(sys.argv[3])
stage("interpreter", lambda: None)
if sys.argv[1] == "monthly_report":
    stage("import chalicelib.reports.handlers", lambda: __import__("chalicelib.reports.handlers"))
    stage("import boto3 and PynamoDB", count_requests)
    from chalicelib.core.config import settings
    from chalicelib.adapters.mail import SesNotifier
    from chalicelib.reports.delivery import build_and_store, compose
    report = stage("build and store", lambda: build_and_store(month, now))
    from chalicelib.reports import render
    charts = stage("charts", lambda: render.render_charts(report))
    stage("html and text", lambda: (render.render_html(report, {c: c for c in charts}), render.render_text(report)))
    stage("workbook", lambda: render.render_xlsx(report))
    email = stage("compose (all renderings again)", lambda: compose(report, settings()))
    stage("MIME and SES send", lambda: SesNotifier().send(email))
else:
    stage("import app", lambda: __import__("app"))
    count_requests()
    from chalicelib.reports import store
    from chalicelib.reports.delivery import build_and_store
    stage("POST rebuild (build and store)", lambda: build_and_store(month, now))
    stage("GET (read and serialise)", lambda: json.dumps(store.stored_report(month)))
print(json.dumps(stages))
"""


def run_child(kind: str, endpoint: str, traced: bool) -> list[dict]:
    env = {**os.environ, "AWS_ENDPOINT_URL": endpoint, "BENCH_TRACE": "1" if traced else "0"}
    out = subprocess.run(
        [sys.executable, "-c", CHILD, kind, MONTH, NOW], cwd=ROOT, env=env, capture_output=True, text=True, check=False
    )
    if out.returncode:
        raise RuntimeError(f"{kind} failed:\n{out.stderr[-3000:]}")
    return json.loads(out.stdout.strip().splitlines()[-1])


def _steps(mb: float) -> int:
    return 64 * math.ceil(mb / 64)


def lambda_seconds(cpu_seconds: float, memory_mb: int, requests: int) -> float:
    """The CPU work stretched by Lambda's share of a vCPU at `memory_mb`, and DynamoDB's time."""
    return (
        cpu_seconds * LAMBDA_FULL_CPU_MB / min(memory_mb, LAMBDA_FULL_CPU_MB) + requests * SECONDS_PER_DYNAMODB_REQUEST
    )


def recommend(kind: str, peak_rss_mb: float, cpu_seconds: float, requests: int) -> dict:
    """`lambda_memory_size` and `lambda_timeout` from the measurement, by the rules above."""
    memory = _steps((peak_rss_mb + RUNTIME_OVERHEAD_MB) * MEMORY_HEADROOM)
    if kind == "api_handler":
        budget = API_GATEWAY_LIMIT_SECONDS / API_HEADROOM - requests * SECONDS_PER_DYNAMODB_REQUEST
        memory = max(memory, _steps(LAMBDA_FULL_CPU_MB * cpu_seconds / budget))
        timeout = API_GATEWAY_LIMIT_SECONDS
    else:
        timeout = 30 * math.ceil(lambda_seconds(cpu_seconds, memory, requests) * TIMEOUT_HEADROOM / 30)
    return {
        "lambda_memory_size": memory,
        "lambda_timeout": timeout,
        "estimated_seconds_at_that_memory": round(lambda_seconds(cpu_seconds, memory, requests), 1),
    }


def summarise(kind: str, stages: list[dict], traced: list[dict]) -> dict:
    peak = max(s["peak_rss_mb"] for s in stages)
    cpu = round(sum(s["cpu_seconds"] for s in stages), 2)
    requests = sum(s["dynamodb_requests"] for s in stages)
    for row, with_trace in zip(stages, traced, strict=True):
        row["python_peak_mb"] = with_trace["python_peak_mb"]
    return {
        "function": kind,
        "stages": stages,
        "peak_rss_mb": peak,
        "cpu_seconds": cpu,
        "dynamodb_requests": requests,
        "recommended": recommend(kind, peak, cpu, requests),
    }


def main() -> None:
    contacts = int(sys.argv[1]) if len(sys.argv) > 1 else 10_000
    home = tempfile.mkdtemp(prefix="cagri-bench-")
    os.environ.update(
        {
            "CALLCENTER_HOME": home,  # never the operator's embedded AWS
            "POWERTOOLS_LOG_LEVEL": "CRITICAL",
            "POWERTOOLS_METRICS_DISABLED": "true",
            "STAGE": "local",
        }
    )
    from report_scale import load  # sets dummy credentials: before the endpoint is set
    from run import _free_port

    from cli.embedded import aws as embedded

    endpoint = embedded.start(_free_port())
    try:
        started = time.perf_counter()
        load(contacts)
        loaded = round(time.perf_counter() - started, 1)
        results = []
        for kind in ("monthly_report", "api_handler"):
            stages = run_child(kind, endpoint, traced=False)
            traced = run_child(kind, endpoint, traced=True)
            results.append(summarise(kind, stages, traced))
            print(json.dumps(results[-1]))
    finally:
        embedded.stop()
        shutil.rmtree(home, ignore_errors=True)
    figures = {
        "contacts": contacts,
        "month": MONTH,
        "load_seconds": loaded,
        "rule": {
            "runtime_overhead_mb": RUNTIME_OVERHEAD_MB,
            "memory_headroom": MEMORY_HEADROOM,
            "lambda_full_cpu_mb": LAMBDA_FULL_CPU_MB,
            "seconds_per_dynamodb_request": SECONDS_PER_DYNAMODB_REQUEST,
            "monthly_timeout_headroom": TIMEOUT_HEADROOM,
            "api_gateway_limit_seconds": API_GATEWAY_LIMIT_SECONDS,
            "api_headroom": API_HEADROOM,
        },
        "functions": results,
        "python": sys.version.split()[0],
    }
    (ROOT / "bench" / "report_memory.json").write_text(json.dumps(figures, indent=2) + "\n")


if __name__ == "__main__":
    main()
