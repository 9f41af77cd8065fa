"""The Amazon Connect adapter: the only module that calls Connect's API.

A port (`ConnectPort`) with two implementations: `AmazonConnect` (boto3; tested with
botocore's Stubber against the real service model, since moto has no Connect contact
APIs) and the simulated twin in `cli/sim_connect.py` for the embedded AWS. Connect's
errors are translated here into the domain's: throttling and 5xx → `ConnectUnavailable`
(try again later), a request Connect refuses → `ConnectRefused` (will not work as it is).

Besides placing contacts it reads Connect's own historical figures of a month (`historical_figures`:
ListQueues, then GetMetricDataV2), which the monthly report sets beside ours.
"""

from __future__ import annotations

import calendar
import hashlib
import re
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, Any, Protocol

from botocore.exceptions import ClientError, HTTPClientError, ParamValidationError
from botocore.exceptions import ConnectionError as BotoConnectionError

if TYPE_CHECKING:
    from mypy_boto3_connect import ConnectClient as BotoConnect

    from chalicelib.core.config import Settings


@dataclass(frozen=True)
class CallbackPlacement:
    """One attempt at returning a call."""

    callback_id: str
    attempt: int
    destination: str  # E.164
    reason: str  # system_drop | abandoned | requested
    preferred_agent_arn: str | None = None
    source_contact_id: str | None = None
    attributes: dict[str, str] = field(default_factory=dict)

    @property
    def client_token(self) -> str:
        """Idempotent per attempt: a retried API call after a timeout never places a second call."""
        return f"{self.callback_id}-{self.attempt}"


@dataclass(frozen=True)
class ReferralTask:
    """A unit's answer is waiting: give the agents an Amazon Connect task to return it to the caller."""

    referral_id: str
    reference: str  # ÇİM-2026-000123
    unit_name: str
    return_channel: str

    @property
    def client_token(self) -> str:
        return f"{self.referral_id}-answer"  # one task per answer, however often the scheduler retries


@dataclass(frozen=True)
class AgentsNow:
    """Connect's real-time view of the agents: logged in on the live routing profile, and available."""

    online: int
    available: int | None  # None: the source knows who is logged in, not who is free


# Real-time data is about now: asked about another moment (a replayed day), Connect has no answer.
REAL_TIME_TOLERANCE = timedelta(minutes=2)


@dataclass(frozen=True)
class MetricsRequest:
    """Connect's own historical figures of the centre's voice contacts over [start, end)."""

    start: datetime
    end: datetime
    timezone: str  # the centre's (Europe/Istanbul): the zone Connect is asked to count in
    threshold_seconds: int  # the service level's X
    now: datetime  # Connect has nothing after now, nor more than HISTORY_MONTHS back


@dataclass(frozen=True)
class HistoricalFigures:
    """What Connect answered; None where it gave no value (nothing to divide by, or no such metric)."""

    queued: int | None
    handled: int | None
    abandoned: int | None
    service_level: float | None  # a fraction in [0, 1]; Connect answers in percent
    aht_seconds: float | None
    source: str  # "amazon_connect", or "simulated" (the embedded AWS's twin)
    queues: int  # how many of the instance's queues the figures cover


# GetMetricDataV2: "Historical metrics are available for 3 months"; a TOTAL interval spans under 35 days.
HISTORY_MONTHS = 3
TOTAL_INTERVAL_LIMIT = timedelta(days=35)
# The figures the report compares, as GetMetricDataV2 names them, in the order they are asked.
HISTORICAL_METRICS = {
    "queued": "CONTACTS_QUEUED",
    "handled": "CONTACTS_HANDLED",
    "abandoned": "CONTACTS_ABANDONED",
    "service_level": "SERVICE_LEVEL",
    "aht_seconds": "AVG_HANDLE_TIME",
}
_FILTER_VALUES_MAX = 100  # across all filter keys (the CHANNEL values do not count)


class ConnectUnavailable(Exception):
    """Throttled, timed out or failed on Connect's side: the callback stays due and is retried."""


class ConnectRefused(Exception):
    """Connect refused the request itself (bad number, missing flow…): retrying will not help."""


class ConnectDuplicate(ConnectRefused):
    """Connect already has this resource (a username taken in the instance)."""


class ConnectNotFound(ConnectRefused):
    """The resource named in the request does not exist (a user already deleted, an unknown profile)."""


class ConnectNotConfigured(ConnectRefused):
    """No Amazon Connect instance is configured for this stage (the settings' placeholder id)."""


class ConnectNoHistory(ConnectRefused):
    """Connect keeps no figures for the period asked: older than HISTORY_MONTHS, or not begun yet."""


class ConnectPort(Protocol):
    def start_outbound_call(self, placement: CallbackPlacement) -> str:
        """Ring the caller from the callback queue; returns the new ContactId."""

    def start_task(self, placement: CallbackPlacement) -> str:
        """Give agents a task to return the call; returns the new ContactId."""

    def start_referral_task(self, task: ReferralTask) -> str:
        """Give agents a task to pass a unit's answer to the caller; returns the new ContactId."""

    def update_contact_attributes(self, initial_contact_id: str, attributes: dict[str, str]) -> None:
        """Set user-defined attributes on a contact (an agent's classification), so its trace record carries them."""

    def agents_now(self, at: datetime) -> AgentsNow | None:
        """Agents logged in and available as of `at`; None when the source cannot tell for that moment."""

    def historical_figures(self, request: MetricsRequest) -> HistoricalFigures:
        """Connect's own figures of the period (GetMetricDataV2): its voice contacts in its queues."""


# The error codes the two operations declare in botocore's connect 2017-08-08 model.
# StartOutboundVoiceContact throttles with LimitExceededException (429); StartTaskContact with
# ThrottlingException (429), and ServiceQuotaExceededException (402) when too many tasks are open.
_UNAVAILABLE_CODES = frozenset(
    {"ThrottlingException", "LimitExceededException", "ServiceQuotaExceededException", "InternalServiceException"}
)
_REFUSED_CODES = frozenset(
    {
        "InvalidParameterException",
        "InvalidRequestException",
        "ResourceNotFoundException",
        "DuplicateResourceException",
        "DestinationNotAllowedException",
        "OutboundContactNotPermittedException",
    }
)
_CLASSES: dict[str, type[Exception]] = {
    "DuplicateResourceException": ConnectDuplicate,
    "ResourceNotFoundException": ConnectNotFound,
}
_PARAM_NAME = re.compile(r"parameter ([A-Za-z][\w.\[\]]*)")
_CLIENT_TOKEN_MAX = 500  # ClientToken: max 500 (botocore does not check max lengths client-side)
_TASK_NAME_MAX = 512  # the API reference's limit for a task's Name (the model now allows 1024)
_PHONE_LIKE = re.compile(r"\+?\d[\d ()-]{5,}\d")

_REASON_TITLES = {
    "system_drop": "sistem kesintisi",
    "abandoned": "kuyrukta beklerken kapatılan çağrı",
    "requested": "arayanın talebi",
}


def _title(placement: CallbackPlacement) -> str:
    reason = _REASON_TITLES.get(placement.reason, placement.reason)
    return f"Geri arama: {reason}"[:_TASK_NAME_MAX]


def _description(placement: CallbackPlacement) -> str:
    # The number never goes into free text: agents see it in the contact's attributes in the CCP.
    return (
        f"Geri arama {placement.callback_id}, {placement.attempt}. deneme. "
        f"Neden: {_REASON_TITLES.get(placement.reason, placement.reason)}."
    )


def _client_token(placement: CallbackPlacement) -> str:
    token = placement.client_token
    if len(token) <= _CLIENT_TOKEN_MAX:
        return token
    return hashlib.sha256(token.encode()).hexdigest()  # still one token per attempt


def _attributes(placement: CallbackPlacement, **extra: str) -> dict[str, str]:
    attributes = {key: str(value) for key, value in placement.attributes.items()}
    attributes |= {
        "callback_id": placement.callback_id,
        "callback_reason": placement.reason,
        "callback_attempt": str(placement.attempt),
    }
    if placement.source_contact_id:
        attributes["source_contact_id"] = placement.source_contact_id
    if placement.preferred_agent_arn:
        attributes["preferred_agent"] = placement.preferred_agent_arn
    return attributes | extra


def _scrub(text: str) -> str:
    return _PHONE_LIKE.sub("<numara>", text)


class ConnectClient:
    """The boto3 Connect client both adapters share, created on first use so importing costs nothing."""

    def __init__(self, client: BotoConnect | None = None, settings: Settings | None = None) -> None:
        if settings is None:
            from chalicelib.core.config import settings as load

            settings = load()
        self._settings = settings
        self._client = client

    @property
    def client(self) -> BotoConnect:
        if self._client is None:
            import boto3
            from botocore.config import Config

            self._client = boto3.client(
                "connect",
                region_name=self._settings.region,
                config=Config(connect_timeout=2, read_timeout=5, retries={"mode": "standard", "max_attempts": 2}),
            )
        return self._client


class AmazonConnect(ConnectClient):
    """`ConnectPort` over boto3."""

    def start_outbound_call(self, placement: CallbackPlacement) -> str:
        cfg = self._settings
        client = self.client  # made outside: only the call's errors are Connect's
        with connect_errors(_where("StartOutboundVoiceContact", placement)):
            return client.start_outbound_voice_contact(
                DestinationPhoneNumber=placement.destination,
                ContactFlowId=cfg.callback_flow_id,
                InstanceId=cfg.connect_instance_id,
                QueueId=cfg.callback_queue_id,
                ClientToken=_client_token(placement),
                Attributes=_attributes(placement),
                Name=_title(placement),
                Description=_description(placement),
            )["ContactId"]

    def start_task(self, placement: CallbackPlacement) -> str:
        cfg = self._settings
        client = self.client
        with connect_errors(_where("StartTaskContact", placement)):
            return client.start_task_contact(
                InstanceId=cfg.connect_instance_id,
                ContactFlowId=cfg.callback_task_flow_id,
                Name=_title(placement),
                Description=_description(placement),
                Attributes=_attributes(placement, callback_number=placement.destination),
                ClientToken=_client_token(placement),
            )["ContactId"]

    def start_referral_task(self, task: ReferralTask) -> str:
        # Neither the question nor the answer goes into the task: agents read them in Çağrı, audited.
        client = self.client
        with connect_errors(f"StartTaskContact for referral {task.referral_id}"):
            return client.start_task_contact(
                InstanceId=self._settings.connect_instance_id,
                ContactFlowId=self._settings.referral_task_flow_id,
                Name=f"Birim yanıtı hazır: {task.reference}"[:_TASK_NAME_MAX],
                Description=(
                    f"{task.unit_name} yanıtladı. Yanıtı arayana {task.return_channel} kanalından iletin; "
                    f"soru ve yanıt Çağrı'da, {task.reference} referansıyla."
                ),
                Attributes={
                    "referral_id": task.referral_id,
                    "referral_reference": task.reference,
                    "return_channel": task.return_channel,
                },
                ClientToken=task.client_token,
            )["ContactId"]

    def update_contact_attributes(self, initial_contact_id: str, attributes: dict[str, str]) -> None:
        # Only vocabulary goes in (a category), never free text: the attributes travel with the contact.
        with connect_errors(f"UpdateContactAttributes for contact {initial_contact_id}"):
            self.client.update_contact_attributes(
                InitialContactId=initial_contact_id,
                InstanceId=self._settings.connect_instance_id,
                Attributes=attributes,
            )

    def agents_now(self, at: datetime) -> AgentsNow | None:
        """GetCurrentUserData for the users on the live routing profile: who is logged in, who is free
        (status Available and no contact). Only about now: another moment has no real-time answer."""
        if abs(datetime.now(UTC) - at) > REAL_TIME_TOLERANCE:
            return None
        online = available = 0
        params: dict[str, Any] = {
            "InstanceId": self._settings.connect_instance_id,
            "Filters": {"RoutingProfiles": [self._settings.agent_live_routing_profile_id]},
            "MaxResults": 100,
        }
        while True:
            with connect_errors("GetCurrentUserData"):
                page = self.client.get_current_user_data(**params)
            for user in page.get("UserDataList", []):
                online += 1
                status = (user.get("Status") or {}).get("StatusName", "")
                available += status.lower() == "available" and not user.get("Contacts")
            if not page.get("NextToken"):
                return AgentsNow(online, available)
            params["NextToken"] = page["NextToken"]

    def historical_figures(self, request: MetricsRequest) -> HistoricalFigures:
        """ListQueues (the instance's standard queues), then GetMetricDataV2 over them for voice contacts,
        one TOTAL interval in the centre's time zone. Refused before any call when no instance is
        configured, or when Connect keeps nothing for the period (`history_window`)."""
        from chalicelib.core.config import Settings

        if self._settings.connect_instance_id == Settings.model_fields["connect_instance_id"].default:
            raise ConnectNotConfigured("no Amazon Connect instance is configured (CONNECT_INSTANCE_ID)")
        start, end = history_window(request)
        queues = self._standard_queues()
        if not queues:
            raise ConnectRefused("ListQueues: the instance has no standard queue")
        if len(queues) > _FILTER_VALUES_MAX:
            raise ConnectRefused(f"ListQueues: {len(queues)} standard queues, more than one request may name")
        # A queue's ARN is its instance's ARN + /queue/<id>: the instance's ARN needs no setting of its own.
        instance_arn = queues[0][1].partition("/queue/")[0]
        params: dict[str, Any] = {
            "ResourceArn": instance_arn,
            "StartTime": start,
            "EndTime": end,
            "Interval": {"TimeZone": request.timezone, "IntervalPeriod": "TOTAL"},
            "Filters": [
                {"FilterKey": "QUEUE", "FilterValues": [queue_id for queue_id, _ in queues]},
                {"FilterKey": "CHANNEL", "FilterValues": ["VOICE"]},
            ],
            "Metrics": [_metric(name, request.threshold_seconds) for name in HISTORICAL_METRICS.values()],
        }
        values: dict[str, float | None] = {}
        found = False
        while True:
            with connect_errors("GetMetricDataV2"):
                page = self.client.get_metric_data_v2(**params)
            for result in page.get("MetricResults") or []:
                found = True
                for item in result.get("Collections") or []:
                    values.setdefault((item.get("Metric") or {}).get("Name", ""), item.get("Value"))
            if not page.get("NextToken"):
                break
            params["NextToken"] = page["NextToken"]
        return _figures(values, found, len(queues))

    def _standard_queues(self) -> list[tuple[str, str]]:
        """(id, ARN) of every standard queue of the instance (agents' own queues are not in the metrics)."""
        params: dict[str, Any] = {
            "InstanceId": self._settings.connect_instance_id,
            "QueueTypes": ["STANDARD"],
            "MaxResults": 1000,
        }
        queues = []
        while True:
            with connect_errors("ListQueues"):
                page = self.client.list_queues(**params)
            queues += [(q["Id"], q["Arn"]) for q in page.get("QueueSummaryList", []) if q.get("Id") and q.get("Arn")]
            if not page.get("NextToken"):
                return queues
            params["NextToken"] = page["NextToken"]


def _where(operation: str, placement: CallbackPlacement) -> str:
    return f"{operation} for callback {placement.callback_id} attempt {placement.attempt}"


def _months_before(moment: datetime, months: int) -> datetime:
    year, month = divmod(moment.year * 12 + moment.month - 1 - months, 12)
    return moment.replace(year=year, month=month + 1, day=min(moment.day, calendar.monthrange(year, month + 1)[1]))


def history_window(request: MetricsRequest) -> tuple[datetime, datetime]:
    """[start, end) as GetMetricDataV2 takes it: ending no later than now, starting within what Connect keeps."""
    if request.now <= request.start:
        raise ConnectNoHistory(f"GetMetricDataV2: the period from {request.start.isoformat()} has not begun")
    if request.start < _months_before(request.now, HISTORY_MONTHS):
        raise ConnectNoHistory(
            f"GetMetricDataV2: Connect keeps {HISTORY_MONTHS} months of history; "
            f"the period from {request.start.isoformat()} is older"
        )
    end = min(request.end, request.now)
    if end - request.start >= TOTAL_INTERVAL_LIMIT:
        raise ConnectRefused("GetMetricDataV2: a TOTAL interval must span less than 35 days")
    return request.start, end


def _metric(name: str, threshold_seconds: int) -> dict[str, Any]:
    if name != "SERVICE_LEVEL":
        return {"Name": name}
    # "≤ X s", as the report's own service level; Connect takes LT or LTE.
    return {"Name": name, "Threshold": [{"Comparison": "LTE", "ThresholdValue": float(threshold_seconds)}]}


def _figures(values: dict[str, float | None], found: bool, queues: int) -> HistoricalFigures:
    """Connect's values as figures. No result at all is Connect's "no data": no contact, so counts are 0."""

    def count(key: str) -> int | None:
        value = values.get(HISTORICAL_METRICS[key])
        return round(value) if value is not None else (None if found else 0)

    def number(key: str) -> float | None:
        value = values.get(HISTORICAL_METRICS[key])
        return None if value is None else float(value)

    service_level = number("service_level")
    return HistoricalFigures(
        queued=count("queued"),
        handled=count("handled"),
        abandoned=count("abandoned"),
        service_level=None if service_level is None else service_level / 100,  # Connect's percent
        aht_seconds=number("aht_seconds"),
        source="amazon_connect",
        queues=queues,
    )


def _error_class(code: str, status: int) -> type[Exception]:
    if code in _CLASSES:
        return _CLASSES[code]
    # An undeclared code (AccessDeniedException, a 503 from the front end…) is judged by its status.
    unavailable = code in _UNAVAILABLE_CODES or (code not in _REFUSED_CODES and (status >= 500 or status == 429))
    return ConnectUnavailable if unavailable else ConnectRefused


@contextmanager
def connect_errors(where: str, *, echo_message: bool = True) -> Iterator[None]:
    """Translate what boto3 raises for one Connect call into the domain's exceptions.

    `echo_message=False` leaves Connect's own message out (for calls whose parameters carry names
    or passwords, which Connect may quote back); only the code, HTTP status and request id remain.
    """
    try:
        yield
    except ClientError as exc:
        error = exc.response.get("Error", {})
        meta = exc.response.get("ResponseMetadata", {})
        code = error.get("Code", "Unknown")
        status = meta.get("HTTPStatusCode") or 0
        message = f"{where}: {code} (HTTP {status}, request {meta.get('RequestId', '?')})"
        if echo_message:
            message += f": {_scrub(error.get('Message', ''))}"
        # `from None`: Connect's own message may echo the number; the cause would carry it into logs.
        raise _error_class(code, status)(message) from None
    except (BotoConnectionError, HTTPClientError) as exc:  # connect/read timeouts, connection errors
        raise ConnectUnavailable(f"{where}: {type(exc).__name__}") from exc
    except ParamValidationError as exc:  # its report quotes the invalid values, possibly the number
        detail = _scrub(str(exc)) if echo_message else ", ".join(sorted(set(_PARAM_NAME.findall(str(exc)))))
        raise ConnectRefused(f"{where}: parameter validation failed: {detail}") from None


_port: ConnectPort | None = None


def get_connect() -> ConnectPort:
    """The port the dispatch code uses: `AmazonConnect` unless `set_connect` put another in place."""
    global _port
    if _port is None:
        _port = AmazonConnect()
    return _port


def set_connect(port: ConnectPort | None) -> None:
    """Replace the port (the CLI's simulated Connect, a test double); `None` goes back to the default."""
    global _port
    _port = port
