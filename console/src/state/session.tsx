import { createContext, useContext, useMemo, type ReactNode } from "react";

import { ApiClient } from "../api/client";
import { endpoints, type Api } from "../api/endpoints";
import type { Session } from "../auth/session";

interface SessionValue {
  session: Session;
  api: Api;
  signOut(): void;
}

const Context = createContext<SessionValue | null>(null);

export function SessionProvider({
  session,
  apiBase,
  onSignOut,
  children,
}: {
  session: Session;
  apiBase: string;
  onSignOut(): void;
  children: ReactNode;
}) {
  const value = useMemo<SessionValue>(
    () => ({
      session,
      api: endpoints(new ApiClient({ base: apiBase, credentials: session })),
      signOut: () => {
        void session.signOut().finally(onSignOut);
      },
    }),
    [session, apiBase, onSignOut],
  );
  return <Context.Provider value={value}>{children}</Context.Provider>;
}

export function useSession(): SessionValue {
  const value = useContext(Context);
  if (!value) throw new Error("useSession outside SessionProvider");
  return value;
}

export function useApi(): Api {
  return useSession().api;
}
