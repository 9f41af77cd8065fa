"""Pages of a list: at most `limit` items (default 50, at most 200) and an opaque `next` cursor, so no
route reads an unbounded set (directive 9(1), KVKK art. 12: a request reads what it shows).

A list reads one index (or a table) in one or more partitions, e.g. the callbacks' `by_status` index
in PENDING, DIALING and CLAIMED, merged in the index's sort order. The cursor is base64url of a JSON
object that names, for each partition not read to its end, where to go on: the DynamoDB key of the
last item taken (LastEvaluatedKey's shape), or null for "from the start". On the way in it is checked
against the list's own partitions and key schema; anything else is `BadCursor` (a 400 naming `next`).

A filter DynamoDB applies after reading (a FilterExpression) may drop items, so a partition reads at
most EVALUATE_AT_MOST items per request: a page may then hold fewer than `limit` items and still have
a `next`. Follow `next` until it is null.
"""

from __future__ import annotations

import base64
import binascii
import heapq
import json
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from pydantic import BaseModel, ConfigDict, Field
from pynamodb.attributes import Attribute
from pynamodb.exceptions import QueryError
from pynamodb.expressions.condition import Condition
from pynamodb.indexes import Index
from pynamodb.models import Model

from chalicelib.core.errors import Invalid

DEFAULT_LIMIT = 50
MAX_LIMIT = 200
EVALUATE_AT_MOST = 1000  # items a filtered partition reads per request
CURSOR_MAX_CHARS = 4096
_KEY_VALUE_MAX_CHARS = 1024
_BASE64URL = re.compile(r"^[A-Za-z0-9_-]+$")

M = TypeVar("M", bound=Model)
Key = dict[str, dict[str, str]]


class BadCursor(Invalid):
    """`next` is not a cursor this list gave (altered, cut short, or from another list)."""

    def __init__(self) -> None:
        super().__init__("next: not a cursor this list gave; start again from the first page", "next")


class PageQuery(BaseModel):
    """The paging parameters of every list route; a route's query model extends it."""

    model_config = ConfigDict(defer_build=True, extra="forbid")

    limit: int = Field(default=DEFAULT_LIMIT, ge=1, le=MAX_LIMIT)
    next: str | None = Field(default=None, min_length=1, max_length=CURSOR_MAX_CHARS)


@dataclass(frozen=True)
class Page(Generic[M]):
    items: list[M]
    next: str | None

    def body(self, name: str, views: list[dict[str, Any]]) -> dict[str, Any]:
        """The response: `name` → views, `count`, `next` (null at the end) and `truncated` (= more to read)."""
        return {name: views, "count": len(views), "next": self.next, "truncated": self.next is not None}


@dataclass(frozen=True)
class Source(Generic[M]):
    """Where a list reads: an index (or a model's table), the partitions merged, and how."""

    index: type[M] | Index[M]  # a GlobalSecondaryIndex of the model, or the Model class itself
    partitions: tuple[str, ...]
    range_condition: Condition | None = None
    filter: Condition | None = None
    newest_first: bool = False  # the sort key descending
    keep: Callable[[M], bool] | None = None  # an exact check in Python after DynamoDB's filter

    @property
    def model(self) -> type[M]:
        if isinstance(self.index, type):
            return self.index
        # PynamoDB annotates Index._model as an instance of the model; it holds the model class.
        return self.index._model  # type: ignore[return-value]

    def _index_attributes(self) -> dict[str, Attribute[Any]]:
        if isinstance(self.index, type):
            return self.model.get_attributes()
        attributes: dict[str, Attribute[Any]] = self.index.Meta.attributes
        return attributes

    def _keys(self) -> dict[str, Attribute[Any]]:
        """Every key attribute of the index and the table: the names in a LastEvaluatedKey."""
        chosen = [a for a in self._index_attributes().values() if a.is_hash_key or a.is_range_key]
        chosen += [a for a in self.model.get_attributes().values() if a.is_hash_key or a.is_range_key]
        return {a.attr_name: a for a in chosen}

    def _names(self) -> tuple[str, str, str]:
        """(partition key, sort key, the table's hash key), as DynamoDB names them."""
        attributes = self._index_attributes().values()
        partition = next(a.attr_name for a in attributes if a.is_hash_key)
        sort = next(a.attr_name for a in attributes if a.is_range_key)
        table_hash = next(a.attr_name for a in self.model.get_attributes().values() if a.is_hash_key)
        return partition, sort, table_hash


def read_page(source: Source[M], limit: int, cursor: str | None) -> Page[M]:
    """Up to `limit` items of the source's partitions, merged in sort order, from where `cursor` left off."""
    starts = _positions(source, cursor)
    reads = {partition: _read(source, partition, start, limit) for partition, start in starts.items()}
    order, sort_of_key = _order(source)
    # No partition may run ahead of one that stopped early: take nothing beyond the nearest stop.
    stops = [sort_of_key(key) for _, key in reads.values() if key is not None]
    frontier = (max(stops) if source.newest_first else min(stops)) if stops else None
    taken = dict.fromkeys(reads, 0)
    items: list[M] = []
    tagged = ([(partition, item) for item in found] for partition, (found, _) in reads.items())
    for partition, item in heapq.merge(*tagged, key=lambda pair: order(pair[1]), reverse=source.newest_first):
        sort_value = order(item)[0]
        if len(items) == limit or (
            frontier is not None and (sort_value < frontier if source.newest_first else sort_value > frontier)
        ):
            break
        items.append(item)
        taken[partition] += 1
    after: dict[str, Key | None] = {}
    for partition, (found, key) in reads.items():
        count = taken[partition]
        if count < len(found):
            after[partition] = _key_of(source, found[count - 1]) if count else starts[partition]
        elif key is not None:
            after[partition] = key
    return Page(items, _encode(after) if after else None)


def _read(source: Source[M], partition: str, start: Key | None, want: int) -> tuple[list[M], Key | None]:
    """Up to `want` items of one partition from `start`, ending at a page boundary: (items, where to go on)."""
    found: list[M] = []
    key, evaluated = start, 0
    while True:
        pages = source.index.query(
            partition,
            range_key_condition=source.range_condition,
            filter_condition=source.filter,
            scan_index_forward=not source.newest_first,
            last_evaluated_key=key,
            page_size=min(want - len(found), EVALUATE_AT_MOST - evaluated),
        ).page_iter
        try:
            page = next(pages)
        except QueryError as error:
            if key is not None and error.cause_response_code == "ValidationException":
                raise BadCursor() from None  # a well-formed key DynamoDB will not start from
            raise
        items = [source.model.from_raw_data(raw) for raw in page.get("Items", [])]
        found += [item for item in items if source.keep is None or source.keep(item)]
        evaluated += int(page.get("ScannedCount", len(items)))
        key = page.get("LastEvaluatedKey")
        if key is None or len(found) >= want or evaluated >= EVALUATE_AT_MOST:
            return found, key


def _order(source: Source[M]) -> tuple[Callable[[Any], tuple[str, str]], Callable[[Key], str]]:
    """The sort order of items (sort key, then the table's hash key) and the sort value of a key."""
    _, sort, table_hash = source._names()
    keys = source._keys()

    def of_item(item: Any) -> tuple[str, str]:
        return (keys[sort].serialize(getattr(item, sort)), keys[table_hash].serialize(getattr(item, table_hash)))

    def of_key(key: Key) -> str:
        return key[sort][keys[sort].attr_type]

    return of_item, of_key


def _key_of(source: Source[M], item: Any) -> Key:
    return {name: {a.attr_type: a.serialize(getattr(item, name))} for name, a in source._keys().items()}


def _encode(positions: dict[str, Key | None]) -> str:
    raw = json.dumps(positions, separators=(",", ":"), sort_keys=True, ensure_ascii=False).encode()
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()


def _positions(source: Source[M], cursor: str | None) -> dict[str, Key | None]:
    """Where each partition starts: all from the start without a cursor; else the cursor's, checked."""
    if cursor is None:
        return dict.fromkeys(source.partitions)
    if not _BASE64URL.match(cursor):
        raise BadCursor()
    try:
        data = json.loads(base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)))
    except (binascii.Error, ValueError):
        raise BadCursor() from None
    if not isinstance(data, dict) or not data or not set(data) <= set(source.partitions):
        raise BadCursor()
    keys = source._keys()
    partition_name = source._names()[0]
    for partition, key in data.items():
        if key is None:
            continue
        if not isinstance(key, dict) or set(key) != set(keys):
            raise BadCursor()
        for name, attribute in keys.items():
            value = key[name]
            if not (
                isinstance(value, dict)
                and set(value) == {attribute.attr_type}
                and isinstance(value[attribute.attr_type], str)
                and 0 < len(value[attribute.attr_type]) <= _KEY_VALUE_MAX_CHARS
            ):
                raise BadCursor()
        if key[partition_name][keys[partition_name].attr_type] != partition:
            raise BadCursor()
    return {partition: data[partition] for partition in source.partitions if partition in data}
