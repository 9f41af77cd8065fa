/**
 * Deployed sign-in: Cognito's hosted UI, authorization code + PKCE, through oidc-client-ts.
 *
 * - Tokens (and the PKCE state) live in memory only (`InMemoryWebStorage`), never in localStorage or
 *   sessionStorage: a reload means signing in again.
 * - Sign-in opens in a popup (`signinPopup`), so the page — and what the agent typed — is never left. The
 *   popup's redirect lands on `redirect_uri`, where `completeSigninCallback` hands the answer to this page.
 * - The API is called with the ID token in `Authorization`, as API Gateway's Cognito authorizer expects.
 * - When the API answers 401: first a silent renewal (the refresh token), then the person is asked to sign
 *   in again (a popup needs their click), and the request is sent once more.
 */

import { InMemoryWebStorage, UserManager, WebStorageStateStore, type User, type UserManagerSettings } from "oidc-client-ts";

import type { CognitoConfig } from "../config";
import { roleOfGroups, type Identity, type Session } from "./session";

/** What the panel uses of oidc-client-ts's UserManager (a fake replaces it in tests). */
export interface UserManagerLike {
  signinPopup(): Promise<User>;
  signinSilent(): Promise<User | null>;
  getUser(): Promise<User | null>;
  removeUser(): Promise<void>;
}

/** Shows the "session expired" prompt; resolves true once `signIn` (run on the person's click) succeeded. */
export type AskToSignInAgain = (signIn: () => Promise<void>) => Promise<boolean>;

export function userManagerSettings(config: CognitoConfig): UserManagerSettings {
  const memory = new InMemoryWebStorage();
  return {
    authority: config.authority,
    client_id: config.client_id,
    redirect_uri: config.redirect_uri,
    popup_redirect_uri: config.redirect_uri,
    silent_redirect_uri: config.redirect_uri,
    response_type: "code",
    scope: "openid",
    userStore: new WebStorageStateStore({ store: memory }),
    stateStore: new WebStorageStateStore({ store: memory }),
    automaticSilentRenew: true,
    monitorSession: false, // Cognito has no check-session iframe
    loadUserInfo: false,
  };
}

export function createUserManager(config: CognitoConfig): UserManager {
  return new UserManager(userManagerSettings(config));
}

export class SignInError extends Error {
  override name = "SignInError";
}

export function identityOf(user: User): Identity {
  const profile = user.profile as Record<string, unknown>;
  const username = [profile["cognito:username"], profile.sub].find((v) => typeof v === "string" && v) as
    | string
    | undefined;
  const groups = Array.isArray(profile["cognito:groups"]) ? (profile["cognito:groups"] as unknown[]).map(String) : [];
  const role = roleOfGroups(groups);
  if (!username || !role) throw new SignInError("this account is in neither the agents nor the supervisors group");
  return { username, role };
}

export class CognitoSession implements Session {
  readonly mode = "cognito" as const;
  private pending: Promise<boolean> | null = null;

  constructor(
    private readonly manager: UserManagerLike,
    readonly identity: Identity,
    private readonly ask: AskToSignInAgain | null,
  ) {}

  async headers(): Promise<Record<string, string>> {
    const user = await this.manager.getUser();
    return user?.id_token ? { Authorization: user.id_token } : {};
  }

  /** One renewal at a time, however many requests were refused together. */
  reauthenticate(): Promise<boolean> {
    this.pending ??= this.renew().finally(() => {
      this.pending = null;
    });
    return this.pending;
  }

  async signOut(): Promise<void> {
    await this.manager.removeUser();
  }

  private async renew(): Promise<boolean> {
    try {
      const user = await this.manager.signinSilent();
      if (user && this.same(user)) return true;
    } catch {
      // no refresh token, or it was refused: ask the person
    }
    if (!this.ask) return false;
    return this.ask(async () => {
      const user = await this.manager.signinPopup();
      if (!this.same(user)) {
        // Someone else signed in on this page: what the first person typed must not go out in their name.
        await this.manager.removeUser();
        throw new SignInError("a different account signed in; sign in as the same person");
      }
    });
  }

  private same(user: User): boolean {
    try {
      return identityOf(user).username === this.identity.username;
    } catch {
      return false;
    }
  }
}

/** Opens the hosted UI in a popup; the session of whoever signed in. */
export async function signInWithPopup(manager: UserManagerLike, ask: AskToSignInAgain | null): Promise<CognitoSession> {
  const user = await manager.signinPopup();
  return new CognitoSession(manager, identityOf(user), ask);
}

/**
 * On `redirect_uri`: the popup (or the silent-renewal iframe) hands the authorization response to the
 * page that opened it, which holds the PKCE state in memory. True when this page was such a callback.
 */
export async function completeSigninCallback(config: CognitoConfig, location: Location = window.location) {
  const expected = new URL(config.redirect_uri);
  const params = new URLSearchParams(location.search);
  const isCallback =
    location.origin === expected.origin &&
    location.pathname.replace(/\/+$/, "") === expected.pathname.replace(/\/+$/, "") &&
    params.has("state") &&
    (params.has("code") || params.has("error"));
  if (!isCallback) return false;
  const manager = createUserManager(config);
  if (window.opener) await manager.signinPopupCallback(location.href);
  else await manager.signinSilentCallback(location.href);
  return true;
}
