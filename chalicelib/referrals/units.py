"""The units directory: who answers which questions, at which addresses, and how fast.

All units live in one partition ("UNITS"), sorted by id: listing them is one Query of a few dozen
items, never a Scan (the API lists them a page at a time). Seeded from `data/units.json`
(`callcenter units seed`); kept up to date by the supervisor through `PUT /units/{unit_id}`.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import UTC, datetime
from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field, field_validator
from pynamodb.attributes import BooleanAttribute, NumberAttribute, UnicodeAttribute
from pynamodb.exceptions import DoesNotExist
from pynamodb.models import Model

from chalicelib.adapters.dynamo import TableMeta, text_list
from chalicelib.adapters.paging import Page, Source, read_page
from chalicelib.core.config import settings
from chalicelib.core.text import SingleLineText

_cfg = settings()
DIRECTORY = "UNITS"
# Deliberately plain: SES rejects what is not deliverable; this catches typing mistakes early.
_ADDRESS = re.compile(r"^[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}$")
UNIT_ID_PATTERN = r"^[a-z0-9][a-z0-9-]{1,62}$"


def valid_address(value: str) -> str:
    value = value.strip()
    if not _ADDRESS.match(value):
        raise ValueError("must be an e-mail address such as birim@ostimteknik.edu.tr")
    return value.lower()


class UnitSpec(BaseModel):
    """A unit as the supervisor sends it (and as the seed file holds it)."""

    # Built on the first request: every Lambda imports every blueprint, and the event Lambdas never validate this.
    model_config = ConfigDict(defer_build=True, extra="forbid", str_strip_whitespace=True)

    name_tr: Annotated[str, SingleLineText(120, min_length=2)]
    name_en: Annotated[str, SingleLineText(120, min_length=2)]
    emails: list[Annotated[str, SingleLineText(254)]] = Field(min_length=1, max_length=10)
    deputy_email: Annotated[str, SingleLineText(254)]
    target_hours: float = Field(gt=0, le=400, description="target answer time in working hours")
    active: bool = True

    @field_validator("emails")
    @classmethod
    def _addresses(cls, values: list[str]) -> list[str]:
        return list(dict.fromkeys(valid_address(v) for v in values))

    @field_validator("deputy_email")
    @classmethod
    def _deputy(cls, value: str) -> str:
        return valid_address(value)


class SeedUnit(UnitSpec):
    unit_id: str = Field(pattern=UNIT_ID_PATTERN)


class UnitItem(Model):
    class Meta(TableMeta):
        table_name = _cfg.units_table

    directory = UnicodeAttribute(hash_key=True, default=DIRECTORY)
    unit_id = UnicodeAttribute(range_key=True)
    name_tr = UnicodeAttribute()
    name_en = UnicodeAttribute()
    emails = text_list()
    deputy_email = UnicodeAttribute()
    target_hours = NumberAttribute()
    active = BooleanAttribute(default=True)
    updated_at = UnicodeAttribute()
    updated_by = UnicodeAttribute()

    def as_dict(self) -> dict[str, Any]:
        return {
            "unit_id": self.unit_id,
            "name_tr": self.name_tr,
            "name_en": self.name_en,
            "emails": list(self.emails or []),
            "deputy_email": self.deputy_email,
            "target_hours": float(self.target_hours),
            "active": bool(self.active),
            "updated_at": self.updated_at,
            "updated_by": self.updated_by,
        }


def get_unit(unit_id: str) -> UnitItem | None:
    try:
        return UnitItem.get(DIRECTORY, unit_id)
    except DoesNotExist:
        return None


def list_units(active_only: bool = False) -> list[UnitItem]:
    units = list(UnitItem.query(DIRECTORY))
    return [u for u in units if u.active] if active_only else units


def units_page(limit: int, cursor: str | None) -> Page[UnitItem]:
    return read_page(Source(UnitItem, (DIRECTORY,)), limit, cursor)


def put_unit(unit_id: str, spec: UnitSpec, by: str, now: datetime | None = None) -> UnitItem:
    item = UnitItem(
        DIRECTORY,
        unit_id,
        name_tr=spec.name_tr,
        name_en=spec.name_en,
        emails=list(spec.emails),
        deputy_email=spec.deputy_email,
        target_hours=spec.target_hours,
        active=spec.active,
        updated_at=(now or datetime.now(UTC)).astimezone(UTC).isoformat(),
        updated_by=by,
    )
    item.save()
    return item


def parse_seed(text: str) -> list[SeedUnit]:
    """The units of a seed file (a JSON array of units); pydantic names the first bad field."""
    import json

    return [SeedUnit.model_validate(unit) for unit in json.loads(text)]


def seed_units(units: Iterable[SeedUnit], by: str, replace: bool = False) -> tuple[int, int]:
    """Write the seed's units; existing ones are kept unless `replace`. Returns (written, kept)."""
    written = kept = 0
    for unit in units:
        if not replace and get_unit(unit.unit_id) is not None:
            kept += 1
            continue
        put_unit(unit.unit_id, UnitSpec(**unit.model_dump(exclude={"unit_id"})), by)
        written += 1
    return written, kept
