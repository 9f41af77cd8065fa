"""Amazon Connect's hours of operation: a declared closure becomes an override, so Connect's own
routing (the queue's hours, a flow's "Check hours of operation") agrees with the contact flow's answer.

The third part of the Connect adapter, same pattern and error mapping (`connect_errors`) as
`connect.py` and `connect_users.py`: a port (`ConnectHoursPort`) with the boto3 implementation here and
the simulated twin in `cli/embedded/connect.py`; tested with botocore's Stubber against the real
service model (moto has no Connect hours APIs).

An override is named after its day (`override_name`), so one that was created but whose id was lost
(a timeout after Connect acted) is found again by listing the hours' overrides: creating twice
answers DuplicateResourceException and is read as "already there"; withdrawing finds it by name.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, time
from typing import TYPE_CHECKING, Literal, Protocol

from chalicelib.adapters.connect import ConnectClient, ConnectDuplicate, ConnectNotFound, connect_errors

if TYPE_CHECKING:
    from mypy_boto3_connect.type_defs import (
        HoursOfOperationOverrideConfigTypeDef,
        HoursOfOperationOverrideTypeDef,
        OverrideTimeSliceTypeDef,
    )

Weekday = Literal["MONDAY", "TUESDAY", "WEDNESDAY", "THURSDAY", "FRIDAY", "SATURDAY", "SUNDAY"]

_WEEKDAYS: tuple[Weekday, ...] = ("MONDAY", "TUESDAY", "WEDNESDAY", "THURSDAY", "FRIDAY", "SATURDAY", "SUNDAY")
_DESCRIPTION_MAX = 250  # CommonHumanReadableDescription in the 2017-08-08 model


def override_name(day: date) -> str:
    return f"Cagri kapanis {day.isoformat()}"


@dataclass(frozen=True)
class HoursOverride:
    """One closed day as Connect takes it: the hours the queue is still open that day, if any."""

    day: date
    reason: str
    open_from: time | None = None  # both None: closed all day (an override with no hours)
    open_until: time | None = None

    @property
    def name(self) -> str:
        return override_name(self.day)


class ConnectHoursPort(Protocol):
    def create_override(self, override: HoursOverride) -> str:
        """CreateHoursOfOperationOverride; returns its id (the existing one's when the day has one)."""

    def delete_override(self, day: date, override_id: str | None) -> None:
        """DeleteHoursOfOperationOverride of the day's override (found by name without an id); no error
        when there is none."""


def _slice(moment: time) -> OverrideTimeSliceTypeDef:
    return {"Hours": moment.hour, "Minutes": moment.minute}


class AmazonConnectHours(ConnectClient):
    """`ConnectHoursPort` over boto3."""

    @property
    def _instance(self) -> str:
        return self._settings.connect_instance_id

    @property
    def _hours(self) -> str:
        return self._settings.hours_of_operation_id

    def create_override(self, override: HoursOverride) -> str:
        config: list[HoursOfOperationOverrideConfigTypeDef] = []
        if override.open_from is not None and override.open_until is not None:
            config.append(
                {
                    "Day": _WEEKDAYS[override.day.weekday()],
                    "StartTime": _slice(override.open_from),
                    "EndTime": _slice(override.open_until),
                }
            )
        try:
            with connect_errors(f"CreateHoursOfOperationOverride {override.day}"):
                response = self.client.create_hours_of_operation_override(
                    InstanceId=self._instance,
                    HoursOfOperationId=self._hours,
                    Name=override.name,
                    Description=override.reason[:_DESCRIPTION_MAX],
                    Config=config,
                    EffectiveFrom=override.day.isoformat(),
                    EffectiveTill=override.day.isoformat(),
                )
        except ConnectDuplicate:
            found = [item["HoursOfOperationOverrideId"] for item in self._named(override.day)]
            if not found:
                raise
            return str(found[0])
        return str(response["HoursOfOperationOverrideId"])

    def delete_override(self, day: date, override_id: str | None) -> None:
        ids = [override_id] if override_id else [item["HoursOfOperationOverrideId"] for item in self._named(day)]
        for found in ids:
            try:
                with connect_errors(f"DeleteHoursOfOperationOverride {day}"):
                    self.client.delete_hours_of_operation_override(
                        InstanceId=self._instance, HoursOfOperationId=self._hours, HoursOfOperationOverrideId=found
                    )
            except ConnectNotFound:
                continue  # already gone: what was asked

    def _named(self, day: date) -> Iterator[HoursOfOperationOverrideTypeDef]:
        """The overrides carrying the day's name, through every page of the list."""
        token = ""
        while True:
            with connect_errors("ListHoursOfOperationOverrides"):
                page = (
                    self.client.list_hours_of_operation_overrides(
                        InstanceId=self._instance, HoursOfOperationId=self._hours, MaxResults=100, NextToken=token
                    )
                    if token
                    else self.client.list_hours_of_operation_overrides(
                        InstanceId=self._instance, HoursOfOperationId=self._hours, MaxResults=100
                    )
                )
            for item in page.get("HoursOfOperationOverrideList", []):
                if item.get("Name") == override_name(day):
                    yield item
            token = page.get("NextToken", "")
            if not token:
                return


_port: ConnectHoursPort | None = None


def get_connect_hours() -> ConnectHoursPort:
    global _port
    if _port is None:
        _port = AmazonConnectHours()
    return _port


def set_connect_hours(port: ConnectHoursPort | None) -> None:
    """Replace the port (the CLI's simulated Connect, a test double); `None` goes back to the default."""
    global _port
    _port = port
