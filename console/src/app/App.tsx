import { useCallback, useState } from "react";
import { BrowserRouter } from "react-router";

import type { Session } from "../auth/session";
import type { RuntimeConfig } from "../config";
import { I18nProvider, useI18n } from "../i18n/react";
import { ContactProvider } from "../state/contact";
import { DraftsProvider } from "../state/drafts";
import { NotificationsProvider } from "../state/notifications";
import { SessionProvider } from "../state/session";
import { WorkProvider } from "../state/work";
import type { ContactSource } from "../workspace/types";
import { ReauthProvider } from "./Reauth";
import { Shell } from "./Shell";
import { SignInPage } from "./SignIn";

export interface AppProps {
  config: RuntimeConfig;
  /** The agent workspace's contact source, or null outside the workspace (standalone). */
  workspace: ContactSource | null;
  basename?: string;
}

function SignedIn({ config, workspace, session, onSignOut }: AppProps & { session: Session; onSignOut(): void }) {
  const { t } = useI18n();
  return (
    <SessionProvider session={session} apiBase={config.api} onSignOut={onSignOut}>
      <ContactProvider source={workspace}>
        <NotificationsProvider dismissLabel={t("common.close")}>
          <DraftsProvider>
            <WorkProvider>
              <Shell />
            </WorkProvider>
          </DraftsProvider>
        </NotificationsProvider>
      </ContactProvider>
    </SessionProvider>
  );
}

function Gate(props: AppProps) {
  const [session, setSession] = useState<Session | null>(null);
  const signOut = useCallback(() => setSession(null), []);
  if (!session) return <SignInPage config={props.config} onSignedIn={setSession} />;
  // A new person, a new panel: nothing of the previous session's state survives a sign-out.
  return <SignedIn key={session.identity.username} {...props} session={session} onSignOut={signOut} />;
}

export function App(props: AppProps) {
  return (
    <BrowserRouter basename={props.basename ?? import.meta.env.BASE_URL.replace(/\/$/, "")}>
      <I18nProvider>
        <ReauthProvider>
          <Gate {...props} />
        </ReauthProvider>
      </I18nProvider>
    </BrowserRouter>
  );
}
