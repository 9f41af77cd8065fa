import Flashbar from "@cloudscape-design/components/flashbar";
import { render } from "@testing-library/react";
import type { ReactNode } from "react";
import { BrowserRouter } from "react-router";
import { vi } from "vitest";

import { ReauthProvider } from "../src/app/Reauth";
import { localSession } from "../src/auth/local";
import type { Session } from "../src/auth/session";
import type { Role } from "../src/api/types";
import { I18nProvider } from "../src/i18n/react";
import { ContactProvider } from "../src/state/contact";
import { DraftsProvider } from "../src/state/drafts";
import { NotificationsProvider, useNotifications } from "../src/state/notifications";
import { SessionProvider } from "../src/state/session";
import { WorkProvider } from "../src/state/work";

export type Route = (method: string, url: URL, body: unknown) => [number, unknown] | undefined;

/** Replaces the browser's fetch with a fake API; every request is recorded. */
export function fakeApi(route: Route) {
  const calls: Array<{ method: string; path: string; body: unknown; headers: Record<string, string> }> = [];
  const fn = vi.fn(async (input: RequestInfo | URL, init?: RequestInit) => {
    const url = new URL(String(input), "http://localhost");
    const body = init?.body ? JSON.parse(String(init.body)) : undefined;
    const method = init?.method ?? "GET";
    calls.push({ method, path: url.pathname + url.search, body, headers: { ...(init?.headers as Record<string, string>) } });
    const answer = route(method, url, body) ?? [404, { error: "not_found", message: `no fake for ${method} ${url.pathname}` }];
    return new Response(JSON.stringify(answer[1]), { status: answer[0], headers: { "Content-Type": "application/json" } });
  });
  vi.stubGlobal("fetch", fn);
  return calls;
}

function Notices() {
  return <Flashbar items={useNotifications()} />;
}

/** A page of the panel, signed in (the local stand-in unless a session is given), standalone, at `/console<path>`. */
export function renderSignedIn(
  ui: ReactNode,
  {
    path = "/",
    role = "agent" as Role,
    username = "ayse",
    work = false,
    session = localSession({ username, role }) as Session,
  } = {},
) {
  window.history.pushState({}, "", `/console${path}`);
  const inner = work ? <WorkProvider intervalMs={60_000}>{ui}</WorkProvider> : ui;
  return render(
    <BrowserRouter basename="/console">
      <I18nProvider>
        <ReauthProvider>
          <SessionProvider session={session} apiBase="" onSignOut={() => undefined}>
            <ContactProvider source={null}>
              <NotificationsProvider dismissLabel="Kapat">
                <DraftsProvider>
                  <Notices />
                  {inner}
                </DraftsProvider>
              </NotificationsProvider>
            </ContactProvider>
          </SessionProvider>
        </ReauthProvider>
      </I18nProvider>
    </BrowserRouter>,
  );
}
