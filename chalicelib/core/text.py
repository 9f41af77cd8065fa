"""Text people type, checked once for every request model: no control characters.

A line break in a unit's name once reached an e-mail header, and every agenda run raised on it. So
what supervisors, agents and units type is refused (a 400 naming the field) when it carries a C0
control (U+0000–U+001F: NUL, tab, CR, LF…), DEL, a C1 control (U+0080–U+009F) or a Unicode line or
paragraph separator (U+2028/U+2029), which some readers take for a line break.

- `Annotated[str, SingleLineText(max)]`: names, addresses, unit names, deputies, e-mail addresses, usernames,
  references, filters — anything that may reach a header, a subject, a table cell or a log field. No exception.
- `Annotated[str, MultiLineText(max)]`: free text written as paragraphs (a referral's question, a unit's answer, a
  note, an incident's description or resolution). Line feeds are allowed; CRLF (what browsers send from a
  textarea) becomes LF; every other control, a lone CR included, is refused.

Models that strip surrounding whitespace do so first: a trailing line break pasted with a name is
dropped, never stored. The message names the rule, never the input (error bodies must not echo it).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Annotated, Any

from annotated_types import GroupedMetadata
from pydantic import AfterValidator, StringConstraints

# re's own escapes (a raw string): C0, DEL and C1 controls, and the Unicode line and paragraph separators.
_CONTROLS = r"\x00-\x1f\x7f-\x9f\u2028\u2029"
_CONTROL = re.compile(f"[{_CONTROLS}]")
_CONTROL_RUN = re.compile(f"[{_CONTROLS}]+")
_CONTROL_BUT_LF = re.compile(r"[\x00-\x09\x0b-\x1f\x7f-\x9f\u2028\u2029]")

SINGLE_LINE_RULE = (
    "tek satır olmalı, kontrol karakteri (satır sonu, sekme, NUL…) içeremez / "
    "must be a single line without control characters (line breaks, tabs, NUL…)"
)
MULTI_LINE_RULE = (
    "satır sonu dışında kontrol karakteri (sekme, NUL…) içeremez / "
    "must not contain control characters other than line breaks (tabs, NUL…)"
)


def has_control(value: str) -> bool:
    """Whether `value` holds anything a single line must not."""
    return _CONTROL.search(value) is not None


def single_line(value: str) -> str:
    if has_control(value):
        raise ValueError(SINGLE_LINE_RULE)
    return value


def multi_line(value: str) -> str:
    value = value.replace("\r\n", "\n")
    if _CONTROL_BUT_LF.search(value):
        raise ValueError(MULTI_LINE_RULE)
    return value


def one_line(value: str) -> str:
    """`value` with each run of control characters replaced by one space: for output edges (an e-mail
    header) that must never fail on text stored before these rules."""
    return _CONTROL_RUN.sub(" ", value).strip() if has_control(value) else value


# Grouped metadata (`Annotated[str, SingleLineText(120)]`), not plain aliases, so the lengths sit inside the type
# before the check: pydantic cannot push a field's max_length through a validator and would answer "Value
# should have at most N items". Pydantic unpacks each into what it yields: the lengths, then the check.
@dataclass(frozen=True)
class SingleLineText(GroupedMetadata):
    """A one-line string of at most `max_length` characters (after the model's whitespace stripping)."""

    max_length: int
    min_length: int | None = None

    def __iter__(self) -> Iterator[object]:
        yield from StringConstraints(min_length=self.min_length, max_length=self.max_length)
        yield AfterValidator(single_line)


@dataclass(frozen=True)
class MultiLineText(GroupedMetadata):
    """Paragraphs: line feeds allowed (CRLF becomes LF), no other control character."""

    max_length: int
    min_length: int | None = None

    def __iter__(self) -> Iterator[object]:
        yield from StringConstraints(min_length=self.min_length, max_length=self.max_length)
        yield AfterValidator(multi_line)


# The same as whole types (`name: SingleLine(60)`), for models no type checker reads: a type checker refuses a
# call where a type goes, so chalicelib writes `Annotated[str, SingleLineText(60)]`.
def SingleLine(max_length: int, *, min_length: int | None = None) -> Any:  # named like a type: it is used as one
    return Annotated[str, SingleLineText(max_length, min_length)]


def MultiLine(max_length: int, *, min_length: int | None = None) -> Any:  # named like a type: it is used as one
    return Annotated[str, MultiLineText(max_length, min_length)]
