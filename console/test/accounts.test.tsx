import { act, fireEvent, screen, waitFor, within } from "@testing-library/react";
import { describe, expect, it } from "vitest";

import type { Agent } from "../src/api/supervisor";
import AccountsPage, { newAgentProblems } from "../src/pages/supervisor/AccountsPage";
import { fakeApi, renderSignedIn } from "./harness";

function agent(username: string, status: Agent["status"], extra: Partial<Agent> = {}): Agent {
  return {
    username,
    first_name: "Ayşe",
    last_name: "Yılmaz",
    status,
    role: "agent",
    trained: status === "ACTIVE",
    connect_user_id: "u-1",
    connect_user_arn: "arn:aws:connect:::user/u-1",
    routing_profile_id: "rp",
    created_at: "2026-10-01T07:00:00Z",
    created_by: "basin",
    trained_at: null,
    trained_by: null,
    deactivated_at: null,
    deactivated_by: null,
    ...extra,
  };
}

const supervisor = { path: "/supervisor/accounts", role: "supervisor" as const, username: "basin" };

async function select(username: string) {
  fireEvent.click(await screen.findByRole("radio", { name: `${username} hesabını seç` }));
}

describe("a new account", () => {
  it("is checked as the API checks it", () => {
    const ok = { username: "ayse.yilmaz", first_name: "Ayşe", last_name: "Yılmaz-Öztürk", email: "" };
    expect(newAgentProblems(ok)).toEqual({});
    expect(newAgentProblems({ ...ok, username: "Ayse" })).toEqual({ username: "accounts.error.username" });
    expect(newAgentProblems({ ...ok, username: "a." })).toEqual({ username: "accounts.error.username" });
    expect(newAgentProblems({ ...ok, first_name: "Ayşe2" })).toEqual({ first_name: "accounts.error.name" });
    expect(newAgentProblems({ ...ok, last_name: " " })).toEqual({ last_name: "accounts.error.name" });
    expect(newAgentProblems({ ...ok, email: "ayse@" })).toEqual({ email: "accounts.error.email" });
    expect(newAgentProblems({ ...ok, email: "ayse@ostimteknik.edu.tr" })).toEqual({});
  });

  it("shows Amazon Connect's temporary password once, with a copy button, and says Cognito e-mailed the invitation", async () => {
    const posted: unknown[] = [];
    let listed: Agent[] = [agent("basin", "ACTIVE", { role: "supervisor" })];
    fakeApi((method, url, body) => {
      if (url.pathname === "/agents" && method === "GET") return [200, { agents: listed, count: listed.length, next: null }];
      if (url.pathname === "/agents" && method === "POST") {
        posted.push(body);
        const made = agent("zeynep", "IN_TRAINING", { first_name: "Zeynep", last_name: "Kaya" });
        listed = [...listed, made];
        return [201, { ...made, temporary_password: "Gc7!x2Qa-9pLm", message: "…" }];
      }
      if (url.pathname.endsWith("/audit")) return [200, { username: "zeynep", entries: [] }];
      return undefined;
    });
    renderSignedIn(<AccountsPage />, supervisor);
    fireEvent.click(await screen.findByRole("button", { name: "Yeni hesap" }));
    const dialog = await screen.findByRole("dialog", { name: "Yeni hesap" });
    fireEvent.change(within(dialog).getByLabelText(/Kullanıcı adı/), { target: { value: "zeynep" } });
    fireEvent.change(within(dialog).getByLabelText("Ad"), { target: { value: "Zeynep" } });
    fireEvent.change(within(dialog).getByLabelText("Soyad"), { target: { value: "Kaya" } });
    fireEvent.click(within(dialog).getByRole("button", { name: "Hesabı aç" }));

    await screen.findByText("Gc7!x2Qa-9pLm");
    expect(posted).toEqual([{ username: "zeynep", first_name: "Zeynep", last_name: "Kaya", role: "agent" }]);
    expect(screen.getByText("Çağrı'ya giriş daveti Cognito tarafından e-postayla gönderildi.")).toBeTruthy();
    expect(screen.getByText(/yalnızca şimdi gösterilir/)).toBeTruthy();
    expect(screen.getByRole("button", { name: "Parolayı kopyala" })).toBeTruthy();

    fireEvent.click(screen.getByRole("button", { name: "Parolayı ilettim, kapat" }));
    await waitFor(() => expect(screen.queryByText("Gc7!x2Qa-9pLm")).toBeNull());
    // Opening the form again starts empty: the password is gone from the screen's memory.
    fireEvent.click(screen.getByRole("button", { name: "Yeni hesap" }));
    expect(within(await screen.findByRole("dialog", { name: "Yeni hesap" })).getByLabelText(/Kullanıcı adı/)).toHaveProperty("value", "");
    expect(screen.queryByText("Gc7!x2Qa-9pLm")).toBeNull();
  });

  it("names the field the API refused and keeps what was typed", async () => {
    fakeApi((method, url) => {
      if (url.pathname === "/agents" && method === "GET") return [200, { agents: [], count: 0, next: null }];
      if (url.pathname === "/agents" && method === "POST") {
        return [400, { error: "invalid_request", message: "e-posta: geçerli bir e-posta adresi olmalı", field: "email" }];
      }
      return undefined;
    });
    renderSignedIn(<AccountsPage />, supervisor);
    fireEvent.click(await screen.findByRole("button", { name: "Yeni hesap" }));
    const dialog = await screen.findByRole("dialog", { name: "Yeni hesap" });
    fireEvent.change(within(dialog).getByLabelText(/Kullanıcı adı/), { target: { value: "zeynep" } });
    fireEvent.change(within(dialog).getByLabelText("Ad"), { target: { value: "Zeynep" } });
    fireEvent.change(within(dialog).getByLabelText("Soyad"), { target: { value: "Kaya" } });
    fireEvent.change(within(dialog).getByLabelText(/E-posta/), { target: { value: "z@x.edu.tr" } });
    fireEvent.click(within(dialog).getByRole("button", { name: "Hesabı aç" }));
    await screen.findByText("e-posta: geçerli bir e-posta adresi olmalı");
    expect(within(dialog).getByLabelText(/Kullanıcı adı/)).toHaveProperty("value", "zeynep");
  });
});

describe("deactivating an account", () => {
  it("says exactly what happens, asks for the username, and sends nothing before the confirmation", async () => {
    const posted: string[] = [];
    fakeApi((method, url) => {
      if (url.pathname === "/agents" && method === "GET") return [200, { agents: [agent("ayse", "ACTIVE")], count: 1, next: null }];
      if (url.pathname === "/agents/ayse/audit") return [200, { username: "ayse", entries: [] }];
      if (method === "POST") {
        posted.push(url.pathname);
        return [200, agent("ayse", "DEACTIVATED", { deactivated_at: "2026-10-14T08:00:00Z", deactivated_by: "basin" })];
      }
      return undefined;
    });
    renderSignedIn(<AccountsPage />, supervisor);
    await select("ayse");
    fireEvent.click(screen.getByRole("button", { name: "Hesabı kapat: ayse" }));
    const dialog = await screen.findByRole("dialog", { name: "ayse hesabını kapat" });
    for (const consequence of [
      "Çağrı'ya erişimi hemen kesilir; her istek reddedilir.",
      "Her yerdeki oturumu kapatılır ve girişi engellenir (Cognito).",
      "Amazon Connect kullanıcısı silinir; çağrı alamaz, CCP'ye giremez.",
      "Kaydı raporlar için saklanır: geçmiş görüşmeleri ve denetim kaydı olduğu gibi kalır.",
      "Bu kullanıcı adı bir daha kullanılmaz; geri dönerse yeni bir hesap açılır.",
    ]) {
      expect(within(dialog).getByText(consequence)).toBeTruthy();
    }
    const confirm = within(dialog).getByRole("button", { name: /Hesabı kapat \(geri alınamaz\)/ });
    expect(confirm).toHaveProperty("disabled", true);
    fireEvent.change(within(dialog).getByLabelText(/Onaylamak için kullanıcı adını yazın/), { target: { value: "ays" } });
    expect(confirm).toHaveProperty("disabled", true);
    fireEvent.change(within(dialog).getByLabelText(/Onaylamak için kullanıcı adını yazın/), { target: { value: "ayse" } });
    expect(posted).toEqual([]);
    fireEvent.click(confirm);
    await screen.findByText(/ayse hesabı kapatıldı/);
    expect(posted).toEqual(["/agents/ayse/deactivate"]);
    await waitFor(() => expect(screen.getAllByText("Kapatıldı").length).toBeGreaterThan(0));
  });

  it("cancelling sends nothing", async () => {
    const posted: string[] = [];
    fakeApi((method, url) => {
      if (url.pathname === "/agents" && method === "GET") return [200, { agents: [agent("ayse", "ACTIVE")], count: 1, next: null }];
      if (url.pathname.endsWith("/audit")) return [200, { username: "ayse", entries: [] }];
      if (method === "POST") posted.push(url.pathname);
      return undefined;
    });
    renderSignedIn(<AccountsPage />, supervisor);
    await select("ayse");
    fireEvent.click(screen.getByRole("button", { name: "Hesabı kapat: ayse" }));
    fireEvent.click(within(await screen.findByRole("dialog", { name: "ayse hesabını kapat" })).getByRole("button", { name: "Vazgeç" }));
    await act(async () => undefined);
    expect(posted).toEqual([]);
  });

  it("after a 503 says to try again, and a repeat finishes what is left", async () => {
    let attempts = 0;
    fakeApi((method, url) => {
      if (url.pathname === "/agents" && method === "GET") return [200, { agents: [agent("ayse", "ACTIVE")], count: 1, next: null }];
      if (url.pathname.endsWith("/audit")) return [200, { username: "ayse", entries: [] }];
      if (url.pathname === "/agents/ayse/deactivate") {
        attempts += 1;
        return attempts === 1
          ? [503, { error: "unavailable", message: "Amazon Connect şu anda yanıt vermiyor (DeleteUser); biraz sonra yeniden deneyin" }]
          : [200, agent("ayse", "DEACTIVATED")];
      }
      return undefined;
    });
    renderSignedIn(<AccountsPage />, supervisor);
    await select("ayse");
    fireEvent.click(screen.getByRole("button", { name: "Hesabı kapat: ayse" }));
    const dialog = await screen.findByRole("dialog", { name: "ayse hesabını kapat" });
    fireEvent.change(within(dialog).getByLabelText(/Onaylamak için kullanıcı adını yazın/), { target: { value: "ayse" } });
    fireEvent.click(within(dialog).getByRole("button", { name: /Hesabı kapat/ }));
    await within(dialog).findByText(/Kapatma yarım kaldı: Amazon Connect şu anda yanıt vermiyor.*yeniden denemek kalan adımları tamamlar/);
    fireEvent.click(within(dialog).getByRole("button", { name: /Yeniden dene/ }));
    await screen.findByText(/ayse hesabı kapatıldı/);
    expect(attempts).toBe(2);
  });
});

describe("training and the audit trail", () => {
  it("records training after a confirmation and shows the account's audit trail", async () => {
    const posted: string[] = [];
    let trained = false;
    fakeApi((method, url) => {
      if (url.pathname === "/agents" && method === "GET") {
        return [200, { agents: [agent("ayse", trained ? "ACTIVE" : "IN_TRAINING")], count: 1, next: null }];
      }
      if (url.pathname === "/agents/ayse/audit") {
        const entries = [{ at: "2026-10-01T07:00:00Z", actor: "basin", action: "created", changes: { status: "IN_TRAINING" } }];
        if (trained) entries.push({ at: "2026-10-14T08:00:00Z", actor: "basin", action: "trained", changes: { status: "IN_TRAINING → ACTIVE" } });
        return [200, { username: "ayse", entries }];
      }
      if (url.pathname === "/agents/ayse/training") {
        posted.push(url.pathname);
        trained = true;
        return [200, agent("ayse", "ACTIVE", { trained_at: "2026-10-14T08:00:00Z", trained_by: "basin" })];
      }
      return undefined;
    });
    renderSignedIn(<AccountsPage />, supervisor);
    await select("ayse");
    await screen.findByText("Hesap açıldı");
    fireEvent.click(screen.getByRole("button", { name: "Eğitimi kaydet: ayse" }));
    const dialog = await screen.findByRole("dialog", { name: "ayse: eğitimi kaydet" });
    expect(within(dialog).getByText(/canlı yönlendirme profiline geçer/)).toBeTruthy();
    fireEvent.click(within(dialog).getByRole("button", { name: "Eğitimi kaydet" }));
    await screen.findByText("ayse: eğitim kaydedildi, hesap etkin.");
    await screen.findByText("Eğitim kaydedildi");
    expect(posted).toEqual(["/agents/ayse/training"]);
  });

  it("follows `next` when more accounts are asked for", async () => {
    const calls = fakeApi((_m, url) => {
      if (url.pathname !== "/agents") return undefined;
      return url.searchParams.get("next") === "c1"
        ? [200, { agents: [agent("zeynep", "ACTIVE")], count: 1, next: null }]
        : [200, { agents: [agent("ayse", "ACTIVE")], count: 1, next: "c1" }];
    });
    renderSignedIn(<AccountsPage />, supervisor);
    fireEvent.click(await screen.findByRole("button", { name: "Daha fazla göster (Hesaplar)" }));
    await screen.findByText("zeynep");
    expect(screen.getByText("ayse")).toBeTruthy();
    expect(calls.map((c) => c.path)).toEqual(["/agents?limit=50", "/agents?limit=50&next=c1"]);
    expect(screen.queryByRole("button", { name: "Daha fazla göster (Hesaplar)" })).toBeNull();
  });

  it("says plainly when the API refuses: this screen is for supervisors", async () => {
    fakeApi((_m, url) => (url.pathname === "/agents" ? [403, { error: "forbidden", message: "this needs the supervisors group" }] : undefined));
    renderSignedIn(<AccountsPage />, supervisor);
    await screen.findByText("Bu ekran yalnızca sorumlular içindir; sunucu isteği reddetti.");
  });
});
