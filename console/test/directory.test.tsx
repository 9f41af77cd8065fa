import { fireEvent, screen, waitFor, within } from "@testing-library/react";
import { describe, expect, it } from "vitest";

import { ApiClient } from "../src/api/client";
import { supervisorEndpoints, type SupervisedIncident, type UnitRecord } from "../src/api/supervisor";
import { localSession } from "../src/auth/local";
import IncidentsAdminPage from "../src/pages/supervisor/IncidentsAdminPage";
import UnitsPage, { addressesOf, latestUnitFigures, unitProblems } from "../src/pages/supervisor/UnitsPage";
import { fakeApi, renderSignedIn } from "./harness";

const supervisor = { role: "supervisor" as const, username: "basin" };

const UNIT: UnitRecord = {
  unit_id: "bilgi-islem",
  name_tr: "Bilgi İşlem Daire Başkanlığı",
  name_en: "IT Department",
  emails: ["bilgiislem@ostimteknik.edu.tr"],
  deputy_email: "bilgiislem.baskan@ostimteknik.edu.tr",
  target_hours: 8,
  active: true,
};
const REPORT = {
  month: "2026-10",
  referrals: {
    by_unit: {
      "bilgi-islem": { name: "Bilgi İşlem", received: 12, answered: 11, late: 2, forwarded_on: 0, median_working_hours: 5.5, p90_working_hours: 9.25 },
    },
  },
};

describe("the units directory", () => {
  it("checks a unit as the API does", () => {
    const draft = {
      unit_id: "bilgi-islem",
      name_tr: "Bilgi İşlem",
      name_en: "IT",
      emails: "a@ostimteknik.edu.tr\nb@ostimteknik.edu.tr",
      deputy_email: "c@ostimteknik.edu.tr",
      target_hours: "8",
      active: true,
    };
    expect(unitProblems(draft)).toEqual({});
    expect(unitProblems({ ...draft, name_en: "I" })).toEqual({ name_en: "units.error.name" });
    expect(unitProblems({ ...draft, emails: "" })).toEqual({ emails: "units.error.emails" });
    expect(unitProblems({ ...draft, emails: "a@b" })).toEqual({ emails: "units.error.emails" });
    expect(unitProblems({ ...draft, target_hours: "0" })).toEqual({ target_hours: "units.error.hours" });
    expect(unitProblems({ ...draft, target_hours: "7,5" })).toEqual({});
    expect(unitProblems({ ...draft, unit_id: "Bilgi" })).toEqual({ unit_id: "units.error.unit_id" });
    expect(addressesOf(" a@x.tr, b@x.tr\nc@x.tr ;")).toEqual(["a@x.tr", "b@x.tr", "c@x.tr"]);
  });

  it("finds the latest stored report; without the list route, this month or the last; 404 means none", async () => {
    const api = (route: (path: string) => [number, unknown]) =>
      supervisorEndpoints(
        new ApiClient({
          base: "",
          credentials: localSession({ username: "basin", role: "supervisor" }),
          fetch: (async (input: RequestInfo | URL) => {
            const [status, body] = route(new URL(String(input), "http://x").pathname);
            return new Response(JSON.stringify(body), { status });
          }) as typeof fetch,
        }),
      );
    const now = new Date("2026-11-03T09:00:00Z");
    const listed = api((path) =>
      path === "/reports"
        ? [200, { reports: [{ month: "2026-09" }, { month: "2026-10" }] }]
        : path === "/reports/2026-10"
          ? [200, REPORT]
          : [404, { error: "not_found", message: "no", field: "month" }],
    );
    expect(await latestUnitFigures(listed, now)).toMatchObject({ month: "2026-10", byUnit: { "bilgi-islem": { late: 2 } } });

    const asked: string[] = [];
    const unlisted = api((path) => {
      asked.push(path);
      if (path === "/reports") return [403, { message: "Missing Authentication Token" }];
      return [404, { error: "not_found", message: "no stored report", field: "month" }];
    });
    expect(await latestUnitFigures(unlisted, now)).toEqual({ month: null, byUnit: {} });
    expect(asked).toEqual(["/reports", "/reports/2026-11", "/reports/2026-10"]);
  });

  it("shows each unit's own answer times from the report, and saves an edit with PUT", async () => {
    const puts: Array<{ path: string; body: unknown }> = [];
    fakeApi((method, url, body) => {
      if (url.pathname === "/units") return [200, { units: [UNIT, { ...UNIT, unit_id: "kutuphane", name_tr: "Kütüphane", name_en: "Library" }], count: 2, next: null }];
      if (url.pathname === "/reports") return [200, { reports: [{ month: "2026-10", built_at: null, sent_at: null, recipients: [] }], next: null }];
      if (url.pathname === "/reports/2026-10") return [200, REPORT];
      if (method === "PUT") {
        puts.push({ path: url.pathname, body });
        return [200, { ...UNIT, ...(body as object) }];
      }
      return undefined;
    });
    renderSignedIn(<UnitsPage />, { path: "/supervisor/units", ...supervisor });
    await screen.findByText("Yanıt süreleri 2026-10 raporundan (iş saati).");
    const row = (await screen.findByText("Bilgi İşlem Daire Başkanlığı")).closest("tr")!;
    expect(within(row).getByText("5,5 iş saati")).toBeTruthy();
    expect(within(row).getByText("9,3 iş saati")).toBeTruthy();
    expect(within(row).getByText("2 / 12")).toBeTruthy();
    // A unit the report does not name: "—".
    const library = screen.getByText("Kütüphane").closest("tr")!;
    expect(within(library).getAllByText("—").length).toBe(3);

    fireEvent.click(within(row).getByRole("button", { name: "Bilgi İşlem Daire Başkanlığı birimini düzenle" }));
    const dialog = await screen.findByRole("dialog", { name: "Bilgi İşlem Daire Başkanlığı" });
    expect(within(dialog).getByLabelText("Birim kodu")).toHaveProperty("disabled", true);
    fireEvent.change(within(dialog).getByLabelText("Hedef süre"), { target: { value: "12" } });
    fireEvent.change(within(dialog).getByLabelText("E-posta adresleri"), { target: { value: "bilgiislem@ostimteknik.edu.tr\ndestek@ostimteknik.edu.tr" } });
    fireEvent.click(within(dialog).getByRole("button", { name: "Kaydet" }));
    await screen.findByText("Bilgi İşlem Daire Başkanlığı kaydedildi.");
    expect(puts).toEqual([
      {
        path: "/units/bilgi-islem",
        body: {
          name_tr: "Bilgi İşlem Daire Başkanlığı",
          name_en: "IT Department",
          emails: ["bilgiislem@ostimteknik.edu.tr", "destek@ostimteknik.edu.tr"],
          deputy_email: "bilgiislem.baskan@ostimteknik.edu.tr",
          target_hours: 12,
          active: true,
        },
      },
    ]);
    await waitFor(() => expect(within(screen.getByText("Bilgi İşlem Daire Başkanlığı").closest("tr")!).getByText("12 iş saati")).toBeTruthy());
  });

  it("says \"—\" when no report is stored", async () => {
    fakeApi((_m, url) => {
      if (url.pathname === "/units") return [200, { units: [UNIT], count: 1, next: null }];
      if (url.pathname.startsWith("/reports")) return [404, { error: "not_found", message: "no stored report", field: "month" }];
      return undefined;
    });
    renderSignedIn(<UnitsPage />, { path: "/supervisor/units", ...supervisor });
    await screen.findByText('Kayıtlı rapor yok: yanıt süreleri "—".');
  });
});

function incident(id: string, status: SupervisedIncident["status"], extra: Partial<SupervisedIncident> = {}): SupervisedIncident {
  return {
    incident_id: id,
    reported_by: "ayse",
    reported_at: "2026-10-14T07:05:00Z",
    category: "headset",
    severity: "high",
    description: "Mikrofon çalışmıyor.",
    status,
    acknowledged_at: null,
    resolved_at: null,
    resolution: null,
    ...extra,
  };
}

describe("incidents", () => {
  it("lists open ones first; acknowledge, then resolve with a note", async () => {
    const state: Record<string, SupervisedIncident> = { "INC-1": incident("INC-1", "OPEN") };
    const posted: Array<{ path: string; body: unknown }> = [];
    fakeApi((method, url, body) => {
      if (url.pathname === "/incidents") {
        const items = Object.values(state).filter((i) => i.status === url.searchParams.get("status"));
        return [200, { incidents: items, count: items.length, next: null }];
      }
      if (method !== "POST") return undefined;
      posted.push({ path: url.pathname, body });
      if (url.pathname.endsWith("/acknowledge")) {
        state["INC-1"] = { ...state["INC-1"]!, status: "ACKNOWLEDGED", acknowledged_by: "basin", acknowledged_at: "2026-10-14T07:10:00Z" };
      } else {
        state["INC-1"] = { ...state["INC-1"]!, status: "RESOLVED", resolution: (body as { resolution: string }).resolution };
      }
      return [200, state["INC-1"]];
    });
    const { container } = renderSignedIn(<IncidentsAdminPage />, { path: "/supervisor/incidents", ...supervisor });
    await screen.findByText("Mikrofon çalışmıyor.");
    const text = container.textContent ?? "";
    expect(text.indexOf("Açık")).toBeLessThan(text.indexOf("Üstlenilen"));

    fireEvent.click(screen.getByRole("button", { name: "Üstlen: Kulaklık, 14.10.2026 10:05" }));
    await screen.findByText("Üstlendiniz: Kulaklık, 14.10.2026 10:05");
    await screen.findByText("basin · 10:10:00");

    fireEvent.click(screen.getByRole("button", { name: "Çöz: Kulaklık, 14.10.2026 10:05" }));
    const dialog = await screen.findByRole("dialog", { name: "Arızayı çözüldü olarak kapat" });
    fireEvent.click(within(dialog).getByRole("button", { name: "Çözüldü olarak kapat" }));
    await within(dialog).findByText("Ne yapıldığını yazın (en çok 2000 karakter).");
    fireEvent.change(within(dialog).getByLabelText("Ne yapıldı?"), { target: { value: "Kulaklık değiştirildi." } });
    fireEvent.click(within(dialog).getByRole("button", { name: "Çözüldü olarak kapat" }));
    await screen.findByText("Çözüldü: Kulaklık, 14.10.2026 10:05");
    expect(posted).toEqual([
      { path: "/incidents/INC-1/acknowledge", body: {} },
      { path: "/incidents/INC-1/resolve", body: { resolution: "Kulaklık değiştirildi." } },
    ]);
    await waitFor(() => expect(screen.queryByText("Mikrofon çalışmıyor.")).toBeNull());
  });
});
