"""Pure rules of confidentiality (directive 9, KVKK art. 7, 11, 12). No AWS here.

- which number a request is about (any Turkish or E.164 form → E.164);
- the legal basis a disclosure needs (9(2)): the person's consent, or a legally authorised body;
- when a data-subject request is due (art. 13(2): 30 calendar days from receipt);
- what is personal in a stored contact fact, and its anonymised form;
- which months the retention job reads (its index is filed by month).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from chalicelib.core.errors import Invalid

ACCESS, ERASURE = "access", "erasure"
KINDS = (ACCESS, ERASURE)
CONSENT, LEGAL_AUTHORITY, DATA_SUBJECT = "consent", "legal_authority", "data_subject_request"
BASES = (CONSENT, LEGAL_AUTHORITY)  # what a supervisor may give; DATA_SUBJECT is the request's own
OPEN, FULFILLED = "OPEN", "FULFILLED"
REQUEST_DAYS = 30
# Replaces free text that must stay non-empty (a referral's question) once anonymised.
ANONYMISED = "[anonimleştirildi / anonymised]"
# How far back the retention job looks for a month it has not finished (a stopped schedule, a backlog).
RETENTION_LOOKBACK_MONTHS = 24


class BasisMissing(Invalid):
    """A disclosure without the legal basis it needs; `field` names what is missing."""

    def __init__(self, field_name: str, message: str) -> None:
        super().__init__(message, field_name)


@dataclass(frozen=True)
class LegalBasis:
    basis: str
    consent_reference: str | None = None
    authority: str | None = None
    document_number: str | None = None
    request_id: str | None = None

    def summary(self) -> str:
        """For the audit trail: which basis and its reference, never the person's data."""
        if self.basis == CONSENT:
            return f"basis=consent; consent_reference={self.consent_reference}"
        if self.basis == LEGAL_AUTHORITY:
            return f"basis=legal_authority; authority={self.authority}; document_number={self.document_number}"
        return f"basis=data_subject_request; request={self.request_id}"


def legal_basis(
    basis: str | None = None,
    consent_reference: str | None = None,
    authority: str | None = None,
    document_number: str | None = None,
) -> LegalBasis:
    """The recorded basis of a disclosure (9(2)), or BasisMissing naming the first field missing."""

    def given(value: str | None) -> str | None:
        return value.strip() if value and value.strip() else None

    if basis not in BASES:
        raise BasisMissing("basis", "basis must be 'consent' or 'legal_authority' (directive 9(2))")
    if basis == CONSENT:
        if not given(consent_reference):
            raise BasisMissing("consent_reference", "a disclosure by consent needs the consent's reference")
        return LegalBasis(CONSENT, consent_reference=given(consent_reference))
    if not given(authority):
        raise BasisMissing("authority", "a disclosure to a legally authorised body needs the body's name")
    if not given(document_number):
        raise BasisMissing("document_number", "a disclosure to a legally authorised body needs its document number")
    return LegalBasis(LEGAL_AUTHORITY, authority=given(authority), document_number=given(document_number))


def request_due(received_at: datetime) -> datetime:
    """KVKK art. 13(2): answered within thirty calendar days of receipt."""
    return received_at + timedelta(days=REQUEST_DAYS)


def retention_cutoff(now: datetime, days: int) -> datetime:
    """Personal fields recorded at or before this moment are due for anonymisation."""
    return now - timedelta(days=days)


def months_back(last: datetime, count: int = RETENTION_LOOKBACK_MONTHS) -> list[str]:
    """`count` UTC months ending with `last`'s, oldest first."""
    year, month = last.astimezone(UTC).year, last.astimezone(UTC).month
    found = []
    for _ in range(count):
        found.append(f"{year:04d}-{month:02d}")
        year, month = (year, month - 1) if month > 1 else (year - 1, 12)
    return found[::-1]
