/** Every route the panel calls, typed (their views: chalicelib/workspace, referrals, callbacks, accounts, incidents). */

import { pathOf, type ApiClient } from "./client";
import type {
  Callback,
  CallbackOutcome,
  Category,
  Classified,
  CloseOutcome,
  ContactCard,
  Incident,
  IncidentCategory,
  IncidentSeverity,
  LocalAccount,
  Me,
  NewReferral,
  RecentContact,
  Referral,
  Unit,
  Work,
} from "./types";

export function endpoints(client: ApiClient) {
  return {
    /** Local stage only: the accounts the sign-in stand-in offers (a list route: every page is read). */
    localAccounts: (signal?: AbortSignal) => client.listAll<LocalAccount>("/local/accounts", "accounts", { signal }),
    me: () => client.get<Me>("/me"),
    recentContacts: (limit = 20, signal?: AbortSignal) =>
      client.get<{ contacts: RecentContact[]; next: string | null }>("/contacts/recent", { query: { limit }, signal }),
    /** The contact card with the caller's history. 404 + field contact_id while it is arriving. */
    contact: (contactId: string, signal?: AbortSignal) =>
      client.get<ContactCard>(pathOf("/contacts/{id}", contactId), { signal }),
    classify: (contactId: string, category: Category) =>
      client.post<Classified>(pathOf("/contacts/{id}/category", contactId), {
        category,
      }),
    units: (signal?: AbortSignal) => client.listAll<Unit>("/units", "units", { signal }),
    createReferral: (body: NewReferral) => client.post<Referral>("/referrals", body),
    /** An audited read: the question and the unit's answer. */
    referral: (referralId: string) => client.get<Referral>(pathOf("/referrals/{id}", referralId)),
    claimReferral: (referralId: string) => client.post<Referral>(pathOf("/referrals/{id}/claim", referralId)),
    returnReferral: (referralId: string, note?: string) =>
      client.post<Referral>(pathOf("/referrals/{id}/return", referralId), note ? { note } : {}),
    closeReferral: (referralId: string, outcome: CloseOutcome, note?: string) =>
      client.post<Referral>(pathOf("/referrals/{id}/close", referralId), note ? { outcome, note } : { outcome }),
    claimCallback: (callbackId: string) => client.post<Callback>(pathOf("/callbacks/{id}/claim", callbackId)),
    completeCallback: (callbackId: string, outcome: CallbackOutcome, note?: string) =>
      client.post<Callback>(
        pathOf("/callbacks/{id}/complete", callbackId),
        note ? { outcome, note } : { outcome },
      ),
    /** The agent's work in one request. */
    work: (signal?: AbortSignal) => client.get<Work>("/work", { signal }),
    reportIncident: (category: IncidentCategory, severity: IncidentSeverity, description: string) =>
      client.post<Incident>("/incidents", { category, severity, description }),
    /** `mine=true`: the caller's own reports. */
    myIncidents: (signal?: AbortSignal) =>
      client.listAll<Incident>("/incidents", "incidents", { query: { mine: true }, signal }),
  };
}

export type Api = ReturnType<typeof endpoints>;
