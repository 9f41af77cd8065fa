"""What the report shows of values it does not control: workbook cells that stay text, category
names that stay short.

A contact's `category` is whatever the flow or an agent wrote into the attribute, and agent and
unit names come from outside too. openpyxl stores any string starting with `=` as a formula (a
`=HYPERLINK(...)` category would be a live link in the General Secretary's workbook) and refuses
XML control characters outright (one such category would stop the monthly report). So every
workbook cell goes through `write_cell`: text is stored as text (data type "s", never a formula
or an error code) and neutralised as OWASP's CSV-injection guidance says, because the values
travel on by copy and paste or CSV export; numbers and dates stay what they are.

Pure: no openpyxl import (the cell is duck-typed), so the findings and the tests use it freely.
"""

from __future__ import annotations

import re
from typing import Any

from chalicelib.contacts.categories import CATEGORY_LABELS

# OWASP "CSV Injection": a cell starting with one of these may be read as a formula.
FORMULA_LEADS = ("=", "+", "-", "@", "\t", "\r")
# What XML 1.0 (and so openpyxl) cannot hold: C0 controls but tab, LF and CR.
_NOT_XML = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")
UNKNOWN_CATEGORY_CHARS = 40


def neutralise(text: str) -> str:
    """`text`, prefixed with a single quote when a spreadsheet could read it as a formula."""
    return "'" + text if text.startswith(FORMULA_LEADS) else text


def cell_value(value: Any) -> Any:
    """What a workbook cell holds: text neutralised and XML-safe (U+FFFD for a control character);
    numbers, dates and None as they are."""
    if isinstance(value, str):
        return neutralise(_NOT_XML.sub("\ufffd", value))
    return value


def write_cell(ws: Any, row: int, column: int, value: Any) -> Any:
    """Put `value` into the worksheet's cell as `cell_value` says, text forced to a string cell."""
    cell = ws.cell(row, column)
    cell.value = cell_value(value)
    if isinstance(cell.value, str):
        cell.data_type = "s"  # never "f" (formula) or "e" (an error code such as "#N/A")
    return cell


def bounded(text: str, limit: int = UNKNOWN_CATEGORY_CHARS) -> str:
    """`text` as it is when short enough, else cut to `limit` characters ending in an ellipsis."""
    return text if len(text) <= limit else text[: limit - 1] + "…"


def category_label(name: str) -> str:
    """How people read a category: a known one's label; anything else as written, bounded."""
    return CATEGORY_LABELS.get(name) or bounded(name)
