import { createContext, useCallback, useContext, useEffect, useMemo, useRef, useState, type ReactNode } from "react";

import type { Work } from "../api/types";
import { useI18n } from "../i18n/react";
import { useApi } from "./session";

export const WORK_REFRESH_MS = 30_000;

interface WorkValue {
  work: Work | null;
  error: unknown;
  loading: boolean;
  updatedAt: Date | null;
  total: number;
  refresh(): Promise<void>;
}

const Context = createContext<WorkValue | null>(null);

export function totalOf(work: Work | null): number {
  if (!work) return 0;
  const { callbacks = 0, answers = 0, expired = 0 } = work.counts ?? {};
  return callbacks + answers + expired;
}

/** "(3) Çağrı": a waiting item shows in the browser tab's title, whatever page is open. */
export function titleWith(total: number, name: string): string {
  return total > 0 ? `(${total}) ${name}` : name;
}

/** The agent's work (GET /work), refreshed every 30 s and after every action, for the whole panel. */
export function WorkProvider({ children, intervalMs = WORK_REFRESH_MS }: { children: ReactNode; intervalMs?: number }) {
  const api = useApi();
  const { t } = useI18n();
  const [work, setWork] = useState<Work | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [loading, setLoading] = useState(true);
  const [updatedAt, setUpdatedAt] = useState<Date | null>(null);
  const inFlight = useRef<Promise<void> | null>(null);

  const refresh = useCallback(() => {
    inFlight.current ??= api
      .work()
      .then((next) => {
        setWork(next);
        setError(null);
        setUpdatedAt(new Date());
      })
      .catch((e: unknown) => setError(e))
      .finally(() => {
        inFlight.current = null;
        setLoading(false);
      });
    return inFlight.current;
  }, [api]);

  useEffect(() => {
    void refresh();
    const timer = setInterval(() => void refresh(), intervalMs);
    return () => clearInterval(timer);
  }, [refresh, intervalMs]);

  const total = totalOf(work);
  const name = t("app.name");
  useEffect(() => {
    document.title = titleWith(total, name);
    return () => {
      document.title = name; // signed out: no count of someone else's work
    };
  }, [total, name]);

  const value = useMemo<WorkValue>(
    () => ({ work, error, loading, updatedAt, total, refresh }),
    [work, error, loading, updatedAt, total, refresh],
  );
  return <Context.Provider value={value}>{children}</Context.Provider>;
}

/** The work refresh where there is one (the signed-in shell), else a no-op: for screens shown on their own. */
export function useWorkRefresh(): () => Promise<void> {
  return useContext(Context)?.refresh ?? noRefresh;
}
const noRefresh = async () => undefined;

export function useWork(): WorkValue {
  const value = useContext(Context);
  if (!value) throw new Error("useWork outside WorkProvider");
  return value;
}
