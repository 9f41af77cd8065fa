import { createContext, useCallback, useContext, useMemo, useRef, type ReactNode } from "react";

/**
 * What the agent typed, kept in memory while they move between screens (a referral half written when a
 * callback comes up is still there when they come back). Keyed by screen and contact; never stored.
 */
interface DraftsValue {
  get<T>(key: string): T | undefined;
  set<T>(key: string, value: T): void;
  drop(key: string): void;
}

const Context = createContext<DraftsValue | null>(null);

export function DraftsProvider({ children }: { children: ReactNode }) {
  const drafts = useRef(new Map<string, unknown>());
  const get = useCallback(<T,>(key: string) => drafts.current.get(key) as T | undefined, []);
  const set = useCallback(<T,>(key: string, value: T) => void drafts.current.set(key, value), []);
  const drop = useCallback((key: string) => void drafts.current.delete(key), []);
  const value = useMemo(() => ({ get, set, drop }), [get, set, drop]);
  return <Context.Provider value={value}>{children}</Context.Provider>;
}

export function useDrafts(): DraftsValue {
  const value = useContext(Context);
  if (!value) throw new Error("useDrafts outside DraftsProvider");
  return value;
}
