"""The demo's people get their accounts first, as the supervisor would open them (directive 7(e), 7(f)).

The simulated agents are `temsilci1…N` (the usernames their contact trace records carry); each is
created through the accounts service (invited in the embedded AWS's Cognito, a user in the
simulated Connect), trained, and so ACTIVE before the month's traffic. The supervisor is the local
stage's `basin` (cli.embedded.aws.LOCAL_SUPERVISOR). Idempotent: a second demo finds them in place.
"""

from __future__ import annotations

from datetime import UTC, datetime

from cli.embedded.aws import LOCAL_SUPERVISOR

SUPERVISOR = LOCAL_SUPERVISOR[0]
_NAMES = (("Ayşe", "Yılmaz"), ("Mehmet", "Kaya"), ("Zeynep", "Demir"), ("Emre", "Şahin"), ("Elif", "Çelik"))


def agent_username(index: int) -> str:
    """The simulator's agent `index` (0-based), as its trace records name them."""
    return f"temsilci{index + 1}"


def open_demo_accounts(count: int) -> list[str]:
    from chalicelib.accounts import service, store
    from chalicelib.accounts.rules import Status
    from chalicelib.core.config import settings
    from cli.embedded.connect import SimulatedConnectUsers

    connect = SimulatedConnectUsers(instance_id=settings().connect_instance_id)
    now = datetime.now(UTC)
    usernames = []
    for index in range(count):
        username = agent_username(index)
        first, last = _NAMES[index % len(_NAMES)]
        if store.get_agent(username) is None:
            service.create_agent(service.NewAgent(username, first, last), SUPERVISOR, now, connect)
        if store.get_agent(username).status == Status.IN_TRAINING:  # type: ignore[union-attr]
            service.record_training(username, SUPERVISOR, now, connect)
        usernames.append(username)
    return usernames
