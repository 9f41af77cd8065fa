"""The e-mails a referral produces, Turkish first with English below, HTML with a text alternative.

- to each unit address (and later the deputy): the question, the deadline, a personal reply link;
  the caller's identity only with their recorded consent (directive 9(2));
- a reminder at half the target, and on escalation the same question to the deputy;
- to the supervisor on escalation: reference, unit and dates only (the question stays in the system);
- to the caller, when they asked for the answer by e-mail;
- and a text to the caller who chose SMS: the answer is ready, ring the centre with the reference. Only
  the reference: an SMS may be read by anyone holding the phone, and the answer may be personal (9(1)).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from chalicelib.adapters.mail import OutgoingEmail
from chalicelib.adapters.sms import OutgoingSms
from chalicelib.contacts.categories import CATEGORY_LABELS
from chalicelib.core.config import Settings
from chalicelib.core.phones import display
from chalicelib.core.templating import render
from chalicelib.core.turkish import datetime_en, datetime_tr

SENDER_NAME = "OSTİM Teknik Çağrı Merkezi"
_SUBJECTS = {
    "unit": "[{ref}] Çağrı Merkezinden soru, yanıt {due} tarihine kadar / Question from the Call Centre",
    "reminder": "[{ref}] Hatırlatma: yanıt bekleniyor ({due}) / Reminder: answer due",
    "escalation": "[{ref}] Süresi geçti: yanıt bekleniyor / Overdue: answer needed",
}


@dataclass(frozen=True)
class ReferralMailFacts:
    """What the e-mails say about one referral (read from the stored item by the service)."""

    referral_id: str
    reference: str
    unit_tr: str
    unit_en: str
    category: str
    question: str
    created_at: str
    due_at: str
    expires_at: str
    identity: str | None  # name and number, only with the caller's consent


def _when(moment: str, cfg: Settings) -> tuple[str, str]:
    return datetime_tr(moment, cfg.zone), datetime_en(moment, cfg.zone)


def _short_due(moment: str, cfg: Settings) -> str:
    local = datetime.fromisoformat(moment).astimezone(cfg.zone)
    return f"{local:%d.%m.%Y %H:%M}"


def unit_email(facts: ReferralMailFacts, kind: str, recipient: str, link: str, cfg: Settings) -> OutgoingEmail:
    """The question to one unit address (kind "unit"), its reminder, or the deputy's escalation copy."""
    due_tr, due_en = _when(facts.due_at, cfg)
    expires_tr, expires_en = _when(facts.expires_at, cfg)
    context = {
        "kind": kind,
        "reference": facts.reference,
        "unit_tr": facts.unit_tr,
        "unit_en": facts.unit_en,
        "category_tr": CATEGORY_LABELS.get(facts.category, facts.category),
        "question": facts.question,
        "identity": facts.identity,
        "due_tr": due_tr,
        "due_en": due_en,
        "expires_tr": expires_tr,
        "expires_en": expires_en,
        "link": link,
        "centre_phone": display(cfg.centre_number),
    }
    return OutgoingEmail(
        sender=cfg.sender_address,
        sender_name=SENDER_NAME,
        recipients=(recipient,),
        subject=_SUBJECTS[kind].format(ref=facts.reference, due=_short_due(facts.due_at, cfg)),
        text=render("referral_unit.txt.j2", **context),
        html=render("referral_unit.html.j2", **context),
        headers={"X-Cagri-Referral": facts.reference},
    )


def supervisor_escalation(facts: ReferralMailFacts, deputy: str, cfg: Settings) -> OutgoingEmail:
    created_tr, created_en = _when(facts.created_at, cfg)
    due_tr, due_en = _when(facts.due_at, cfg)
    expires_tr, expires_en = _when(facts.expires_at, cfg)
    text = render(
        "referral_supervisor.txt.j2",
        reference=facts.reference,
        unit_tr=facts.unit_tr,
        unit_en=facts.unit_en,
        created_tr=created_tr,
        created_en=created_en,
        due_tr=due_tr,
        due_en=due_en,
        expires_tr=expires_tr,
        expires_en=expires_en,
        deputy=deputy,
    )
    return OutgoingEmail(
        sender=cfg.sender_address,
        sender_name=SENDER_NAME,
        recipients=(cfg.supervisor_address,),
        subject=f"[{facts.reference}] {facts.unit_tr}: yönlendirme süresi geçti / Referral overdue",
        text=text,
        headers={"X-Cagri-Referral": facts.reference},
    )


def caller_answer(
    facts: ReferralMailFacts, answer: str, address: str, name: str | None, cfg: Settings
) -> OutgoingEmail:
    context = {
        "reference": facts.reference,
        "unit_tr": facts.unit_tr,
        "unit_en": facts.unit_en,
        "question": facts.question,
        "answer": answer,
        "name": name,
        "centre_phone": display(cfg.centre_number),
    }
    return OutgoingEmail(
        sender=cfg.sender_address,
        sender_name=SENDER_NAME,
        recipients=(address,),
        subject=f"[{facts.reference}] Sorunuz yanıtlandı / Your question has been answered",
        text=render("referral_caller.txt.j2", **context),
        html=render("referral_caller.html.j2", **context),
        headers={"X-Cagri-Referral": facts.reference},
    )


SMS_SENDER_NAME = "OSTİM Teknik Çağrı Merkezi"


def caller_sms_text(reference: str, cfg: Settings) -> str:
    """Turkish, two SMS parts at most (UCS-2: 134 characters), nothing but the reference and our number."""
    return (
        f"{SMS_SENDER_NAME}: {reference} numaralı sorunuzun yanıtı hazır. "
        f"Yanıt için {display(cfg.centre_number)} numarasını arayabilirsiniz."
    )


def caller_sms(referral_id: str, reference: str, number: str, cfg: Settings) -> OutgoingSms:
    return OutgoingSms(
        destination=number,
        body=caller_sms_text(reference, cfg),
        kind="referral_answer_ready",
        ref=referral_id,
        ttl_seconds=86_400,  # a day: the answer waits for them in the centre after that too
    )
