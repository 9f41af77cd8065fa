/** What the supervisor's screens share: their routes, paged lists, errors said plainly, confirmations. */
import { useCallback, useEffect, useMemo, useRef, useState, type ReactNode } from "react";

import Alert from "@cloudscape-design/components/alert";
import Box from "@cloudscape-design/components/box";
import Button from "@cloudscape-design/components/button";
import Modal from "@cloudscape-design/components/modal";
import SpaceBetween from "@cloudscape-design/components/space-between";

import { ApiError } from "../../api/client";
import { supervisorEndpoints, type PageOf, type SupervisorApi } from "../../api/supervisor";
import type { MessageKey, Vars } from "../../i18n";
import { useI18n } from "../../i18n/react";
import { describeError } from "../../state/errors";
import { useClient } from "../../state/session";

export function useSupervisorApi(): SupervisorApi {
  const client = useClient();
  return useMemo(() => supervisorEndpoints(client), [client]);
}

type T = (key: MessageKey, vars?: Vars) => string;

/** The API has no such route (yet): API Gateway's answer, which chalice local copies (403, no error code). */
export function routeMissing(error: unknown): boolean {
  return (
    error instanceof ApiError &&
    error.status === 403 &&
    error.code === "http_403" &&
    error.message === "Missing Authentication Token"
  );
}

/**
 * An error of a supervisor's screen as one sentence: the API refusing a non-supervisor (403) is said as
 * such, not as a failed request; a route the API does not have yet says so.
 */
export function describeSupervisorError(error: unknown, t: T): string {
  if (routeMissing(error)) return t("common.routeMissing");
  if (error instanceof ApiError && error.status === 403) return t("sv.forbidden");
  return describeError(error, t);
}

export function ErrorAlert({ error, onRetry, header }: { error: unknown; onRetry?: () => void; header?: string }) {
  const { t } = useI18n();
  return (
    <Alert
      type="error"
      header={header}
      action={onRetry ? <Button onClick={onRetry}>{t("common.retry")}</Button> : undefined}
    >
      {describeSupervisorError(error, t)}
    </Alert>
  );
}

export interface Paged<T> {
  items: T[];
  next: string | null;
  loading: boolean;
  error: unknown;
  loadMore(): void;
  reload(): void;
  /** Puts an item changed by an action in place (matched by `same`), without a new request. */
  replace(item: T, same: (a: T, b: T) => boolean): void;
}

/** A list route read a page at a time: the first page, then `next` on request ("show more"). */
export function usePaged<T>(load: (next: string | null, signal: AbortSignal) => Promise<PageOf<T>>, key: string): Paged<T> {
  const [items, setItems] = useState<T[]>([]);
  const [next, setNext] = useState<string | null>(null);
  const [loading, setLoading] = useState(true);
  const [error, setError] = useState<unknown>(null);
  const [generation, setGeneration] = useState(0);
  const loadRef = useRef(load);
  loadRef.current = load;
  const abortRef = useRef<AbortController | null>(null);

  const fetchPage = useCallback((cursor: string | null, append: boolean) => {
    abortRef.current?.abort();
    const abort = new AbortController();
    abortRef.current = abort;
    setLoading(true);
    setError(null);
    loadRef.current(cursor, abort.signal).then(
      (page) => {
        if (abort.signal.aborted) return;
        setItems((current) => (append ? [...current, ...page.items] : page.items));
        setNext(page.next);
        setLoading(false);
      },
      (problem: unknown) => {
        if (abort.signal.aborted) return;
        setError(problem);
        setLoading(false);
      },
    );
  }, []);

  useEffect(() => {
    setItems([]);
    setNext(null);
    fetchPage(null, false);
    return () => abortRef.current?.abort();
  }, [key, generation, fetchPage]);

  return {
    items,
    next,
    loading,
    error,
    loadMore: () => {
      if (next) fetchPage(next, true);
    },
    reload: () => setGeneration((g) => g + 1),
    replace: (item, same) => setItems((current) => current.map((old) => (same(old, item) ? item : old))),
  };
}

/** A table's counter: "(12)", "(50+)" while the API has more; nothing before the first page or after a failure. */
export function counterOf(paged: Pick<Paged<unknown>, "items" | "next" | "loading" | "error">): string | undefined {
  if (paged.error !== null || (paged.loading && paged.items.length === 0)) return undefined;
  return `(${paged.items.length}${paged.next ? "+" : ""})`;
}

/** "Show more" under a paged table (`label` names the list): there only while the API says there is more. */
export function MoreButton({ paged, label }: { paged: Pick<Paged<unknown>, "next" | "loading" | "loadMore">; label: string }) {
  const { t } = useI18n();
  if (!paged.next) return null;
  return (
    <Box textAlign="center">
      <Button onClick={paged.loadMore} loading={paged.loading} ariaLabel={`${t("sv.more")} (${label})`}>
        {t("sv.more")}
      </Button>
    </Box>
  );
}

/**
 * A dialog with Cancel and one primary action. While the action runs it cannot be dismissed (its answer
 * would land in a closed dialog) and Cancel is off.
 */
export function ActionDialog({
  visible = true,
  header,
  size,
  actionLabel,
  onAction,
  onCancel,
  busy,
  actionDisabled = false,
  actionAriaLabel,
  children,
}: {
  visible?: boolean;
  header: string;
  size?: "small" | "medium" | "large" | "max";
  actionLabel: string;
  onAction(): void;
  onCancel(): void;
  busy: boolean;
  actionDisabled?: boolean;
  actionAriaLabel?: string;
  children: ReactNode;
}) {
  const { t } = useI18n();
  return (
    <Modal
      visible={visible}
      size={size}
      header={header}
      onDismiss={() => {
        if (!busy) onCancel();
      }}
      closeAriaLabel={t("common.close")}
      footer={
        <Box float="right">
          <SpaceBetween direction="horizontal" size="xs">
            <Button variant="link" onClick={onCancel} disabled={busy}>
              {t("sv.cancel")}
            </Button>
            <Button
              variant="primary"
              onClick={onAction}
              loading={busy}
              disabled={actionDisabled}
              ariaLabel={actionAriaLabel}
            >
              {actionLabel}
            </Button>
          </SpaceBetween>
        </Box>
      }
    >
      {children}
    </Modal>
  );
}

/**
 * A confirmation that says exactly what will happen before it happens. The action's error stays in the
 * dialog (and the dialog open), so the supervisor can try again.
 */
export function ConfirmDialog({
  visible,
  header,
  confirmLabel,
  onConfirm,
  onCancel,
  busy,
  error,
  danger = false,
  confirmDisabled = false,
  children,
}: {
  visible: boolean;
  header: string;
  confirmLabel: string;
  onConfirm(): void;
  onCancel(): void;
  busy: boolean;
  error: string | null;
  danger?: boolean;
  confirmDisabled?: boolean;
  children: ReactNode;
}) {
  const { t } = useI18n();
  return (
    <ActionDialog
      visible={visible}
      header={header}
      actionLabel={confirmLabel}
      onAction={onConfirm}
      onCancel={onCancel}
      busy={busy}
      actionDisabled={confirmDisabled}
      actionAriaLabel={danger ? `${confirmLabel} (${t("sv.irreversible")})` : undefined}
    >
      <SpaceBetween size="m">
        {children}
        {error && (
          <Alert type="error" statusIconAriaLabel={t("common.errorIcon")}>
            {error}
          </Alert>
        )}
      </SpaceBetween>
    </ActionDialog>
  );
}

/** Saves bytes fetched with the person's headers as a file, through a Blob URL that is released at once. */
export function saveBlob(blob: Blob, filename: string): void {
  const url = URL.createObjectURL(blob);
  const link = document.createElement("a");
  link.href = url;
  link.download = filename;
  link.rel = "noopener";
  document.body.appendChild(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}

/** YYYY-MM of an instant in Istanbul, `back` months earlier. */
export function istanbulMonth(now: Date, back = 0): string {
  const parts = new Intl.DateTimeFormat("en-CA", { timeZone: "Europe/Istanbul", year: "numeric", month: "2-digit" })
    .formatToParts(now)
    .reduce<Record<string, string>>((all, part) => ({ ...all, [part.type]: part.value }), {});
  let year = Number(parts.year);
  let month = Number(parts.month) - back;
  while (month < 1) {
    month += 12;
    year -= 1;
  }
  return `${year}-${String(month).padStart(2, "0")}`;
}
