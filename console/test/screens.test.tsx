import { act, fireEvent, screen, waitFor } from "@testing-library/react";
import createWrapper from "@cloudscape-design/components/test-utils/dom";
import { describe, expect, it } from "vitest";

import type { Callback, ContactCard, Work } from "../src/api/types";
import { ContactPage } from "../src/pages/ContactPage";
import { WorkPage, callbackOrder, callbackReason } from "../src/pages/WorkPage";
import { titleWith, totalOf } from "../src/state/work";
import { fakeApi, renderSignedIn } from "./harness";

const CARD: ContactCard = {
  contact_id: "c-1",
  channel: "VOICE",
  subtype: null,
  initiation_method: "INBOUND",
  status: "WITH_AGENT",
  queue_name: "Öğrenci İşleri",
  initiated_at: "2026-10-14T07:05:00Z",
  enqueued_at: "2026-10-14T07:05:20Z",
  wait_seconds: 75,
  caller: "+905*******67",
  category: null,
  agent_username: "ayse",
  history: {
    answers_waiting: [
      { referral_id: "rf-1", reference: "ÇİM-2026-000042", unit_name: "Bilgi İşlem", answered_at: "2026-10-13T12:00:00Z", status: "ANSWERED" },
    ],
    contacts: [{ contact_id: "c-0", initiated_at: "2026-10-10T08:00:00Z", channel: "VOICE", category: "bilgi", status: "ANSWERED" }],
    callback: null,
    referrals: [
      { referral_id: "rf-1", reference: "ÇİM-2026-000042", unit_name: "Bilgi İşlem", status: "ANSWERED", created_at: "2026-10-10T08:05:00Z", due_at: "2026-10-12T08:05:00Z" },
    ],
  },
};

function callback(id: string, reason: string, raised: string): Callback {
  return {
    callback_id: id,
    source_contact_id: `src-${id}`,
    reason,
    status: "PENDING",
    caller: "+905*******67",
    raised_at: raised,
    due_at: raised,
    sla_due_at: "2099-01-01T00:00:00Z",
    overdue: false,
    attempts: 0,
    last_outcome: null,
    claimed_by: null,
    queue_name: null,
  };
}

describe("my work's order and the tab title", () => {
  it("puts system drops first, then the oldest", () => {
    const ordered = callbackOrder([
      callback("a", "abandoned", "2026-10-14T07:00:00Z"),
      callback("b", "system_drop", "2026-10-14T09:00:00Z"),
      callback("c", "requested", "2026-10-14T06:00:00Z"),
      callback("d", "system_drop", "2026-10-14T08:00:00Z"),
    ]);
    expect(ordered.map((c) => c.callback_id)).toEqual(["d", "b", "c", "a"]);
  });

  it("puts a request made out of hours right after the system drops, as the dispatcher rings it", () => {
    const asked = { ...callback("e", "requested", "2026-10-14T17:00:00Z"), out_of_hours: true };
    const ordered = callbackOrder([
      callback("c", "requested", "2026-10-14T06:00:00Z"),
      asked,
      callback("b", "system_drop", "2026-10-14T09:00:00Z"),
    ]);
    expect(ordered.map((c) => c.callback_id)).toEqual(["b", "e", "c"]);
    expect(callbackReason(asked)).toBe("requested_out_of_hours");
    expect(ordered.map(callbackReason)).toEqual(["system_drop", "requested_out_of_hours", "requested"]);
  });

  it("counts waiting items in the title", () => {
    const work = { callbacks: [], answers: [], expired: [], counts: { callbacks: 2, answers: 1, expired: 0 } } as Work;
    expect(totalOf(work)).toBe(3);
    expect(titleWith(3, "Çağrı")).toBe("(3) Çağrı");
    expect(titleWith(0, "Çağrı")).toBe("Çağrı");
  });
});

describe("the current contact", () => {
  it("says the contact is still arriving, retries, then shows the waiting answer first", async () => {
    let asked = 0;
    const calls = fakeApi((_method, url) => {
      if (url.pathname === "/contacts/c-1") {
        asked += 1;
        return asked === 1
          ? [404, { error: "not_found", message: "contact c-1 is not recorded yet", field: "contact_id" }]
          : [200, CARD];
      }
      if (url.pathname === "/referrals/rf-1") {
        return [200, { ...CARD.history.referrals[0], question: "VPN nasıl kurulur?", answer: "Kılavuz ektedir.", responder_name: "BİDB" }];
      }
      return undefined;
    });
    const { container } = renderSignedIn(<ContactPage />, { path: "/?contact=c-1" });

    await screen.findByText("Görüşme kaydı geliyor");
    expect(screen.queryByText(/Görüşme alınamadı/)).toBeNull(); // never an error page
    await screen.findByText("Bu arayan için bekleyen yanıt var", {}, { timeout: 4000 });

    // The waiting answer comes before everything else on the screen.
    const text = container.textContent ?? "";
    expect(text.indexOf("Bu arayan için bekleyen yanıt var")).toBeLessThan(text.indexOf("Görüşme bilgileri"));
    expect(screen.getByText("+905*******67")).toBeTruthy();
    expect(screen.getByText("1 dk 15 sn")).toBeTruthy(); // the wait, in words
    expect(screen.getByText(/14\.10\.2026 10:05/)).toBeTruthy(); // Istanbul time

    // Its text is one click away (an audited read of the referral).
    expect(calls.some((c) => c.path === "/referrals/rf-1")).toBe(false);
    fireEvent.click(screen.getByRole("button", { name: "Yanıtı göster" }));
    await screen.findByText("Kılavuz ektedir.");
    expect(screen.getByText("VPN nasıl kurulur?")).toBeTruthy();
  });

  it("classifies the contact, and says so when Amazon Connect could not take the attribute", async () => {
    const posted: unknown[] = [];
    fakeApi((method, url, body) => {
      if (url.pathname === "/contacts/c-1") return [200, { ...CARD, history: { ...CARD.history, answers_waiting: [] } }];
      if (method === "POST" && url.pathname === "/contacts/c-1/category") {
        posted.push(body);
        return [200, { contact_id: "c-1", category: "başvuru", connect_updated: false }];
      }
      return undefined;
    });
    const { container } = renderSignedIn(<ContactPage />, { path: "/?contact=c-1" });
    await screen.findByText("Görüşme bilgileri");
    const category = createWrapper(container).findSelect()!;
    act(() => category.openDropdown());
    act(() => category.selectOptionByValue("başvuru"));
    fireEvent.click(screen.getByRole("button", { name: "Konuyu kaydet" }));
    await screen.findByText("Konu kaydedildi: Başvuru");
    await screen.findByText(/Amazon Connect konuyu şimdi alamadı/);
    expect(posted).toEqual([{ category: "başvuru" }]);
  });

  it("counts a waiting answer in the tab title at once, not at the next poll", async () => {
    let works = 0;
    let cards = 0;
    fakeApi((_method, url) => {
      if (url.pathname === "/contacts/c-1") {
        cards += 1; // arriving at first: the card comes after the panel's first read of the work
        return cards === 1 ? [404, { error: "not_found", message: "not yet", field: "contact_id" }] : [200, CARD];
      }
      if (url.pathname === "/work") {
        works += 1; // the first read is from before the unit answered
        const answers = works === 1 ? 0 : 1;
        return [200, { callbacks: [], answers: [], expired: [], counts: { callbacks: 0, answers, expired: 0 } }];
      }
      return undefined;
    });
    renderSignedIn(<ContactPage />, { path: "/?contact=c-1", work: true });
    await screen.findByText("Bu arayan için bekleyen yanıt var", {}, { timeout: 4000 });
    await waitFor(() => expect(document.title).toBe("(1) Çağrı"));
    expect(works).toBe(2); // read again for the card (the poll is a minute away here)
    expect(screen.getByRole("link", { name: "İşlerim'de üstlen" }).getAttribute("href")).toBe("/console/work?contact=c-1");
  });
});

describe("my work", () => {
  it("tells plainly that another agent took a callback, and refreshes the list", async () => {
    let lists = 0;
    const work: Work = {
      callbacks: [callback("cb-1", "system_drop", "2026-10-14T07:00:00Z")],
      answers: [],
      expired: [],
      counts: { callbacks: 1, answers: 0, expired: 0 },
    };
    fakeApi((method, url) => {
      if (url.pathname === "/work") {
        lists += 1;
        return [200, lists === 1 ? work : { ...work, callbacks: [], counts: { callbacks: 0, answers: 0, expired: 0 } }];
      }
      if (method === "POST" && url.pathname === "/callbacks/cb-1/claim") {
        return [409, { error: "conflict", message: "another agent claimed this callback" }];
      }
      return undefined;
    });
    renderSignedIn(<WorkPage />, { path: "/work", work: true });

    const take = await screen.findByRole("button", { name: /^Üstlen: / });
    await waitFor(() => expect(document.title).toBe("(1) Çağrı"));
    await act(async () => fireEvent.click(take));
    await screen.findByText("Bu işi başka bir temsilci aldı. Liste yenilendi.");
    await waitFor(() => expect(lists).toBe(2));
    await screen.findByText("Yapılacak geri arama yok.");
    expect(document.title).toBe("Çağrı");
  });

  it("shows the number in full once claimed, then records the outcome", async () => {
    const posted: Array<{ path: string; body: unknown }> = [];
    const work: Work = {
      callbacks: [callback("cb-2", "abandoned", "2026-10-14T07:00:00Z")],
      answers: [],
      expired: [],
      counts: { callbacks: 1, answers: 0, expired: 0 },
    };
    fakeApi((method, url, body) => {
      if (url.pathname === "/work") return [200, work];
      if (method === "POST") posted.push({ path: url.pathname, body });
      if (url.pathname === "/callbacks/cb-2/claim") {
        return [200, { ...work.callbacks[0], status: "CLAIMED", claimed_by: "ayse", caller: "+905551234567" }];
      }
      if (url.pathname === "/callbacks/cb-2/complete") return [200, { ...work.callbacks[0], status: "COMPLETED" }];
      return undefined;
    });
    renderSignedIn(<WorkPage />, { path: "/work", work: true });
    fireEvent.click(await screen.findByRole("button", { name: /^Üstlen: / }));
    await screen.findByText("+905551234567");
    fireEvent.click(screen.getByRole("radio", { name: "Meşgul" }));
    fireEvent.click(screen.getByRole("button", { name: "Sonucu kaydet" }));
    await screen.findByText("Sonuç kaydedildi.");
    expect(posted).toEqual([
      { path: "/callbacks/cb-2/claim", body: {} },
      { path: "/callbacks/cb-2/complete", body: { outcome: "BUSY" } },
    ]);
  });
});

describe("answers to return", () => {
  it("claims the answer (its text and the address in full), returns it, then closes it", async () => {
    const summary = {
      referral_id: "rf-7",
      reference: "ÇİM-2026-000007",
      contact_id: "c-7",
      unit_id: "bidb",
      unit_name: "Bilgi İşlem",
      category: "bilgi",
      status: "ANSWERED",
      return_channel: "VOICE",
      created_at: "2026-10-10T08:05:00Z",
      due_at: "2026-10-12T08:05:00Z",
      answered_at: "2026-10-11T08:05:00Z",
      expired_at: null,
      claimed_by: null,
    };
    const full = { ...summary, question: "VPN?", answer: "Kılavuz ektedir.", responder_name: null, return_address: "+905551112233", consent: true, caller_name: "Ayşe", expires_at: null, returned_at: null, closed_at: null, outcome: null };
    const posted: Array<{ path: string; body: unknown }> = [];
    fakeApi((method, url, body) => {
      if (url.pathname === "/work") {
        return [200, { callbacks: [], answers: [summary], expired: [], counts: { callbacks: 0, answers: 1, expired: 0 } }];
      }
      if (method !== "POST") return undefined;
      posted.push({ path: url.pathname, body });
      if (url.pathname.endsWith("/claim")) return [200, { ...full, claimed_by: "ayse" }];
      if (url.pathname.endsWith("/return")) return [200, { ...full, claimed_by: "ayse", status: "RETURNED" }];
      if (url.pathname.endsWith("/close")) return [200, { ...full, claimed_by: "ayse", status: "CLOSED" }];
      return undefined;
    });
    renderSignedIn(<WorkPage />, { path: "/work", work: true });
    fireEvent.click(await screen.findByRole("tab", { name: "İletilecek yanıtlar (1)" }));
    fireEvent.click(await screen.findByRole("button", { name: "Üstlen: ÇİM-2026-000007" }));
    await screen.findByText("Kılavuz ektedir.");
    expect(screen.getByText("+905551112233")).toBeTruthy();

    fireEvent.click(screen.getByRole("button", { name: "Yanıtı ilettim" }));
    await screen.findByText("Yanıt iletildi olarak kaydedildi; şimdi kapatın.");
    // Returned: now the outcomes a RETURNED referral closes with.
    fireEvent.click(await screen.findByRole("radio", { name: "Arayana iletildi, konu çözüldü" }));
    fireEvent.click(screen.getByRole("button", { name: "Yönlendirmeyi kapat" }));
    await screen.findByText("Kapatıldı.");
    expect(posted).toEqual([
      { path: "/referrals/rf-7/claim", body: {} },
      { path: "/referrals/rf-7/return", body: {} },
      { path: "/referrals/rf-7/close", body: { outcome: "resolved" } },
    ]);
  });
});
