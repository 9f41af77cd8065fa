import { useCallback, useEffect, useRef, useState } from "react";

import { untilArrived } from "../api/client";
import type { ContactCard } from "../api/types";
import { useApi } from "../state/session";

export type CardStatus = "loading" | "arriving" | "ready" | "error";

export interface CardState {
  status: CardStatus;
  card: ContactCard | null;
  error: unknown;
  /** Tries so far while the contact is still arriving. */
  attempts: number;
  reload(): void;
}

/**
 * The contact card (GET /contacts/{id}). A contact Amazon Connect has not recorded yet answers 404 naming
 * `contact_id`: that is "still arriving", retried with backoff, never an error page.
 */
export function useContactCard(contactId: string, refreshKey: unknown = null): CardState {
  const api = useApi();
  const [card, setCard] = useState<ContactCard | null>(null);
  const [status, setStatus] = useState<CardStatus>("loading");
  const [error, setError] = useState<unknown>(null);
  const [attempts, setAttempts] = useState(0);
  const [round, setRound] = useState(0);
  const hasCard = useRef(false);

  useEffect(() => {
    const abort = new AbortController();
    if (!hasCard.current) setStatus("loading");
    untilArrived(() => api.contact(contactId, abort.signal), {
      signal: abort.signal,
      onWaiting: (n) => {
        setAttempts(n);
        setStatus("arriving");
      },
    })
      .then((found) => {
        hasCard.current = true;
        setCard(found);
        setError(null);
        setStatus("ready");
      })
      .catch((e: unknown) => {
        if (abort.signal.aborted) return;
        setError(e);
        setStatus(hasCard.current ? "ready" : "error");
      });
    return () => abort.abort();
  }, [api, contactId, refreshKey, round]);

  const reload = useCallback(() => setRound((n) => n + 1), []);
  return { status, card, error, attempts, reload };
}
