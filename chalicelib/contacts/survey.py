"""The post-call survey's answers (directive 5(1)–(3)), read from a contact's attributes.

The disconnect flow (infra/flows/post-call-survey.json) asks the caller for a score from 1 to 5 and,
optionally, whether their matter was resolved, and writes `survey_score` and `survey_resolved` on the
contact. Anything may end up there all the same (an older flow, an agent's tool, a typo), so a value
is read, never trusted: a score that is not one of 1…5 is kept as `INVALID` (counted, never an error,
and never the text itself: a fact stores no free text), a resolution that is not yes or no is ignored,
and an empty value is no answer at all.
"""

from __future__ import annotations

import unicodedata
from typing import Any

SCORE_ATTRIBUTE = "survey_score"
RESOLVED_ATTRIBUTE = "survey_resolved"
SCORES = ("1", "2", "3", "4", "5")
INVALID = "invalid"
YES, NO = "yes", "no"


def _text(value: Any) -> str | None:
    """The value as trimmed text (full-width digits made plain); None for no value at all."""
    if value is None:
        return None
    if isinstance(value, int) and not isinstance(value, bool):
        value = str(value)  # Connect writes strings; a number from elsewhere means the same
    if not isinstance(value, str):
        return ""  # a list, an object, a boolean: something, but nothing we can read
    return unicodedata.normalize("NFKC", value).strip()


def survey_score(value: Any) -> str | None:
    """ "1"…"5"; `INVALID` for anything else that is there; None when there is no answer."""
    text = _text(value)
    if text is None or (text == "" and isinstance(value, str)):
        return None
    return text if text in SCORES else INVALID


def survey_resolved(value: Any) -> str | None:
    """ "yes" or "no" (any case); None for anything else."""
    text = _text(value)
    folded = text.casefold() if text else None
    return folded if folded in (YES, NO) else None
