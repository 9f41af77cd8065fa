"""Pure: satisfaction and quality (directive 5(1)–(3)) from the post-call survey, in one pass.

Over the month's answered inbound calls (VOICE + INBOUND, queued and connected to an agent): a
response is a call whose final `survey_score` is 1…5 (docs/figures.md); a final value that is anything
else is counted as invalid and is no response. `satisfaction` is CONTRACT.md's block; the detail
(invalid answers, yes/no counts, by agent, by hour of the call) is what the rendered report adds.

Where quality is low, the report says so: a category or an hour of the day whose mean score is below
`LOW_AVERAGE`, over at least `MIN_RESPONSES` answers (fewer are too few to judge), is named in a
finding and in the next steps (5(3): an action plan), the lowest first.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from typing import NamedTuple
from zoneinfo import ZoneInfo

from chalicelib.contacts.categories import UNCLASSIFIED
from chalicelib.contacts.merge import ContactRecord
from chalicelib.reports.detail import agent_name
from chalicelib.reports.model import AgentScores, Satisfaction, SatisfactionDetail, Scores

LOW_AVERAGE = 3.5  # on the survey's 1–5 scale: below it, a group "scores low"
MIN_RESPONSES = 10  # answers a group needs before its mean is judged


def _rate(part: int, whole: int) -> float | None:
    return part / whole if whole else None


@dataclass
class _Scores:
    responses: int = 0
    total: int = 0
    yes: int = 0
    no: int = 0

    def add(self, score: int, resolved: str | None) -> None:
        self.responses += 1
        self.total += score
        self.yes += resolved == "yes"
        self.no += resolved == "no"

    def average(self) -> float | None:
        return round(self.total / self.responses, 1) if self.responses else None

    def resolved_rate(self) -> float | None:
        return _rate(self.yes, self.yes + self.no)

    def scores(self) -> Scores:
        return Scores(responses=self.responses, average=self.average())


@dataclass
class SatisfactionFigures:
    """Running totals for one month; feed records with `add`, read `satisfaction` and `detail`."""

    zone: ZoneInfo
    answered: int = 0
    invalid: int = 0
    overall: _Scores = field(default_factory=_Scores)
    categories: dict[str, _Scores] = field(default_factory=lambda: defaultdict(_Scores))
    agents: dict[str, _Scores] = field(default_factory=lambda: defaultdict(_Scores))
    hours: dict[int, _Scores] = field(default_factory=lambda: defaultdict(_Scores))

    def add(self, r: ContactRecord) -> None:
        if not (r.is_inbound_call and r.answered):
            return
        self.answered += 1
        self.invalid += r.survey_invalid
        if r.survey_score is None:
            return
        score, resolved = r.survey_score, r.survey_resolved
        self.overall.add(score, resolved)
        self.categories[r.category or UNCLASSIFIED].add(score, resolved)
        self.agents[agent_name(r) or "?"].add(score, resolved)
        if r.initiated_at is not None:
            self.hours[r.initiated_at.astimezone(self.zone).hour].add(score, resolved)

    def satisfaction(self) -> Satisfaction:
        return Satisfaction(
            responses=self.overall.responses,
            response_rate=_rate(self.overall.responses, self.answered),
            average=self.overall.average(),
            resolved_rate=self.overall.resolved_rate(),
            by_category={name: s.scores() for name, s in sorted(self.categories.items())},
        )

    def detail(self) -> SatisfactionDetail:
        return SatisfactionDetail(
            invalid=self.invalid,
            resolved_yes=self.overall.yes,
            resolved_no=self.overall.no,
            by_agent=[
                AgentScores(agent=name, responses=s.responses, average=s.average(), resolved_rate=s.resolved_rate())
                for name, s in sorted(self.agents.items(), key=lambda item: (-item[1].responses, item[0]))
            ],
            by_hour={f"{hour:02d}": s.scores() for hour, s in sorted(self.hours.items())},
        )


class LowScore(NamedTuple):
    kind: str  # "category" or "hour"
    key: str  # the category's name, or the hour "09"
    average: float
    responses: int


def low_scores(satisfaction: Satisfaction, detail: SatisfactionDetail) -> list[LowScore]:
    """Categories and hours that score low (below LOW_AVERAGE over at least MIN_RESPONSES answers),
    the lowest first; of two equally low, categories before hours, then by name."""
    found = [
        LowScore(kind, key, s.average, s.responses)
        for kind, groups in (("category", satisfaction.by_category), ("hour", detail.by_hour))
        for key, s in groups.items()
        if s.average is not None and s.responses is not None
        if s.responses >= MIN_RESPONSES and s.average < LOW_AVERAGE
    ]
    return sorted(found, key=lambda low: (low.average, low.kind != "category", low.key))
