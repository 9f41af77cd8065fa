/**
 * Gizlilik / Confidentiality (directive 9, KVKK art. 11-13): data-subject requests with the days left to their
 * 30-day deadline, fulfilled after a confirmation that says what happens; the disclosures made, each with its
 * legal basis. Numbers are shown masked, as the API gives them; an access request's export is held in this
 * screen's memory only until it is downloaded or dismissed.
 */
import { useCallback, useRef, useState } from "react";

import Alert from "@cloudscape-design/components/alert";
import Box from "@cloudscape-design/components/box";
import Button from "@cloudscape-design/components/button";
import ContentLayout from "@cloudscape-design/components/content-layout";
import DatePicker from "@cloudscape-design/components/date-picker";
import Form from "@cloudscape-design/components/form";
import FormField from "@cloudscape-design/components/form-field";
import Header from "@cloudscape-design/components/header";
import Input, { type InputProps } from "@cloudscape-design/components/input";
import RadioGroup from "@cloudscape-design/components/radio-group";
import SegmentedControl from "@cloudscape-design/components/segmented-control";
import Select from "@cloudscape-design/components/select";
import SpaceBetween from "@cloudscape-design/components/space-between";
import StatusIndicator from "@cloudscape-design/components/status-indicator";
import Table from "@cloudscape-design/components/table";
import Tabs from "@cloudscape-design/components/tabs";
import TimeInput from "@cloudscape-design/components/time-input";

import { ApiError } from "../../api/client";
import type { Disclosure, NewPrivacyRequest, PrivacyKind, PrivacyRequest } from "../../api/supervisor";
import type { MessageKey, Vars } from "../../i18n";
import { useI18n } from "../../i18n/react";
import { useNotify } from "../../state/notifications";
import {
  ActionDialog,
  ConfirmDialog,
  counterOf,
  describeSupervisorError,
  ErrorAlert,
  istanbulMonth,
  MoreButton,
  saveBlob,
  usePaged,
  useSupervisorApi,
} from "./common";

/** Days left to the deadline as the screen says it, and how urgent it looks. */
export function deadlineOf(
  request: Pick<PrivacyRequest, "days_left" | "overdue">,
  t: (key: MessageKey, vars?: Vars) => string,
): { text: string; type: "error" | "warning" | "info" } {
  const days = request.days_left ?? 0;
  if (request.overdue) return { text: t("privacy.overdue", { days: Math.max(1, -days) }), type: "error" };
  if (days <= 0) return { text: t("privacy.dueToday"), type: "error" };
  return { text: t("privacy.daysLeft", { days }), type: days <= 7 ? "warning" : "info" };
}

/** The legal basis of a disclosure, in words. */
export function basisText(basis: Disclosure["basis"], t: (key: MessageKey, vars?: Vars) => string): string {
  if (basis.basis === "consent") return t("privacy.basis.consent", { reference: basis.consent_reference ?? "—" });
  if (basis.basis === "legal_authority") {
    return t("privacy.basis.legal_authority", { authority: basis.authority ?? "—", document: basis.document_number ?? "—" });
  }
  if (basis.basis === "data_subject_request") return t("privacy.basis.data_subject_request", { request: basis.request_id ?? "—" });
  return basis.basis;
}

/** "2026/10/14" and "09:30" (Istanbul) as the API's `received_at`; Istanbul is UTC+3 all year. */
export function receivedAt(date: string, time: string): string | undefined {
  if (!date) return undefined;
  return `${date.replace(/\//g, "-")}T${time || "00:00"}:00+03:00`;
}

// --- recording a request ---------------------------------------------------------------------------------

function RecordRequest({ onClose, onRecorded }: { onClose(): void; onRecorded(request: PrivacyRequest): void }) {
  const { t } = useI18n();
  const api = useSupervisorApi();
  const [kind, setKind] = useState<PrivacyKind>("access");
  const [number, setNumber] = useState("");
  const [identified, setIdentified] = useState("");
  const [date, setDate] = useState("");
  const [time, setTime] = useState("");
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [formError, setFormError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const numberRef = useRef<InputProps.Ref>(null);
  const identifiedRef = useRef<InputProps.Ref>(null);

  const submit = async () => {
    const problems: Record<string, string> = {};
    if (number.replace(/\D/g, "").length < 4) problems.number = t("privacy.error.number");
    if (identified.trim().length < 3) problems.identified_by = t("privacy.error.identified");
    setErrors(problems);
    setFormError(null);
    if (problems.number) return numberRef.current?.focus();
    if (problems.identified_by) return identifiedRef.current?.focus();
    const body: NewPrivacyRequest = { kind, number: number.trim(), identified_by: identified.trim() };
    const received = receivedAt(date, time);
    if (received) body.received_at = received;
    setBusy(true);
    try {
      onRecorded(await api.recordPrivacyRequest(body));
    } catch (error) {
      const field = error instanceof ApiError ? error.field : undefined;
      if (field === "number" || field === "identified_by" || field === "received_at") {
        setErrors({ [field]: (error as ApiError).message });
        if (field === "number") numberRef.current?.focus();
        if (field === "identified_by") identifiedRef.current?.focus();
      } else {
        setFormError(describeSupervisorError(error, t));
      }
      setBusy(false);
    }
  };

  return (
    <ActionDialog
      header={t("privacy.record.title")}
      actionLabel={t("privacy.record.submit")}
      onAction={() => void submit()}
      onCancel={onClose}
      busy={busy}
    >
      <Form errorText={formError} errorIconAriaLabel={t("common.errorIcon")}>
        <SpaceBetween size="m">
          <FormField label={t("privacy.kind")}>
            <RadioGroup
              ariaLabel={t("privacy.kind")}
              value={kind}
              onChange={({ detail }) => setKind(detail.value as PrivacyKind)}
              items={[
                { value: "access", label: t("privacy.kind.access"), description: t("privacy.kind.accessHint") },
                { value: "erasure", label: t("privacy.kind.erasure"), description: t("privacy.kind.erasureHint") },
              ]}
            />
          </FormField>
          <FormField label={t("privacy.number")} description={t("privacy.numberHint")} errorText={errors.number} controlId="privacy-number">
            <Input
              ref={numberRef}
              controlId="privacy-number"
              value={number}
              inputMode="tel"
              autoComplete={false}
              invalid={Boolean(errors.number)}
              onChange={({ detail }) => setNumber(detail.value)}
            />
          </FormField>
          <FormField
            label={t("privacy.identifiedBy")}
            description={t("privacy.identifiedByHint")}
            errorText={errors.identified_by}
            controlId="privacy-identified"
          >
            <Input
              ref={identifiedRef}
              controlId="privacy-identified"
              value={identified}
              invalid={Boolean(errors.identified_by)}
              onChange={({ detail }) => setIdentified(detail.value)}
            />
          </FormField>
          <FormField
            label={`${t("privacy.receivedAt")} (${t("common.optional")})`}
            description={t("privacy.receivedAtHint")}
            errorText={errors.received_at}
          >
            <SpaceBetween direction="horizontal" size="xs">
              <DatePicker
                value={date}
                onChange={({ detail }) => setDate(detail.value)}
                placeholder="YYYY/MM/DD"
                ariaLabel={t("privacy.receivedDate")}
                openCalendarAriaLabel={(selected) => (selected ? `${t("privacy.receivedDate")}: ${selected}` : t("privacy.receivedDate"))}
                isDateEnabled={(d) => d.getTime() <= Date.now()}
              />
              <TimeInput value={time} onChange={({ detail }) => setTime(detail.value)} format="hh:mm" placeholder="hh:mm" ariaLabel={t("privacy.receivedTime")} />
            </SpaceBetween>
          </FormField>
        </SpaceBetween>
      </Form>
    </ActionDialog>
  );
}

// --- requests --------------------------------------------------------------------------------------------

function Requests() {
  const i18n = useI18n();
  const { t } = i18n;
  const api = useSupervisorApi();
  const notify = useNotify();
  const [state, setState] = useState<"OPEN" | "FULFILLED">("OPEN");
  const [version, setVersion] = useState(0);
  const load = useCallback((next: string | null, signal: AbortSignal) => api.privacyRequests(state, next, signal), [api, state]);
  const paged = usePaged(load, `${state}-${version}`);
  const [recording, setRecording] = useState(false);
  const [fulfilling, setFulfilling] = useState<PrivacyRequest | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  // An access request's export: personal data, kept only until downloaded or dismissed.
  const [exported, setExported] = useState<PrivacyRequest | null>(null);

  const fulfil = async () => {
    if (!fulfilling) return;
    setBusy(true);
    setError(null);
    try {
      const done = await api.fulfil(fulfilling.request_id);
      setFulfilling(null);
      setVersion((v) => v + 1);
      if (done.kind === "access" && done.export !== undefined) setExported(done);
      notify({ type: "success", content: t(done.kind === "access" ? "privacy.fulfilled.access" : "privacy.fulfilled.erasure") });
    } catch (problem) {
      setError(describeSupervisorError(problem, t));
    } finally {
      setBusy(false);
    }
  };

  return (
    <SpaceBetween size="l">
      {exported && (
        <Alert
          type="success"
          header={t("privacy.export.title")}
          dismissible
          dismissAriaLabel={t("common.close")}
          onDismiss={() => setExported(null)}
          action={
            <Button
              iconName="download"
              onClick={() => {
                const blob = new Blob([JSON.stringify(exported.export, null, 2)], { type: "application/json" });
                saveBlob(blob, `kvkk-${exported.request_id}.json`);
                setExported(null);
              }}
            >
              {t("privacy.export.download")}
            </Button>
          }
        >
          {t("privacy.export.body")}
        </Alert>
      )}
      <Table
        variant="container"
        header={
          <Header
            variant="h2"
            counter={counterOf(paged)}
            description={t("privacy.requests.description")}
            actions={
              <Button variant="primary" iconName="add-plus" onClick={() => setRecording(true)}>
                {t("privacy.record")}
              </Button>
            }
          >
            {t("privacy.requests")}
          </Header>
        }
        filter={
          <SegmentedControl
            label={t("privacy.state")}
            selectedId={state}
            onChange={({ detail }) => setState(detail.selectedId as "OPEN" | "FULFILLED")}
            options={[
              { id: "OPEN", text: t("privacy.state.OPEN") },
              { id: "FULFILLED", text: t("privacy.state.FULFILLED") },
            ]}
          />
        }
        ariaLabels={{ tableLabel: t("privacy.requests") }}
        items={paged.items}
        trackBy="request_id"
        wrapLines
        loading={paged.loading && paged.items.length === 0}
        loadingText={t("common.loading")}
        empty={paged.error ? <ErrorAlert error={paged.error} onRetry={paged.reload} /> : <Box textAlign="center">{t("privacy.requests.empty")}</Box>}
        footer={<MoreButton paged={paged} label={t("privacy.requests")} />}
        columnDefinitions={[
          ...(state === "OPEN"
            ? [
                {
                  id: "deadline",
                  header: t("privacy.deadline"),
                  cell: (r: PrivacyRequest) => {
                    const d = deadlineOf(r, t);
                    return (
                      <StatusIndicator type={d.type} wrapText={false}>
                        {d.text}
                      </StatusIndicator>
                    );
                  },
                  minWidth: 150,
                },
              ]
            : []),
          { id: "kind", header: t("privacy.kind"), cell: (r: PrivacyRequest) => i18n.label("privacy.kind", r.kind), isRowHeader: true },
          { id: "number", header: t("privacy.number"), cell: (r: PrivacyRequest) => <span className="caller-number">{r.number}</span> },
          { id: "identified", header: t("privacy.identifiedBy"), cell: (r: PrivacyRequest) => r.identified_by },
          { id: "received", header: t("privacy.receivedAt"), cell: (r: PrivacyRequest) => i18n.dateTime(r.received_at) },
          ...(state === "OPEN"
            ? [
                { id: "due", header: t("privacy.dueAt"), cell: (r: PrivacyRequest) => i18n.dateTime(r.due_at) },
                {
                  id: "actions",
                  header: t("privacy.actions"),
                  minWidth: 150,
                  cell: (r: PrivacyRequest) => (
                    <Button
                      onClick={() => {
                        setFulfilling(r);
                        setError(null);
                      }}
                      ariaLabel={t("privacy.fulfilLabel", { kind: i18n.label("privacy.kind", r.kind), number: r.number })}
                    >
                      {t("privacy.fulfil")}
                    </Button>
                  ),
                },
              ]
            : [
                {
                  id: "fulfilled",
                  header: t("privacy.fulfilledAt"),
                  cell: (r: PrivacyRequest) => `${i18n.dateTime(r.fulfilled_at)} · ${r.fulfilled_by ?? ""}`,
                },
                {
                  id: "records",
                  header: t("privacy.records"),
                  cell: (r: PrivacyRequest) =>
                    r.records
                      ? t("privacy.recordsValue", { contacts: r.records.contacts, callbacks: r.records.callbacks, referrals: r.records.referrals })
                      : t("common.none"),
                },
              ]),
        ]}
      />
      {recording && (
        <RecordRequest
          onClose={() => setRecording(false)}
          onRecorded={(r) => {
            setRecording(false);
            setState("OPEN");
            setVersion((v) => v + 1);
            notify({ type: "success", content: t("privacy.recorded", { due: i18n.date(r.due_at) }) });
          }}
        />
      )}
      <ConfirmDialog
        visible={fulfilling !== null}
        header={fulfilling ? t(fulfilling.kind === "access" ? "privacy.fulfil.accessTitle" : "privacy.fulfil.erasureTitle", { number: fulfilling.number }) : ""}
        confirmLabel={fulfilling?.kind === "erasure" ? t("privacy.fulfil.erasureConfirm") : t("privacy.fulfil.accessConfirm")}
        danger={fulfilling?.kind === "erasure"}
        busy={busy}
        error={error}
        onCancel={() => setFulfilling(null)}
        onConfirm={() => void fulfil()}
      >
        {fulfilling && (
          <Box variant="p">{t(fulfilling.kind === "access" ? "privacy.fulfil.accessBody" : "privacy.fulfil.erasureBody", { number: fulfilling.number })}</Box>
        )}
      </ConfirmDialog>
    </SpaceBetween>
  );
}

// --- disclosures -----------------------------------------------------------------------------------------

function Disclosures() {
  const i18n = useI18n();
  const { t } = i18n;
  const api = useSupervisorApi();
  const months = Array.from({ length: 12 }, (_, back) => istanbulMonth(new Date(), back));
  const [month, setMonth] = useState(months[0]!);
  const load = useCallback((next: string | null, signal: AbortSignal) => api.disclosures(month, next, signal), [api, month]);
  const paged = usePaged(load, month);
  return (
    <Table
      variant="container"
      header={
        <Header variant="h2" counter={counterOf(paged)} description={t("privacy.disclosures.description")}>
          {t("privacy.disclosures")}
        </Header>
      }
      filter={
        <FormField label={t("privacy.month")} controlId="disclosures-month">
          <Select
            controlId="disclosures-month"
            selectedOption={{ value: month, label: month }}
            options={months.map((m) => ({ value: m, label: m }))}
            onChange={({ detail }) => setMonth(detail.selectedOption.value ?? months[0]!)}
          />
        </FormField>
      }
      ariaLabels={{ tableLabel: t("privacy.disclosures") }}
      items={paged.items}
      trackBy="disclosure_id"
      wrapLines
      loading={paged.loading && paged.items.length === 0}
      loadingText={t("common.loading")}
      empty={paged.error ? <ErrorAlert error={paged.error} onRetry={paged.reload} /> : <Box textAlign="center">{t("privacy.disclosures.empty")}</Box>}
      footer={<MoreButton paged={paged} label={t("privacy.disclosures")} />}
      columnDefinitions={[
        { id: "at", header: t("privacy.madeAt"), cell: (d) => i18n.dateTime(d.made_at), isRowHeader: true },
        { id: "by", header: t("privacy.madeBy"), cell: (d) => d.made_by },
        { id: "number", header: t("privacy.number"), cell: (d) => <span className="caller-number">{d.number}</span> },
        { id: "basis", header: t("privacy.basis"), cell: (d) => basisText(d.basis, t) },
        {
          id: "records",
          header: t("privacy.records"),
          cell: (d) => t("privacy.recordsValue", { contacts: d.contacts, callbacks: d.callbacks, referrals: d.referrals }),
        },
      ]}
    />
  );
}

export default function PrivacyPage() {
  const { t } = useI18n();
  const [tab, setTab] = useState("requests");
  return (
    <ContentLayout
      header={
        <Header variant="h1" description={t("privacy.description")}>
          {t("nav.privacy")}
        </Header>
      }
    >
      <Tabs
        activeTabId={tab}
        onChange={({ detail }) => setTab(detail.activeTabId)}
        ariaLabel={t("nav.privacy")}
        tabs={[
          { id: "requests", label: t("privacy.requests"), content: <Requests /> },
          { id: "disclosures", label: t("privacy.disclosures"), content: <Disclosures /> },
        ]}
      />
    </ContentLayout>
  );
}
