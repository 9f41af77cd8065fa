/** The HTTP contract the panel speaks (JSON): what it reads of each route's answer (the API may send more). */

export type Role = "agent" | "supervisor";

export const CATEGORIES = ["bilgi", "istek", "şikayet", "öneri", "başvuru", "işlem", "kapsam_dışı", "diğer"] as const;
export type Category = (typeof CATEGORIES)[number];

export const RETURN_CHANNELS = ["VOICE", "SMS", "EMAIL", "CHAT"] as const;
export type ReturnChannel = (typeof RETURN_CHANNELS)[number];

export const CALLBACK_OUTCOMES = ["COMPLETED", "NO_ANSWER", "BUSY", "WRONG_NUMBER"] as const;
export type CallbackOutcome = (typeof CALLBACK_OUTCOMES)[number];

export const CLOSE_OUTCOMES = ["resolved", "caller_unreachable", "informed_no_answer", "new_referral"] as const;
export type CloseOutcome = (typeof CLOSE_OUTCOMES)[number];
/** Which outcomes close a referral in each status (the API's rule, mirrored so the menu offers only those). */
export const CLOSE_OUTCOMES_BY_STATUS: Record<string, readonly CloseOutcome[]> = {
  ANSWERED: ["caller_unreachable"],
  EXPIRED: ["informed_no_answer", "caller_unreachable", "new_referral"],
  RETURNED: ["resolved", "caller_unreachable", "informed_no_answer", "new_referral"],
};

export const INCIDENT_CATEGORIES = ["headset", "computer", "network", "ccp", "software", "other"] as const;
export type IncidentCategory = (typeof INCIDENT_CATEGORIES)[number];
export const INCIDENT_SEVERITIES = ["low", "medium", "high"] as const;
export type IncidentSeverity = (typeof INCIDENT_SEVERITIES)[number];

export interface ErrorBody {
  error: string;
  message: string;
  field?: string;
}

/** GET /local/accounts (local stage only). */
export interface LocalAccount {
  username: string;
  role: Role;
  status: string;
}

/** GET /me */
export interface Me {
  username: string;
  role: Role;
  status: string;
  groups: string[];
}

/** GET /contacts/recent */
export interface RecentContact {
  contact_id: string;
  channel: string | null;
  initiation_method: string | null;
  initiated_at: string | null;
  status: string | null;
  queue_name: string | null;
  caller: string | null;
  category: string | null;
}

export interface AnswerWaiting {
  referral_id: string;
  reference: string;
  unit_name: string;
  answered_at: string | null;
  status: string;
}

export interface HistoryContact {
  contact_id: string;
  initiated_at: string | null;
  channel: string | null;
  category: string | null;
  status: string | null;
}

export interface HistoryCallback {
  callback_id: string;
  reason: string;
  status: string;
  due_at: string | null;
  sla_due_at: string | null;
}

export interface HistoryReferral {
  referral_id: string;
  reference: string;
  unit_name: string;
  status: string;
  created_at: string | null;
  due_at: string | null;
}

/** GET /contacts/{contact_id} */
export interface ContactCard {
  contact_id: string;
  channel: string | null;
  subtype: string | null;
  initiation_method: string | null;
  status: string | null;
  queue_name: string | null;
  initiated_at: string | null;
  enqueued_at: string | null;
  wait_seconds: number | null;
  caller: string | null;
  category: string | null;
  agent_username: string | null;
  history: {
    answers_waiting: AnswerWaiting[];
    contacts: HistoryContact[];
    callback: HistoryCallback | null;
    referrals: HistoryReferral[];
  };
}

/** POST /contacts/{contact_id}/category: recorded; `connect_updated` false when Amazon Connect could not take
 * the `category` attribute now (the classification stands; saving again writes it). */
export interface Classified {
  contact_id: string;
  category: string | null;
  connect_updated: boolean;
}

/** GET /units: the units directory. */
export interface Unit {
  unit_id: string;
  name_tr: string;
  name_en: string;
  target_hours: number;
  active: boolean;
}

export interface NewReferral {
  contact_id: string;
  unit_id: string;
  question: string;
  category: Category;
  return_channel: ReturnChannel;
  return_address: string | null;
  consent: boolean;
  caller_name: string | null;
  /** KVKK: the caller agreed to be texted at the return number; the API refuses an SMS return without it. */
  sms_consent?: boolean;
}

/** A referral in lists (no question, answer or address). */
export interface ReferralSummary {
  referral_id: string;
  reference: string;
  contact_id: string;
  unit_id: string;
  unit_name: string;
  category: string;
  status: string;
  return_channel: ReturnChannel;
  created_at: string | null;
  due_at: string | null;
  answered_at: string | null;
  expired_at: string | null;
  claimed_by: string | null;
}

/** GET /referrals/{id}, and every change's answer: the question and answer (an audited read). */
export interface Referral extends ReferralSummary {
  question: string;
  answer: string | null;
  responder_name: string | null;
  return_address: string | null;
  consent: boolean;
  caller_name: string | null;
  sms_consent?: boolean;
  /** The "your answer is ready" text to a caller who chose SMS: sent, refused by the SMS service, or not yet. */
  caller_sms?: "sent" | "refused" | null;
  expires_at: string | null;
  returned_at: string | null;
  closed_at: string | null;
  outcome: string | null;
}

export interface Callback {
  callback_id: string;
  source_contact_id: string;
  reason: string;
  status: string;
  caller: string | null;
  raised_at: string | null;
  due_at: string | null;
  sla_due_at: string | null;
  overdue: boolean;
  /** Asked in the closed centre's flow: "call me back when you open" (rung first at the opening). */
  out_of_hours?: boolean;
  attempts: number;
  last_outcome: string | null;
  claimed_by: string | null;
  queue_name: string | null;
}

/** GET /work */
export interface Work {
  callbacks: Callback[];
  answers: ReferralSummary[];
  expired: ReferralSummary[];
  counts: { callbacks: number; answers: number; expired: number };
}

export interface Incident {
  incident_id: string;
  reported_by: string;
  reported_at: string;
  category: IncidentCategory;
  severity: IncidentSeverity;
  description: string;
  status: "OPEN" | "ACKNOWLEDGED" | "RESOLVED";
  acknowledged_at: string | null;
  resolved_at: string | null;
  resolution: string | null;
  message?: string;
}

/** A page of a list route: `{"<items>": [...], "count": n, "next": cursor|null}`. */
export type Page<K extends string, T> = { [key in K]: T[] } & { count?: number; next?: string | null };
