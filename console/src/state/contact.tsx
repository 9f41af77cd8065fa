import { createContext, useCallback, useContext, useEffect, useMemo, useState, type ReactNode } from "react";
import { useSearchParams } from "react-router";

import { CONTACT_PARAM, contactFromUrl } from "../workspace/standalone";
import type { ContactSource, CurrentContact } from "../workspace/types";

interface ContactValue {
  /** "workspace": Amazon Connect gives the contact; "standalone": the agent opens one. */
  kind: "workspace" | "standalone";
  contact: CurrentContact | null;
  choose(contactId: string | null): void;
  /** `?contact=ID` for links inside the panel (standalone keeps the contact in the address). */
  search: string;
}

const Context = createContext<ContactValue | null>(null);

export function ContactProvider({ source, children }: { source: ContactSource | null; children: ReactNode }) {
  const [params, setParams] = useSearchParams();
  const [fromWorkspace, setFromWorkspace] = useState<CurrentContact | null>(() => source?.current() ?? null);

  useEffect(() => {
    if (!source) return;
    setFromWorkspace(source.current());
    return source.subscribe(setFromWorkspace);
  }, [source]);

  const urlContact = contactFromUrl(params);
  const choose = useCallback(
    (contactId: string | null) => {
      if (source) return;
      setParams(
        (current) => {
          const next = new URLSearchParams(current);
          if (contactId?.trim()) next.set(CONTACT_PARAM, contactId.trim());
          else next.delete(CONTACT_PARAM);
          return next;
        },
        { replace: false },
      );
    },
    [source, setParams],
  );

  const value = useMemo<ContactValue>(() => {
    if (source) return { kind: "workspace", contact: fromWorkspace, choose, search: "" };
    return {
      kind: "standalone",
      contact: urlContact ? { contactId: urlContact, phase: null, channel: null } : null,
      choose,
      search: urlContact ? `?${new URLSearchParams({ [CONTACT_PARAM]: urlContact })}` : "",
    };
  }, [source, fromWorkspace, urlContact, choose]);

  return <Context.Provider value={value}>{children}</Context.Provider>;
}

export function useCurrentContact(): ContactValue {
  const value = useContext(Context);
  if (!value) throw new Error("useCurrentContact outside ContactProvider");
  return value;
}
