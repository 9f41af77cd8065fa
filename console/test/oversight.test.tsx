import { fireEvent, screen, waitFor, within } from "@testing-library/react";
import { describe, expect, it, onTestFinished, vi } from "vitest";

import type { PrivacyRequest } from "../src/api/supervisor";
import { translate } from "../src/i18n/index";
import PrivacyPage, { basisText, deadlineOf, receivedAt } from "../src/pages/supervisor/PrivacyPage";
import { prepareReportHtml, STYLE_ATTRIBUTE } from "../src/pages/supervisor/reportHtml";
import ReportsPage, { checkDetail } from "../src/pages/supervisor/ReportsPage";
import { fakeApi, renderSignedIn } from "./harness";

const supervisor = { role: "supervisor" as const, username: "basin" };
const t = (key: Parameters<typeof translate>[1], vars?: Parameters<typeof translate>[2]) => translate("tr", key, vars);

function request(id: string, kind: PrivacyRequest["kind"], extra: Partial<PrivacyRequest> = {}): PrivacyRequest {
  return {
    request_id: id,
    kind,
    number: "+905*******67",
    identified_by: "T.C. kimlik kartı, yüz yüze",
    received_at: "2026-10-01T07:00:00Z",
    due_at: "2026-10-31T07:00:00Z",
    state: "OPEN",
    recorded_by: "supervisor:basin",
    fulfilled_at: null,
    fulfilled_by: null,
    disclosure_id: null,
    days_left: 17,
    overdue: false,
    ...extra,
  };
}

describe("confidentiality", () => {
  it("says the days left to the 30-day deadline, and how urgent", () => {
    expect(deadlineOf({ days_left: 17, overdue: false }, t)).toEqual({ text: "17 gün kaldı", type: "info" });
    expect(deadlineOf({ days_left: 5, overdue: false }, t)).toEqual({ text: "5 gün kaldı", type: "warning" });
    expect(deadlineOf({ days_left: 0, overdue: false }, t)).toEqual({ text: "Son gün bugün", type: "error" });
    expect(deadlineOf({ days_left: -3, overdue: true }, t)).toEqual({ text: "3 gün gecikti", type: "error" });
  });

  it("names each disclosure's legal basis", () => {
    expect(basisText({ basis: "consent", consent_reference: "RZ-12" }, t)).toBe("Açık rıza (belge: RZ-12)");
    expect(basisText({ basis: "legal_authority", authority: "Ankara Cumhuriyet Başsavcılığı", document_number: "2026/55" }, t)).toBe(
      "Yetkili kurum: Ankara Cumhuriyet Başsavcılığı (belge no: 2026/55)",
    );
    expect(basisText({ basis: "data_subject_request", request_id: "dsr-1" }, t)).toBe("İlgili kişi başvurusu (dsr-1)");
  });

  it("gives the receipt in Istanbul time", () => {
    expect(receivedAt("2026/10/01", "09:30")).toBe("2026-10-01T09:30:00+03:00");
    expect(receivedAt("2026/10/01", "")).toBe("2026-10-01T00:00:00+03:00");
    expect(receivedAt("", "09:30")).toBeUndefined();
  });

  it("fulfils an erasure only after a confirmation that says it cannot be undone", async () => {
    const posted: string[] = [];
    let open = [request("dsr-2", "erasure")];
    fakeApi((method, url) => {
      if (url.pathname === "/privacy/requests" && method === "GET") {
        const items = url.searchParams.get("state") === "OPEN" ? open : [];
        return [200, { requests: items, count: items.length, next: null }];
      }
      if (url.pathname === "/privacy/requests/dsr-2/fulfil") {
        posted.push(url.pathname);
        open = [];
        return [200, { ...request("dsr-2", "erasure"), state: "FULFILLED", records: { contacts: 3, callbacks: 1, referrals: 0 } }];
      }
      return undefined;
    });
    renderSignedIn(<PrivacyPage />, { path: "/supervisor/privacy", ...supervisor });
    await screen.findByText("17 gün kaldı");
    fireEvent.click(screen.getByRole("button", { name: "Yerine getir: Silme, +905*******67" }));
    const dialog = await screen.findByRole("dialog", { name: "Silme başvurusu: +905*******67" });
    expect(within(dialog).getByText(/şimdi anonimleştirilir.*Geri alınamaz\./)).toBeTruthy();
    expect(posted).toEqual([]);
    fireEvent.click(within(dialog).getByRole("button", { name: /Kayıtları anonimleştir \(geri alınamaz\)/ }));
    await screen.findByText("Silme başvurusu yerine getirildi; kayıtlar anonimleştirildi.");
    expect(posted).toEqual(["/privacy/requests/dsr-2/fulfil"]);
    await screen.findByText("Başvuru yok.");
  });

  it("hands an access request's export over once, as a download", async () => {
    const saved: Blob[] = [];
    const { createObjectURL, revokeObjectURL } = URL;
    URL.createObjectURL = (blob: Blob) => (saved.push(blob as Blob), "blob:x");
    URL.revokeObjectURL = () => undefined;
    onTestFinished(() => {
      Object.assign(URL, { createObjectURL, revokeObjectURL });
    });
    const click = vi.spyOn(HTMLAnchorElement.prototype, "click").mockImplementation(() => undefined);
    fakeApi((method, url) => {
      if (url.pathname === "/privacy/requests" && method === "GET") return [200, { requests: [request("dsr-1", "access")], count: 1, next: null }];
      if (url.pathname === "/privacy/requests/dsr-1/fulfil") {
        return [200, { ...request("dsr-1", "access"), state: "FULFILLED", export: { contacts: [{ contact_id: "c-1" }] } }];
      }
      return undefined;
    });
    renderSignedIn(<PrivacyPage />, { path: "/supervisor/privacy", ...supervisor });
    fireEvent.click(await screen.findByRole("button", { name: "Yerine getir: Erişim, +905*******67" }));
    const dialog = await screen.findByRole("dialog", { name: "Erişim başvurusu: +905*******67" });
    fireEvent.click(within(dialog).getByRole("button", { name: "Dökümü hazırla" }));
    fireEvent.click(await screen.findByRole("button", { name: "Dökümü indir (JSON)" }));
    expect(click).toHaveBeenCalledTimes(1);
    const text = await new Promise<string>((resolve) => {
      const reader = new FileReader();
      reader.onload = () => resolve(String(reader.result));
      reader.readAsText(saved[0]!);
    });
    expect(JSON.parse(text)).toEqual({ contacts: [{ contact_id: "c-1" }] });
    // Gone from the screen once downloaded.
    await waitFor(() => expect(screen.queryByRole("button", { name: "Dökümü indir (JSON)" })).toBeNull());
  });

  it("records a request: kind, number, how the identity was checked", async () => {
    const posted: unknown[] = [];
    fakeApi((method, url, body) => {
      if (url.pathname === "/privacy/requests" && method === "GET") return [200, { requests: [], count: 0, next: null }];
      if (url.pathname === "/privacy/requests" && method === "POST") {
        posted.push(body);
        return [201, request("dsr-3", "erasure")];
      }
      return undefined;
    });
    renderSignedIn(<PrivacyPage />, { path: "/supervisor/privacy", ...supervisor });
    fireEvent.click(await screen.findByRole("button", { name: "Başvuru kaydet" }));
    const dialog = await screen.findByRole("dialog", { name: "İlgili kişi başvurusu kaydet" });
    fireEvent.click(within(dialog).getByRole("radio", { name: /Silme/ }));
    fireEvent.click(within(dialog).getByRole("button", { name: "Kaydet" }));
    await within(dialog).findByText("Telefon numarasını girin.");
    fireEvent.change(within(dialog).getByLabelText("Numara"), { target: { value: "0532 123 45 67" } });
    fireEvent.change(within(dialog).getByLabelText("Kimlik doğrulama"), { target: { value: "T.C. kimlik kartı, yüz yüze" } });
    fireEvent.click(within(dialog).getByRole("button", { name: "Kaydet" }));
    await screen.findByText("Başvuru kaydedildi; son tarih 31.10.2026.");
    expect(posted).toEqual([{ kind: "erasure", number: "0532 123 45 67", identified_by: "T.C. kimlik kartı, yüz yüze" }]);
  });
});

describe("the report as e-mailed", () => {
  it("keeps no script, handler or frame, and carries its inline CSS for the CSSOM", () => {
    const prepared = prepareReportHtml(
      `<!DOCTYPE html><html lang="tr"><head><style>h1{color:navy}</style><script>alert(1)</script></head>
       <body style="margin:0"><h1 style="color:#fff" onclick="alert(2)">Rapor</h1><iframe src="https://x"></iframe>
       <a href="javascript:alert(3)">x</a><a href="#kayip">Kayıp</a><img src="cid:chart-1" alt="Saat saat çağrılar"></body></html>`,
      (alt) => `[Grafik: ${alt}]`,
    );
    expect(prepared.html).not.toMatch(/<script|onclick|<iframe|javascript:|\sstyle="/);
    expect(prepared.html).toContain(`${STYLE_ATTRIBUTE}="color:#fff"`);
    expect(prepared.html).toContain("[Grafik: Saat saat çağrılar]");
    expect(prepared.html).toContain('href="#kayip"');
    expect(prepared.sheets).toEqual(["h1{color:navy}"]);
  });
});

const HEALTH = {
  status: "degraded",
  checked_at: "2026-10-14T08:00:00Z",
  checks: {
    tables: { status: "ok", tables: { a: "ACTIVE", b: "ACTIVE" } },
    ses: { status: "ok", sending_enabled: true, sent_24h: 12, max_24h: 200 },
    connect: { status: "ok", instance_status: "ACTIVE" },
    contact_events: { status: "stale", last_event_at: "2026-10-14T07:20:00Z", age_minutes: 40, centre_open: true },
    dead_letters: { status: "failing", queues: { "ctr-dlq": 2, "events-dlq": 0 } },
  },
};

describe("reports and health", () => {
  it("shows each health check's status, from a 503 too", async () => {
    fakeApi((_m, url) => {
      if (url.pathname === "/health") return [503, HEALTH];
      if (url.pathname === "/reports") return [200, { reports: [], next: null }];
      return undefined;
    });
    const { container } = renderSignedIn(<ReportsPage />, { path: "/supervisor/reports", ...supervisor });
    await screen.findByText("Bir şey çalışmıyor: aşağıya bakın");
    const check = (name: string) => within(container.querySelector(`[data-check="${name}"]`) as HTMLElement);
    expect(check("tables").getByText("Çalışıyor")).toBeTruthy();
    expect(check("tables").getByText("2/2 tablo etkin")).toBeTruthy();
    expect(check("contact_events").getByText("Sessiz")).toBeTruthy();
    expect(check("contact_events").getByText("Son olay 14.10.2026 10:20 (40 dk önce)")).toBeTruthy();
    expect(check("dead_letters").getByText("Sorunlu")).toBeTruthy();
    expect(check("dead_letters").getByText("Kuyrukta bekleyen: 2")).toBeTruthy();
    expect(checkDetail("ses", HEALTH.checks.ses, { t, number: String, dateTime: String })).toBe("Son 24 saatte 12 / 200 e-posta");
  });

  it("sends a report after a confirmation, and resends with force only on purpose", async () => {
    const sends: unknown[] = [];
    let sentAt: string | null = null;
    fakeApi((method, url, body) => {
      if (url.pathname === "/health") return [200, { ...HEALTH, status: "ok", checks: {} }];
      if (url.pathname === "/reports") {
        return [200, { reports: [{ month: "2026-09", built_at: "2026-10-01T03:00:00Z", sent_at: sentAt, recipients: ["rektor@ostimteknik.edu.tr"] }], next: null }];
      }
      if (method === "POST" && url.pathname === "/reports/2026-09/send") {
        sends.push(body);
        sentAt = "2026-10-01T03:05:00Z";
        return [202, { month: "2026-09", status: "queued", force: false, recipients: ["rektor@ostimteknik.edu.tr"] }];
      }
      return undefined;
    });
    renderSignedIn(<ReportsPage />, { path: "/supervisor/reports", ...supervisor });
    fireEvent.click(await screen.findByRole("radio", { name: "2026-09 raporunu seç" }));
    fireEvent.click(screen.getAllByRole("button", { name: "Gönder" })[0]!); // the selected report's, above the table
    let dialog = await screen.findByRole("dialog", { name: "2026-09 raporunu gönder" });
    expect(within(dialog).getByText("2026-09 raporu şu alıcılara e-postayla gönderilecek: rektor@ostimteknik.edu.tr.")).toBeTruthy();
    expect(sends).toEqual([]);
    fireEvent.click(within(dialog).getByRole("button", { name: "Gönder" }));
    await screen.findByText(/2026-09 raporu gönderiliyor: rektor@ostimteknik\.edu\.tr/);
    expect(sends).toEqual([{ force: false }]);

    fireEvent.click(await screen.findByRole("button", { name: "Yeniden gönder" }));
    dialog = await screen.findByRole("dialog", { name: "2026-09 raporunu yeniden gönder" });
    expect(within(dialog).getByText(/01\.10\.2026 06:05 tarihinde gönderildi\. Yeniden göndermek/)).toBeTruthy();
    fireEvent.click(within(dialog).getByRole("button", { name: "Yeniden gönder" }));
    await waitFor(() => expect(sends).toEqual([{ force: false }, { force: true }]));
  });

  it("opens the e-mailed HTML in a sandboxed frame without scripts", async () => {
    fakeApi((_m, url) => {
      if (url.pathname === "/health") return [200, { ...HEALTH, status: "ok", checks: {} }];
      if (url.pathname === "/reports") return [200, { reports: [{ month: "2026-09", built_at: null, sent_at: null, recipients: [] }], next: null }];
      return undefined;
    });
    // The HTML route answers text/html, which the JSON fake cannot: a fetch of its own for that one.
    const json = globalThis.fetch;
    vi.stubGlobal("fetch", async (input: RequestInfo | URL, init?: RequestInit) =>
      String(input).endsWith("/reports/2026-09/html")
        ? new Response('<html><body><h1 style="color:red">Eylül raporu</h1><script>alert(1)</script></body></html>', {
            status: 200,
            headers: { "Content-Type": "text/html" },
          })
        : json(input, init),
    );
    const { container } = renderSignedIn(<ReportsPage />, { path: "/supervisor/reports", ...supervisor });
    fireEvent.click(await screen.findByRole("button", { name: "2026-09 raporunu aç" }));
    await waitFor(() => expect(container.querySelector("iframe")).not.toBeNull());
    const frame = container.querySelector("iframe")!;
    expect(frame.getAttribute("sandbox")).toBe("allow-same-origin");
    expect(frame.getAttribute("title")).toBe("2026-09 raporu");
    const doc = frame.getAttribute("srcdoc")!;
    expect(doc).toContain("Eylül raporu");
    expect(doc).not.toContain("<script");
  });

  it("says a month must be YYYY-MM before asking the API", async () => {
    const calls = fakeApi((_m, url) => {
      if (url.pathname === "/health") return [200, { ...HEALTH, status: "ok", checks: {} }];
      if (url.pathname === "/reports") return [403, { message: "Missing Authentication Token" }];
      return undefined;
    });
    renderSignedIn(<ReportsPage />, { path: "/supervisor/reports", ...supervisor });
    await screen.findByText("Sunucu bu isteği henüz tanımıyor.");
    fireEvent.change(screen.getByLabelText("Ay"), { target: { value: "2026-13" } });
    fireEvent.click(screen.getAllByRole("button", { name: "Yeniden oluştur" }).at(-1)!);
    await screen.findByText("Ayı YYYY-AA biçiminde yazın (ör. 2026-10).");
    expect(calls.filter((c) => c.method === "POST")).toEqual([]);
  });
});
