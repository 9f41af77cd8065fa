import { InMemoryWebStorage, User, UserManager } from "oidc-client-ts";
import { afterEach, describe, expect, it, vi } from "vitest";

import {
  CognitoSession,
  completeSigninCallback,
  identityOf,
  signInWithPopup,
  userManagerSettings,
  type AskToSignInAgain,
  type UserManagerLike,
} from "../src/auth/cognito";
import type { CognitoConfig } from "../src/config";

const config: CognitoConfig = {
  mode: "cognito",
  api: "https://api.example",
  authority: "https://cognito-idp.eu-central-1.amazonaws.com/eu-central-1_POOL",
  client_id: "client-1",
  redirect_uri: "https://panel.example/console/callback",
};

function user(username: string, groups: string[], idToken: string): User {
  return new User({
    id_token: idToken,
    access_token: "access",
    refresh_token: "refresh",
    token_type: "Bearer",
    profile: {
      sub: `sub-${username}`,
      iss: config.authority,
      aud: config.client_id,
      exp: 2_000_000_000,
      iat: 1_700_000_000,
      "cognito:username": username,
      "cognito:groups": groups,
    },
  });
}

class FakeManager implements UserManagerLike {
  current: User | null = null;
  popupUsers: User[] = [];
  silent: () => Promise<User | null> = async () => {
    throw new Error("login_required");
  };
  signinPopup = vi.fn(async () => {
    const next = this.popupUsers.shift();
    if (!next) throw new Error("Popup closed by user");
    this.current = next;
    return next;
  });
  signinSilent = vi.fn(async () => {
    const next = await this.silent();
    if (next) this.current = next;
    return next;
  });
  getUser = async () => this.current;
  removeUser = vi.fn(async () => {
    this.current = null;
  });
}

/** Stands for the "session expired" modal: the person clicks "sign in again" at once. */
const clicksSignIn: AskToSignInAgain = async (signIn) => {
  try {
    await signIn();
    return true;
  } catch {
    return false;
  }
};

describe("Cognito sign-in", () => {
  it("keeps tokens and sign-in state in memory, never in the browser's storage", async () => {
    const settings = userManagerSettings(config);
    expect(settings.response_type).toBe("code");
    expect(settings.popup_redirect_uri).toBe(config.redirect_uri);
    const manager = new UserManager(settings);
    expect(manager.settings.userStore).toBeDefined();
    expect((manager.settings.userStore as unknown as { _store: unknown })._store).toBeInstanceOf(InMemoryWebStorage);
    expect((manager.settings.stateStore as unknown as { _store: unknown })._store).toBeInstanceOf(InMemoryWebStorage);
    await manager.storeUser(user("ayse", ["agents"], "id-1"));
    expect((await manager.getUser())?.id_token).toBe("id-1");
    expect(window.localStorage.length).toBe(0);
    expect(window.sessionStorage.length).toBe(0);
  });

  it("takes the person and their role from the ID token", () => {
    expect(identityOf(user("ayse", ["agents"], "t"))).toEqual({ username: "ayse", role: "agent" });
    expect(identityOf(user("basin", ["agents", "supervisors"], "t"))).toEqual({ username: "basin", role: "supervisor" });
    expect(() => identityOf(user("guest", [], "t"))).toThrow(/group/);
  });

  it("calls the API with the ID token in Authorization", async () => {
    const manager = new FakeManager();
    manager.popupUsers.push(user("ayse", ["agents"], "id-token-1"));
    const session = await signInWithPopup(manager, clicksSignIn);
    expect(await session.headers()).toEqual({ Authorization: "id-token-1" });
  });

  it("renews silently first, without asking the person", async () => {
    const manager = new FakeManager();
    manager.current = user("ayse", ["agents"], "old");
    manager.silent = async () => user("ayse", ["agents"], "renewed");
    const ask = vi.fn(clicksSignIn);
    const session = new CognitoSession(manager, { username: "ayse", role: "agent" }, ask);
    expect(await session.reauthenticate()).toBe(true);
    expect(ask).not.toHaveBeenCalled();
    expect(await session.headers()).toEqual({ Authorization: "renewed" });
  });

  it("asks the person to sign in again in a popup when silent renewal fails, once for many requests", async () => {
    const manager = new FakeManager();
    manager.current = user("ayse", ["agents"], "old");
    manager.popupUsers.push(user("ayse", ["agents"], "fresh"));
    const ask = vi.fn(clicksSignIn);
    const session = new CognitoSession(manager, { username: "ayse", role: "agent" }, ask);
    const results = await Promise.all([session.reauthenticate(), session.reauthenticate()]);
    expect(results).toEqual([true, true]);
    expect(ask).toHaveBeenCalledTimes(1);
    expect(manager.signinPopup).toHaveBeenCalledTimes(1);
    expect(await session.headers()).toEqual({ Authorization: "fresh" });
  });

  it("refuses a different person signing in on the page", async () => {
    const manager = new FakeManager();
    manager.current = user("ayse", ["agents"], "old");
    manager.popupUsers.push(user("mehmet", ["agents"], "someone-else"));
    const session = new CognitoSession(manager, { username: "ayse", role: "agent" }, clicksSignIn);
    expect(await session.reauthenticate()).toBe(false);
    expect(manager.removeUser).toHaveBeenCalled();
    expect(await session.headers()).toEqual({});
  });

  it("fails the renewal when nobody can be asked", async () => {
    const manager = new FakeManager();
    const session = new CognitoSession(manager, { username: "ayse", role: "agent" }, null);
    expect(await session.reauthenticate()).toBe(false);
  });
});

describe("the sign-in callback page", () => {
  afterEach(() => {
    vi.restoreAllMocks();
    (window as { opener: unknown }).opener = null;
  });

  const at = (href: string) => new URL(href) as unknown as Location;

  it("hands the popup's answer to the page that opened it", async () => {
    const popup = vi.spyOn(UserManager.prototype, "signinPopupCallback").mockResolvedValue(undefined);
    (window as { opener: unknown }).opener = {};
    const href = "https://panel.example/console/callback?code=abc&state=xyz";
    expect(await completeSigninCallback(config, at(href))).toBe(true);
    expect(popup).toHaveBeenCalledWith(href);
  });

  it("leaves every other page of the panel alone", async () => {
    const popup = vi.spyOn(UserManager.prototype, "signinPopupCallback").mockResolvedValue(undefined);
    for (const href of [
      "https://panel.example/console/",
      "https://panel.example/console/work?state=1",
      "https://panel.example/console/callback",
      "https://elsewhere.example/console/callback?code=abc&state=xyz",
    ]) {
      expect(await completeSigninCallback(config, at(href)), href).toBe(false);
    }
    expect(popup).not.toHaveBeenCalled();
  });
});
