import createWrapper from "@cloudscape-design/components/test-utils/dom";
import { act, fireEvent, render, screen, waitFor } from "@testing-library/react";
import { describe, expect, it } from "vitest";

import { App } from "../src/app/App";
import { ROUTES } from "../src/app/routes";
import { fakeApi } from "./harness";

const ACCOUNTS = {
  accounts: [
    { username: "ayse", role: "agent", status: "ACTIVE" },
    { username: "basin", role: "supervisor", status: "ACTIVE" },
    { username: "eski", role: "agent", status: "DEACTIVATED" },
  ],
};

function signInAs(container: HTMLElement, username: string) {
  const page = createWrapper(container);
  const select = page.findSelect()!;
  act(() => select.openDropdown());
  act(() => select.selectOptionByValue(username));
  fireEvent.click(screen.getByRole("button", { name: "Giriş yap" }));
}

describe("the panel, from sign-in", () => {
  it("signs a supervisor in with the local stand-in and shows their own section", async () => {
    window.history.pushState({}, "", "/console/");
    const calls = fakeApi((_method, url) => {
      if (url.pathname === "/local/accounts") return [200, ACCOUNTS];
      if (url.pathname === "/me") return [200, { username: "basin", role: "supervisor", status: "ACTIVE", groups: ["supervisors"] }];
      if (url.pathname === "/work") return [200, { callbacks: [], answers: [], expired: [], counts: { callbacks: 0, answers: 0, expired: 0 } }];
      if (url.pathname === "/contacts/recent") return [200, { contacts: [], next: null }];
      return undefined;
    });
    const { container } = render(<App config={{ mode: "local", api: "" }} workspace={null} basename="/console" />);
    await waitFor(() => expect(createWrapper(container).findSelect()).toBeTruthy());
    signInAs(container, "basin");

    await screen.findByRole("heading", { level: 1, name: "Görüşme" });
    const nav = screen.getByRole("navigation", { name: "Panel bölümleri" });
    expect(nav.textContent).toContain("Merkez şimdi");
    expect(nav.textContent).toContain("Birime yönlendir");
    const signedIn = calls.filter((c) => c.path !== "/local/accounts");
    expect(signedIn.length).toBeGreaterThan(0);
    for (const call of signedIn) expect(call.headers).toMatchObject({ "X-Agent-Id": "basin", "X-Groups": "supervisors" });
    expect(calls.find((c) => c.path === "/local/accounts")!.headers["X-Agent-Id"]).toBeUndefined();

    // English is one switch away.
    fireEvent.click(screen.getByRole("button", { name: "Switch to English" }));
    await screen.findByRole("heading", { level: 1, name: "Current contact" });
    expect(document.documentElement.lang).toBe("en");
  });

  it("does not let a deactivated account in", async () => {
    window.history.pushState({}, "", "/console/");
    fakeApi((_method, url) => {
      if (url.pathname === "/local/accounts") return [200, ACCOUNTS];
      if (url.pathname === "/me") {
        return [403, { error: "account_deactivated", message: "Hesabınız kapatılmış. / Your account has been deactivated." }];
      }
      return undefined;
    });
    const { container } = render(<App config={{ mode: "local", api: "" }} workspace={null} basename="/console" />);
    await waitFor(() => expect(createWrapper(container).findSelect()).toBeTruthy());
    signInAs(container, "eski");
    await screen.findByText(/Hesabınız kapatılmış/);
    expect(screen.queryByRole("navigation", { name: "Panel bölümleri" })).toBeNull();
  });

  it("shows an agent no supervisors' section", async () => {
    window.history.pushState({}, "", "/console/supervisor");
    fakeApi((_method, url) => {
      if (url.pathname === "/local/accounts") return [200, ACCOUNTS];
      if (url.pathname === "/me") return [200, { username: "ayse", role: "agent", status: "ACTIVE", groups: ["agents"] }];
      return undefined;
    });
    const { container } = render(<App config={{ mode: "local", api: "" }} workspace={null} basename="/console" />);
    await waitFor(() => expect(createWrapper(container).findSelect()).toBeTruthy());
    signInAs(container, "ayse");
    await screen.findByText("Bu bölüm yalnızca sorumlular içindir.");
    expect(screen.getByRole("navigation", { name: "Panel bölümleri" }).textContent).not.toContain("Merkez şimdi");
  });

  it("refuses an agent every supervisor's screen, from the route table, before any request", async () => {
    for (const route of ROUTES.filter((r) => r.section === "supervisor")) {
      window.history.pushState({}, "", `/console${route.path}`);
      const calls = fakeApi((_method, url) => {
        if (url.pathname === "/local/accounts") return [200, ACCOUNTS];
        if (url.pathname === "/me") return [200, { username: "ayse", role: "agent", status: "ACTIVE", groups: ["agents"] }];
        return undefined;
      });
      const { container, unmount } = render(<App config={{ mode: "local", api: "" }} workspace={null} basename="/console" />);
      await waitFor(() => expect(createWrapper(container).findSelect()).toBeTruthy());
      signInAs(container, "ayse");
      await screen.findByText("Bu bölüm yalnızca sorumlular içindir.");
      const nav = screen.getByRole("navigation", { name: "Panel bölümleri" });
      for (const label of ["Hesaplar", "Birimler", "Arızalar", "Gizlilik", "Raporlar", "Kapanışlar"]) expect(nav.textContent).not.toContain(label);
      const asked = calls.map((c) => c.path.split("?")[0]);
      for (const path of ["/live", "/agents", "/units", "/incidents", "/privacy/requests", "/reports", "/health", "/closures", "/hours"]) {
        expect(asked, route.path).not.toContain(path);
      }
      unmount();
    }
  });
});
