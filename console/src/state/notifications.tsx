import { createContext, useCallback, useContext, useMemo, useRef, useState, type ReactNode } from "react";

import type { FlashbarProps } from "@cloudscape-design/components/flashbar";

export interface Notice {
  type: "success" | "info" | "warning" | "error";
  content: string;
}

interface NotificationsValue {
  items: FlashbarProps.MessageDefinition[];
  notify(notice: Notice): void;
}

const Context = createContext<NotificationsValue | null>(null);
const KEEP_MS = 8000;

/** Short messages after an action, read out by screen readers (Flashbar's live region). */
export function NotificationsProvider({ children, dismissLabel }: { children: ReactNode; dismissLabel: string }) {
  const [notices, setNotices] = useState<Array<Notice & { id: string }>>([]);
  const counter = useRef(0);

  const dismiss = useCallback((id: string) => setNotices((all) => all.filter((n) => n.id !== id)), []);
  const notify = useCallback(
    (notice: Notice) => {
      const id = `notice-${++counter.current}`;
      setNotices((all) => [...all.slice(-2), { ...notice, id }]);
      if (notice.type === "success" || notice.type === "info") setTimeout(() => dismiss(id), KEEP_MS);
    },
    [dismiss],
  );

  const value = useMemo<NotificationsValue>(
    () => ({
      notify,
      items: notices.map((n) => ({
        id: n.id,
        type: n.type,
        content: n.content,
        dismissible: true,
        dismissLabel,
        onDismiss: () => dismiss(n.id),
        ariaRole: n.type === "error" || n.type === "warning" ? "alert" : "status",
      })),
    }),
    [notices, notify, dismiss, dismissLabel],
  );
  return <Context.Provider value={value}>{children}</Context.Provider>;
}

export function useNotify(): (notice: Notice) => void {
  const value = useContext(Context);
  if (!value) throw new Error("useNotify outside NotificationsProvider");
  return value.notify;
}

export function useNotifications(): FlashbarProps.MessageDefinition[] {
  return useContext(Context)?.items ?? [];
}
