"""Settings as one validated model, read once from the environment.

`.chalice/config.json` sets these per stage; the embedded AWS and the tests set
them through the same variables. Logic never reads `os.environ` directly.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from datetime import time
from functools import lru_cache
from typing import Literal
from zoneinfo import ZoneInfo

from pydantic import BaseModel, Field, SecretStr, field_validator

LOCAL_ONLY_SECRET = "local-only-not-a-secret"  # noqa: S105 - a marker, refused outside local/test
# Stages that run on a developer's machine or in the tests: stand-in identities and placeholder
# secrets are allowed there, and only outside Lambda. Deployed stages trust Cognito and real secrets.
LOCAL_STAGES = frozenset({"local", "test"})
DEPLOYED_STAGES = frozenset({"dev", "prod"})


class Settings(BaseModel):
    # No default: a function deployed without STAGE must fail closed, never fall back to `local`.
    stage: str | None = None
    # True inside AWS Lambda (AWS_LAMBDA_FUNCTION_NAME is set there): the local stand-ins never apply.
    in_lambda: bool = False
    region: str = "eu-central-1"
    timezone: str = "Europe/Istanbul"
    centre_number: str = "+903123861092"
    contacts_table: str = "cagri-local-contacts"
    rejections_table: str = "cagri-local-rejections"
    ctr_stream: str = "cagri-local-ctr"
    # Amazon Connect's agent event stream (logins, statuses, contacts) and what it leaves: the agents' days.
    agent_events_stream: str = "cagri-local-agent-events"
    agent_activity_table: str = "cagri-local-agent-activity"
    callbacks_table: str = "cagri-local-callbacks"
    callback_markers_table: str = "cagri-local-callback-markers"
    reports_table: str = "cagri-local-reports"
    report_sends_table: str = "cagri-local-report-sends"
    units_table: str = "cagri-local-units"
    referrals_table: str = "cagri-local-referrals"
    audit_table: str = "cagri-local-audit"
    agents_table: str = "cagri-local-agents"
    agent_audit_table: str = "cagri-local-agent-audit"
    incidents_table: str = "cagri-local-incidents"
    health_table: str = "cagri-local-health"
    disclosures_table: str = "cagri-local-disclosures"
    privacy_requests_table: str = "cagri-local-privacy-requests"
    closures_table: str = "cagri-local-closures"
    # Directive 9, KVKK art. 7: personal fields (numbers, names, free text) are kept this long,
    # then anonymised by the daily retention job; the statistics stay.
    personal_data_days: int = Field(default=365, ge=1)
    # Amazon Connect: the university's instance and what callbacks use in it.
    connect_instance_id: str = "00000000-0000-0000-0000-000000000000"
    callback_mode: Literal["call", "task"] = "call"
    callback_flow_id: str = "00000000-0000-0000-0000-00000000c0f1"
    callback_task_flow_id: str = "00000000-0000-0000-0000-00000000da5c"
    callback_queue_id: str = "00000000-0000-0000-0000-0000000000a1"
    # The queue's hours of operation: a closure the supervisor declares is written there as an override.
    hours_of_operation_id: str = "00000000-0000-0000-0000-0000000000b1"
    # Agent accounts (directive 7(e), 7(f)): new agents get the training routing profile (no live
    # queues) until the supervisor records their training; then the live one.
    agent_training_routing_profile_id: str = "00000000-0000-0000-0000-0000000007a1"
    agent_live_routing_profile_id: str = "00000000-0000-0000-0000-0000000007b1"
    agent_security_profile_ids: list[str] = Field(default_factory=lambda: ["00000000-0000-0000-0000-0000000005a1"])
    supervisor_security_profile_ids: list[str] = Field(default_factory=lambda: ["00000000-0000-0000-0000-0000000005b1"])
    # Sign-in to the API (agents' panel, supervisor's console): the stage's Cognito user pool. New
    # accounts are invited at username@agent_email_domain unless an address is given.
    cognito_user_pool_id: str | None = None
    agent_email_domain: str = "ostimteknik.edu.tr"
    # The function that builds, renders and sends monthly reports (the only one shipping the chart stack):
    # the API asks it to send a month on the supervisor's request instead of rendering charts itself.
    report_function_name: str = "cagri-local-monthly_report"
    # Health (directive 7(d)): the watchdog alerts after this long without a contact event in working hours.
    silence_alert_minutes: int = 30
    # The dead-letter queues of the contact-event rule and the CTR stream (infra sets their URLs).
    dead_letter_queues: list[str] = Field(default_factory=list)
    # StartOutboundVoiceContact and StartTaskContact share Connect's default 2 requests/s.
    connect_requests_per_second: float = 2.0
    callback_max_attempts: int = 3
    callback_retry_minutes: int = 30
    # Dispatch waits this long after a contact ends, so a late trace record can still
    # correct the callback (an answered call, an out-of-scope category) before anyone is rung.
    callback_settle_minutes: int = 5
    callback_sla_system_drop_working_hours: float = 2.0
    callback_sla_abandoned_working_days: float = 1.0
    # Referrals to units (directive 6(7), 8(d)). Target answer times are per unit (units table).
    referral_task_flow_id: str = "00000000-0000-0000-0000-0000000f0a11"
    # A unit's reply link stays valid for this multiple of the unit's target answer time (working time).
    referral_expiry_factor: float = 3.0
    # Where units open their reply links: the API's public address (API Gateway stage or custom domain).
    public_base_url: str = "http://127.0.0.1:8000"
    # Secrets: set per stage from Secrets Manager; the defaults are refused outside local and test.
    referral_link_secret: SecretStr = SecretStr(LOCAL_ONLY_SECRET)
    # The secret before the last rotation: still opens the reply links it signed until they expire (README).
    referral_link_secret_previous: SecretStr | None = None
    caller_hash_secret: SecretStr = SecretStr(LOCAL_ONLY_SECRET)
    # SMS (directive 5(4)) through AWS End User Messaging SMS: the registered sender ID, pool or phone
    # number it sends from (its ARN; unset: the account's default) and an optional configuration set.
    sms_origination_identity: str | None = None
    sms_configuration_set: str | None = None
    # Courtesy texts to a caller's mobile, each off until the centre turns it on: right after a system
    # drop ("we will call you back"), and when a callback failed after its last attempt ("please call us").
    sms_after_system_drop: bool = False
    sms_after_failed_callback: bool = False
    sender_address: str = "cagri@ostimteknik.edu.tr"
    supervisor_address: str = "basin@ostimteknik.edu.tr"
    report_recipients: list[str] = Field(default_factory=lambda: ["genelsekreter@ostimteknik.edu.tr"])
    opening_time: time = time(8, 30)
    closing_time: time = time(17, 30)
    # Afternoons of half-day holidays (arife, 28 Ekim) close at this time.
    half_day_closing_time: time = time(13, 0)
    # Tight on purpose: the contact-flow Lambda answers a caller on the line within Connect's
    # 8 s limit, so one DynamoDB call may take at most (connect + read) x attempts = 4 s.
    # Event and CTR Lambdas lose nothing by failing fast: their event source redelivers.
    dynamodb_connect_timeout: float = 0.5
    dynamodb_read_timeout: float = 1.5
    dynamodb_max_retries: int = 1
    short_abandon_seconds: int = 5
    # Service level: the share of queued calls answered within `service_level_seconds`; the report
    # holds it against this target (Erlang C never reaches 1, so neither may the target).
    service_level_seconds: int = 20
    service_level_target: float = Field(default=0.8, ge=0, lt=1)

    @field_validator("timezone")
    @classmethod
    def _known_zone(cls, value: str) -> str:
        ZoneInfo(value)  # raises for an unknown zone
        return value

    @field_validator(
        "report_recipients",
        "agent_security_profile_ids",
        "supervisor_security_profile_ids",
        "dead_letter_queues",
        mode="before",
    )
    @classmethod
    def _split_addresses(cls, value: object) -> object:
        if isinstance(value, str):
            return [part.strip() for part in value.split(",") if part.strip()]
        return value

    @property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)

    @property
    def local_stand_ins(self) -> bool:
        """Stand-in identities (headers) and placeholder secrets: only local/test, and never in Lambda."""
        return self.stage in LOCAL_STAGES and not self.in_lambda

    def misconfiguration(self) -> str | None:
        """Why this configuration must not serve anyone (naming the setting), or None when it may."""
        if self.stage is None:
            return "STAGE is not set"
        if self.stage in LOCAL_STAGES and self.in_lambda:
            return f"STAGE={self.stage} is for a developer's machine, not for AWS Lambda"
        if self.stage not in LOCAL_STAGES | DEPLOYED_STAGES:
            return f"STAGE={self.stage} is not a known stage ({', '.join(sorted(LOCAL_STAGES | DEPLOYED_STAGES))})"
        return None

    def secret(self, name: str) -> bytes:
        """A configured secret's bytes; the built-in placeholder only where local stand-ins are allowed."""
        secret: SecretStr = getattr(self, name)
        value = secret.get_secret_value()
        if value == LOCAL_ONLY_SECRET and not self.local_stand_ins:
            raise RuntimeError(f"{name.upper()} is not configured (stage {self.stage}, in Lambda: {self.in_lambda})")
        return value.encode()


# Each setting is read from its name in capitals (`callbacks_table` from CALLBACKS_TABLE), but for these.
_ENV_EXCEPTIONS = {"region": "AWS_DEFAULT_REGION", "timezone": "CENTRE_TIMEZONE"}
_NOT_FROM_ENV = frozenset({"in_lambda"})  # derived: set when AWS_LAMBDA_FUNCTION_NAME is
# Setting → the environment variable that carries it (also what infra reads to name tables and secrets).
_ENV = {name: _ENV_EXCEPTIONS.get(name, name.upper()) for name in Settings.model_fields if name not in _NOT_FROM_ENV}


def load_settings(environ: Mapping[str, str] | None = None) -> Settings:
    env = os.environ if environ is None else environ
    values: dict[str, object] = {field: env[var] for field, var in _ENV.items() if env.get(var)}
    values["in_lambda"] = bool(env.get("AWS_LAMBDA_FUNCTION_NAME"))
    return Settings.model_validate(values)


@lru_cache(maxsize=1)
def settings() -> Settings:
    return load_settings()
