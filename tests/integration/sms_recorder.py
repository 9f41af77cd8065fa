"""What the SMS tests put behind the port (chalicelib.adapters.sms): keeps what would have been sent, and
fails the next sends on request. A test double, so it stays out of the deployed package."""

from __future__ import annotations

from chalicelib.adapters.sms import OutgoingSms


class RecordingSms:
    """The fake for unit and integration tests: keeps what would have been sent."""

    def __init__(self) -> None:
        self.sent: list[OutgoingSms] = []
        self._failures: list[Exception] = []

    def fail_next(self, error: Exception) -> None:
        self._failures.append(error)

    def send(self, sms: OutgoingSms) -> str:
        if self._failures:
            raise self._failures.pop(0)
        self.sent.append(sms)
        return f"sms-fake-{len(self.sent)}"
