"""The notifier port: e-mail out, through SES (raw MIME) or a recording fake.

One message shape for every e-mail the centre sends (the monthly report, referrals, alerts):
Turkish-first HTML with a plain-text alternative, inline images referenced by Content-ID, and
attachments. The body is personal data at times: it is never logged; logs carry the message id.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from email.message import EmailMessage
from email.utils import formataddr, make_msgid
from typing import TYPE_CHECKING, Protocol

from chalicelib.core.text import has_control, one_line

if TYPE_CHECKING:
    from mypy_boto3_ses import SESClient


@dataclass(frozen=True)
class Attachment:
    filename: str
    content: bytes
    mime_type: str  # e.g. "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@dataclass(frozen=True)
class InlineImage:
    cid: str  # referenced from the HTML as src="cid:<cid>"
    content: bytes
    subtype: str = "png"


@dataclass(frozen=True)
class OutgoingEmail:
    sender: str
    sender_name: str
    recipients: tuple[str, ...]
    subject: str
    text: str
    html: str | None = None
    images: tuple[InlineImage, ...] = ()
    attachments: tuple[Attachment, ...] = ()
    headers: dict[str, str] = field(default_factory=dict)

    def to_mime(self) -> EmailMessage:
        """The MIME message. Header text made of stored data (a unit's name in the subject) is put on one
        line, whatever was stored before input was checked; an address with a control character is
        refused, so no header can be injected and nothing malformed reaches SES."""
        if any(has_control(address) for address in (self.sender, *self.recipients)):
            raise ValueError("an e-mail address contains a control character")  # never the address itself
        message = EmailMessage()
        message["From"] = formataddr((one_line(self.sender_name), self.sender))
        message["To"] = ", ".join(self.recipients)
        message["Subject"] = one_line(self.subject)
        message["Message-ID"] = make_msgid(domain=self.sender.rsplit("@", 1)[-1])
        for name, value in self.headers.items():
            message[name] = one_line(value)
        message.set_content(self.text)
        if self.html is not None:
            message.add_alternative(self.html, subtype="html")
            *_, html_part = message.iter_parts()  # the alternative just added
            for image in self.images:
                html_part.add_related(image.content, maintype="image", subtype=image.subtype, cid=f"<{image.cid}>")
        for attachment in self.attachments:
            maintype, _, subtype = attachment.mime_type.partition("/")
            message.add_attachment(attachment.content, maintype=maintype, subtype=subtype, filename=attachment.filename)
        return message


class Notifier(Protocol):
    def send(self, email: OutgoingEmail) -> str:
        """Send; returns the provider's message id."""


class SesNotifier:
    """Amazon SES v1 `SendRawEmail` (what the embedded AWS, moto, implements)."""

    def __init__(self, client: SESClient | None = None) -> None:
        self._client = client

    @property
    def client(self) -> SESClient:
        if self._client is None:
            import boto3

            from chalicelib.core.config import settings

            self._client = boto3.client("ses", region_name=settings().region)
        return self._client

    def send(self, email: OutgoingEmail) -> str:
        response = self.client.send_raw_email(
            Source=email.sender,
            Destinations=list(email.recipients),
            RawMessage={"Data": email.to_mime().as_bytes()},
        )
        return response["MessageId"]


class RecordingNotifier:
    """The fake for unit tests: keeps what would have been sent."""

    def __init__(self) -> None:
        self.sent: list[OutgoingEmail] = []

    def send(self, email: OutgoingEmail) -> str:
        self.sent.append(email)
        return f"fake-{len(self.sent)}"


_notifier: Notifier | None = None


def get_notifier() -> Notifier:
    global _notifier
    if _notifier is None:
        _notifier = SesNotifier()
    return _notifier


def set_notifier(notifier: Notifier | None) -> None:
    global _notifier
    _notifier = notifier
