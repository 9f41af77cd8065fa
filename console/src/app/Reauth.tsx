import { createContext, useCallback, useContext, useMemo, useRef, useState, type ReactNode } from "react";

import Alert from "@cloudscape-design/components/alert";
import Box from "@cloudscape-design/components/box";
import Button from "@cloudscape-design/components/button";
import Modal from "@cloudscape-design/components/modal";
import SpaceBetween from "@cloudscape-design/components/space-between";

import type { AskToSignInAgain } from "../auth/cognito";
import { useI18n } from "../i18n/react";

const Context = createContext<AskToSignInAgain | null>(null);

interface Pending {
  signIn: () => Promise<void>;
  resolve: (ok: boolean) => void;
}

/**
 * "Your session has expired": a modal over the page, so nothing the agent typed is lost. The sign-in popup
 * opens on their click (browsers block popups nobody asked for); the refused request then goes again.
 */
export function ReauthProvider({ children }: { children: ReactNode }) {
  const { t } = useI18n();
  const [pending, setPending] = useState<Pending | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const current = useRef<Pending | null>(null);

  const ask = useCallback<AskToSignInAgain>(
    (signIn) =>
      new Promise<boolean>((resolve) => {
        current.current = { signIn, resolve };
        setError(null);
        setPending(current.current);
      }),
    [],
  );

  const finish = (ok: boolean) => {
    current.current?.resolve(ok);
    current.current = null;
    setPending(null);
    setBusy(false);
  };

  const signIn = async () => {
    if (!pending) return;
    setBusy(true);
    setError(null);
    try {
      await pending.signIn();
      finish(true);
    } catch (e) {
      setBusy(false);
      setError(t("signin.failed", { message: e instanceof Error ? e.message : String(e) }));
    }
  };

  const value = useMemo(() => ask, [ask]);
  return (
    <Context.Provider value={value}>
      {children}
      {pending && (
        <Modal
          visible
          header={t("reauth.title")}
          onDismiss={() => finish(false)}
          closeAriaLabel={t("common.close")}
          footer={
            <Box float="right">
              <SpaceBetween direction="horizontal" size="xs">
                <Button variant="link" onClick={() => finish(false)}>
                  {t("reauth.cancel")}
                </Button>
                <Button variant="primary" loading={busy} onClick={() => void signIn()}>
                  {t("reauth.submit")}
                </Button>
              </SpaceBetween>
            </Box>
          }
        >
          <SpaceBetween size="s">
            <Box>{t("reauth.body")}</Box>
            {error && <Alert type="error">{error}</Alert>}
          </SpaceBetween>
        </Modal>
      )}
    </Context.Provider>
  );
}

export function useAskToSignInAgain(): AskToSignInAgain {
  const value = useContext(Context);
  if (!value) throw new Error("useAskToSignInAgain outside ReauthProvider");
  return value;
}
