import { useCallback, useEffect, useRef, useState } from "react";

import Alert from "@cloudscape-design/components/alert";
import Box from "@cloudscape-design/components/box";
import Button from "@cloudscape-design/components/button";
import Container from "@cloudscape-design/components/container";
import ContentLayout from "@cloudscape-design/components/content-layout";
import Form from "@cloudscape-design/components/form";
import FormField from "@cloudscape-design/components/form-field";
import Header from "@cloudscape-design/components/header";
import RadioGroup, { type RadioGroupProps } from "@cloudscape-design/components/radio-group";
import SpaceBetween from "@cloudscape-design/components/space-between";
import StatusIndicator, { type StatusIndicatorProps } from "@cloudscape-design/components/status-indicator";
import Table from "@cloudscape-design/components/table";
import Textarea, { type TextareaProps } from "@cloudscape-design/components/textarea";

import { ApiError } from "../api/client";
import {
  INCIDENT_CATEGORIES,
  INCIDENT_SEVERITIES,
  type Incident,
  type IncidentCategory,
  type IncidentSeverity,
} from "../api/types";
import { useI18n } from "../i18n/react";
import { useDrafts } from "../state/drafts";
import { describeError } from "../state/errors";
import { useNotify } from "../state/notifications";
import { useApi } from "../state/session";

const STATUS_TYPE: Record<Incident["status"], StatusIndicatorProps.Type> = {
  OPEN: "pending",
  ACKNOWLEDGED: "in-progress",
  RESOLVED: "success",
};

interface IncidentDraft {
  category: IncidentCategory | null;
  severity: IncidentSeverity;
  description: string;
}
const EMPTY: IncidentDraft = { category: null, severity: "medium", description: "" };

/** Report a console problem (directive 8(b)): what is broken, how much it stops you, a line of text. */
function ReportForm({ onReported }: { onReported(): void }) {
  const i18n = useI18n();
  const { t } = i18n;
  const api = useApi();
  const notify = useNotify();
  const drafts = useDrafts();
  const [draft, setDraftState] = useState<IncidentDraft>(() => drafts.get<IncidentDraft>("incident") ?? EMPTY);
  const [errors, setErrors] = useState<Partial<Record<"category" | "severity" | "description" | "form", string>>>({});
  const [busy, setBusy] = useState(false);
  const categoryRef = useRef<RadioGroupProps.Ref>(null);
  const severityRef = useRef<RadioGroupProps.Ref>(null);
  const descriptionRef = useRef<TextareaProps.Ref>(null);

  const setDraft = (change: Partial<IncidentDraft>) =>
    setDraftState((current) => {
      const next = { ...current, ...change };
      drafts.set("incident", next);
      return next;
    });

  const submit = async () => {
    if (!draft.category) {
      setErrors({ category: t("incident.category") });
      return categoryRef.current?.focus();
    }
    if (!draft.description.trim()) {
      setErrors({ description: t("incident.required") });
      return descriptionRef.current?.focus();
    }
    setErrors({});
    setBusy(true);
    try {
      await api.reportIncident(draft.category, draft.severity, draft.description.trim());
      drafts.drop("incident");
      setDraftState(EMPTY);
      notify({ type: "success", content: t("incident.sent") });
      onReported();
    } catch (e) {
      const field = e instanceof ApiError ? e.field : undefined;
      const message = describeError(e, t);
      if (field === "category") {
        setErrors({ category: message });
        categoryRef.current?.focus();
      } else if (field === "severity") {
        setErrors({ severity: message });
        severityRef.current?.focus();
      } else if (field === "description") {
        setErrors({ description: message });
        descriptionRef.current?.focus();
      } else setErrors({ form: message });
    } finally {
      setBusy(false);
    }
  };

  return (
    <form
      noValidate
      onSubmit={(event) => {
        event.preventDefault();
        void submit();
      }}
    >
      <Form
        errorText={errors.form}
        errorIconAriaLabel={t("common.errorIcon")}
        actions={
          <Button variant="primary" formAction="submit" loading={busy}>
            {t("incident.submit")}
          </Button>
        }
      >
        <Container>
          <SpaceBetween size="l">
            <FormField label={t("incident.category")} errorText={errors.category}>
              <RadioGroup
                ref={categoryRef}
                ariaLabel={t("incident.category")}
                direction="horizontal"
                value={draft.category}
                onChange={({ detail }) => setDraft({ category: detail.value as IncidentCategory })}
                items={INCIDENT_CATEGORIES.map((c) => ({ value: c, label: i18n.label("incident.cat", c) }))}
              />
            </FormField>
            <FormField label={t("incident.severity")} errorText={errors.severity}>
              <RadioGroup
                ref={severityRef}
                ariaLabel={t("incident.severity")}
                value={draft.severity}
                onChange={({ detail }) => setDraft({ severity: detail.value as IncidentSeverity })}
                items={INCIDENT_SEVERITIES.map((s) => ({ value: s, label: i18n.label("incident.sev", s) }))}
              />
            </FormField>
            <FormField
              label={t("incident.text")}
              description={t("incident.textDescription")}
              errorText={errors.description}
              controlId="incident-description"
            >
              <Textarea
                ref={descriptionRef}
                controlId="incident-description"
                value={draft.description}
                onChange={({ detail }) => setDraft({ description: detail.value })}
                rows={3}
                invalid={Boolean(errors.description)}
              />
            </FormField>
          </SpaceBetween>
        </Container>
      </Form>
    </form>
  );
}

function MyReports({ round }: { round: number }) {
  const i18n = useI18n();
  const { t } = i18n;
  const api = useApi();
  const [items, setItems] = useState<Incident[] | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [again, setAgain] = useState(0);

  useEffect(() => {
    const abort = new AbortController();
    api
      .myIncidents(abort.signal)
      .then((found) => {
        setItems([...found].sort((a, b) => b.reported_at.localeCompare(a.reported_at)));
        setError(null);
      })
      .catch((e: unknown) => {
        if (!abort.signal.aborted) setError(e);
      });
    return () => abort.abort();
  }, [api, round, again]);

  return (
    <Table
      variant="container"
      header={
        <Header
          variant="h2"
          counter={items ? `(${items.length})` : undefined}
          actions={<Button iconName="refresh" ariaLabel={t("common.refresh")} onClick={() => setAgain((n) => n + 1)} />}
        >
          {t("incident.mine")}
        </Header>
      }
      ariaLabels={{ tableLabel: t("incident.mine") }}
      loading={items === null && !error}
      loadingText={t("common.loading")}
      trackBy="incident_id"
      items={items ?? []}
      wrapLines
      empty={
        error ? (
          <Alert type="error">{t("incident.mineError", { message: describeError(error, t) })}</Alert>
        ) : (
          <Box color="text-status-inactive">{t("incident.mineEmpty")}</Box>
        )
      }
      columnDefinitions={[
        { id: "at", header: t("incident.reportedAt"), cell: (i) => i18n.dateTime(i.reported_at), isRowHeader: true },
        { id: "category", header: t("incident.colCategory"), cell: (i) => i18n.label("incident.cat", i.category) },
        { id: "severity", header: t("incident.colSeverity"), cell: (i) => i18n.label("incident.sevShort", i.severity) },
        { id: "description", header: t("incident.colDescription"), cell: (i) => i.description },
        {
          id: "status",
          header: t("incident.status"),
          cell: (i) => (
            <StatusIndicator type={STATUS_TYPE[i.status] ?? "info"}>{i18n.label("incident.st", i.status)}</StatusIndicator>
          ),
        },
        { id: "resolution", header: t("incident.resolution"), cell: (i) => i.resolution ?? t("common.none") },
      ]}
    />
  );
}

export function IncidentsPage() {
  const { t } = useI18n();
  const [round, setRound] = useState(0);
  const reported = useCallback(() => setRound((n) => n + 1), []);
  return (
    <ContentLayout header={<Header variant="h1" description={t("incident.description")}>{t("incident.title")}</Header>}>
      <SpaceBetween size="l">
        <ReportForm onReported={reported} />
        <MyReports round={round} />
      </SpaceBetween>
    </ContentLayout>
  );
}
