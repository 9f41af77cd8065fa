/**
 * The panel's one way to the API: JSON in and out, the signed-in person's headers on every request,
 * errors as `ApiError` naming the field the API named, and two recoveries the agent never has to do by hand:
 *
 * - 401: the session is renewed (`Credentials.reauthenticate`: silently, or by asking the person to sign in
 *   again in a popup, which keeps the page and what they typed) and the request is sent once more;
 * - a contact that is not recorded yet (404 with `field: "contact_id"`): `untilArrived` retries with backoff.
 *
 * Nothing here logs: requests and answers carry personal data (numbers, names, questions).
 */

import type { ErrorBody } from "./types";

export interface Credentials {
  /** The headers that identify the caller: `Authorization` (Cognito ID token) or the local stand-in's. */
  headers(): Promise<Record<string, string>>;
  /** Get fresh credentials; false when the person declined or it failed. */
  reauthenticate(): Promise<boolean>;
}

export const ANONYMOUS: Credentials = {
  headers: async () => ({}),
  reauthenticate: async () => false,
};

export class ApiError extends Error {
  override name = "ApiError";
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly field?: string,
  ) {
    super(message);
  }

  /** The contact exists in Amazon Connect but its record has not reached the API yet. */
  get contactArriving(): boolean {
    return this.status === 404 && this.field === "contact_id";
  }

  get conflict(): boolean {
    return this.status === 409;
  }
}

/** The server could not be reached at all (offline, DNS, CORS, aborted by the browser). */
export class NetworkError extends Error {
  override name = "NetworkError";
}

export type Query = Record<string, string | number | boolean | null | undefined>;

export interface RequestOptions {
  query?: Query;
  body?: unknown;
  signal?: AbortSignal;
}

export interface ClientOptions {
  /** The API's origin (and stage path), or "" for the panel's own origin. */
  base: string;
  credentials: Credentials;
  fetch?: typeof fetch;
}

export function pathOf(template: string, ...ids: string[]): string {
  let index = 0;
  return template.replace(/\{[^}]+\}/g, () => encodeURIComponent(ids[index++] ?? ""));
}

function queryString(query: Query | undefined): string {
  if (!query) return "";
  const params = new URLSearchParams();
  for (const [name, value] of Object.entries(query)) {
    if (value !== undefined && value !== null && value !== "") params.set(name, String(value));
  }
  const text = params.toString();
  return text ? `?${text}` : "";
}

async function errorOf(response: Response): Promise<ApiError> {
  let body: Partial<ErrorBody> = {};
  try {
    const parsed: unknown = await response.json();
    if (parsed && typeof parsed === "object") body = parsed as Partial<ErrorBody>;
  } catch {
    // not JSON: keep the status alone
  }
  const code = typeof body.error === "string" ? body.error : `http_${response.status}`;
  const message = typeof body.message === "string" && body.message ? body.message : response.statusText || code;
  const field = typeof body.field === "string" && body.field ? body.field : undefined;
  return new ApiError(response.status, code, message, field);
}

export class ApiClient {
  private readonly base: string;
  private readonly credentials: Credentials;
  private readonly fetchFn: typeof fetch;

  constructor(options: ClientOptions) {
    this.base = options.base.replace(/\/+$/, "");
    this.credentials = options.credentials;
    this.fetchFn = options.fetch ?? ((...args) => fetch(...args));
  }

  async request<T>(method: string, path: string, options: RequestOptions = {}): Promise<T> {
    return this.read<T>(await this.sendRenewing(method, path, options));
  }

  get<T>(path: string, options: Omit<RequestOptions, "body"> = {}): Promise<T> {
    return this.request<T>("GET", path, options);
  }

  post<T>(path: string, body?: unknown, options: Omit<RequestOptions, "body"> = {}): Promise<T> {
    return this.request<T>("POST", path, { ...options, body: body ?? {} });
  }

  put<T>(path: string, body: unknown, options: Omit<RequestOptions, "body"> = {}): Promise<T> {
    return this.request<T>("PUT", path, { ...options, body });
  }

  /**
   * A JSON answer whose status matters as much as its body, such as `GET /health` (200 or 503 with the same
   * shape): the statuses in `accept` are answers, not errors.
   */
  async getWithStatus<T>(
    path: string,
    accept: readonly number[],
    options: Omit<RequestOptions, "body"> = {},
  ): Promise<{ status: number; body: T }> {
    const response = await this.sendRenewing("GET", path, options);
    if (!response.ok && !accept.includes(response.status)) throw await errorOf(response);
    const text = await response.text();
    return { status: response.status, body: (text ? JSON.parse(text) : undefined) as T };
  }

  /** A document that is not JSON (the report's HTML, a workbook), fetched with the person's headers. */
  async download(path: string, accept: string, options: Omit<RequestOptions, "body"> = {}): Promise<Blob> {
    const response = await this.sendRenewing("GET", path, options, accept);
    if (!response.ok) throw await errorOf(response);
    return response.blob();
  }

  /** Every item of a paged list route, following `next` (at most `maxPages` requests). */
  async listAll<T>(
    path: string,
    key: string,
    options: { query?: Query; limit?: number; maxPages?: number; signal?: AbortSignal } = {},
  ): Promise<T[]> {
    const items: T[] = [];
    let next: string | null | undefined;
    const maxPages = options.maxPages ?? 20;
    for (let page = 0; page < maxPages; page++) {
      const query: Query = { ...options.query, limit: options.limit, next };
      const body = await this.get<Record<string, unknown>>(path, { query, signal: options.signal });
      const found = body[key];
      if (Array.isArray(found)) items.push(...(found as T[]));
      next = typeof body.next === "string" && body.next ? body.next : null;
      if (!next) break;
    }
    return items;
  }

  /** Sends; on a 401 renews the session (the person may be asked to sign in again) and sends once more. */
  private async sendRenewing(
    method: string,
    path: string,
    options: RequestOptions,
    accept = "application/json",
  ): Promise<Response> {
    const first = await this.send(method, path, options, accept);
    if (first.status !== 401) return first;
    if (!(await this.credentials.reauthenticate())) throw await errorOf(first);
    return this.send(method, path, options, accept);
  }

  private async send(method: string, path: string, options: RequestOptions, accept: string): Promise<Response> {
    const headers: Record<string, string> = { Accept: accept, ...(await this.credentials.headers()) };
    const init: RequestInit = { method, headers, signal: options.signal, credentials: "omit", cache: "no-store" };
    if (options.body !== undefined) {
      headers["Content-Type"] = "application/json";
      init.body = JSON.stringify(options.body);
    }
    try {
      return await this.fetchFn(`${this.base}${path}${queryString(options.query)}`, init);
    } catch (error) {
      if (error instanceof DOMException && error.name === "AbortError") throw error;
      throw new NetworkError(error instanceof Error ? error.message : "network error");
    }
  }

  private async read<T>(response: Response): Promise<T> {
    if (!response.ok) throw await errorOf(response);
    if (response.status === 204) return undefined as T;
    const text = await response.text();
    return (text ? JSON.parse(text) : undefined) as T;
  }
}

export interface ArrivalOptions {
  /** Waits between attempts, in ms; the last one repeats. */
  delays?: readonly number[];
  /** Give up (rethrow the 404) once this much time has been spent waiting. */
  maxWaitMs?: number;
  /** Told before each wait, so the screen can say the contact is still arriving. */
  onWaiting?: (attempt: number, delayMs: number) => void;
  signal?: AbortSignal;
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
}

export const ARRIVAL_DELAYS = [1000, 1500, 2000, 3000, 5000] as const;

export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(new DOMException("aborted", "AbortError"));
    const timer = setTimeout(resolve, ms);
    signal?.addEventListener(
      "abort",
      () => {
        clearTimeout(timer);
        reject(new DOMException("aborted", "AbortError"));
      },
      { once: true },
    );
  });
}

/** `attempt()` until the contact has arrived: a 404 naming `contact_id` is retried with backoff. */
export async function untilArrived<T>(attempt: () => Promise<T>, options: ArrivalOptions = {}): Promise<T> {
  const delays = options.delays ?? ARRIVAL_DELAYS;
  const maxWait = options.maxWaitMs ?? 120_000;
  const wait = options.sleep ?? sleep;
  let waited = 0;
  for (let n = 0; ; n++) {
    try {
      return await attempt();
    } catch (error) {
      if (!(error instanceof ApiError && error.contactArriving)) throw error;
      const delay = delays[Math.min(n, delays.length - 1)] ?? 5000;
      if (waited + delay > maxWait) throw error;
      options.onWaiting?.(n + 1, delay);
      await wait(delay, options.signal);
      waited += delay;
    }
  }
}
