/**
 * What the panel needs from wherever it runs: the contact it is about, kept current.
 *
 * In the Amazon Connect agent workspace the contact comes from the SDK (`./connect.ts`); in a plain browser
 * tab (and locally) from `?contact=ID` or the agent's pick from "recent contacts" (`./standalone.ts`).
 */

/** Where the contact stands in Amazon Connect, as the workspace last told us (null: not told yet). */
export type ContactPhase = "incoming" | "connected" | "acw" | "cleared" | "missed";

export interface CurrentContact {
  contactId: string;
  phase: ContactPhase | null;
  /** The workspace's channel type ("voice", "chat", "task", …) when it gave one. */
  channel: string | null;
}

export interface ContactSource {
  readonly kind: "workspace";
  current(): CurrentContact | null;
  /** Called on every change; returns the unsubscribe function. */
  subscribe(listener: (contact: CurrentContact | null) => void): () => void;
  close(): void;
}

/** A tiny observable value. */
export class ContactStore {
  private value: CurrentContact | null;
  private readonly listeners = new Set<(contact: CurrentContact | null) => void>();

  constructor(initial: CurrentContact | null = null) {
    this.value = initial;
  }

  get(): CurrentContact | null {
    return this.value;
  }

  set(next: CurrentContact | null): void {
    const same =
      next === this.value ||
      (next !== null &&
        this.value !== null &&
        next.contactId === this.value.contactId &&
        next.phase === this.value.phase &&
        next.channel === this.value.channel);
    if (same) return;
    this.value = next;
    for (const listener of [...this.listeners]) listener(next);
  }

  subscribe(listener: (contact: CurrentContact | null) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  clear(): void {
    this.listeners.clear();
  }
}
