"""The Amazon Cognito adapter: the only module that changes who can sign in to the API.

Agents and supervisors sign in through the stage's Cognito user pool (groups `agents` and
`supervisors`); API Gateway's authorizer trusts its tokens. Directive 7(e) gives a new agent a
username and password and takes a leaver's away, so account changes reach Cognito here:

- `invite`: AdminCreateUser (Cognito generates the temporary password and e-mails the invitation;
  no password of ours) and AdminAddUserToGroup. A user who already exists (a retry after a later
  step failed) is put in the group and left as they are.
- `lock_out`: AdminUserGlobalSignOut (every refresh token revoked) then AdminDisableUser (no new
  sign-in). A user who does not exist, or is already signed out and disabled, counts as done.

Tested with botocore's Stubber against the real service model, and against moto's Cognito (in
process and in the embedded AWS, which creates the local stage's pool). Cognito's error messages
may quote the username or e-mail: only the code, HTTP status and request id leave this module.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Protocol

from botocore.exceptions import ClientError, HTTPClientError, ParamValidationError
from botocore.exceptions import ConnectionError as BotoConnectionError

if TYPE_CHECKING:
    from mypy_boto3_cognito_idp import CognitoIdentityProviderClient

    from chalicelib.core.config import Settings


class IdentityUnavailable(Exception):
    """Cognito throttled, timed out or failed on its side: the change can be retried as it is."""


class IdentityRefused(Exception):
    """Cognito refused the request itself (a bad e-mail, no such group, no pool configured)."""


class IdentitiesPort(Protocol):
    def invite(self, username: str, email: str, group: str) -> None:
        """Create the user (Cognito e-mails the invitation) in `group`; an existing user is kept."""

    def lock_out(self, username: str) -> None:
        """Sign the user out everywhere and disable them; a missing user counts as done."""


_UNAVAILABLE_CODES = frozenset({"TooManyRequestsException", "InternalErrorException", "LimitExceededException"})
# Codes that mean "already so" for the operation they answer.
_ALREADY_GONE = frozenset({"UserNotFoundException"})


@contextmanager
def cognito_errors(where: str, tolerated: frozenset[str] = frozenset()) -> Iterator[None]:
    """Translate boto3's errors for one Cognito call; codes in `tolerated` mean the goal already holds."""
    try:
        yield
    except ClientError as exc:
        error = exc.response.get("Error", {})
        meta = exc.response.get("ResponseMetadata", {})
        code = error.get("Code", "Unknown")
        if code in tolerated:
            return
        status = meta.get("HTTPStatusCode") or 0
        message = f"{where}: {code} (HTTP {status}, request {meta.get('RequestId', '?')})"
        unavailable = code in _UNAVAILABLE_CODES or status >= 500
        raise (IdentityUnavailable if unavailable else IdentityRefused)(message) from None
    except (BotoConnectionError, HTTPClientError) as exc:
        raise IdentityUnavailable(f"{where}: {type(exc).__name__}") from None
    except ParamValidationError:  # its report quotes the values (an e-mail address)
        raise IdentityRefused(f"{where}: parameter validation failed") from None


class AmazonCognito:
    """`IdentitiesPort` over boto3, on the stage's user pool (`COGNITO_USER_POOL_ID`)."""

    def __init__(
        self,
        client: CognitoIdentityProviderClient | None = None,
        settings: Settings | None = None,
        user_pool_id: str | None = None,
    ) -> None:
        if settings is None:
            from chalicelib.core.config import settings as load

            settings = load()
        self._settings = settings
        self._client = client
        self._pool = user_pool_id or settings.cognito_user_pool_id

    @property
    def client(self) -> CognitoIdentityProviderClient:
        if self._client is None:
            import boto3
            from botocore.config import Config

            self._client = boto3.client(
                "cognito-idp",
                region_name=self._settings.region,
                config=Config(connect_timeout=2, read_timeout=5, retries={"mode": "standard", "max_attempts": 3}),
            )
        return self._client

    @property
    def pool(self) -> str:
        if not self._pool:
            raise IdentityRefused("COGNITO_USER_POOL_ID is not set: no user pool to change")
        return self._pool

    def invite(self, username: str, email: str, group: str) -> None:
        with cognito_errors("AdminCreateUser", tolerated=frozenset({"UsernameExistsException"})):
            self.client.admin_create_user(
                UserPoolId=self.pool,
                Username=username,
                UserAttributes=[{"Name": "email", "Value": email}, {"Name": "email_verified", "Value": "true"}],
                DesiredDeliveryMediums=["EMAIL"],
            )
        with cognito_errors("AdminAddUserToGroup"):
            self.client.admin_add_user_to_group(UserPoolId=self.pool, Username=username, GroupName=group)

    def lock_out(self, username: str) -> None:
        # Signing out first: Cognito may refuse to sign out a user who is already disabled.
        with cognito_errors("AdminUserGlobalSignOut", tolerated=_ALREADY_GONE | {"NotAuthorizedException"}):
            self.client.admin_user_global_sign_out(UserPoolId=self.pool, Username=username)
        with cognito_errors("AdminDisableUser", tolerated=_ALREADY_GONE):
            self.client.admin_disable_user(UserPoolId=self.pool, Username=username)


_port: IdentitiesPort | None = None


def get_identities() -> IdentitiesPort:
    global _port
    if _port is None:
        _port = AmazonCognito()
    return _port


def set_identities(port: IdentitiesPort | None) -> None:
    """Replace the port (a test's pool, a double); `None` goes back to the default."""
    global _port
    _port = port
