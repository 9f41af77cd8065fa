/**
 * Outside the workspace (a plain browser tab, and locally) the agent opens a contact with `?contact=ID`
 * or picks one from "recent contacts". The address bar holds the choice, so a reload or a shared link
 * keeps it; the React side reads and writes it through the router (state/contact.tsx).
 */

export const CONTACT_PARAM = "contact";

export function contactFromUrl(search: string | URLSearchParams): string | null {
  const params = typeof search === "string" ? new URLSearchParams(search) : search;
  const value = params.get(CONTACT_PARAM)?.trim();
  return value ? value : null;
}
