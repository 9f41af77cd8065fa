/**
 * Outside the workspace (a plain browser tab, and locally): the agent opens a contact with `?contact=ID`
 * or picks one from "recent contacts"; the choice is kept in the address bar so a reload keeps it.
 */

import { ContactStore, type ContactSource, type CurrentContact } from "./types";

export const CONTACT_PARAM = "contact";

export function contactFromUrl(search: string): string | null {
  const value = new URLSearchParams(search).get(CONTACT_PARAM)?.trim();
  return value ? value : null;
}

export function standaloneSource(
  initialSearch: string,
  onChoose: (contactId: string | null) => void = () => undefined,
): ContactSource {
  const initial = contactFromUrl(initialSearch);
  const store = new ContactStore(initial ? { contactId: initial, phase: null, channel: null } : null);
  return {
    kind: "standalone",
    current: () => store.get(),
    subscribe: (listener: (contact: CurrentContact | null) => void) => store.subscribe(listener),
    choose(contactId) {
      const id = contactId?.trim() || null;
      store.set(id ? { contactId: id, phase: null, channel: null } : null);
      onChoose(id);
    },
    close: () => store.clear(),
  };
}
