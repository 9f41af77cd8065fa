import { createContext, useContext, useMemo, type ReactNode } from "react";

import { ApiClient } from "../api/client";
import { endpoints, type Api } from "../api/endpoints";
import type { Session } from "../auth/session";

interface SessionValue {
  session: Session;
  api: Api;
  /** The same client, for the supervisor's screens: they build their own routes on it (`api/supervisor.ts`). */
  client: ApiClient;
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
  const value = useMemo<SessionValue>(() => {
    const client = new ApiClient({ base: apiBase, credentials: session });
    return {
      session,
      api: endpoints(client),
      client,
      signOut: () => {
        void session.signOut().finally(onSignOut);
      },
    };
  }, [session, apiBase, onSignOut]);
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

export function useClient(): ApiClient {
  return useSession().client;
}
