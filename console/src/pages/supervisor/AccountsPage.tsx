/**
 * Hesaplar / Agent accounts (directive 7(e), 7(f)): the accounts a page at a time, a new account (Cognito and
 * Amazon Connect together, the Connect password shown once), training recorded, a leaver deactivated after a
 * confirmation that says exactly what happens, and each account's audit trail.
 */
import { useCallback, useEffect, useRef, useState, type RefObject } from "react";

import Alert from "@cloudscape-design/components/alert";
import Box from "@cloudscape-design/components/box";
import Button from "@cloudscape-design/components/button";
import Container from "@cloudscape-design/components/container";
import ContentLayout from "@cloudscape-design/components/content-layout";
import CopyToClipboard from "@cloudscape-design/components/copy-to-clipboard";
import Form from "@cloudscape-design/components/form";
import FormField from "@cloudscape-design/components/form-field";
import Header from "@cloudscape-design/components/header";
import Input, { type InputProps } from "@cloudscape-design/components/input";
import KeyValuePairs from "@cloudscape-design/components/key-value-pairs";
import Modal from "@cloudscape-design/components/modal";
import RadioGroup from "@cloudscape-design/components/radio-group";
import SegmentedControl from "@cloudscape-design/components/segmented-control";
import SpaceBetween from "@cloudscape-design/components/space-between";
import StatusIndicator, { type StatusIndicatorProps } from "@cloudscape-design/components/status-indicator";
import Table from "@cloudscape-design/components/table";

import { ApiError } from "../../api/client";
import {
  AGENT_STATUSES,
  type Agent,
  type AgentStatus,
  type AuditEntry,
  type CreatedAgent,
  type NewAgent,
} from "../../api/supervisor";
import type { Role } from "../../api/types";
import type { MessageKey } from "../../i18n";
import { useI18n } from "../../i18n/react";
import { useNotify } from "../../state/notifications";
import { ActionDialog, ConfirmDialog, counterOf, describeSupervisorError, ErrorAlert, MoreButton, usePaged, useSupervisorApi } from "./common";

const STATUS_TYPE: Record<AgentStatus, StatusIndicatorProps.Type> = {
  IN_TRAINING: "pending",
  ACTIVE: "success",
  DEACTIVATED: "stopped",
};

type Filter = AgentStatus | "ALL";
const same = (a: Agent, b: Agent) => a.username === b.username;

/** The API's rules for a new account (chalicelib/accounts/rules.py), checked before the request is sent. */
export const USERNAME = /^[a-z0-9][a-z0-9._-]{1,62}[a-z0-9]$/;
const PERSON_NAME = /^\p{L}(?:\p{L}|[ '’-](?=\p{L}))*$/u;
const EMAIL = /^[^@\s]{1,64}@[A-Za-z0-9.-]{1,251}\.[A-Za-z]{2,63}$/;
type NewField = "username" | "first_name" | "last_name" | "email";

export function newAgentProblems(draft: Record<NewField, string>): Partial<Record<NewField, MessageKey>> {
  const problems: Partial<Record<NewField, MessageKey>> = {};
  if (!USERNAME.test(draft.username.trim())) problems.username = "accounts.error.username";
  for (const field of ["first_name", "last_name"] as const) {
    const value = draft[field].trim();
    if (!value || value.length > 100 || !PERSON_NAME.test(value)) problems[field] = "accounts.error.name";
  }
  const email = draft.email.trim();
  if (email && !EMAIL.test(email)) problems.email = "accounts.error.email";
  return problems;
}

// --- a new account ---------------------------------------------------------------------------------------

const EMPTY = { username: "", first_name: "", last_name: "", email: "" };

function CreateAccount({ visible, onClose, onCreated }: { visible: boolean; onClose(): void; onCreated(agent: Agent): void }) {
  const { t } = useI18n();
  const api = useSupervisorApi();
  const [draft, setDraft] = useState(EMPTY);
  const [role, setRole] = useState<Role>("agent");
  const [errors, setErrors] = useState<Partial<Record<NewField, string>>>({});
  const [formError, setFormError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  // The one time Amazon Connect's temporary password is shown: in this dialog's state only, gone when it closes.
  const [created, setCreated] = useState<CreatedAgent | null>(null);
  const refs: Record<NewField, RefObject<InputProps.Ref>> = {
    username: useRef<InputProps.Ref>(null),
    first_name: useRef<InputProps.Ref>(null),
    last_name: useRef<InputProps.Ref>(null),
    email: useRef<InputProps.Ref>(null),
  };

  const close = () => {
    setDraft(EMPTY);
    setRole("agent");
    setErrors({});
    setFormError(null);
    setCreated(null);
    onClose();
  };

  const submit = async () => {
    const problems = newAgentProblems(draft);
    setErrors(Object.fromEntries(Object.entries(problems).map(([f, key]) => [f, t(key)])));
    setFormError(null);
    const first = (Object.keys(EMPTY) as NewField[]).find((f) => problems[f]);
    if (first) return refs[first].current?.focus();
    const body: NewAgent = {
      username: draft.username.trim(),
      first_name: draft.first_name.trim(),
      last_name: draft.last_name.trim(),
      role,
    };
    if (draft.email.trim()) body.email = draft.email.trim();
    setBusy(true);
    try {
      const made = await api.createAgent(body);
      setCreated(made);
      onCreated(made);
    } catch (error) {
      const field = error instanceof ApiError ? error.field : undefined;
      if (field && field in EMPTY) {
        setErrors({ [field]: (error as ApiError).message });
        refs[field as NewField].current?.focus();
      } else if (error instanceof ApiError && error.status === 409) {
        setErrors({ username: t("accounts.error.taken") });
        refs.username.current?.focus();
      } else {
        setFormError(describeSupervisorError(error, t));
      }
    } finally {
      setBusy(false);
    }
  };

  const field = (name: NewField, label: string, description?: string) => (
    <FormField label={label} description={description} errorText={errors[name]} controlId={`new-agent-${name}`}>
      <Input
        ref={refs[name]}
        controlId={`new-agent-${name}`}
        value={draft[name]}
        invalid={Boolean(errors[name])}
        type={name === "email" ? "email" : "text"}
        autoComplete={false}
        spellcheck={false}
        onChange={({ detail }) => setDraft((d) => ({ ...d, [name]: detail.value }))}
      />
    </FormField>
  );

  if (created) {
    return (
      <Modal
        visible={visible}
        header={t("accounts.created.title", { username: created.username })}
        onDismiss={close}
        closeAriaLabel={t("common.close")}
        footer={
          <Box float="right">
            <Button variant="primary" onClick={close}>
              {t("accounts.created.done")}
            </Button>
          </Box>
        }
      >
        <SpaceBetween size="m">
          <Alert type="success">{t("accounts.created.invited")}</Alert>
          <SpaceBetween size="xs">
            <Box variant="awsui-key-label">{t("accounts.created.password")}</Box>
            <SpaceBetween direction="horizontal" size="s" alignItems="center">
              <Box fontSize="heading-l" fontWeight="bold">
                <code className="temporary-password">{created.temporary_password}</code>
              </Box>
              <CopyToClipboard
                variant="button"
                textToCopy={created.temporary_password}
                copyButtonText={t("accounts.created.copy")}
                copySuccessText={t("accounts.created.copied")}
                copyErrorText={t("refer.done.copyFailed")}
              />
            </SpaceBetween>
          </SpaceBetween>
          <Alert type="warning">{t("accounts.created.once")}</Alert>
        </SpaceBetween>
      </Modal>
    );
  }

  return (
    <ActionDialog
      visible={visible}
      header={t("accounts.new.title")}
      actionLabel={t("accounts.new.submit")}
      onAction={() => void submit()}
      onCancel={close}
      busy={busy}
    >
      <form
        onSubmit={(event) => {
          event.preventDefault();
          void submit();
        }}
      >
        <Form errorText={formError} errorIconAriaLabel={t("common.errorIcon")}>
          <SpaceBetween size="m">
            <Box variant="p">{t("accounts.new.description")}</Box>
            {field("username", t("accounts.username"), t("accounts.new.usernameHint"))}
            {field("first_name", t("accounts.firstName"))}
            {field("last_name", t("accounts.lastName"))}
            {field("email", `${t("accounts.email")} (${t("common.optional")})`, t("accounts.new.emailHint"))}
            <FormField label={t("accounts.role")}>
              <RadioGroup
                ariaLabel={t("accounts.role")}
                value={role}
                onChange={({ detail }) => setRole(detail.value as Role)}
                items={[
                  { value: "agent", label: t("role.agent"), description: t("accounts.new.agentHint") },
                  { value: "supervisor", label: t("role.supervisor"), description: t("accounts.new.supervisorHint") },
                ]}
              />
            </FormField>
            {/* Enter in a field sends the form (the visible button is in the dialog's footer). */}
            <button type="submit" hidden aria-label={t("accounts.new.submit")} />
          </SpaceBetween>
        </Form>
      </form>
    </ActionDialog>
  );
}

// --- the audit trail -------------------------------------------------------------------------------------

function AuditTrail({ username, version }: { username: string; version: number }) {
  const i18n = useI18n();
  const { t } = i18n;
  const api = useSupervisorApi();
  const [entries, setEntries] = useState<AuditEntry[] | null>(null);
  const [error, setError] = useState<unknown>(null);

  useEffect(() => {
    const abort = new AbortController();
    setEntries(null);
    setError(null);
    api.audit(username, abort.signal).then(
      (body) => setEntries(body.entries),
      (problem: unknown) => {
        if (!abort.signal.aborted) setError(problem);
      },
    );
    return () => abort.abort();
  }, [api, username, version]);

  return (
    <Table
      variant="container"
      header={
        <Header variant="h2" description={t("accounts.audit.description")}>
          {t("accounts.audit.title", { username })}
        </Header>
      }
      loading={entries === null && error === null}
      loadingText={t("common.loading")}
      items={entries ?? []}
      empty={error ? <ErrorAlert error={error} /> : <Box textAlign="center">{t("accounts.audit.empty")}</Box>}
      columnDefinitions={[
        { id: "at", header: t("accounts.audit.at"), cell: (e) => i18n.dateTime(e.at) },
        { id: "actor", header: t("accounts.audit.actor"), cell: (e) => e.actor },
        { id: "action", header: t("accounts.audit.action"), cell: (e) => i18n.label("auditAction", e.action) },
        {
          id: "changes",
          header: t("accounts.audit.changes"),
          cell: (e) =>
            Object.entries(e.changes)
              .map(([name, value]) => `${name}: ${value}`)
              .join("; ") || t("common.none"),
        },
      ]}
    />
  );
}

// --- the page --------------------------------------------------------------------------------------------

type Pending = { kind: "train" | "deactivate"; agent: Agent } | null;

export default function AccountsPage() {
  const i18n = useI18n();
  const { t } = i18n;
  const api = useSupervisorApi();
  const notify = useNotify();
  const [filter, setFilter] = useState<Filter>("ALL");
  const load = useCallback(
    (next: string | null, signal: AbortSignal) => api.agents(filter === "ALL" ? null : filter, next, signal),
    [api, filter],
  );
  const paged = usePaged(load, filter);
  const [selected, setSelected] = useState<Agent | null>(null);
  const [creating, setCreating] = useState(false);
  const [pending, setPending] = useState<Pending>(null);
  const [typed, setTyped] = useState("");
  const [busy, setBusy] = useState(false);
  const [actionError, setActionError] = useState<string | null>(null);
  const [auditVersion, setAuditVersion] = useState(0);

  const current = selected ? (paged.items.find((a) => same(a, selected)) ?? selected) : null;

  const open = (kind: "train" | "deactivate") => {
    if (!current) return;
    setPending({ kind, agent: current });
    setTyped("");
    setActionError(null);
  };

  const confirm = async () => {
    if (!pending) return;
    setBusy(true);
    setActionError(null);
    try {
      const changed =
        pending.kind === "train" ? await api.markTrained(pending.agent.username) : await api.deactivate(pending.agent.username);
      paged.replace(changed, same);
      setSelected(changed);
      setAuditVersion((v) => v + 1);
      notify({
        type: "success",
        content: t(pending.kind === "train" ? "accounts.trained" : "accounts.deactivated", { username: changed.username }),
      });
      setPending(null);
    } catch (error) {
      if (error instanceof ApiError && error.status === 503) {
        setActionError(t("accounts.deactivate.unavailable", { message: error.message }));
      } else {
        setActionError(describeSupervisorError(error, t));
      }
      setAuditVersion((v) => v + 1);
    } finally {
      setBusy(false);
    }
  };

  const filters: Array<{ id: Filter; text: string }> = [
    { id: "ALL", text: t("accounts.filter.all") },
    ...AGENT_STATUSES.map((s) => ({ id: s as Filter, text: i18n.label("agentStatus", s) })),
  ];
  const deactivating = pending?.kind === "deactivate";

  return (
    <ContentLayout
      header={
        <Header
          variant="h1"
          description={t("accounts.description")}
          actions={
            <Button variant="primary" iconName="add-plus" onClick={() => setCreating(true)}>
              {t("accounts.new")}
            </Button>
          }
        >
          {t("nav.accounts")}
        </Header>
      }
    >
      <SpaceBetween size="l">
        <Table
          variant="container"
          header={
            <Header
              variant="h2"
              counter={counterOf(paged)}
              actions={
                <SpaceBetween direction="horizontal" size="xs">
                  <Button iconName="refresh" ariaLabel={t("accounts.refresh")} onClick={paged.reload} />
                  <Button
                    disabled={current?.status !== "IN_TRAINING"}
                    onClick={() => open("train")}
                    ariaLabel={current ? t("accounts.trainFor", { username: current.username }) : undefined}
                  >
                    {t("accounts.train")}
                  </Button>
                  <Button
                    disabled={!current || current.status === "DEACTIVATED"}
                    onClick={() => open("deactivate")}
                    ariaLabel={current ? t("accounts.deactivateFor", { username: current.username }) : undefined}
                  >
                    {t("accounts.deactivate")}
                  </Button>
                </SpaceBetween>
              }
            >
              {t("accounts.list")}
            </Header>
          }
          filter={
            <SegmentedControl
              label={t("accounts.filter")}
              selectedId={filter}
              options={filters}
              onChange={({ detail }) => {
                setFilter(detail.selectedId as Filter);
                setSelected(null);
              }}
            />
          }
          selectionType="single"
          selectedItems={current ? [current] : []}
          onSelectionChange={({ detail }) => setSelected(detail.selectedItems[0] ?? null)}
          trackBy="username"
          ariaLabels={{
            tableLabel: t("accounts.list"),
            selectionGroupLabel: t("accounts.select"),
            itemSelectionLabel: (_, agent) => t("accounts.selectOne", { username: agent.username }),
          }}
          loading={paged.loading && paged.items.length === 0}
          loadingText={t("common.loading")}
          items={paged.items}
          empty={
            paged.error ? (
              <ErrorAlert error={paged.error} onRetry={paged.reload} />
            ) : (
              <Box textAlign="center">{t("accounts.empty")}</Box>
            )
          }
          footer={<MoreButton paged={paged} label={t("accounts.list")} />}
          columnDefinitions={[
            { id: "username", header: t("accounts.username"), cell: (a) => <strong>{a.username}</strong>, isRowHeader: true },
            { id: "name", header: t("accounts.name"), cell: (a) => `${a.first_name} ${a.last_name}` },
            { id: "role", header: t("accounts.role"), cell: (a) => i18n.label("role", a.role) },
            {
              id: "status",
              header: t("accounts.status"),
              cell: (a) => <StatusIndicator type={STATUS_TYPE[a.status] ?? "info"}>{i18n.label("agentStatus", a.status)}</StatusIndicator>,
            },
            { id: "trained", header: t("accounts.trainedAt"), cell: (a) => (a.trained_at ? i18n.date(a.trained_at) : t("common.none")) },
            { id: "created", header: t("accounts.createdAt"), cell: (a) => i18n.date(a.created_at) },
            {
              id: "deactivated",
              header: t("accounts.deactivatedAt"),
              cell: (a) => (a.deactivated_at ? i18n.date(a.deactivated_at) : t("common.none")),
            },
          ]}
        />
        {paged.error !== null && paged.items.length > 0 && <ErrorAlert error={paged.error} onRetry={paged.reload} />}

        {current ? (
          <SpaceBetween size="l">
            <Container header={<Header variant="h2">{`${current.first_name} ${current.last_name}`}</Header>}>
              <KeyValuePairs
                columns={4}
                items={[
                  { label: t("accounts.username"), value: current.username },
                  { label: t("accounts.status"), value: i18n.label("agentStatus", current.status) },
                  { label: t("accounts.createdBy"), value: current.created_by ?? t("common.none") },
                  { label: t("accounts.trainedBy"), value: current.trained_by ?? t("common.none") },
                ]}
              />
            </Container>
            <AuditTrail username={current.username} version={auditVersion} />
          </SpaceBetween>
        ) : (
          <Box color="text-body-secondary">{t("accounts.selectHint")}</Box>
        )}
      </SpaceBetween>

      <CreateAccount
        visible={creating}
        onClose={() => setCreating(false)}
        onCreated={(agent) => {
          paged.reload();
          setSelected(agent);
        }}
      />

      <ConfirmDialog
        visible={pending !== null}
        header={
          pending
            ? t(deactivating ? "accounts.deactivate.title" : "accounts.train.title", { username: pending.agent.username })
            : ""
        }
        confirmLabel={
          actionError && deactivating ? t("accounts.deactivate.again") : t(deactivating ? "accounts.deactivate.confirm" : "accounts.train.confirm")
        }
        danger={deactivating}
        busy={busy}
        error={actionError}
        confirmDisabled={deactivating && typed.trim() !== pending?.agent.username}
        onCancel={() => setPending(null)}
        onConfirm={() => void confirm()}
      >
        {pending && deactivating && (
          <SpaceBetween size="m">
            <Box variant="p">{t("accounts.deactivate.intro", { name: `${pending.agent.first_name} ${pending.agent.last_name}` })}</Box>
            <ul className="consequences">
              <li>{t("accounts.deactivate.access")}</li>
              <li>{t("accounts.deactivate.signedOut")}</li>
              <li>{t("accounts.deactivate.connect")}</li>
              <li>{t("accounts.deactivate.kept")}</li>
              <li>{t("accounts.deactivate.username")}</li>
            </ul>
            <FormField
              label={t("accounts.deactivate.typeLabel", { username: pending.agent.username })}
              controlId="deactivate-confirm"
            >
              <Input
                controlId="deactivate-confirm"
                value={typed}
                autoComplete={false}
                spellcheck={false}
                onChange={({ detail }) => setTyped(detail.value)}
              />
            </FormField>
          </SpaceBetween>
        )}
        {pending && !deactivating && <Box variant="p">{t("accounts.train.body", { username: pending.agent.username })}</Box>}
      </ConfirmDialog>
    </ContentLayout>
  );
}
