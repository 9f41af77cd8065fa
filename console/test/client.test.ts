import { describe, expect, it, vi } from "vitest";

import { ApiClient, ApiError, NetworkError, pathOf, untilArrived, type Credentials } from "../src/api/client";
import { endpoints } from "../src/api/endpoints";
import { localSession } from "../src/auth/local";

type Call = { url: string; method: string; headers: Record<string, string>; body: unknown };

/** A fake API: answers queued per request, every request recorded. */
function fakeFetch(...answers: Array<[number, unknown] | Error>) {
  const calls: Call[] = [];
  const fn = vi.fn(async (input: RequestInfo | URL, init?: RequestInit) => {
    calls.push({
      url: String(input),
      method: init?.method ?? "GET",
      headers: { ...(init?.headers as Record<string, string>) },
      body: init?.body ? JSON.parse(String(init.body)) : undefined,
    });
    const next = answers.shift();
    if (!next) throw new Error("unexpected request");
    if (next instanceof Error) throw next;
    const [status, body] = next;
    return new Response(body === undefined ? null : JSON.stringify(body), {
      status,
      headers: { "Content-Type": "application/json" },
    });
  });
  return { fn: fn as unknown as typeof fetch, calls };
}

const agent = localSession({ username: "ayse", role: "agent" });

describe("ApiClient", () => {
  it("sends the local stand-in's headers and JSON", async () => {
    const { fn, calls } = fakeFetch([201, { reference: "ÇİM-2026-000123" }]);
    const api = endpoints(new ApiClient({ base: "", credentials: agent, fetch: fn }));
    const made = await api.createReferral({
      contact_id: "c-1",
      unit_id: "ogrenci-isleri",
      question: "Transkript nasıl alınır?",
      category: "bilgi",
      return_channel: "VOICE",
      return_address: null,
      consent: false,
      caller_name: null,
    });
    expect(made.reference).toBe("ÇİM-2026-000123");
    expect(calls[0]).toMatchObject({
      url: "/referrals",
      method: "POST",
      headers: { "X-Agent-Id": "ayse", "X-Groups": "agents", "Content-Type": "application/json" },
      body: { contact_id: "c-1", unit_id: "ogrenci-isleri", consent: false },
    });
  });

  it("sends supervisors' group for a supervisor", async () => {
    const { fn, calls } = fakeFetch([200, { units: [], count: 0, next: null }]);
    const supervisor = localSession({ username: "basin", role: "supervisor" });
    await endpoints(new ApiClient({ base: "", credentials: supervisor, fetch: fn })).units();
    expect(calls[0]!.headers).toMatchObject({ "X-Agent-Id": "basin", "X-Groups": "supervisors" });
  });

  it("puts the API's base in front and escapes ids in the path", async () => {
    const { fn, calls } = fakeFetch([200, { contact_id: "a/b" }]);
    const api = endpoints(new ApiClient({ base: "https://api.example/prod/", credentials: agent, fetch: fn }));
    await api.contact("a/b c");
    expect(calls[0]!.url).toBe("https://api.example/prod/contacts/a%2Fb%20c");
    expect(pathOf("/referrals/{id}/close", "rf-1")).toBe("/referrals/rf-1/close");
  });

  it("turns an error body into an ApiError naming the field", async () => {
    const { fn } = fakeFetch([
      400,
      { error: "invalid_request", message: "body field question: too short", field: "question" },
    ]);
    const client = new ApiClient({ base: "", credentials: agent, fetch: fn });
    const error = await client.post("/referrals", {}).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ApiError);
    expect(error).toMatchObject({ status: 400, code: "invalid_request", field: "question" });
    expect((error as ApiError).message).toBe("body field question: too short");
  });

  it("keeps the status when the error body is not JSON", async () => {
    const fn = vi.fn(async () => new Response("<html>bad gateway</html>", { status: 502, statusText: "Bad Gateway" }));
    const client = new ApiClient({ base: "", credentials: agent, fetch: fn as unknown as typeof fetch });
    await expect(client.get("/work")).rejects.toMatchObject({ status: 502, code: "http_502", field: undefined });
  });

  it("marks a claim someone else won as a conflict", async () => {
    const { fn } = fakeFetch([409, { error: "conflict", message: "another agent took this referral", field: "claimed_by" }]);
    const api = endpoints(new ApiClient({ base: "", credentials: agent, fetch: fn }));
    const error = (await api.claimReferral("rf-1").catch((e: unknown) => e)) as ApiError;
    expect(error.conflict).toBe(true);
    expect(error.contactArriving).toBe(false);
  });

  it("says the server could not be reached", async () => {
    const { fn } = fakeFetch(new TypeError("Failed to fetch"));
    const client = new ApiClient({ base: "", credentials: agent, fetch: fn });
    await expect(client.get("/work")).rejects.toBeInstanceOf(NetworkError);
  });

  it("on 401 renews the session once and sends the request again with the new token", async () => {
    let token = "old-id-token";
    const credentials: Credentials = {
      headers: async () => ({ Authorization: token }),
      reauthenticate: vi.fn(async () => {
        token = "new-id-token";
        return true;
      }),
    };
    const { fn, calls } = fakeFetch([401, { error: "unauthenticated", message: "sign in" }], [201, { reference: "R" }]);
    const client = new ApiClient({ base: "", credentials, fetch: fn });
    const body = { question: "Yazdığım soru kaybolmasın" };
    expect(await client.post("/referrals", body)).toEqual({ reference: "R" });
    expect(credentials.reauthenticate).toHaveBeenCalledTimes(1);
    expect(calls.map((c) => c.headers.Authorization)).toEqual(["old-id-token", "new-id-token"]);
    // The same request, the agent's text included, went again.
    expect(calls[1]!.body).toEqual(body);
  });

  it("on 401 gives up when the person does not sign in again", async () => {
    const credentials: Credentials = { headers: async () => ({}), reauthenticate: vi.fn(async () => false) };
    const { fn, calls } = fakeFetch([401, { error: "unauthenticated", message: "sign in" }]);
    const client = new ApiClient({ base: "", credentials, fetch: fn });
    await expect(client.get("/work")).rejects.toMatchObject({ status: 401 });
    expect(calls).toHaveLength(1);
  });

  it("does not loop when the renewed session is refused too", async () => {
    const credentials: Credentials = { headers: async () => ({}), reauthenticate: vi.fn(async () => true) };
    const { fn, calls } = fakeFetch([401, { error: "unauthenticated" }], [401, { error: "unauthenticated" }]);
    const client = new ApiClient({ base: "", credentials, fetch: fn });
    await expect(client.get("/work")).rejects.toMatchObject({ status: 401 });
    expect(calls).toHaveLength(2);
    expect(credentials.reauthenticate).toHaveBeenCalledTimes(1);
  });

  it("follows `next` through every page of a list", async () => {
    const { fn, calls } = fakeFetch(
      [200, { units: [{ unit_id: "a" }, { unit_id: "b" }], count: 2, next: "cursor-1" }],
      [200, { units: [{ unit_id: "c" }], count: 1, next: null }],
    );
    const units = await endpoints(new ApiClient({ base: "", credentials: agent, fetch: fn })).units();
    expect(units.map((u) => u.unit_id)).toEqual(["a", "b", "c"]);
    expect(calls.map((c) => c.url)).toEqual(["/units", "/units?next=cursor-1"]);
  });

  it("asks for the agent's own reports", async () => {
    const { fn, calls } = fakeFetch([200, { incidents: [], count: 0, next: null }]);
    await endpoints(new ApiClient({ base: "", credentials: agent, fetch: fn })).myIncidents();
    expect(calls[0]!.url).toBe("/incidents?mine=true");
  });
});

describe("ApiClient for the supervisor's screens", () => {
  const supervisor = localSession({ username: "basin", role: "supervisor" });

  it("puts JSON", async () => {
    const { fn, calls } = fakeFetch([200, { longest_wait_seconds: 120 }]);
    const client = new ApiClient({ base: "", credentials: supervisor, fetch: fn });
    await client.put("/live/thresholds", { longest_wait_seconds: 120 });
    expect(calls[0]).toMatchObject({
      url: "/live/thresholds",
      method: "PUT",
      headers: { "Content-Type": "application/json", "X-Groups": "supervisors" },
      body: { longest_wait_seconds: 120 },
    });
  });

  it("reads a 503 from /health as an answer, with its body", async () => {
    const checks = { status: "degraded", checked_at: "2026-10-14T08:00:00Z", checks: { ses: { status: "failing" } } };
    const { fn } = fakeFetch([503, checks]);
    const client = new ApiClient({ base: "", credentials: supervisor, fetch: fn });
    expect(await client.getWithStatus("/health", [503])).toEqual({ status: 503, body: checks });
  });

  it("still refuses other statuses there", async () => {
    const { fn } = fakeFetch([403, { error: "forbidden", message: "this needs the supervisors group" }]);
    const client = new ApiClient({ base: "", credentials: supervisor, fetch: fn });
    await expect(client.getWithStatus("/health", [503])).rejects.toMatchObject({ status: 403, code: "forbidden" });
  });

  it("downloads a document with the person's headers and the type it accepts", async () => {
    const calls: Array<Record<string, string>> = [];
    const fn = vi.fn(async (_input: RequestInfo | URL, init?: RequestInit) => {
      calls.push({ ...(init?.headers as Record<string, string>) });
      return new Response("<html>rapor</html>", { status: 200, headers: { "Content-Type": "text/html" } });
    }) as unknown as typeof fetch;
    const client = new ApiClient({ base: "", credentials: supervisor, fetch: fn });
    const blob = await client.download("/reports/2026-10/html", "text/html");
    expect(await blob.text()).toBe("<html>rapor</html>");
    expect(calls[0]).toMatchObject({ Accept: "text/html", "X-Agent-Id": "basin" });
  });

  it("renews the session once for a download too", async () => {
    const credentials: Credentials = { headers: async () => ({}), reauthenticate: vi.fn(async () => true) };
    const { fn, calls } = fakeFetch([401, { error: "unauthenticated" }], [404, { error: "not_found", message: "no report", field: "month" }]);
    const client = new ApiClient({ base: "", credentials, fetch: fn });
    await expect(client.download("/reports/2026-10/workbook", "application/octet-stream")).rejects.toMatchObject({
      status: 404,
      field: "month",
    });
    expect(calls).toHaveLength(2);
  });
});

describe("untilArrived", () => {
  const arriving = () =>
    new ApiError(404, "not_found", "contact c-1 is not recorded yet", "contact_id");

  it("retries a contact that is still arriving, with backoff, and says so", async () => {
    const attempt = vi
      .fn<() => Promise<string>>()
      .mockRejectedValueOnce(arriving())
      .mockRejectedValueOnce(arriving())
      .mockResolvedValueOnce("card");
    const waits: number[] = [];
    const told: number[] = [];
    const result = await untilArrived(attempt, {
      delays: [1000, 2000, 4000],
      sleep: async (ms) => {
        waits.push(ms);
      },
      onWaiting: (n) => told.push(n),
    });
    expect(result).toBe("card");
    expect(waits).toEqual([1000, 2000]);
    expect(told).toEqual([1, 2]);
  });

  it("gives up after the longest wait, with the API's 404", async () => {
    const attempt = vi.fn(async () => {
      throw arriving();
    });
    const waits: number[] = [];
    const error = await untilArrived(attempt, {
      delays: [1000, 2000],
      maxWaitMs: 5000,
      sleep: async (ms) => {
        waits.push(ms);
      },
    }).catch((e: unknown) => e);
    expect(error).toMatchObject({ status: 404, field: "contact_id" });
    expect(waits).toEqual([1000, 2000, 2000]); // a fourth wait would pass 5 s
  });

  it("does not retry any other error", async () => {
    const attempt = vi.fn(async () => {
      throw new ApiError(404, "not_found", "referral rf-1 not found", "referral_id");
    });
    await expect(untilArrived(attempt, { sleep: async () => undefined })).rejects.toMatchObject({
      field: "referral_id",
    });
    expect(attempt).toHaveBeenCalledTimes(1);
  });

  it("works through the real client against a contact that arrives", async () => {
    const { fn, calls } = fakeFetch(
      [404, { error: "not_found", message: "contact c-1 is not recorded yet", field: "contact_id" }],
      [200, { contact_id: "c-1", history: {} }],
    );
    const api = endpoints(new ApiClient({ base: "", credentials: agent, fetch: fn }));
    const card = await untilArrived(() => api.contact("c-1"), { sleep: async () => undefined });
    expect(card.contact_id).toBe("c-1");
    expect(calls).toHaveLength(2);
  });
});
