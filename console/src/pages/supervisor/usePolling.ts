import { useCallback, useEffect, useRef, useState } from "react";

export interface Polled<T> {
  /** The last answer that arrived; kept when a later refresh fails. */
  data: T | null;
  /** The last refresh's error, cleared by the next success. */
  error: unknown;
  /** When the last answer arrived (the browser's clock). */
  refreshedAt: Date | null;
  /** When the last failed refresh was tried, if the last one failed. */
  failedAt: Date | null;
  loading: boolean;
  /** Paused while the tab is hidden. */
  paused: boolean;
  refresh(): void;
}

function hidden(): boolean {
  return typeof document !== "undefined" && document.visibilityState === "hidden";
}

/**
 * Loads now, then every `intervalMs` after the previous answer (never two at once), paused while the tab is
 * hidden: the supervisor's screen stays open all day, and a hidden tab costs the API nothing. Coming back
 * refreshes at once when the figures are older than one interval. `key` restarts it (another `?at=`).
 */
export function usePolling<T>(load: (signal: AbortSignal) => Promise<T>, intervalMs: number, key = ""): Polled<T> {
  const [data, setData] = useState<T | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [refreshedAt, setRefreshedAt] = useState<Date | null>(null);
  const [failedAt, setFailedAt] = useState<Date | null>(null);
  const [loading, setLoading] = useState(true);
  const [paused, setPaused] = useState(hidden());
  const loadRef = useRef(load);
  loadRef.current = load;
  const control = useRef<{ run(): void } | null>(null);

  useEffect(() => {
    let timer: ReturnType<typeof setTimeout> | undefined;
    let inFlight: AbortController | null = null;
    let lastAttempt = 0;
    let stopped = false;
    // Another moment (`key`): nothing of the previous one is shown as if it were this one.
    setData(null);
    setError(null);
    setRefreshedAt(null);

    const schedule = (delay: number) => {
      clearTimeout(timer);
      if (stopped || hidden()) return;
      timer = setTimeout(run, Math.max(0, delay));
    };

    function run() {
      clearTimeout(timer);
      if (stopped || inFlight) return;
      const abort = new AbortController();
      inFlight = abort;
      lastAttempt = Date.now();
      setLoading(true);
      loadRef.current(abort.signal).then(
        (answer) => {
          if (abort.signal.aborted) return;
          setData(answer);
          setError(null);
          setFailedAt(null);
          setRefreshedAt(new Date());
        },
        (problem: unknown) => {
          if (abort.signal.aborted) return;
          setError(problem);
          setFailedAt(new Date());
        },
      ).finally(() => {
        if (inFlight === abort) inFlight = null;
        if (abort.signal.aborted) return;
        setLoading(false);
        schedule(intervalMs);
      });
    }

    const onVisibility = () => {
      setPaused(hidden());
      if (hidden()) {
        clearTimeout(timer);
        return;
      }
      const age = Date.now() - lastAttempt;
      if (age >= intervalMs) run();
      else schedule(intervalMs - age);
    };

    control.current = { run };
    document.addEventListener("visibilitychange", onVisibility);
    if (hidden()) setLoading(false);
    else run();
    return () => {
      stopped = true;
      clearTimeout(timer);
      inFlight?.abort();
      document.removeEventListener("visibilitychange", onVisibility);
      control.current = null;
    };
  }, [intervalMs, key]);

  const refresh = useCallback(() => control.current?.run(), []);
  return { data, error, refreshedAt, failedAt, loading, paused, refresh };
}
