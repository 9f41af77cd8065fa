"""Referrals in DynamoDB.

Table `referrals` (hash `referral_id` = referral_id_for(contact, unit)), access patterns:
1. create exactly once: Put with attribute_not_exists; the reference number from an atomic
   counter item (`counter#<year>`, ADD) in the same table;
2. change state: UpdateItem conditioned on the current status (and the claim), so a double
   submit, a retried request or two schedulers can never apply a change twice;
3. GSI `by_status` (status, created_at): the agents' work lists, a page at a time;
   GSI `by_status_unit` (status, unit_created = "<unit_id>#<created_at>"): the same for one unit,
   the unit a key condition (begins_with), never a filter over every referral of the status;
4. GSI `agenda` (status, next_action_at), sparse: what the scheduler must do now (send, remind,
   escalate, expire, start a task); an item with nothing to do has no `next_action_at`;
5. GSI `by_month` (created_month, created_at): the monthly report;
6. GSI `by_caller` (caller_key = HMAC of the number, created_at): the contact flow's "is an answer
   waiting for this caller?", and data-subject requests, without a plain-number index;
7. sparse GSI `personal` (personal_month, personal_since): what still holds personal fields, for the
   retention job; anonymising removes both.
Each e-mail (and the caller's text, `sms#caller`) is claimed in `mail_claims` (message key → the
sending attempt's token, a conditional write) before it is sent, so a retry never mails a unit or
texts a caller twice; a claim whose answer was lost is recognised by its token when tried again.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any, cast

from pynamodb.attributes import (
    BooleanAttribute,
    MapAttribute,
    NumberAttribute,
    UnicodeAttribute,
)
from pynamodb.exceptions import DoesNotExist, PutError, TransactWriteError, UpdateError
from pynamodb.expressions.operand import Path
from pynamodb.indexes import AllProjection, GlobalSecondaryIndex, IncludeProjection, KeysOnlyProjection
from pynamodb.models import Model
from pynamodb.transactions import TransactWrite

from chalicelib.adapters.dynamo import TableMeta, text_list
from chalicelib.adapters.paging import Page, Source, read_page
from chalicelib.core.config import settings
from chalicelib.core.errors import Conflict, NotFound
from chalicelib.referrals.rules import WITH_UNIT, Status

_cfg = settings()
PAGE_SIZE = 250


class ReferralConflict(Conflict):
    """The referral is not in the state the change needs (answered meanwhile, claimed by another…)."""

    def __init__(self, referral_id: str) -> None:
        super().__init__(f"referral {referral_id} changed meanwhile; reload and retry")
        self.referral_id = referral_id


class ReferralNotFound(NotFound):
    def __init__(self, referral_id: str) -> None:
        super().__init__(f"referral {referral_id} not found", "referral_id")


class ByStatusIndex(GlobalSecondaryIndex["ReferralItem"]):
    class Meta:
        index_name = "by_status"
        projection = AllProjection()

    status = UnicodeAttribute(hash_key=True)
    created_at = UnicodeAttribute(range_key=True)


class ByStatusUnitIndex(GlobalSecondaryIndex["ReferralItem"]):
    class Meta:
        index_name = "by_status_unit"
        projection = AllProjection()

    status = UnicodeAttribute(hash_key=True)
    unit_created = UnicodeAttribute(range_key=True)


class AgendaIndex(GlobalSecondaryIndex["ReferralItem"]):
    class Meta:
        index_name = "agenda"
        projection = AllProjection()

    status = UnicodeAttribute(hash_key=True)
    next_action_at = UnicodeAttribute(range_key=True)


class ByMonthIndex(GlobalSecondaryIndex["ReferralItem"]):
    class Meta:
        index_name = "by_month"
        projection = AllProjection()

    created_month = UnicodeAttribute(hash_key=True)
    created_at = UnicodeAttribute(range_key=True)


class ByCallerIndex(GlobalSecondaryIndex["ReferralItem"]):
    class Meta:
        index_name = "by_caller"
        projection = IncludeProjection(["status", "reference"])

    caller_key = UnicodeAttribute(hash_key=True)
    created_at = UnicodeAttribute(range_key=True)


class PersonalIndex(GlobalSecondaryIndex["ReferralItem"]):
    class Meta:
        index_name = "personal"
        projection = KeysOnlyProjection()

    personal_month = UnicodeAttribute(hash_key=True)
    personal_since = UnicodeAttribute(range_key=True)


class ReferralItem(Model):
    class Meta(TableMeta):
        table_name = _cfg.referrals_table

    referral_id = UnicodeAttribute(hash_key=True)
    reference = UnicodeAttribute()
    contact_id = UnicodeAttribute()
    contact_initiated_at = UnicodeAttribute(null=True)
    forwarded_from = UnicodeAttribute(null=True)
    forwarded_to = UnicodeAttribute(null=True)
    unit_id = UnicodeAttribute()
    unit_name = UnicodeAttribute()
    category = UnicodeAttribute()
    # Personal data (stored, never logged; read through the audited API only).
    question = UnicodeAttribute()
    return_channel = UnicodeAttribute()
    return_address = UnicodeAttribute(null=True)
    caller_name = UnicodeAttribute(null=True)  # kept only when the caller consented to sharing it
    caller_number = UnicodeAttribute(null=True)  # likewise
    consent = BooleanAttribute(default=False)
    # The caller agreed to be texted at `return_address` (a return by SMS needs it); recorded when referred.
    sms_consent = BooleanAttribute(default=False)
    caller_key = UnicodeAttribute(null=True)
    answer = UnicodeAttribute(null=True)
    responder_name = UnicodeAttribute(null=True)
    notes = text_list(null=True)  # agents' and units' notes, in order
    # Lifecycle.
    status = UnicodeAttribute()
    created_at = UnicodeAttribute()
    created_month = UnicodeAttribute()
    unit_created = UnicodeAttribute(null=True)  # "<unit_id>#<created_at>": the by_status_unit index
    created_by = UnicodeAttribute()
    target_hours = NumberAttribute()
    sent_at = UnicodeAttribute(null=True)
    remind_at = UnicodeAttribute(null=True)
    due_at = UnicodeAttribute(null=True)
    expires_at = UnicodeAttribute(null=True)
    reminded_at = UnicodeAttribute(null=True)
    escalated_at = UnicodeAttribute(null=True)
    answered_at = UnicodeAttribute(null=True)
    answered_by = UnicodeAttribute(null=True)  # "unit:<address>" of the link used
    forwarded_at = UnicodeAttribute(null=True)
    expired_at = UnicodeAttribute(null=True)
    task_contact_id = UnicodeAttribute(null=True)
    claimed_by = UnicodeAttribute(null=True)
    claimed_at = UnicodeAttribute(null=True)
    returned_at = UnicodeAttribute(null=True)
    returned_by = UnicodeAttribute(null=True)
    returned_channel = UnicodeAttribute(null=True)
    # The "answer is ready" text: sent, or refused (by the SMS service, or no number left after an erasure).
    caller_sms = UnicodeAttribute(null=True)
    caller_sms_at = UnicodeAttribute(null=True)
    closed_at = UnicodeAttribute(null=True)
    closed_by = UnicodeAttribute(null=True)
    outcome = UnicodeAttribute(null=True)
    cancelled_at = UnicodeAttribute(null=True)
    cancelled_by = UnicodeAttribute(null=True)
    recipients = text_list(null=True)  # link recipient number = index
    # "<kind>#<recipient index>" → token of the attempt that sends it
    mail_claims: MapAttribute[str, str] = MapAttribute(default=dict)
    next_action = UnicodeAttribute(null=True)
    next_action_at = UnicodeAttribute(null=True)
    personal_month = UnicodeAttribute(null=True)  # retention: UTC month of personal_since
    personal_since = UnicodeAttribute(null=True)
    anonymised_at = UnicodeAttribute(null=True)

    by_status = ByStatusIndex()
    by_status_unit = ByStatusUnitIndex()
    agenda = AgendaIndex()
    by_month = ByMonthIndex()
    by_caller = ByCallerIndex()
    personal = PersonalIndex()


class ReferralCounter(Model):
    """The year's last reference number, in the referrals table under `counter#<year>`."""

    class Meta(TableMeta):
        table_name = _cfg.referrals_table

    referral_id = UnicodeAttribute(hash_key=True)
    last = NumberAttribute(default=0)


# --- reads --------------------------------------------------------------------------------------------


def get_referral(referral_id: str) -> ReferralItem | None:
    try:
        return ReferralItem.get(referral_id)
    except DoesNotExist:
        return None


def existing_referral(referral_id: str) -> ReferralItem:
    """The referral, or ReferralNotFound."""
    item = get_referral(referral_id)
    if item is None:
        raise ReferralNotFound(referral_id)
    return item


def audit_subject(referral_id: str) -> str:
    """Where the audit trail files what was done to a referral and who read it."""
    return f"referral#{referral_id}"


def with_status(status: str, limit: int | None = None) -> Iterator[ReferralItem]:
    yield from ReferralItem.by_status.query(status, limit=limit, page_size=PAGE_SIZE)


def unit_created(unit_id: str, created_at: str) -> str:
    return f"{unit_id}#{created_at}"


def status_page(
    statuses: tuple[str, ...], unit_id: str | None, newest_first: bool, limit: int, cursor: str | None
) -> Page[ReferralItem]:
    """A page of referrals in `statuses` (of one unit, if given), merged by creation time."""
    if unit_id is None:
        return read_page(Source(ReferralItem.by_status, statuses, newest_first=newest_first), limit, cursor)
    of_unit = ReferralItem.unit_created.startswith(unit_created(unit_id, ""))
    source = Source(ReferralItem.by_status_unit, statuses, range_condition=of_unit, newest_first=newest_first)
    return read_page(source, limit, cursor)


AGENDA_BATCH = 500  # per status and run; a backlog beyond it is worked off by the next runs, 10 minutes apart


def due_on_agenda(status: str, now_iso: str, limit: int | None = None) -> Iterator[ReferralItem]:
    """What is due by `now_iso` in `status`, the longest due first: at most `limit` (AGENDA_BATCH) a run."""
    limit = limit or AGENDA_BATCH
    due = ReferralItem.next_action_at <= now_iso
    yield from ReferralItem.agenda.query(status, due, limit=limit, page_size=min(PAGE_SIZE, limit))


def created_in(month: str) -> Iterator[ReferralItem]:
    yield from ReferralItem.by_month.query(month, page_size=PAGE_SIZE)


def of_caller(key: str, limit: int = 20) -> list[ReferralItem]:
    """The caller's latest referrals (status and reference only, from the index)."""
    return list(ReferralItem.by_caller.query(key, scan_index_forward=False, limit=limit))


def latest_of_key(key: str, limit: int) -> list[ReferralItem]:
    """A caller's latest `limit` referrals, whole (the index holds only status and reference)."""
    ids = [i.referral_id for i in ReferralItem.by_caller.query(key, scan_index_forward=False, limit=limit)]
    found = {item.referral_id: item for item in ReferralItem.batch_get(ids)} if ids else {}
    return [found[i] for i in ids if i in found]


def referrals_of_key(key: str) -> Iterator[ReferralItem]:
    ids = [k.referral_id for k in ReferralItem.by_caller.query(key)]
    yield from ReferralItem.batch_get(ids)


def holding_personal_data(month: str, until: str) -> Iterator[str]:
    for k in ReferralItem.personal.query(month, ReferralItem.personal_since <= until, page_size=PAGE_SIZE):
        yield k.referral_id


# --- writes -------------------------------------------------------------------------------------------


def next_reference_number(year: int) -> int:
    counter = ReferralCounter(f"counter#{year}")
    counter.update(actions=[ReferralCounter.last.add(1)])
    return int(counter.last)


def create(item: ReferralItem) -> bool:
    """Write a new referral; False when one with this id exists already."""
    try:
        item.save(condition=ReferralItem.referral_id.does_not_exist())
    except PutError as error:
        if _condition_failed(error):
            return False
        raise
    return True


def transition(
    referral_id: str, from_statuses: frozenset[str] | set[str], changes: dict[str, Any], **must: Any
) -> ReferralItem:
    """Apply `changes` (attribute → value; None removes) if the referral is in one of `from_statuses`
    (and each attribute in `must` has the given value; None: absent). ReferralConflict otherwise."""
    condition = ReferralItem.status.is_in(*sorted(from_statuses))
    for name, value in must.items():
        attribute = getattr(ReferralItem, name)
        condition &= attribute.does_not_exist() if value is None else attribute == value
    actions = [
        getattr(ReferralItem, name).remove() if value is None else getattr(ReferralItem, name).set(value)
        for name, value in changes.items()
    ]
    item = ReferralItem(referral_id)
    try:
        item.update(actions=actions, condition=condition)
    except UpdateError as error:
        if _condition_failed(error):
            raise ReferralConflict(referral_id) from None
        raise
    return item


def forward(original_id: str, child: ReferralItem, at: str) -> None:
    """End a referral still with its unit as FORWARDED and write the new referral it forwards to, both or
    neither; ReferralConflict when the original has left the unit meanwhile (or the new one exists)."""
    try:
        with TransactWrite(connection=ReferralItem._get_connection().connection) as tx:
            tx.update(
                ReferralItem(original_id),
                actions=[
                    ReferralItem.status.set(Status.FORWARDED),
                    ReferralItem.forwarded_to.set(child.referral_id),
                    ReferralItem.forwarded_at.set(at),
                    ReferralItem.next_action.remove(),
                    ReferralItem.next_action_at.remove(),
                ],
                condition=ReferralItem.status.is_in(*sorted(WITH_UNIT)),
            )
            tx.save(child, condition=ReferralItem.referral_id.does_not_exist())
    except TransactWriteError as error:
        if any(r and r.code == "ConditionalCheckFailed" for r in error.cancellation_reasons or []):
            raise ReferralConflict(original_id) from None
        raise


CLAIM_TRIES = 3


def _claim_slot(key: str) -> Path:
    # A raw map indexed on the model class is a document path; PynamoDB's types say the value (str).
    return cast(Path, ReferralItem.mail_claims[key])


def claim_mail(referral_id: str, key: str, token: str) -> bool:
    """Take the right to send e-mail `key` ("unit#0", "reminder#1"…) for the attempt `token`; False
    if another attempt holds it (sent, or being sent). Tried again at once when the answer is lost:
    the condition accepts our own token, so a claim that did land is recognised as ours."""
    slot = _claim_slot(key)
    condition = ReferralItem.referral_id.exists() & (slot.does_not_exist() | (slot == token))
    for attempt in range(1, CLAIM_TRIES + 1):
        try:
            ReferralItem(referral_id).update(actions=[slot.set(token)], condition=condition)
            return True
        except UpdateError as error:
            if _condition_failed(error):
                return False
            if attempt == CLAIM_TRIES:
                raise
    return False


def release_mail(referral_id: str, key: str, token: str) -> None:
    """Give our claim back after a send that certainly failed, so the next run tries again."""
    slot = _claim_slot(key)
    for attempt in range(1, CLAIM_TRIES + 1):  # a claim left behind would mean an e-mail never sent
        try:
            ReferralItem(referral_id).update(actions=[slot.remove()], condition=slot == token)
            return
        except UpdateError as error:
            if _condition_failed(error):
                return  # already released (an earlier try whose answer was lost)
            if attempt == CLAIM_TRIES:
                raise


def add_recipient(referral_id: str, address: str) -> int:
    """Append a link recipient (the deputy on escalation) once; returns its index."""
    item = get_referral(referral_id)
    recipients = list(item.recipients or []) if item else []
    if address in recipients:
        return recipients.index(address)
    try:
        updated = ReferralItem(referral_id)
        updated.update(
            actions=[ReferralItem.recipients.set(ReferralItem.recipients.append([address]))],
            condition=ReferralItem.recipients.exists() & ~ReferralItem.recipients.contains(address),
        )
        return list(updated.recipients).index(address)
    except UpdateError as error:
        if not _condition_failed(error):
            raise
    current = existing_referral(referral_id)  # gone meanwhile: ReferralNotFound, not an AttributeError
    return list(current.recipients or []).index(address)


def _condition_failed(error: Exception) -> bool:
    cause = getattr(error, "cause_response_code", None)
    return cause == "ConditionalCheckFailedException"
