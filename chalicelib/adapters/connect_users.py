"""Amazon Connect user management and instance status: the second half of the Connect adapter.

Kept apart from `connect.py` (contacts) so each stays small; same pattern and the same error
mapping (`connect_errors`): a port (`ConnectUsersPort`) with the boto3 implementation here and
the simulated twin in `cli/sim_connect.py` for the embedded AWS. Tested with botocore's Stubber
against the real service model (moto has no Connect user APIs).

Names and passwords are personal data / secrets: Connect's error messages (which may quote the
request back) are left out of the exceptions raised here, and no parameter value is ever logged.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

from chalicelib.adapters.connect import ConnectClient, connect_errors


@dataclass(frozen=True)
class NewConnectUser:
    username: str
    first_name: str
    last_name: str
    password: str  # the temporary password: passed through once, never stored
    routing_profile_id: str
    security_profile_ids: tuple[str, ...]

    def __repr__(self) -> str:  # a stray log line or traceback must not show the name or password
        return f"NewConnectUser(username={self.username!r}, routing_profile_id={self.routing_profile_id!r})"


@dataclass(frozen=True)
class ConnectUser:
    user_id: str
    user_arn: str


class ConnectUsersPort(Protocol):
    def create_user(self, user: NewConnectUser) -> ConnectUser:
        """CreateUser; raises ConnectDuplicate when the username is taken."""

    def set_routing_profile(self, user_id: str, routing_profile_id: str) -> None:
        """UpdateUserRoutingProfile."""

    def delete_user(self, user_id: str) -> None:
        """DeleteUser; raises ConnectNotFound when there is no such user."""

    def instance_status(self) -> str:
        """DescribeInstance's InstanceStatus: ACTIVE, CREATION_IN_PROGRESS or CREATION_FAILED."""


class AmazonConnectUsers(ConnectClient):
    """`ConnectUsersPort` over boto3."""

    @property
    def _instance(self) -> str:
        return self._settings.connect_instance_id

    def create_user(self, user: NewConnectUser) -> ConnectUser:
        with connect_errors("CreateUser", echo_message=False):  # the username may spell a name: not logged
            response = self.client.create_user(
                Username=user.username,
                Password=user.password,
                IdentityInfo={"FirstName": user.first_name, "LastName": user.last_name},
                PhoneConfig={"PhoneType": "SOFT_PHONE", "AutoAccept": False, "AfterContactWorkTimeLimit": 0},
                SecurityProfileIds=list(user.security_profile_ids),
                RoutingProfileId=user.routing_profile_id,
                InstanceId=self._instance,
            )
        return ConnectUser(user_id=response["UserId"], user_arn=response["UserArn"])

    def set_routing_profile(self, user_id: str, routing_profile_id: str) -> None:
        with connect_errors(f"UpdateUserRoutingProfile {user_id}", echo_message=False):
            self.client.update_user_routing_profile(
                RoutingProfileId=routing_profile_id, UserId=user_id, InstanceId=self._instance
            )

    def delete_user(self, user_id: str) -> None:
        with connect_errors(f"DeleteUser {user_id}", echo_message=False):
            self.client.delete_user(InstanceId=self._instance, UserId=user_id)

    def instance_status(self) -> str:
        with connect_errors("DescribeInstance"):
            response = self.client.describe_instance(InstanceId=self._instance)
        return str(response.get("Instance", {}).get("InstanceStatus", "UNKNOWN"))


_port: ConnectUsersPort | None = None


def get_connect_users() -> ConnectUsersPort:
    global _port
    if _port is None:
        _port = AmazonConnectUsers()
    return _port


def set_connect_users(port: ConnectUsersPort | None) -> None:
    """Replace the port (the CLI's simulated Connect, a test double); `None` goes back to the default."""
    global _port
    _port = port
