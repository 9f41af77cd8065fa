import { act, fireEvent, renderHook, screen, waitFor, within } from "@testing-library/react";
import { afterEach, describe, expect, it, vi } from "vitest";

import { NetworkError } from "../src/api/client";
import type { Live, LiveAlert } from "../src/api/supervisor";
import { formatNumber, formatPercent, translate } from "../src/i18n/index";
import LivePage, { agentsText, alertOrder, atOf, levelOf, LIVE_INTERVAL_MS } from "../src/pages/supervisor/LivePage";
import { validateThresholds } from "../src/pages/supervisor/ThresholdsEditor";
import { usePolling } from "../src/pages/supervisor/usePolling";
import { fakeApi, renderSignedIn } from "./harness";

export function live(overrides: Partial<Live> = {}): Live {
  return {
    at: "2026-10-14T11:00:00+03:00",
    in_queue_now: 4,
    longest_wait_now_seconds: 312,
    today: { inbound: 214, queued: 190, answered: 171, abandoned: 16, system_dropped: 3, service_level: 0.943, asa_seconds: 41.5 },
    callbacks: { due: 6, overdue: 2 },
    referrals: { waiting_for_units: 11, overdue: 3, answers_to_return: 4 },
    incidents_open: 1,
    agents: { online: 9, available: null },
    by_hour: [
      { hour: 8, inbound: 12, answered: 10, abandoned: 2, system_dropped: 0, service_level: 0.9, baseline: { inbound: 10.5, answered: 9, abandoned: 1.5 } },
      { hour: 9, inbound: 38, answered: 35, abandoned: 3, system_dropped: 0, service_level: 0.85, baseline: { inbound: null, answered: null, abandoned: null } },
    ],
    lost_last_30_minutes: 7,
    thresholds: { longest_wait_seconds: 180, lost_last_30_minutes: 5, callbacks_overdue: 5 },
    alerts: [
      { figure: "lost_last_30_minutes", level: "warning", message_tr: "Son 30 dakikada 7 arayan kapattı: molaları erteleyin.", message_en: "7 callers hung up: postpone breaks." },
      { figure: "longest_wait_now_seconds", level: "critical", message_tr: "Bir arayan 5 dakikadır bekliyor: bir temsilci verin.", message_en: "A caller has waited 5 minutes: add an agent." },
    ],
    ...overrides,
  };
}

function figure(container: HTMLElement, name: string): string {
  const found = container.querySelector(`[data-figure="${name}"] .figure-value`);
  if (!found) throw new Error(`no figure ${name}`);
  return found.textContent ?? "";
}

function setVisibility(state: "visible" | "hidden") {
  Object.defineProperty(document, "visibilityState", { configurable: true, get: () => state });
  document.dispatchEvent(new Event("visibilitychange"));
}

afterEach(() => {
  vi.useRealTimers();
  setVisibility("visible");
});

describe("the live screen's formatting", () => {
  it("shows rates as Turkish percentages, English one switch away", () => {
    expect(formatPercent("tr", 0.943)).toBe("%94,3");
    expect(formatPercent("tr", 1)).toBe("%100,0");
    expect(formatPercent("tr", 0)).toBe("%0,0");
    expect(formatPercent("en", 0.943)).toBe("94.3%");
    expect(formatPercent("tr", null)).toBe("—");
    expect(formatNumber("tr", 1204)).toBe("1.204");
    expect(formatNumber("en", 1204)).toBe("1,204");
    expect(formatNumber("tr", 10.25)).toBe("10,3");
  });

  it("says an agents' count Amazon Connect could not give is unknown", () => {
    const t = (key: Parameters<typeof translate>[1]) => translate("tr", key);
    expect(agentsText({ t, number: (v) => formatNumber("tr", v) }, null)).toBe("bilinmiyor");
    expect(agentsText({ t, number: (v) => formatNumber("tr", v) }, 0)).toBe("0");
  });

  it("puts critical alerts first and colours a figure by its highest alert", () => {
    const alerts: LiveAlert[] = [
      { figure: "callbacks_overdue", level: "warning", message_tr: "a", message_en: "a" },
      { figure: "longest_wait_now_seconds", level: "critical", message_tr: "b", message_en: "b" },
      { figure: "callbacks_overdue", level: "critical", message_tr: "c", message_en: "c" },
    ];
    expect(alertOrder(alerts).map((a) => a.message_tr)).toEqual(["b", "c", "a"]);
    expect(levelOf(alerts, "callbacks_overdue")).toBe("critical");
    expect(levelOf(alerts, "lost_last_30_minutes")).toBeNull();
  });

  it("reads ?at= as typed in an address bar", () => {
    expect(atOf("2026-10-14T11:00:00 03:00")).toBe("2026-10-14T11:00:00+03:00");
    expect(atOf("2026-10-14T11:00:00+03:00")).toBe("2026-10-14T11:00:00+03:00");
    expect(atOf("2026-10-14T08:00:00Z")).toBe("2026-10-14T08:00:00Z");
    expect(atOf(null)).toBeNull();
    expect(atOf("  ")).toBeNull();
  });
});

describe("the live screen", () => {
  it("shows the alerts first, with their Turkish advice, then the figures", async () => {
    fakeApi((_m, url) => (url.pathname === "/live" ? [200, live()] : undefined));
    const { container } = renderSignedIn(<LivePage />, { path: "/supervisor", role: "supervisor", username: "basin" });
    await screen.findByText("Bir arayan 5 dakikadır bekliyor: bir temsilci verin.");
    const text = container.textContent ?? "";
    // What to do now comes first: the critical advice, then the warning, then the figures.
    expect(text.indexOf("Bir arayan 5 dakikadır")).toBeLessThan(text.indexOf("Son 30 dakikada 7 arayan"));
    expect(text.indexOf("Son 30 dakikada 7 arayan")).toBeLessThan(text.indexOf("Kuyrukta bekleyen"));
    expect(screen.getByText("En uzun bekleme: 5 dk 12 sn (eşik 3 dk 00 sn)")).toBeTruthy();

    expect(figure(container, "in_queue_now")).toBe("4");
    expect(figure(container, "longest_wait_now_seconds")).toBe("5 dk 12 sn");
    expect(figure(container, "service_level")).toBe("%94,3");
    expect(figure(container, "asa")).toBe("42 sn");
    expect(figure(container, "agents_online")).toBe("9");
    expect(figure(container, "agents_available")).toBe("bilinmiyor");
    expect(figure(container, "abandoned")).toBe("16");
    expect(figure(container, "system_dropped")).toBe("3");
    expect(figure(container, "callbacks_overdue")).toBe("2");
    expect(figure(container, "referrals_waiting")).toBe("11");
    // A figure past its threshold says so in words, not by colour alone.
    const wait = container.querySelector('[data-figure="longest_wait_now_seconds"]') as HTMLElement;
    expect(within(wait).getByText("Kritik")).toBeTruthy();
    expect(screen.getByText(/son yenileme \d\d:\d\d:\d\d/)).toBeTruthy();
  });

  it("keeps the last figures when a refresh fails, and says so", async () => {
    let fail = false;
    fakeApi((_m, url) => {
      if (url.pathname !== "/live") return undefined;
      return fail ? [503, { error: "unavailable", message: "Amazon Connect yanıt vermiyor" }] : [200, live()];
    });
    const { container } = renderSignedIn(<LivePage />, { path: "/supervisor", role: "supervisor", username: "basin" });
    await waitFor(() => expect(figure(container, "in_queue_now")).toBe("4"));
    fail = true;
    fireEvent.click(screen.getByRole("button", { name: "Yenile: merkezin rakamları" }));
    await screen.findByText(/Yenileme başarısız \(\d\d:\d\d:\d\d\)/);
    expect(screen.getByText(/Amazon Connect yanıt vermiyor.*Gösterilen rakamlar \d\d:\d\d:\d\d itibarıyla/)).toBeTruthy();
    expect(figure(container, "in_queue_now")).toBe("4");
    fail = false;
    fireEvent.click(screen.getByRole("button", { name: "Yenile: merkezin rakamları" }));
    await waitFor(() => expect(screen.queryByText(/Yenileme başarısız/)).toBeNull());
  });

  it("asks for the moment in ?at= and says it is a past one", async () => {
    const calls = fakeApi((_m, url) => (url.pathname === "/live" ? [200, live()] : undefined));
    renderSignedIn(<LivePage />, { path: "/supervisor?at=2026-10-14T11:00:00%2B03:00", role: "supervisor", username: "basin" });
    await screen.findByText("Geçmiş bir an gösteriliyor: 14.10.2026 11:00");
    expect(calls[0]!.path).toBe("/live?at=2026-10-14T11%3A00%3A00%2B03%3A00");
  });

  it("says plainly when the API refuses a non-supervisor", async () => {
    fakeApi((_m, url) => (url.pathname === "/live" ? [403, { error: "forbidden", message: "this needs the supervisors group" }] : undefined));
    renderSignedIn(<LivePage />, { path: "/supervisor", role: "supervisor", username: "basin" });
    await screen.findByText("Bu ekran yalnızca sorumlular içindir; sunucu isteği reddetti.");
  });

  it("says the server does not know the route yet, while /live is missing", async () => {
    fakeApi((_m, url) => (url.pathname === "/live" ? [403, { message: "Missing Authentication Token" }] : undefined));
    renderSignedIn(<LivePage />, { path: "/supervisor", role: "supervisor", username: "basin" });
    await screen.findByText("Sunucu bu isteği henüz tanımıyor.");
  });
});

describe("polling", () => {
  it("refreshes every 15 seconds, never two at once, and pauses while the tab is hidden", async () => {
    vi.useFakeTimers();
    let pending: Array<() => void> = [];
    const load = vi.fn(() => new Promise<number>((resolve) => pending.push(() => resolve(load.mock.calls.length))));
    const settle = async () => {
      await act(async () => {
        pending.forEach((f) => f());
        pending = [];
        await Promise.resolve();
      });
    };
    const { result } = renderHook(() => usePolling(load, LIVE_INTERVAL_MS));
    expect(load).toHaveBeenCalledTimes(1);
    await settle();
    expect(result.current.data).toBe(1);
    expect(result.current.refreshedAt).not.toBeNull();

    await act(async () => vi.advanceTimersByTimeAsync(LIVE_INTERVAL_MS - 1));
    expect(load).toHaveBeenCalledTimes(1);
    await act(async () => vi.advanceTimersByTimeAsync(1));
    expect(load).toHaveBeenCalledTimes(2);
    // The answer is slow: no second request while one is under way.
    await act(async () => vi.advanceTimersByTimeAsync(LIVE_INTERVAL_MS * 2));
    expect(load).toHaveBeenCalledTimes(2);
    await settle();

    // Hidden: nothing for a minute.
    act(() => setVisibility("hidden"));
    expect(result.current.paused).toBe(true);
    await act(async () => vi.advanceTimersByTimeAsync(60_000));
    expect(load).toHaveBeenCalledTimes(2);
    // Shown again with figures older than 15 s: at once.
    act(() => setVisibility("visible"));
    expect(load).toHaveBeenCalledTimes(3);
    expect(result.current.paused).toBe(false);
    await settle();
    expect(result.current.data).toBe(3);
  });

  it("keeps the last answer when a refresh fails, and tries again", async () => {
    vi.useFakeTimers();
    let answer: () => Promise<string> = async () => "first";
    const load = vi.fn(() => answer());
    const { result } = renderHook(() => usePolling(load, LIVE_INTERVAL_MS));
    await act(async () => vi.advanceTimersByTimeAsync(0));
    expect(result.current.data).toBe("first");
    const first = result.current.refreshedAt;

    answer = async () => {
      throw new NetworkError("offline");
    };
    await act(async () => vi.advanceTimersByTimeAsync(LIVE_INTERVAL_MS));
    expect(result.current.data).toBe("first");
    expect(result.current.error).toBeInstanceOf(NetworkError);
    expect(result.current.failedAt).not.toBeNull();
    expect(result.current.refreshedAt).toBe(first);

    answer = async () => "second";
    await act(async () => vi.advanceTimersByTimeAsync(LIVE_INTERVAL_MS));
    expect(result.current.data).toBe("second");
    expect(result.current.error).toBeNull();
    expect(result.current.failedAt).toBeNull();
  });

  it("stops when the screen closes", async () => {
    vi.useFakeTimers();
    const load = vi.fn(async () => 1);
    const { unmount } = renderHook(() => usePolling(load, LIVE_INTERVAL_MS));
    await act(async () => vi.advanceTimersByTimeAsync(0));
    unmount();
    await act(async () => vi.advanceTimersByTimeAsync(LIVE_INTERVAL_MS * 4));
    expect(load).toHaveBeenCalledTimes(1);
  });
});

describe("thresholds", () => {
  const valid = { longest_wait_seconds: "180", lost_last_30_minutes: "5", callbacks_overdue: "3" };

  it("are whole numbers above zero", () => {
    expect(validateThresholds(valid)).toEqual({
      value: { longest_wait_seconds: 180, lost_last_30_minutes: 5, callbacks_overdue: 3 },
      errors: {},
    });
    expect(validateThresholds({ ...valid, longest_wait_seconds: " 90 " }).value?.longest_wait_seconds).toBe(90);
    for (const bad of ["0", "-1", "1.5", "1e3", "abc", "12 3"]) {
      expect(validateThresholds({ ...valid, lost_last_30_minutes: bad }).errors, bad).toEqual({
        lost_last_30_minutes: "thresholds.positive",
      });
    }
    expect(validateThresholds({ ...valid, callbacks_overdue: "" })).toEqual({
      value: null,
      errors: { callbacks_overdue: "thresholds.required" },
    });
  });

  it("are saved with PUT; a field the API refuses is named under it", async () => {
    const puts: unknown[] = [];
    fakeApi((method, url, body) => {
      if (url.pathname === "/live") return [200, live()];
      if (url.pathname === "/live/thresholds" && method === "GET") return [200, live().thresholds];
      if (url.pathname === "/live/thresholds" && method === "PUT") {
        puts.push(body);
        return puts.length === 1
          ? [400, { error: "invalid_request", message: "body field longest_wait_seconds: must be at most 3600", field: "longest_wait_seconds" }]
          : [200, body];
      }
      return undefined;
    });
    renderSignedIn(<LivePage />, { path: "/supervisor", role: "supervisor", username: "basin" });
    fireEvent.click(await screen.findByRole("button", { name: /^Eşikler\b/, expanded: false }));
    const wait = await screen.findByLabelText("En uzun bekleme (saniye)");
    await waitFor(() => expect((wait as HTMLInputElement).value).toBe("180"));

    // Checked here first: nothing is sent.
    fireEvent.change(screen.getByLabelText("Son 30 dakikada kayıp çağrı"), { target: { value: "0" } });
    fireEvent.click(screen.getByRole("button", { name: "Eşikleri kaydet" }));
    await screen.findByText("Sıfırdan büyük bir tam sayı girin.");
    expect(puts).toEqual([]);

    fireEvent.change(screen.getByLabelText("Son 30 dakikada kayıp çağrı"), { target: { value: "6" } });
    fireEvent.change(wait, { target: { value: "9000" } });
    fireEvent.click(screen.getByRole("button", { name: "Eşikleri kaydet" }));
    await screen.findByText("Sunucu kabul etmedi: body field longest_wait_seconds: must be at most 3600");
    await waitFor(() => expect(document.activeElement).toBe(wait));

    fireEvent.change(wait, { target: { value: "240" } });
    fireEvent.click(screen.getByRole("button", { name: "Eşikleri kaydet" }));
    await screen.findByText("Eşikler kaydedildi.");
    expect(puts).toEqual([
      { longest_wait_seconds: 9000, lost_last_30_minutes: 6, callbacks_overdue: 5 },
      { longest_wait_seconds: 240, lost_last_30_minutes: 6, callbacks_overdue: 5 },
    ]);
  });
});
