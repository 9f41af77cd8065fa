"""Blueprint: the unit's reply page, opened from the signed link in the referral e-mail.

- GET  /reply/{token}   the question and a form (answer, or "not ours: forward to unit X")
- POST /reply/{token}   records the answer or the forward (form-encoded)

Plain HTML that works on a phone and with a screen reader, no script. A forged, expired or
already-used link gets a page that says so, never a stack trace. The token is a capability: pages
are not cached and send no Referer, so the link cannot leak from the browser.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from datetime import datetime
from typing import TYPE_CHECKING, Annotated, Any, Literal
from urllib.parse import parse_qs

from chalice import Blueprint, Response
from pydantic import BaseModel, ConfigDict, ValidationError, model_validator

from chalicelib.core import times
from chalicelib.core.config import settings
from chalicelib.core.errors import Invalid
from chalicelib.core.lazy import lazy
from chalicelib.core.observability import logger
from chalicelib.core.phones import display
from chalicelib.core.templating import render
from chalicelib.core.text import MultiLineText, SingleLineText
from chalicelib.core.turkish import datetime_tr
from chalicelib.referrals import links, store, units
from chalicelib.referrals.rules import WITH_UNIT, Status
from chalicelib.referrals.store import ReferralConflict, ReferralItem

if TYPE_CHECKING:
    from chalicelib.referrals import mailing, unit_side
else:  # loaded on the first reply page (every Lambda imports this blueprint)
    mailing, unit_side = lazy("chalicelib.referrals.mailing"), lazy("chalicelib.referrals.unit_side")


reply_pages = Blueprint(__name__)

FORM = "application/x-www-form-urlencoded"
_HEADERS: dict[str, str | list[str]] = {
    "Content-Type": "text/html; charset=utf-8",
    "Cache-Control": "no-store",
    "Referrer-Policy": "no-referrer",
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Content-Security-Policy": (
        "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'"
    ),
}
_STATE_MESSAGES = {
    Status.ANSWERED: (
        "Bu soru yanıtlandı; yanıt arayana iletilmek üzere temsilcilerde.",
        "This question has been answered; the centre will pass the answer on.",
    ),
    Status.RETURNED: (
        "Bu soru yanıtlandı ve yanıt arayana iletildi. Teşekkür ederiz.",
        "This question was answered and the answer passed to the caller. Thank you.",
    ),
    Status.CLOSED: ("Bu yönlendirme kapatıldı. Teşekkür ederiz.", "This referral is closed. Thank you."),
    Status.FORWARDED: ("Bu soru başka bir birime aktarıldı.", "This question was forwarded to another unit."),
    Status.CANCELLED: (
        "Arayan artık yanıt beklemediği için bu yönlendirme iptal edildi.",
        "This referral was cancelled: the caller no longer needs an answer.",
    ),
    Status.EXPIRED: (
        "Bu yönlendirmenin süresi doldu; soru temsilcilere geri döndü.",
        "This referral has expired and gone back to the agents.",
    ),
}


class ReplyForm(BaseModel):
    # Built on the first request: every Lambda imports every blueprint, and the event Lambdas never validate this.
    model_config = ConfigDict(defer_build=True, extra="ignore", str_strip_whitespace=True)

    action: Literal["answer", "forward"]
    answer: Annotated[str, MultiLineText(5000)] | None = None
    responder_name: Annotated[str, SingleLineText(200)] | None = None
    forward_unit: Annotated[str, SingleLineText(63)] | None = None
    forward_note: Annotated[str, MultiLineText(2000)] | None = None

    @model_validator(mode="after")
    def _needs(self) -> ReplyForm:
        if self.action == "answer" and len(self.answer or "") < 2:
            raise ValueError("Lütfen arayana iletilecek yanıtı yazın. / Please write the answer.")
        if self.action == "forward" and not self.forward_unit:
            raise ValueError("Lütfen sorunun gideceği birimi seçin. / Please choose a unit.")
        return self


FORM_FIELDS = ("action", "answer", "responder_name", "forward_unit", "forward_note")
# How a refused field is named on the page (the labels it shows, shortened).
FIELD_NAMES = {
    "answer": "Yanıt / Answer",
    "responder_name": "Adınız / Your name",
    "forward_unit": "Birim / Unit",
    "forward_note": "Not / Note",
}


def _page(status: int, **context: Any) -> Response:
    context.setdefault("r", None)
    context.setdefault("error", None)
    context["form"] = {name: (context.get("form") or {}).get(name) or "" for name in FORM_FIELDS}
    context.setdefault("units", [])
    context.setdefault("reference", None)
    context.setdefault("title_ref", None)
    return Response(
        body=render("reply_page.html.j2", centre_phone=display(settings().centre_number), **context),
        status_code=status,
        headers=_HEADERS,
    )


def _summary(item: ReferralItem, with_question: bool) -> dict[str, Any]:
    cfg = settings()
    facts = mailing.mail_facts(item) if with_question else None
    return {
        "reference": item.reference,
        "unit": item.unit_name,
        "due": datetime_tr(item.due_at, cfg.zone) if item.due_at else "",
        "question": item.question if with_question else None,
        "identity": facts.identity if facts else None,
    }


def _form_page(
    access: unit_side.UnitAccess,
    now: datetime,
    status: int = 200,
    error: str | None = None,
    form: dict[str, str] | None = None,
) -> Response:
    """The question and the form: every page that shows the question is an audited read, errors included."""
    unit_side.read_for_unit(access, now, "reply page" if error is None else "reply page, shown again with an error")
    others = [u for u in units.list_units(active_only=True) if u.unit_id != access.item.unit_id]
    return _page(
        status,
        mode="form",
        title="Yanıt bekleyen soru",
        title_ref=access.item.reference,
        r=_summary(access.item, with_question=True),
        units=others,
        error=error,
        form=form or {},
    )


def _state_page(item: ReferralItem) -> Response:
    tr, en = _STATE_MESSAGES.get(item.status, ("Bu yönlendirme artık açık değil.", "This referral is no longer open."))
    return _page(
        200,
        mode="state",
        title=f"{item.reference}",
        r=_summary(item, with_question=False),
        message_tr=tr,
        message_en=en,
    )


def _refused(error: Exception) -> Response:
    if isinstance(error, links.LinkExpired):
        item = store.get_referral(error.link.referral_id)
        return _page(410, mode="expired", title="Bağlantının süresi doldu", reference=item.reference if item else None)
    return _page(403, mode="invalid", title="Geçersiz bağlantı")


def never_a_stack_trace(view: Callable[[str], Response]) -> Callable[[str], Response]:
    """Whatever fails, the unit gets a page that says so (and the log gets the exception, no form data)."""

    @functools.wraps(view)
    def wrapper(token: str) -> Response:
        try:
            return view(token)
        except Exception:
            logger.exception("reply page failed")
            return _page(500, mode="failed", title="Bir sorun oluştu")

    return wrapper


@reply_pages.route("/reply/{token}", methods=["GET"])
@never_a_stack_trace
def show_reply_page(token: str) -> Response:
    now = times.now()
    try:
        access = unit_side.open_link(token, now)
    except (links.LinkInvalid, links.LinkExpired) as error:
        logger.info("reply link refused", extra={"why": type(error).__name__})
        return _refused(error)
    if access.item.status not in WITH_UNIT:
        return _state_page(access.item)
    return _form_page(access, now)


@reply_pages.route("/reply/{token}", methods=["POST"], content_types=[FORM])
@never_a_stack_trace
def submit_reply(token: str) -> Response:
    now = times.now()
    request = reply_pages.current_request
    try:
        access = unit_side.open_link(token, now)
    except (links.LinkInvalid, links.LinkExpired) as error:
        logger.info("reply link refused", extra={"why": type(error).__name__})
        return _refused(error)
    if access.item.status not in WITH_UNIT:
        return _state_page(access.item)
    body = request.raw_body or b""  # bytes in practice; chalice's type also allows str
    text = body.decode("utf-8", "replace") if isinstance(body, bytes) else body
    raw = {key: values[0] for key, values in parse_qs(text).items()}
    try:
        form = ReplyForm.model_validate(raw)
    except ValidationError as error:
        first = error.errors(include_url=False, include_input=False)[0]
        message = str(first.get("ctx", {}).get("error") or first["msg"]).removeprefix("Value error, ")
        field = FIELD_NAMES.get(str(first["loc"][0])) if first.get("loc") else None
        message = f"{field}: {message}" if field else message
        return _form_page(access, now, 400, message, {k: v for k, v in raw.items() if isinstance(v, str)})
    try:
        if form.action == "answer":
            item = unit_side.answer(token, form.answer or "", form.responder_name, now)
            return _page(
                200,
                mode="thanks",
                title="Yanıtınız kaydedildi",
                r=_summary(item, with_question=False),
                message_tr="Teşekkür ederiz. Yanıtınız kaydedildi ve arayana merkez tarafından iletilecek.",
                message_en="Thank you. Your answer is recorded and the centre will pass it to the caller.",
            )
        item = unit_side.forward(token, form.forward_unit or "", form.forward_note, now)
        target = units.get_unit(form.forward_unit or "")
        name_tr, name_en = (target.name_tr, target.name_en) if target else ("seçtiğiniz birim", "the unit you chose")
        return _page(
            200,
            mode="thanks",
            title="Soru aktarıldı",
            r=_summary(item, with_question=False),
            message_tr=f"Teşekkür ederiz. Soru şu birime aktarıldı ve e-postayla gönderildi: {name_tr}.",
            message_en=f"Thank you. The question was forwarded to {name_en} and e-mailed to them.",
        )
    except Invalid as error:
        return _form_page(access, now, 400, error.message, raw)
    except ReferralConflict:
        current = store.get_referral(access.item.referral_id)
        return _state_page(current or access.item)
