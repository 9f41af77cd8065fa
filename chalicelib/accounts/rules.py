"""Pure: agent account lifecycle (directive 7(e), 7(f)) — statuses, transitions, passwords, input rules.

No AWS here: the service applies these decisions to Amazon Connect and our records.
"""

from __future__ import annotations

import re
import secrets
import string


class Status:
    IN_TRAINING = "IN_TRAINING"  # created; on the training routing profile, no live queues (7(f))
    ACTIVE = "ACTIVE"  # trained; on the live routing profile
    DEACTIVATED = "DEACTIVATED"  # left: removed from Amazon Connect, our record kept for the reports


STATUSES = (Status.IN_TRAINING, Status.ACTIVE, Status.DEACTIVATED)


class Role:
    """What the account may do: its Cognito group (chalicelib.web.access checks the group per route)."""

    AGENT = "agent"  # Cognito group `agents`; starts IN_TRAINING (7(f))
    SUPERVISOR = "supervisor"  # Cognito group `supervisors`; starts ACTIVE: supervisors are not trained here


ROLES = (Role.AGENT, Role.SUPERVISOR)
GROUP_OF_ROLE = {Role.AGENT: "agents", Role.SUPERVISOR: "supervisors"}


class Action:
    CREATED = "created"
    TRAINED = "trained"
    DEACTIVATED = "deactivated"
    # The leaver's sign-ins removed outside our records (Cognito locked out, Connect user deleted):
    # its own entry, because it can complete after the deactivation itself (a retry).
    ACCESS_REMOVED = "access_removed"


# Which statuses each change may start from.
ALLOWED_FROM = {
    Action.TRAINED: frozenset({Status.IN_TRAINING}),
    Action.DEACTIVATED: frozenset({Status.IN_TRAINING, Status.ACTIVE}),
}
RESULT = {Action.TRAINED: Status.ACTIVE, Action.DEACTIVATED: Status.DEACTIVATED}

_REFUSALS = {
    (Action.TRAINED, Status.ACTIVE): "eğitimi zaten kaydedilmiş",
    (Action.TRAINED, Status.DEACTIVATED): "hesabı kapatılmış; eğitim kaydedilemez",
    (Action.DEACTIVATED, Status.DEACTIVATED): "hesabı zaten kapatılmış",
}


def refusal(action: str, status: str) -> str | None:
    """None when `action` may be applied to an agent in `status`, else why not (Turkish)."""
    if status in ALLOWED_FROM[action]:
        return None
    return _REFUSALS.get((action, status), f"{status} durumundaki hesapta bu işlem yapılamaz")


# --- temporary passwords ---------------------------------------------------------------------------

# Amazon Connect's policy for users it manages: 8–64 characters, at least one upper-case letter,
# one lower-case letter and one digit. Letters and digits only, so nothing is lost when the
# supervisor reads it out; 16 characters from 62 symbols ≈ 95 bits.
PASSWORD_LENGTH = 16
_UPPER = "".join(c for c in string.ascii_uppercase if c not in "IO")  # no I/O: not confused with l/0
_LOWER = "".join(c for c in string.ascii_lowercase if c != "l")
_DIGITS = "23456789"
_ALPHABET = _UPPER + _LOWER + _DIGITS


def temporary_password(length: int = PASSWORD_LENGTH) -> str:
    """A fresh temporary password meeting Connect's policy, from `secrets` (never stored, never logged)."""
    if not 8 <= length <= 64:
        raise ValueError("password length must be 8–64")
    chars = [secrets.choice(_UPPER), secrets.choice(_LOWER), secrets.choice(_DIGITS)]
    chars += [secrets.choice(_ALPHABET) for _ in range(length - len(chars))]
    secrets.SystemRandom().shuffle(chars)
    return "".join(chars)


def meets_password_policy(password: str) -> bool:
    return (
        8 <= len(password) <= 64
        and any(c.isupper() for c in password)
        and any(c.islower() for c in password)
        and any(c.isdigit() for c in password)
    )


# --- input -----------------------------------------------------------------------------------------

# Connect allows 1–100 characters; ours: lower-case ASCII letters, digits, '.', '_', '-', 3–64, as the
# university's staff accounts are spelt (ayse.yilmaz), so the same name works everywhere.
USERNAME = re.compile(r"^[a-z0-9][a-z0-9._-]{1,62}[a-z0-9]$")
# Turkish names: letters (ç, ğ, ı, İ, ö, ş, ü… included), spaces, hyphens, apostrophes.
PERSON_NAME = re.compile(r"^[^\W\d_](?:[^\W\d_]|[ '’-](?=[^\W\d_]))*$")
NAME_MAX = 100


def username_problem(username: str) -> str | None:
    if not USERNAME.fullmatch(username):
        return "3–64 karakter; küçük harf (a–z), rakam, '.', '_' veya '-' olmalı, harf ya da rakamla başlayıp bitmeli"
    return None


# An e-mail address Cognito can send the invitation to: one @, no spaces or control characters.
EMAIL = re.compile(r"^[^@\s\x00-\x1f\x7f]{1,64}@[A-Za-z0-9.-]{1,251}\.[A-Za-z]{2,63}$")


def email_problem(email: str) -> str | None:
    if not EMAIL.fullmatch(email):
        return "geçerli bir e-posta adresi olmalı (ad@alan.edu.tr)"
    return None


def name_problem(name: str) -> str | None:
    if not name or len(name) > NAME_MAX:
        return f"1–{NAME_MAX} karakter olmalı"
    if not PERSON_NAME.fullmatch(name):
        return "yalnızca harf, boşluk, kesme işareti ve tire içerebilir"
    return None
