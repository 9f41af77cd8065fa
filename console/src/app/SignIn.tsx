import { useEffect, useMemo, useRef, useState } from "react";

import Alert from "@cloudscape-design/components/alert";
import AppLayout from "@cloudscape-design/components/app-layout";
import Box from "@cloudscape-design/components/box";
import Button from "@cloudscape-design/components/button";
import Container from "@cloudscape-design/components/container";
import ContentLayout from "@cloudscape-design/components/content-layout";
import Form from "@cloudscape-design/components/form";
import FormField from "@cloudscape-design/components/form-field";
import Header from "@cloudscape-design/components/header";
import Input, { type InputProps } from "@cloudscape-design/components/input";
import RadioGroup from "@cloudscape-design/components/radio-group";
import Select, { type SelectProps } from "@cloudscape-design/components/select";
import SpaceBetween from "@cloudscape-design/components/space-between";
import StatusIndicator from "@cloudscape-design/components/status-indicator";

import { ANONYMOUS, ApiClient, ApiError } from "../api/client";
import { endpoints } from "../api/endpoints";
import type { LocalAccount, Role } from "../api/types";
import { createUserManager, signInWithPopup, type UserManagerLike } from "../auth/cognito";
import { localSession } from "../auth/local";
import type { Session } from "../auth/session";
import type { RuntimeConfig } from "../config";
import { useI18n } from "../i18n/react";
import { describeError } from "../state/errors";
import { useAskToSignInAgain } from "./Reauth";
import { SignedOutTopBar } from "./TopBar";

/**
 * The account's standing, from GET /me when the API has it: a leaver's sign-in stops here, and the role
 * the API knows wins over the one chosen or carried in the token. (While /me is missing, the API still
 * refuses each request of an account it does not know.)
 */
async function confirmed(session: Session, apiBase: string): Promise<Session> {
  try {
    const me = await endpoints(new ApiClient({ base: apiBase, credentials: session })).me();
    if (me.role === session.identity.role) return session;
    return {
      mode: session.mode,
      identity: { ...session.identity, role: me.role },
      headers: () => session.headers(),
      reauthenticate: () => session.reauthenticate(),
      signOut: () => session.signOut(),
    };
  } catch (error) {
    if (error instanceof ApiError && (error.code === "no_account" || error.code === "account_deactivated")) throw error;
    return session;
  }
}

function LocalSignIn({ config, onSignedIn }: { config: RuntimeConfig; onSignedIn(session: Session): void }) {
  const { t } = useI18n();
  const [accounts, setAccounts] = useState<LocalAccount[] | null>(null);
  const [listFailed, setListFailed] = useState(false);
  const [chosen, setChosen] = useState<SelectProps.Option | null>(null);
  const [typed, setTyped] = useState("");
  const [role, setRole] = useState<Role>("agent");
  const [error, setError] = useState<string | null>(null);
  const [fieldError, setFieldError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const field = useRef<SelectProps.Ref & InputProps.Ref>(null);

  useEffect(() => {
    const abort = new AbortController();
    endpoints(new ApiClient({ base: config.api, credentials: ANONYMOUS }))
      .localAccounts(abort.signal)
      .then((found) => setAccounts(found))
      .catch(() => {
        // Not there (yet): the stand-in then asks for the account's name.
        if (!abort.signal.aborted) setListFailed(true);
      });
    return () => abort.abort();
  }, [config.api]);

  const options = useMemo<SelectProps.Option[]>(
    () =>
      (accounts ?? []).map((a) => ({
        value: a.username,
        label: a.username,
        description: `${t(a.role === "supervisor" ? "role.supervisor" : "role.agent")}${
          a.status === "DEACTIVATED" ? ` · ${t("signin.local.inactive")}` : ""
        }`,
        tags: [a.role],
      })),
    [accounts, t],
  );

  const submit = async () => {
    setError(null);
    let account: Pick<LocalAccount, "username" | "role"> | null = null;
    if (accounts && !listFailed) {
      const found = accounts.find((a) => a.username === chosen?.value);
      if (found) account = found;
    } else if (typed.trim()) {
      account = { username: typed.trim(), role };
    }
    if (!account) {
      setFieldError(t("signin.local.required"));
      field.current?.focus();
      return;
    }
    setFieldError(null);
    setBusy(true);
    try {
      onSignedIn(await confirmed(localSession(account), config.api));
    } catch (e) {
      setError(describeError(e, t));
      setBusy(false);
    }
  };

  return (
    <form
      onSubmit={(event) => {
        event.preventDefault();
        void submit();
      }}
    >
      <Form
        actions={
          <Button variant="primary" formAction="submit" loading={busy}>
            {t("signin.local.submit")}
          </Button>
        }
      >
        <Container header={<Header variant="h2">{t("signin.title")}</Header>}>
          <SpaceBetween size="l">
            <Box>{t("signin.local.description")}</Box>
            {accounts && accounts.length === 0 && <Alert type="warning">{t("signin.local.none")}</Alert>}
            {error && <Alert type="error">{error}</Alert>}
            {listFailed && <Alert type="info">{t("signin.local.typeName")}</Alert>}
            {accounts === null && !listFailed ? (
              <StatusIndicator type="loading">{t("common.loading")}</StatusIndicator>
            ) : !listFailed ? (
              <FormField label={t("signin.local.account")} errorText={fieldError} controlId="local-account">
                <Select
                  ref={field}
                  controlId="local-account"
                  selectedOption={chosen}
                  onChange={({ detail }) => setChosen(detail.selectedOption)}
                  options={options}
                  placeholder={t("signin.local.placeholder")}
                  statusType={accounts === null ? "loading" : "finished"}
                  loadingText={t("common.loading")}
                  filteringType="auto"
                />
              </FormField>
            ) : (
              <>
                <FormField label={t("signin.local.account")} errorText={fieldError} controlId="local-username">
                  <Input
                    ref={field}
                    controlId="local-username"
                    value={typed}
                    onChange={({ detail }) => setTyped(detail.value)}
                    autoComplete="username"
                    spellcheck={false}
                  />
                </FormField>
                <FormField label={t("signin.local.role")}>
                  <RadioGroup
                    value={role}
                    onChange={({ detail }) => setRole(detail.value as Role)}
                    items={[
                      { value: "agent", label: t("role.agent") },
                      { value: "supervisor", label: t("role.supervisor") },
                    ]}
                  />
                </FormField>
              </>
            )}
          </SpaceBetween>
        </Container>
      </Form>
    </form>
  );
}

function CognitoSignIn({ config, onSignedIn }: { config: RuntimeConfig; onSignedIn(session: Session): void }) {
  const { t } = useI18n();
  const ask = useAskToSignInAgain();
  const manager = useMemo<UserManagerLike | null>(
    () => (config.mode === "cognito" ? createUserManager(config) : null),
    [config],
  );
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const signIn = async () => {
    if (!manager) return;
    setBusy(true);
    setError(null);
    try {
      onSignedIn(await confirmed(await signInWithPopup(manager, ask), config.api));
    } catch (e) {
      setError(e instanceof ApiError ? describeError(e, t) : t("signin.failed", { message: String((e as Error)?.message ?? e) }));
      setBusy(false);
    }
  };

  return (
    <Container header={<Header variant="h2">{t("signin.title")}</Header>}>
      <SpaceBetween size="l">
        <Box>{t("signin.cognito.description")}</Box>
        {error && <Alert type="error">{error}</Alert>}
        <Button variant="primary" loading={busy} onClick={() => void signIn()}>
          {t("signin.cognito.submit")}
        </Button>
      </SpaceBetween>
    </Container>
  );
}

export function SignInPage({ config, onSignedIn }: { config: RuntimeConfig; onSignedIn(session: Session): void }) {
  const { t } = useI18n();
  return (
    <>
      <SignedOutTopBar />
      <AppLayout
        headerSelector="#top-bar"
        navigationHide
        toolsHide
        contentType="form"
        content={
          <ContentLayout header={<Header variant="h1">{t("app.subtitle")}</Header>}>
            {config.mode === "local" ? (
              <LocalSignIn config={config} onSignedIn={onSignedIn} />
            ) : (
              <CognitoSignIn config={config} onSignedIn={onSignedIn} />
            )}
          </ContentLayout>
        }
      />
    </>
  );
}
