"""The DynamoDB tables, read from the PynamoDB models: the one definition the code, the local
embedded AWS and the deployed stack all share, so the stack cannot drift from the code.

Each model's table name comes from `chalicelib.core.config.settings()`; the setting's environment
variable (`chalicelib.core.config._ENV`) names the table per stage in `.chalice/config.json`, and is
the variable the stack sets on every function.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from pynamodb.models import Model

from chalicelib.core import config
from chalicelib.tables import all_models

ROOT = Path(__file__).resolve().parent.parent
CHALICE_CONFIG = ROOT / ".chalice" / "config.json"


@dataclass(frozen=True)
class Key:
    name: str
    type: str  # "S", "N" or "B": DynamoDB's attribute types


@dataclass(frozen=True)
class Index:
    name: str
    partition: Key
    sort: Key | None
    projection: str  # ALL, KEYS_ONLY or INCLUDE
    non_key_attributes: tuple[str, ...] = ()


@dataclass(frozen=True)
class TableSpec:
    model: type[Model]
    env_var: str  # e.g. CONTACTS_TABLE
    partition: Key
    sort: Key | None
    global_indexes: tuple[Index, ...]
    local_indexes: tuple[Index, ...]
    ttl_attribute: str | None

    @property
    def construct_id(self) -> str:
        return self.model.__name__

    def physical_name(self, stage: str) -> str:
        return stage_environment(stage)[self.env_var]


@cache
def chalice_config() -> dict:
    return json.loads(CHALICE_CONFIG.read_text(encoding="utf-8"))


def stage_environment(stage: str) -> dict[str, str]:
    """The environment a function gets on `stage`: the app-wide variables, then the stage's."""
    cfg = chalice_config()
    return {**cfg.get("environment_variables", {}), **cfg["stages"][stage].get("environment_variables", {})}


def _env_var(model: type[Model]) -> str:
    current = config.settings()
    matches = [var for field, var in config._ENV.items() if getattr(current, field, None) == model.Meta.table_name]
    if len(matches) != 1:
        raise LookupError(f"{model.__name__}: no single setting names table {model.Meta.table_name!r}: {matches}")
    return matches[0]


def _keys(schema: list[dict], types: dict[str, str]) -> tuple[Key, Key | None]:
    by_type = {k["KeyType"]: k["AttributeName"] for k in schema}
    sort = by_type.get("RANGE")
    return Key(by_type["HASH"], types[by_type["HASH"]]), (Key(sort, types[sort]) if sort else None)


def _index(raw: dict, types: dict[str, str]) -> Index:
    partition, sort = _keys(raw["key_schema"], types)
    projection = raw["projection"]
    return Index(
        name=raw["index_name"],
        partition=partition,
        sort=sort,
        projection=projection["ProjectionType"],
        non_key_attributes=tuple(projection.get("NonKeyAttributes", ())),
    )


def spec(model: type[Model]) -> TableSpec:
    schema = model._get_schema()
    types = {a["AttributeName"]: a["AttributeType"] for a in schema["attribute_definitions"]}
    partition, sort = _keys(schema["key_schema"], types)
    ttl = model._ttl_attribute()
    return TableSpec(
        model=model,
        env_var=_env_var(model),
        partition=partition,
        sort=sort,
        global_indexes=tuple(_index(i, types) for i in schema["global_secondary_indexes"]),
        local_indexes=tuple(_index(i, types) for i in schema["local_secondary_indexes"]),
        ttl_attribute=ttl.attr_name if ttl else None,
    )


def table_specs() -> list[TableSpec]:
    return [spec(model) for model in all_models()]
