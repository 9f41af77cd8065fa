/**
 * The local stage's sign-in stand-in (config `mode: "local"` only): the person picks an account from
 * `GET /local/accounts`, and every request then carries the headers the local stage accepts in place of
 * a Cognito token — `X-Agent-Id: <username>` and `X-Groups: agents|supervisors`. Deployed stages ignore
 * those headers (chalicelib/access.py), so this is never a way in there.
 */

import type { LocalAccount } from "../api/types";
import { GROUP_OF_ROLE, type Session } from "./session";

export function localSession(account: Pick<LocalAccount, "username" | "role">): Session {
  const headers = { "X-Agent-Id": account.username, "X-Groups": GROUP_OF_ROLE[account.role] };
  return {
    mode: "local",
    identity: { username: account.username, role: account.role },
    headers: async () => ({ ...headers }),
    // Nothing expires locally: a 401 there is a real refusal, not a stale session.
    reauthenticate: async () => false,
    signOut: async () => undefined,
  };
}
