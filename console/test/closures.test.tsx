import { fireEvent, screen, waitFor, within } from "@testing-library/react";
import { describe, expect, it } from "vitest";

import type { ClosureRecord } from "../src/api/supervisor";
import ClosuresPage, { closureBody, closureProblems, dayName, istanbulDay } from "../src/pages/supervisor/ClosuresPage";
import { fakeApi, renderSignedIn } from "./harness";

const supervisor = { role: "supervisor" as const, username: "basin" };

const SNOW: ClosureRecord = {
  date: "2099-12-04",
  from: null,
  reason: "Kar yağışı nedeniyle üniversitemiz bugün tatildir",
  declared_by: "basin",
  declared_at: "2099-12-01T07:00:00.000Z",
  connect_synced: true,
};
const PAST: ClosureRecord = { ...SNOW, date: "2020-10-30", from: "14:00", reason: "İdari izin", connect_synced: false };

describe("closures: the form's checks", () => {
  it("checks the shapes the API takes, and sends `from` only when given", () => {
    const draft = { date: "2099-12-04", from: "", reason: "İdari izin" };
    expect(closureProblems(draft)).toEqual({});
    expect(closureProblems({ ...draft, date: "04.12.2099" })).toEqual({ date: "closures.error.date" });
    expect(closureProblems({ ...draft, date: "2099-13-01" })).toEqual({ date: "closures.error.date" });
    expect(closureProblems({ ...draft, from: "9" })).toEqual({ from: "closures.error.from" });
    expect(closureProblems({ ...draft, from: "24:00" })).toEqual({ from: "closures.error.from" });
    expect(closureProblems({ ...draft, reason: "x" })).toEqual({ reason: "closures.error.reason" });
    expect(closureProblems({ ...draft, reason: "Kar\ntatili" })).toEqual({ reason: "closures.error.reason" });
    expect(closureProblems({ ...draft, reason: "ç".repeat(201) })).toEqual({ reason: "closures.error.reason" });
    expect(closureBody({ ...draft, reason: " İdari izin " })).toEqual({ date: "2099-12-04", reason: "İdari izin" });
    expect(closureBody({ ...draft, from: "14:00" })).toEqual({ date: "2099-12-04", from: "14:00", reason: "İdari izin" });
  });

  it("says days as people do, in Istanbul's calendar", () => {
    expect(dayName("tr", "2026-12-04")).toBe("4 Aralık 2026 Cuma");
    expect(dayName("en", "2026-12-04")).toBe("Friday, 4 December 2026");
    expect(istanbulDay(new Date("2026-12-03T21:30:00Z"))).toBe("2026-12-04"); // 00:30 in Istanbul
  });
});

describe("the closures screen", () => {
  it("says whether the centre is open, declares a closure, and removes one after a confirmation", async () => {
    const state: ClosureRecord[] = [];
    const calls = fakeApi((method, url, body) => {
      if (url.pathname === "/hours") return [200, { open: false, reason: "weekend", next_opening: "2099-12-07T05:30:00Z" }];
      if (url.pathname === "/closures" && method === "GET") return [200, { closures: state, count: state.length, next: null }];
      if (url.pathname === "/closures" && method === "POST") {
        const sent = body as { date: string; from?: string; reason: string };
        if (sent.date === "2099-12-05") {
          return [400, { error: "invalid_request", message: "date: merkez 2099-12-05 günü zaten kapalı (Cumartesi)", field: "date" }];
        }
        const created = { ...SNOW, date: sent.date, from: sent.from ?? null, reason: sent.reason };
        state.push(created);
        return [201, created];
      }
      if (method === "DELETE") {
        state.splice(0, state.length);
        return [200, { date: url.pathname.split("/").pop(), withdrawn: true }];
      }
      return undefined;
    });
    renderSignedIn(<ClosuresPage />, { path: "/supervisor/closures", ...supervisor });
    await screen.findByText("Merkez şu an kapalı: hafta sonu. Açılış: 07.12.2099 08:30.");
    await screen.findByText("Bildirilmiş kapanış yok.");

    // Checked before sending: nothing goes to the API.
    fireEvent.click(screen.getByRole("button", { name: "Kapanışı bildir" }));
    await screen.findByText("YYYY-AA-GG biçiminde bir gün girin.");
    expect(calls.filter((c) => c.method === "POST")).toEqual([]);

    // The API's own refusal lands under the field it names.
    fireEvent.change(screen.getByLabelText("Tarih"), { target: { value: "2099-12-05" } });
    fireEvent.change(screen.getByLabelText("Arayanlara okunacak neden"), { target: { value: SNOW.reason } });
    fireEvent.click(screen.getByRole("button", { name: "Kapanışı bildir" }));
    await screen.findByText("date: merkez 2099-12-05 günü zaten kapalı (Cumartesi)");

    fireEvent.change(screen.getByLabelText("Tarih"), { target: { value: "2099-12-04" } });
    fireEvent.click(screen.getByRole("button", { name: "Kapanışı bildir" }));
    await screen.findByText("4 Aralık 2099 Cuma kapanışı bildirildi.");
    const row = (await screen.findByText(SNOW.reason, { selector: "td *, td" })).closest("tr")!;
    expect(within(row).getByText("Bütün gün")).toBeTruthy();
    expect(within(row).getByText("Saatlere yazıldı")).toBeTruthy();
    expect(calls.filter((c) => c.method === "POST").map((c) => c.body)).toEqual([
      { date: "2099-12-05", reason: SNOW.reason },
      { date: "2099-12-04", reason: SNOW.reason },
    ]);

    fireEvent.click(within(row).getByRole("button", { name: "4 Aralık 2099 Cuma kapanışını kaldır" }));
    const dialog = await screen.findByRole("dialog", { name: "4 Aralık 2099 Cuma kapanışı kaldırılsın mı?" });
    expect(within(dialog).getByText("Amazon Connect'in çalışma saatlerindeki kayıt silinir;")).toBeTruthy();
    fireEvent.click(within(dialog).getByRole("button", { name: "Kapanışı kaldır" }));
    await screen.findByText("4 Aralık 2099 Cuma kapanışı kaldırıldı.");
    expect(calls.filter((c) => c.method === "DELETE").map((c) => c.path)).toEqual(["/closures/2099-12-04"]);
    await screen.findByText("Bildirilmiş kapanış yok.");
  });

  it("lists from today on, the past on request, where a closure stays on record", async () => {
    const calls = fakeApi((_method, url) => {
      if (url.pathname === "/hours") return [200, { open: true, reason: null, next_opening: null }];
      if (url.pathname === "/closures") {
        const items = url.searchParams.get("from") ? [SNOW] : [PAST, SNOW];
        return [200, { closures: items, count: items.length, next: null }];
      }
      return undefined;
    });
    renderSignedIn(<ClosuresPage />, { path: "/supervisor/closures", ...supervisor });
    await screen.findByText("Merkez şu an açık.");
    await screen.findByText("4 Aralık 2099 Cuma");
    expect(calls.find((c) => c.path.startsWith("/closures"))!.path).toMatch(/^\/closures\?from=\d{4}-\d\d-\d\d&limit=50$/);

    fireEvent.click(screen.getByLabelText("Geçmiş kapanışları da göster"));
    const past = (await screen.findByText("30 Ekim 2020 Cuma")).closest("tr")!;
    expect(within(past).getByText("14:00 itibarıyla")).toBeTruthy();
    expect(within(past).getByText("Geçmiş: kayıtta kalır")).toBeTruthy();
    expect(within(past).getByText("Yazılamadı: yeniden bildirin")).toBeTruthy();
    expect(within(past).queryByRole("button")).toBeNull();
    expect(calls.at(-1)!.path).toBe("/closures?limit=50");
  });

  it("warns when Connect's hours could not be written", async () => {
    fakeApi((method, url, body) => {
      if (url.pathname === "/hours") return [200, { open: true, reason: null, next_opening: null }];
      if (url.pathname === "/closures" && method === "GET") return [200, { closures: [], count: 0, next: null }];
      if (method === "POST") return [201, { ...SNOW, ...(body as object), from: "14:00", connect_synced: false }];
      return undefined;
    });
    renderSignedIn(<ClosuresPage />, { path: "/supervisor/closures", ...supervisor });
    fireEvent.change(await screen.findByLabelText("Tarih"), { target: { value: "2099-12-04" } });
    fireEvent.change(screen.getByLabelText("Başlangıç saati"), { target: { value: "14:00" } });
    fireEvent.change(screen.getByLabelText("Arayanlara okunacak neden"), { target: { value: "İdari izin" } });
    fireEvent.click(screen.getByRole("button", { name: "Kapanışı bildir" }));
    await screen.findByText(
      "4 Aralık 2099 Cuma kapanışı kaydedildi ama Amazon Connect'in saatlerine yazılamadı; aynı kapanışı yeniden bildirin.",
    );
    await waitFor(() => expect((screen.getByLabelText("Tarih") as HTMLInputElement).value).toBe(""));
  });
});
