"""Agents' days in DynamoDB: one item per Istanbul day and agent, holding the *set* of that day's facts.

Why a set per day and not an item per event: a working day brings each agent a few hundred events
(a HEART_BEAT every 120 s while nothing else happens), and what is read is always whole days. Facts are
added with `ADD facts :f` — one atomic request for all of a Kinesis batch's events of an agent and day,
that concurrent Lambdas may race on; a redelivered event adds a string already in the set and changes
nothing. A day of one agent is tens of kilobytes, far under the item limit. Intervals are derived
from the facts when read (intervals.py), never stored.

Access patterns (no Scan, no index):
1. Record a batch: UpdateItem(day, agent) ADD facts, SET expires_at — per day and agent (`day` = the
   Istanbul date of the event, YYYY-MM-DD; `agent` = the agent's id, the last segment of its ARN).
2. A month (the report) or a day (the live screen): Query(day), one partition per day holding every
   agent's day: a centre's handful of agents, each tens of kilobytes.

Retention: an agent's day is kept `personal_data_days` (the contacts' retention), then DynamoDB's TTL
removes it; reads skip an expired day before TTL gets to it.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from datetime import UTC, date, datetime, time, timedelta

from pynamodb.attributes import TTLAttribute, UnicodeAttribute, UnicodeSetAttribute
from pynamodb.constants import NONE
from pynamodb.models import Model

from chalicelib.activity.facts import AgentFact
from chalicelib.adapters.dynamo import TableMeta
from chalicelib.core.config import settings

_cfg = settings()
PAGE_SIZE = 50  # items of tens of kilobytes each


class AgentDayItem(Model):
    class Meta(TableMeta):
        table_name = _cfg.agent_activity_table

    day = UnicodeAttribute(hash_key=True)  # Istanbul date, YYYY-MM-DD
    agent = UnicodeAttribute(range_key=True)  # the agent's id (ARN's last segment)
    facts = UnicodeSetAttribute()
    expires_at = TTLAttribute(null=True)


def day_of(fact: AgentFact) -> str:
    """The Istanbul date of the event, which files it."""
    moment = datetime.fromisoformat(fact.at.replace("Z", "+00:00"))
    return moment.astimezone(_cfg.zone).date().isoformat()


def _expiry(day: str) -> datetime:
    end = datetime.combine(date.fromisoformat(day) + timedelta(days=1), time(0), tzinfo=_cfg.zone)
    return end.astimezone(UTC) + timedelta(days=_cfg.personal_data_days)


def add_facts(agent: str, day: str, facts: Iterable[AgentFact]) -> None:
    """One request: the facts join the agent's day (already there: nothing changes). Nothing is read back
    (`ReturnValues=NONE`): the day's item grows to tens of kilobytes, and the intake needs none of it."""
    AgentDayItem._get_connection().update_item(
        day,
        range_key=agent,
        actions=[AgentDayItem.facts.add({fact.to_json() for fact in facts}), AgentDayItem.expires_at.set(_expiry(day))],
        return_values=NONE,
    )


def facts_between(first: date, last: date, now: datetime) -> dict[str, list[AgentFact]]:
    """Every agent's facts filed on `first` … `last` (Istanbul dates), by agent id."""
    by_agent: dict[str, list[AgentFact]] = defaultdict(list)
    day = first
    while day <= last:
        for item in AgentDayItem.query(day.isoformat(), page_size=PAGE_SIZE):
            if item.expires_at is not None and item.expires_at <= now:
                continue  # past retention; DynamoDB's TTL has not removed it yet
            by_agent[item.agent].extend(AgentFact.from_json(text) for text in item.facts or ())
        day += timedelta(days=1)
    return dict(by_agent)


def recorded_between(first: date, last: date) -> bool:
    """Whether any agent's day is filed on `first` … `last`: one key-only item per day at most."""
    day = first
    while day <= last:
        if next(iter(AgentDayItem.query(day.isoformat(), limit=1, attributes_to_get=["day"])), None):
            return True
        day += timedelta(days=1)
    return False
