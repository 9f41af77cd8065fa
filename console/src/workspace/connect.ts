/**
 * The thin adapter to the Amazon Connect SDK for third-party apps (`@amazon-connect/app`,
 * `@amazon-connect/contact`), following the agent workspace developer guide:
 *
 * - `AmazonConnectApp.init({ onCreate })` connects to the workspace; the create event's
 *   `context.scope` is `{ type: "contact", contactId }` for an app registered (or launched) per contact,
 *   `{ type: "idle" }` otherwise ("Application scoping"; older workspaces send `contactScope`).
 * - A `ContactClient` built on that provider keeps the contact current: `onIncoming`/`onConnected`,
 *   `onStartingAcw`, `onMissed`, `onCleared` — for the scoped contact, or, when opened idle, for whichever
 *   contact the agent is handling (events carry `contactId`).
 * - Outside the workspace nobody answers the SDK's handshake: after `connectionTimeout` the provider
 *   reports the `workspaceConnectTimeout` error and `connectToWorkspace` resolves null, so the panel
 *   works standalone.
 *
 * Only `init` and the client factory touch the SDK; tests pass a fake provider to the real `ContactClient`.
 */

import { AmazonConnectApp, type AmazonConnectAppConfig, type AppCreateEvent } from "@amazon-connect/app";
import { ContactClient } from "@amazon-connect/contact";

import { ContactStore, type ContactPhase, type ContactSource, type CurrentContact } from "./types";

type Provider = AmazonConnectApp;
export type ProviderLike = Pick<Provider, "id" | "config" | "getProxy" | "onError" | "offError">;

/** `AmazonConnectApp.init`, or a fake of it. */
export type InitFn = (config: AmazonConnectAppConfig) => { provider: ProviderLike };

export interface ConnectOptions {
  init?: InitFn;
  /** Milliseconds to wait for the workspace's handshake before going standalone. */
  timeoutMs?: number;
  /** Is this page in a frame at all? Outside one there is no workspace to wait for. */
  framed?: boolean;
}

type LifecycleEvent = { contactId?: string; type?: string };

function isFramed(): boolean {
  try {
    return window.self !== window.top;
  } catch {
    return true; // a cross-origin parent: framed
  }
}

function scopedContactId(event: AppCreateEvent): string | null {
  const context = event.context as unknown as {
    scope?: { type?: string; contactId?: string };
    contactScope?: { contactId?: string };
  };
  const scope = context.scope;
  if (scope && scope.type === "contact" && typeof scope.contactId === "string" && scope.contactId) {
    return scope.contactId;
  }
  const legacy = context.contactScope?.contactId;
  // The old CURRENT_CONTACT placeholder is not a contact id.
  return typeof legacy === "string" && legacy && legacy !== "CURRENT_CONTACT" ? legacy : null;
}

class WorkspaceSource implements ContactSource {
  readonly kind = "workspace" as const;
  private readonly store: ContactStore;
  private readonly unsubscribers: Array<() => void> = [];

  constructor(client: ContactClient, scoped: string | null) {
    this.store = new ContactStore(scoped ? { contactId: scoped, phase: null, channel: null } : null);
    const param = scoped ?? undefined;
    this.listen("incoming", param, (h, id) => client.onIncoming(h, id), (h, id) => client.offIncoming(h, id));
    this.listen("connected", param, (h, id) => client.onConnected(h, id), (h, id) => client.offConnected(h, id));
    this.listen("acw", param, (h, id) => client.onStartingAcw(h, id), (h, id) => client.offStartingAcw(h, id));
    this.listen("missed", param, (h, id) => client.onMissed(h, id), (h, id) => client.offMissed(h, id));
    this.listen("cleared", param, (h, id) => client.onCleared(h, id), (h, id) => client.offCleared(h, id));
    if (scoped) {
      // The channel is known at once; a failed request leaves it for the API's card to tell.
      client
        .getChannelType(scoped)
        .then((channel) => {
          const now = this.store.get();
          if (now?.contactId === scoped) this.store.set({ ...now, channel: channel.type });
        })
        .catch(() => undefined);
    }
  }

  private listen(
    phase: ContactPhase,
    contactId: string | undefined,
    on: (handler: (event: LifecycleEvent) => Promise<void>, id?: string) => void,
    off: (handler: (event: LifecycleEvent) => Promise<void>, id?: string) => void,
  ) {
    const handler = async (event: LifecycleEvent) => this.apply(phase, event);
    on(handler, contactId);
    this.unsubscribers.push(() => off(handler, contactId));
  }

  private apply(phase: ContactPhase, event: LifecycleEvent) {
    const now = this.store.get();
    const id = event.contactId || now?.contactId;
    if (!id) return;
    if (now && now.contactId !== id) {
      // Opened idle (cross-contact): a new contact being offered or connected becomes the current one;
      // the end of another contact does not disturb it.
      if (phase !== "incoming" && phase !== "connected") return;
    }
    const channel = event.type ?? (now && now.contactId === id ? now.channel : null);
    this.store.set({ contactId: id, phase, channel });
  }

  current() {
    return this.store.get();
  }

  subscribe(listener: (contact: CurrentContact | null) => void) {
    return this.store.subscribe(listener);
  }

  close() {
    for (const off of this.unsubscribers.splice(0)) off();
    this.store.clear();
  }
}

/**
 * Connects to the agent workspace. Resolves the workspace's contact source, or null when the panel is not
 * in the workspace (not framed, or no handshake in time).
 */
export function connectToWorkspace(options: ConnectOptions = {}): Promise<ContactSource | null> {
  const framed = options.framed ?? isFramed();
  if (!framed) return Promise.resolve(null);
  const init: InitFn = options.init ?? ((config) => AmazonConnectApp.init(config));
  const timeoutMs = options.timeoutMs ?? 5000;

  return new Promise((resolve) => {
    let settled = false;
    const settle = (value: ContactSource | null) => {
      if (!settled) {
        settled = true;
        clearTimeout(timer);
        resolve(value);
      }
    };
    let provider: ProviderLike | null = null;
    // The SDK reports its own timeout as an error; this timer is the backstop should it not.
    const timer = setTimeout(() => settle(null), timeoutMs + 1000);
    try {
      provider = init({
        workspace: { connectionTimeout: timeoutMs },
        onCreate: async (event: AppCreateEvent) => {
          if (!provider) return;
          const client = new ContactClient(provider as Provider);
          settle(new WorkspaceSource(client, scopedContactId(event)));
        },
      }).provider;
      provider.onError((error) => {
        if (error.isFatal || error.key === "workspaceConnectTimeout") settle(null);
      });
    } catch {
      settle(null);
    }
  });
}
