"""Referrals in the demo month, through the real API and the real reply page (chalice's test client,
in process, against the embedded AWS) on a simulated clock.

Agents refer a share of the answered calls to units; units answer through their e-mailed link after a
working-time delay (most in time, some late, a few forward the question, a few never answer); the
agenda runs every working hour (reminders, escalations, expiry, Connect tasks); agents take each answer
back to the caller. Nothing is written to the tables directly.
"""

from __future__ import annotations

import heapq
import json
import random
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import TYPE_CHECKING, TypedDict, Unpack
from urllib.parse import urlencode

from cli.simulator.traffic import ContactTruth, Simulation

if TYPE_CHECKING:
    from chalice.test import Client, HTTPResponse

    from chalicelib.core.workhours import WorkingCalendar
    from chalicelib.referrals.store import ReferralItem

P_REFER = 0.07  # of answered calls in a category that may need a unit
REFERRED_CATEGORIES = {"bilgi", "başvuru", "işlem", "istek"}
UNIT_WEIGHTS = {
    "ogrenci-isleri": 8,
    "bilgi-islem": 4,
    "mali-isler": 2,
    "uluslararasi-ofis": 1,
    "kutuphane": 1,
    "sks": 1,
    "muhendislik-fakultesi": 2,
    "lisansustu-enstitu": 1,
}
SLOW_UNITS = {"mali-isler": 1.6, "muhendislik-fakultesi": 1.3}  # answer late more often
P_FORWARD, P_SILENT, P_EMAIL = 0.06, 0.08, 0.2
P_SMS = 0.15  # answers asked for by SMS (with the caller's consent): texted when the unit answers
QUESTIONS = {
    "bilgi": "Arayan, {unit} ile ilgili bir konuda bilgi istiyor; temsilci yanıtı bilemedi.",
    "başvuru": "Başvurusunun hangi aşamada olduğunu ve eksik belge olup olmadığını soruyor.",
    "işlem": "Yaptırmak istediği işlem için hangi belgelerin gerektiğini ve sürenin ne kadar olduğunu soruyor.",
    "istek": "Talebinin ilgili birimce değerlendirilmesini ve kendisine dönüş yapılmasını istiyor.",
}
JSON = {"Content-Type": "application/json"}


@dataclass
class ReferralRun:
    referred: int = 0
    answered: int = 0
    forwarded: int = 0
    silent: int = 0
    returned: int = 0
    closed_unanswered: int = 0
    agenda_runs: int = 0
    problems: list[str] = field(default_factory=list)


class _Step(TypedDict, total=False):
    """What a planned step needs: "refer" a contact, a "unit" answers (or forwards), an agent "return"s."""

    contact: ContactTruth
    referral_id: str
    forward: bool


class _Month:
    """The simulated people: agents who refer and return, units who answer, on one clock."""

    def __init__(self, client: Client, rng: random.Random, calendar: WorkingCalendar, run: ReferralRun) -> None:
        self.client, self.rng, self.calendar, self.run = client, rng, calendar, run
        self.plan: list[tuple[datetime, int, str, _Step]] = []  # (when, order, action, data): a heap
        self.order = 0

    def later(self, when: datetime, action: str, **data: Unpack[_Step]) -> None:
        self.order += 1
        heapq.heappush(self.plan, (when, self.order, action, data))

    def post(self, path: str, body: dict[str, object] | None = None) -> HTTPResponse:
        headers = {**JSON, "X-Agent-Id": "temsilci1"}  # cli.simulator.accounts opened the account
        return self.client.http.post(path, headers=headers, body=json.dumps(body or {}).encode())

    def form(self, path: str, **fields: str) -> HTTPResponse:
        headers = {"Content-Type": "application/x-www-form-urlencoded"}
        return self.client.http.post(path, headers=headers, body=urlencode(fields).encode())

    # -- what people do ----------------------------------------------------------------------------

    def refer(self, when: datetime, contact: ContactTruth) -> None:
        assert contact.category_final is not None  # referred only in REFERRED_CATEGORIES
        unit_id = self.rng.choices(list(UNIT_WEIGHTS), list(UNIT_WEIGHTS.values()))[0]
        roll = self.rng.random()  # one draw, as before SMS: the rest of the month is unchanged
        by_email, by_sms = roll < P_EMAIL, P_EMAIL <= roll < P_EMAIL + P_SMS
        consent = self.rng.random() < 0.5
        body: dict[str, object] = {
            "contact_id": contact.contact_id,
            "unit_id": unit_id,
            "question": QUESTIONS[contact.category_final].format(unit=unit_id),
            "category": contact.category_final,
            "return_channel": "EMAIL" if by_email else "SMS" if by_sms else "VOICE",
            "consent": consent,
        }
        if by_email:
            body["return_address"] = f"arayan{self.order}@example.com"
        if by_sms:
            body["sms_consent"] = True  # the agent asked; the caller's own (mobile) number
        if consent:
            body["caller_name"] = "Demo Arayan"
        response = self.post("/referrals", body)
        if response.status_code not in (200, 201):
            self.run.problems.append(f"referral for {contact.contact_id}: HTTP {response.status_code}")
            return
        self.run.referred += 1
        self.unit_will_answer(response.json_body["referral_id"], when, forwardable=True)

    def unit_will_answer(self, referral_id: str, when: datetime, forwardable: bool) -> None:
        from chalicelib.referrals import store

        item = store.existing_referral(referral_id)  # just created, or just forwarded to
        roll = self.rng.random()
        if roll < P_SILENT:
            self.run.silent += 1
            return  # never answers: reminded, escalated and expired by the agenda
        target = float(item.target_hours)
        delay = min(self.rng.expovariate(1 / (target * SLOW_UNITS.get(item.unit_id, 0.6))), target * 2.5)
        answer_at = self.calendar.add_working_time(when, timedelta(hours=max(delay, 0.25)))
        forward = forwardable and roll < P_SILENT + P_FORWARD
        self.later(answer_at, "unit", referral_id=referral_id, forward=forward)

    def unit_answers(self, when: datetime, referral_id: str, forward: bool) -> None:
        from chalicelib.referrals import store
        from chalicelib.referrals.rules import WITH_UNIT

        item = store.get_referral(referral_id)
        if item is None or item.status not in WITH_UNIT:
            return
        path = _link_for(item)
        if forward:
            other = self.rng.choice([u for u in UNIT_WEIGHTS if u != item.unit_id])
            self.form(path, action="forward", forward_unit=other, forward_note="Konu birimimizi ilgilendirmiyor.")
            self.run.forwarded += 1
            forwarded_to = store.existing_referral(referral_id).forwarded_to
            if forwarded_to:
                self.unit_will_answer(forwarded_to, when, forwardable=False)
            return
        self.form(path, action="answer", answer=ANSWER, responder_name="Birim yetkilisi")
        self.run.answered += 1
        back = self.calendar.add_working_time(when, timedelta(minutes=self.rng.uniform(20, 240)))
        self.later(back, "return", referral_id=referral_id)

    def agent_returns(self, referral_id: str) -> None:
        self.post(f"/referrals/{referral_id}/claim")
        if self.rng.random() < 0.08:
            self.post(f"/referrals/{referral_id}/close", {"outcome": "caller_unreachable"})
        else:
            self.post(f"/referrals/{referral_id}/return", {"outcome": "resolved"})
            self.run.returned += 1

    def agents_close_expired(self) -> None:
        from chalicelib.referrals import store
        from chalicelib.referrals.rules import Status

        for item in list(store.with_status(Status.EXPIRED)):
            self.post(f"/referrals/{item.referral_id}/claim")
            self.post(f"/referrals/{item.referral_id}/close", {"outcome": "informed_no_answer"})
            self.run.closed_unanswered += 1


ANSWER = "Başvurunuz işleme alınmıştır; ek belge gerekmemektedir. Sonuç e-posta ile bildirilecektir."


def run_referrals(
    sim: Simulation, first_day: date, days: int, seed: int = 11, on_step: Callable[[], None] | None = None
) -> ReferralRun:
    """Refer, answer, remind, escalate, return and close through the month; the agenda every working hour."""
    import time_machine
    from chalice.test import Client

    from app import app
    from chalicelib.adapters.closures import centre_calendar
    from chalicelib.referrals.agenda import run_agenda
    from cli.embedded.connect import SimulatedConnect

    rng, calendar, run, connect = random.Random(seed), centre_calendar(), ReferralRun(), SimulatedConnect()
    end = datetime.combine(first_day + timedelta(days=days), time(0), tzinfo=calendar.zone)
    tick = datetime.combine(first_day, time(9, 0), tzinfo=calendar.zone)
    with Client(app, stage_name="local") as client:
        month = _Month(client, rng, calendar, run)
        for contact in sim.contacts:
            # A task has nobody on the line to return an answer to; only callers' questions are referred.
            referable = (
                contact.answered
                and contact.completed_at
                and contact.customer_number
                and contact.category_final in REFERRED_CATEGORIES
            )
            if referable and contact.completed_at is not None and rng.random() < P_REFER:
                month.later(contact.completed_at, "refer", contact=contact)
        while tick < end:
            while month.plan and month.plan[0][0] <= tick:
                when, _, action, data = heapq.heappop(month.plan)
                with time_machine.travel(when, tick=False):
                    if action == "refer":
                        month.refer(when, data["contact"])
                    elif action == "unit":
                        month.unit_answers(when, data["referral_id"], data["forward"])
                    else:
                        month.agent_returns(data["referral_id"])
            if calendar.is_open(tick):
                with time_machine.travel(tick, tick=False):
                    run_agenda(tick, connect=connect)
                    month.agents_close_expired()
                run.agenda_runs += 1
                if on_step:
                    on_step()
            tick += timedelta(hours=1)
    return run


def _link_for(item: ReferralItem) -> str:
    """The path of the unit's link, signed exactly as its e-mail carried it."""
    from chalicelib.core.config import settings
    from chalicelib.referrals.mailing import reply_link

    return "/reply/" + reply_link(item, 0, settings()).rsplit("/reply/", 1)[1]
