/**
 * The supervisor's routes (issue 16), typed. Imported only by the supervisor's screens, so it lands in their
 * lazily loaded chunk and agents never download it.
 *
 * Routes the API has today: /agents…, /units…, /incidents…, /privacy/…, /health, /reports/{month} (GET) and
 * /reports/{month}/rebuild. Routes another engineer adds in parallel, called as the contract in issue 16
 * says: /live, /live/thresholds, /reports (the list), /reports/{month}/html, /reports/{month}/workbook and
 * /reports/{month}/send. Until they land, the screens say plainly that the server does not know the request.
 */

import { pathOf, type ApiClient, type Query } from "./client";
import type { Incident, Role } from "./types";

// --- the centre now -------------------------------------------------------------------------------------

export const THRESHOLD_FIELDS = ["longest_wait_seconds", "lost_last_30_minutes", "callbacks_overdue"] as const;
export type ThresholdField = (typeof THRESHOLD_FIELDS)[number];
export type Thresholds = Record<ThresholdField, number>;

export type AlertFigure = "longest_wait_now_seconds" | "lost_last_30_minutes" | "callbacks_overdue";
export type AlertLevel = "warning" | "critical";

export interface LiveAlert {
  figure: AlertFigure;
  level: AlertLevel;
  message_tr: string;
  message_en: string;
}

export interface LiveHour {
  hour: number;
  inbound: number;
  answered: number;
  abandoned: number;
  system_dropped: number;
  service_level: number | null;
  baseline: { inbound: number | null; answered: number | null; abandoned: number | null };
}

/** GET /live (issue 16; docs/figures.md "Live figures" plus what the console needs). */
export interface Live {
  at: string;
  in_queue_now: number;
  longest_wait_now_seconds: number | null;
  today: {
    inbound: number;
    queued: number;
    answered: number;
    abandoned: number;
    system_dropped: number;
    service_level: number | null;
    asa_seconds: number | null;
  };
  callbacks: { due: number; overdue: number };
  referrals: { waiting_for_units: number; overdue: number; answers_to_return: number };
  incidents_open: number;
  agents: { online: number | null; available: number | null };
  by_hour: LiveHour[];
  lost_last_30_minutes: number;
  thresholds: Thresholds;
  alerts: LiveAlert[];
}

// --- agent accounts --------------------------------------------------------------------------------------

export const AGENT_STATUSES = ["IN_TRAINING", "ACTIVE", "DEACTIVATED"] as const;
export type AgentStatus = (typeof AGENT_STATUSES)[number];

/** chalicelib/accounts/routes.py `agent_view`. */
export interface Agent {
  username: string;
  first_name: string;
  last_name: string;
  status: AgentStatus;
  role: Role;
  trained: boolean;
  connect_user_id: string | null;
  connect_user_arn: string | null;
  routing_profile_id: string | null;
  created_at: string | null;
  created_by: string | null;
  trained_at: string | null;
  trained_by: string | null;
  deactivated_at: string | null;
  deactivated_by: string | null;
}

export interface NewAgent {
  username: string;
  first_name: string;
  last_name: string;
  email?: string;
  role: Role;
}

/** 201 of POST /agents: the one time the Amazon Connect temporary password is shown. */
export interface CreatedAgent extends Agent {
  temporary_password: string;
  message: string;
}

export interface AuditEntry {
  at: string;
  actor: string;
  action: string;
  changes: Record<string, string>;
}

// --- units -----------------------------------------------------------------------------------------------

/** chalicelib/referrals/units.py `UnitItem.as_dict`. */
export interface UnitRecord {
  unit_id: string;
  name_tr: string;
  name_en: string;
  emails: string[];
  deputy_email: string;
  target_hours: number;
  active: boolean;
  updated_at?: string | null;
  updated_by?: string | null;
}

/** The body of PUT /units/{unit_id}: `UnitSpec`. */
export type UnitSpec = Omit<UnitRecord, "unit_id" | "updated_at" | "updated_by">;

/** A unit's line of the monthly report (chalicelib/reports/referral_figures.py `by_unit`). */
export interface ReportUnitFigures {
  name: string;
  received: number;
  answered: number;
  late: number;
  forwarded_on: number;
  median_working_hours: number | null;
  p90_working_hours: number | null;
}

/** GET /reports/{month}: the stored report; only what the console reads is typed. */
export interface StoredReport {
  month?: string;
  referrals?: { by_unit?: Record<string, ReportUnitFigures> };
  [key: string]: unknown;
}

// --- incidents -------------------------------------------------------------------------------------------

export interface SupervisedIncident extends Incident {
  supervisor_notified?: boolean;
  acknowledged_by?: string | null;
  resolved_by?: string | null;
  minutes_to_resolve?: number | null;
}

// --- confidentiality -------------------------------------------------------------------------------------

export const PRIVACY_KINDS = ["access", "erasure"] as const;
export type PrivacyKind = (typeof PRIVACY_KINDS)[number];

/** chalicelib/privacy/service.py `request_view`. */
export interface PrivacyRequest {
  request_id: string;
  kind: PrivacyKind;
  number: string;
  identified_by: string;
  received_at: string;
  due_at: string;
  state: "OPEN" | "FULFILLED";
  recorded_by: string;
  fulfilled_at: string | null;
  fulfilled_by: string | null;
  disclosure_id: string | null;
  days_left?: number;
  overdue?: boolean;
  records?: { contacts: number; callbacks: number; referrals: number };
  /** In fulfil's answer for an access request: the person's records, to hand to them. */
  export?: unknown;
}

export interface NewPrivacyRequest {
  kind: PrivacyKind;
  number: string;
  identified_by: string;
  received_at?: string;
}

/** chalicelib/privacy/service.py `disclosure_view`. */
export interface Disclosure {
  disclosure_id: string;
  made_at: string;
  made_by: string;
  basis: {
    basis: string;
    consent_reference?: string;
    authority?: string;
    document_number?: string;
    request_id?: string;
  };
  number: string;
  contacts: number;
  callbacks: number;
  referrals: number;
}

// --- reports and health ----------------------------------------------------------------------------------

export interface ReportSummary {
  month: string;
  built_at: string | null;
  /** When what is e-mailed (the page, the workbook) was rendered: only then do they open. */
  rendered_at?: string | null;
  sent_at: string | null;
  recipients: string[];
}

export interface ReportSent {
  month: string;
  /** queued: the report function sends it now (a minute or two); already_sent: nothing queued. */
  status: "queued" | "already_sent";
  recipients: string[];
}

export interface HealthCheck {
  status: string;
  [detail: string]: unknown;
}

/** GET /health: 200 when every check is ok, 503 with the same shape otherwise. */
export interface Health {
  status: string;
  checked_at: string;
  checks: Record<string, HealthCheck>;
}

// --- closures and hours --------------------------------------------------------------------------------

/** chalicelib/closures/routes.py `closure_view`: a day the supervisor closed, all day or from `from`. */
export interface ClosureRecord {
  date: string; // YYYY-MM-DD, Istanbul
  from: string | null; // HH:MM
  reason: string;
  declared_by: string;
  declared_at: string;
  connect_synced: boolean;
}

/** The body of POST /closures. */
export interface NewClosure {
  date: string;
  from?: string;
  reason: string;
}

/** GET /hours: what the contact flow would answer now (or at `at`). */
export interface HoursNow {
  open: boolean;
  reason: string | null;
  next_opening: string | null;
}

export interface PageOf<T> {
  items: T[];
  next: string | null;
}

async function pageOf<T>(client: ApiClient, path: string, key: string, query: Query, signal?: AbortSignal) {
  const body = await client.get<Record<string, unknown>>(path, { query, signal });
  const items = Array.isArray(body[key]) ? (body[key] as T[]) : [];
  const next = typeof body.next === "string" && body.next ? body.next : null;
  return { items, next } satisfies PageOf<T>;
}

export const PAGE_SIZE = 50;

export function supervisorEndpoints(client: ApiClient) {
  return {
    live: (at: string | null, signal?: AbortSignal) => client.get<Live>("/live", { query: { at }, signal }),
    thresholds: (signal?: AbortSignal) => client.get<Thresholds>("/live/thresholds", { signal }),
    saveThresholds: (thresholds: Thresholds) => client.put<Thresholds>("/live/thresholds", thresholds),

    agents: (status: AgentStatus | null, next: string | null, signal?: AbortSignal) =>
      pageOf<Agent>(client, "/agents", "agents", { status, limit: PAGE_SIZE, next }, signal),
    createAgent: (body: NewAgent) => client.post<CreatedAgent>("/agents", body),
    markTrained: (username: string) => client.post<Agent>(pathOf("/agents/{u}/training", username)),
    deactivate: (username: string) => client.post<Agent>(pathOf("/agents/{u}/deactivate", username)),
    audit: (username: string, signal?: AbortSignal) =>
      client.get<{ username: string; entries: AuditEntry[] }>(pathOf("/agents/{u}/audit", username), { signal }),

    units: (next: string | null, signal?: AbortSignal) =>
      pageOf<UnitRecord>(client, "/units", "units", { limit: PAGE_SIZE, next }, signal),
    saveUnit: (unitId: string, spec: UnitSpec) => client.put<UnitRecord>(pathOf("/units/{id}", unitId), spec),

    incidents: (status: Incident["status"], next: string | null, signal?: AbortSignal) =>
      pageOf<SupervisedIncident>(client, "/incidents", "incidents", { status, limit: PAGE_SIZE, next }, signal),
    acknowledge: (id: string) => client.post<SupervisedIncident>(pathOf("/incidents/{id}/acknowledge", id)),
    resolve: (id: string, resolution: string) =>
      client.post<SupervisedIncident>(pathOf("/incidents/{id}/resolve", id), { resolution }),

    privacyRequests: (state: "OPEN" | "FULFILLED", next: string | null, signal?: AbortSignal) =>
      pageOf<PrivacyRequest>(client, "/privacy/requests", "requests", { state, limit: PAGE_SIZE, next }, signal),
    recordPrivacyRequest: (body: NewPrivacyRequest) => client.post<PrivacyRequest>("/privacy/requests", body),
    fulfil: (id: string) => client.post<PrivacyRequest>(pathOf("/privacy/requests/{id}/fulfil", id)),
    disclosures: (month: string, next: string | null, signal?: AbortSignal) =>
      pageOf<Disclosure>(client, "/privacy/disclosures", "disclosures", { month, limit: PAGE_SIZE, next }, signal),

    reports: (next: string | null, signal?: AbortSignal) =>
      pageOf<ReportSummary>(client, "/reports", "reports", { next }, signal),
    report: (month: string, signal?: AbortSignal) =>
      client.get<StoredReport>(pathOf("/reports/{m}", month), { signal }),
    reportHtml: async (month: string, signal?: AbortSignal) =>
      (await client.download(pathOf("/reports/{m}/html", month), "text/html", { signal })).text(),
    reportWorkbook: (month: string, signal?: AbortSignal) =>
      client.download(
        pathOf("/reports/{m}/workbook", month),
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        { signal },
      ),
    sendReport: (month: string, force: boolean) => client.post<ReportSent>(pathOf("/reports/{m}/send", month), { force }),
    rebuildReport: (month: string) => client.post<StoredReport>(pathOf("/reports/{m}/rebuild", month)),
    health: (signal?: AbortSignal) => client.getWithStatus<Health>("/health", [503], { signal }),

    closures: (from: string | null, next: string | null, signal?: AbortSignal) =>
      pageOf<ClosureRecord>(client, "/closures", "closures", { from, limit: PAGE_SIZE, next }, signal),
    declareClosure: (body: NewClosure) => client.post<ClosureRecord>("/closures", body),
    withdrawClosure: (day: string) => client.request<{ date: string; withdrawn: boolean }>("DELETE", pathOf("/closures/{d}", day)),
    hoursNow: (signal?: AbortSignal) => client.get<HoursNow>("/hours", { signal }),
  };
}

export type SupervisorApi = ReturnType<typeof supervisorEndpoints>;
