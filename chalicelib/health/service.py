"""Health checks and the silence watchdog (directive 7(d)).

`run_checks` asks each dependency one cheap question: every table (DescribeTable: ACTIVE?), SES
(GetSendQuota and GetAccountSendingEnabled: may we send, and is quota left?), Amazon Connect
(DescribeInstance through the adapter: ACTIVE?), and the contact stream (the heartbeat's age; stale
when silent for `silence_alert_minutes` of working time). The answer holds statuses, ages and
counts only — no personal data, and no error text from AWS beyond its error code.

`watchdog` runs every 5 minutes: when the contact stream is silent in working hours it e-mails the
supervisor, once per silence (a conditional write claims the alert before the e-mail goes); when a
dead-letter queue holds inputs that AWS gave up delivering, it e-mails the supervisor once a day
per queue until the queue is redriven or emptied.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime, timedelta
from functools import lru_cache
from typing import Any

from botocore.exceptions import BotoCoreError, ClientError
from pynamodb.exceptions import PynamoDBException
from pynamodb.models import Model

from chalicelib.adapters.connect import ConnectRefused, ConnectUnavailable
from chalicelib.adapters.connect_users import ConnectUsersPort
from chalicelib.adapters.mail import Notifier, OutgoingEmail
from chalicelib.core.config import Settings, settings
from chalicelib.core.observability import count, logger
from chalicelib.core.times import iso
from chalicelib.core.workhours import WorkingCalendar
from chalicelib.health import store
from chalicelib.health.rules import FAILING, OK, STALE, overall, silence


@lru_cache(maxsize=1)
def sqs_client() -> Any:
    import boto3

    return boto3.client("sqs", region_name=settings().region)


def queue_name(url: str) -> str:
    return url.rstrip("/").rsplit("/", 1)[-1]


def check_dead_letters(cfg: Settings, sqs: Any = None) -> dict[str, Any]:
    """Messages waiting in each dead-letter queue: inputs AWS gave up delivering (directive 7(d))."""
    queues: dict[str, int | str] = {}
    for url in cfg.dead_letter_queues:
        try:
            attributes = (sqs or sqs_client()).get_queue_attributes(
                QueueUrl=url, AttributeNames=["ApproximateNumberOfMessages", "ApproximateNumberOfMessagesNotVisible"]
            )["Attributes"]
            queues[queue_name(url)] = sum(int(v) for v in attributes.values())
        except (BotoCoreError, ClientError) as error:
            queues[queue_name(url)] = _error_code(error)
    healthy = all(value == 0 for value in queues.values())
    return {"status": OK if healthy else FAILING, "queues": queues}


@lru_cache(maxsize=1)
def ses_client() -> Any:
    import boto3

    return boto3.client("ses", region_name=settings().region)


def _error_code(error: Exception) -> str:
    if isinstance(error, ClientError):
        return str(error.response.get("Error", {}).get("Code", "ClientError"))
    cause = getattr(error, "cause_response_code", None)
    return str(cause or type(error).__name__)


def check_tables(models: Iterable[type[Model]]) -> dict[str, Any]:
    tables: dict[str, str] = {}
    for model in models:
        try:
            tables[model.Meta.table_name] = str(model.describe_table().get("TableStatus", "UNKNOWN"))
        except (PynamoDBException, BotoCoreError, ClientError) as error:
            tables[model.Meta.table_name] = _error_code(error)
    healthy = all(status == "ACTIVE" for status in tables.values())
    return {"status": OK if healthy else FAILING, "tables": tables}


def check_ses(client: Any) -> dict[str, Any]:
    try:
        quota = client.get_send_quota()
    except (BotoCoreError, ClientError) as error:
        return {"status": FAILING, "error": _error_code(error)}
    enabled = _sending_enabled(client)
    maximum, sent = float(quota.get("Max24HourSend", 0)), float(quota.get("SentLast24Hours", 0))
    healthy = enabled is not False and (maximum < 0 or sent < maximum)  # -1: unlimited
    return {"status": OK if healthy else FAILING, "sending_enabled": enabled, "sent_24h": sent, "max_24h": maximum}


def _sending_enabled(client: Any) -> bool | None:
    """Whether SES sends for the account; None when the endpoint cannot say (the embedded AWS has no
    GetAccountSendingEnabled: moto raises or answers what botocore cannot parse), judged by the quota then."""
    try:
        return bool(client.get_account_sending_enabled().get("Enabled", False))
    except ClientError:
        return False
    except Exception:  # NotImplementedError in process, ResponseParserError over HTTP
        return None


def check_connect(connect: ConnectUsersPort) -> dict[str, Any]:
    try:
        status = connect.instance_status()
    except (ConnectUnavailable, ConnectRefused) as error:
        logger.warning("connect instance check failed", extra={"error": str(error)})
        return {"status": FAILING, "error": "unavailable" if isinstance(error, ConnectUnavailable) else "refused"}
    return {"status": OK if status == "ACTIVE" else FAILING, "instance_status": status}


def check_contact_events(now: datetime, calendar: WorkingCalendar, cfg: Settings) -> dict[str, Any]:
    try:
        last = store.last_event_at()
    except (PynamoDBException, BotoCoreError, ClientError) as error:
        return {"status": FAILING, "error": _error_code(error)}
    quiet = silence(last, now, calendar, timedelta(minutes=cfg.silence_alert_minutes))
    return {
        "status": STALE if quiet else OK,
        "last_event_at": iso(last),
        "age_minutes": round((now - last).total_seconds() / 60, 1) if last else None,
        "centre_open": calendar.is_open(now),
    }


def run_checks(
    now: datetime,
    connect: ConnectUsersPort,
    calendar: WorkingCalendar,
    models: Iterable[type[Model]],
    ses: Any = None,
    cfg: Settings | None = None,
) -> tuple[int, dict[str, Any]]:
    """Every check at once; `models` are the tables to describe (the registry, `chalicelib.tables`)."""
    cfg = cfg or settings()
    checks = {
        "tables": check_tables(models),
        "ses": check_ses(ses if ses is not None else ses_client()),
        "connect": check_connect(connect),
        "contact_events": check_contact_events(now, calendar, cfg),
        "dead_letters": check_dead_letters(cfg),
    }
    healthy, code = overall(checks)
    if not healthy:
        failing = sorted(name for name, check in checks.items() if check["status"] != OK)
        logger.warning("health check failing", extra={"failing": failing})
        count("HealthChecksFailing")
    return code, {"status": "ok" if healthy else "degraded", "checked_at": iso(now), "checks": checks}


def silence_email(minutes: float, since: datetime, cfg: Settings) -> OutgoingEmail:
    local = since.astimezone(cfg.zone).strftime("%d.%m.%Y %H:%M")
    text = (
        f"Çalışma saatinde {int(minutes)} dakikadır hiçbir çağrı olayı gelmedi "
        f"(son olay ya da açılış: {local}, İstanbul).\n"
        f"Amazon Connect, EventBridge kuralı veya Kinesis akışı durmuş olabilir; /health adresini denetleyin "
        f"(Yönerge madde 7(d)).\n\n"
        f"— English —\n\n"
        f"No contact event has arrived for {int(minutes)} minutes during working hours "
        f"(last event or opening: {local}, Istanbul).\n"
        f"Amazon Connect, the EventBridge rule or the Kinesis stream may have stopped; check /health.\n"
    )
    return OutgoingEmail(
        sender=cfg.sender_address,
        sender_name="OSTİM Teknik Üniversitesi Çağrı ve İletişim Merkezi",
        recipients=(cfg.supervisor_address,),
        subject=f"[Uyarı / Alert] {int(minutes)} dakikadır çağrı olayı yok",
        text=text,
    )


# How long the trace-record stream keeps a record that failed: the redrive reads it back from there
# (infra/retries.py CTR_STREAM_RETENTION_HOURS; a test keeps the two equal).
CTR_STREAM_DAYS = 7


def dead_letter_email(queues: dict[str, int], cfg: Settings) -> OutgoingEmail:
    lines = "\n".join(f"  {name}: {count_}" for name, count_ in sorted(queues.items()))
    text = (
        f"AWS'nin teslim edemediği girdiler ölü mektup kuyruklarında bekliyor:\n{lines}\n"
        f"Bu girdiler kayıtlara işlenmedi: nedenini giderip `callcenter redrive` ile yeniden işleyin. "
        f"Görüşme kayıtları (CTR) akışta {CTR_STREAM_DAYS} gün tutulur; bu süre geçerse yeniden işlenemez. "
        f"Kuyruk boşalana dek her gün bir kez hatırlatılır (Yönerge madde 7(d)).\n\n"
        f"— English —\n\nInputs AWS could not deliver are waiting in the dead-letter queues:\n{lines}\n"
        f"They are not in the records yet: fix the cause and run `callcenter redrive`. Contact trace "
        f"records stay in the stream for {CTR_STREAM_DAYS} days; after that they cannot be redriven. "
        f"A reminder goes daily until the queues are empty.\n"
    )
    return OutgoingEmail(
        sender=cfg.sender_address,
        sender_name="OSTİM Teknik Üniversitesi Çağrı ve İletişim Merkezi",
        recipients=(cfg.supervisor_address,),
        subject=f"[Uyarı / Alert] Teslim edilemeyen {sum(queues.values())} girdi bekliyor / undelivered inputs",
        text=text,
    )


def _dead_letter_alert(now: datetime, notifier: Notifier, cfg: Settings) -> dict[str, Any]:
    queues = {k: v for k, v in check_dead_letters(cfg)["queues"].items() if isinstance(v, int) and v > 0}
    if not queues:
        return {}
    key = f"dead-letters#{now.astimezone(cfg.zone).date().isoformat()}"  # once a day while not empty
    if not store.claim_alert(key, now):
        return {"dead_letters": "already_alerted"}
    try:
        notifier.send(dead_letter_email(queues, cfg))
    except Exception:
        store.release_alert(key)
        raise
    count("DeadLetterAlerts")
    logger.warning("dead letters waiting: supervisor alerted", extra={"queues": sorted(queues)})
    return {"dead_letters": "alerted", "waiting": sum(queues.values())}


def watchdog(
    now: datetime, notifier: Notifier, calendar: WorkingCalendar, cfg: Settings | None = None
) -> dict[str, Any]:
    """Alert the supervisor once per silence, and daily while inputs wait in a dead-letter queue;
    returns what it did (no personal data)."""
    cfg = cfg or settings()
    return _silence_alert(now, notifier, calendar, cfg) | _dead_letter_alert(now, notifier, cfg)


def _silence_alert(now: datetime, notifier: Notifier, calendar: WorkingCalendar, cfg: Settings) -> dict[str, Any]:
    quiet = silence(store.last_event_at(), now, calendar, timedelta(minutes=cfg.silence_alert_minutes))
    if quiet is None:
        return {"status": "ok"}
    if not store.claim_alert(quiet.key, now):
        return {"status": "already_alerted", "silent_minutes": quiet.minutes}
    try:
        message_id = notifier.send(silence_email(quiet.minutes, quiet.since, cfg))
    except Exception:
        store.release_alert(quiet.key)  # the next run tries again
        raise
    count("SilenceAlerts")
    logger.warning("contact events silent: supervisor alerted", extra={"minutes": quiet.minutes})
    return {"status": "alerted", "silent_minutes": quiet.minutes, "message_id": message_id}
