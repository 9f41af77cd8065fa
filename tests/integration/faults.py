"""Fault injection for the integration tests: a seeded share of AWS calls fails.

Two kinds of failure, as AWS has them:
- before the call reaches the service (throttling, a 500): nothing happened;
- after the service did the work, the answer lost (a read timeout): it happened, the caller
  does not know. This is the one that catches a retry doing something twice.
Hooked into botocore's `before-call` / `after-call` events, so every client the code creates
(PynamoDB's, SES's) fails alike, through the real call path.
"""

from __future__ import annotations

import random
from collections import Counter
from dataclasses import dataclass, field

from botocore.exceptions import ClientError, ReadTimeoutError


@dataclass
class Faults:
    rate: float
    seed: int = 7
    services: tuple[str, ...] = ("dynamodb", "ses")
    after_share: float = 0.5  # of the failures, how many happen after the work was done
    # Services whose calls may fail after doing their work. SES has no idempotency key: an e-mail
    # sent and its answer lost is knowingly not resent (see referrals.mailing.send_once).
    after_services: tuple[str, ...] = ("dynamodb",)
    # Per-service rates where a service's few calls need more failures to be tested at all.
    service_rates: dict[str, float] = field(default_factory=dict)
    enabled: bool = True
    injected: Counter = field(default_factory=Counter)

    def __post_init__(self) -> None:
        self._rngs: dict[str, random.Random] = {}
        self._pending_after: set[int] = set()

    def roll(self, stream: str = "aws") -> float:
        """One seeded draw per call. Connect's placements draw from their own stream, so how many
        DynamoDB requests the code makes (which performance work changes) does not move which
        placements fail."""
        rng = self._rngs.get(stream)
        if rng is None:
            rng = self._rngs[stream] = random.Random(self.seed if stream == "aws" else f"{self.seed}:{stream}")
        return rng.random()

    def _service(self, model) -> str:
        return model.service_model.service_name if model is not None else ""

    def before(self, model=None, context=None, **_kwargs) -> None:
        if not self.enabled or self._service(model) not in self.services:
            return
        rate = self.service_rates.get(self._service(model), self.rate)
        roll = self.roll()
        if roll >= rate:
            return
        if roll < rate * self.after_share and context is not None and self._service(model) in self.after_services:
            context["cagri_fail_after"] = True  # let it happen, then lose the answer
            return
        self.injected[f"{model.name}:before"] += 1
        raise ClientError(
            {
                "Error": {"Code": "ThrottlingException", "Message": "injected"},
                "ResponseMetadata": {"HTTPStatusCode": 400},
            },
            model.name,
        )

    def after(self, model=None, context=None, **_kwargs) -> None:
        if context is not None and context.pop("cagri_fail_after", False):
            self.injected[f"{model.name}:after"] += 1
            raise ReadTimeoutError(endpoint_url=f"https://{self._service(model)}.injected")

    def install(self, session) -> None:
        """Hook into a botocore session; clients created from it afterwards fail alike."""
        session.register("before-call", self.before)
        session.register("after-call", self.after)

    def uninstall(self, session) -> None:
        session.unregister("before-call", self.before)
        session.unregister("after-call", self.after)


class FaultyConnect:
    """The simulated Connect with Faults' failures: a placement fails before Connect places the call,
    or is placed and its answer lost (the case where a retry must not ring the caller twice).

    A class factory, because `run_dispatcher` makes its own simulated Connect: patch
    `cli.embedded.connect.SimulatedConnect` with `FaultyConnect.of(faults)`."""

    @staticmethod
    def of(faults: Faults):
        from chalicelib.adapters.connect import ConnectUnavailable
        from cli.embedded.connect import SimulatedConnect

        class _Faulty(SimulatedConnect):
            def _record(self, what, token, fields):
                rate = faults.service_rates.get("connect", faults.rate)
                roll = faults.roll("connect") if faults.enabled else 1.0
                if roll < rate * (1 - faults.after_share):
                    faults.injected["Connect:before"] += 1
                    raise ConnectUnavailable("injected: throttled")
                contact_id = super()._record(what, token, fields)
                if roll < rate:
                    faults.injected["Connect:after"] += 1
                    raise ConnectUnavailable("injected: placed, answer lost")
                return contact_id

        return _Faulty
