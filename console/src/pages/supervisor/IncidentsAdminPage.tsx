/**
 * Arızalar / Incidents (directives 8(b), 7(d)): what agents reported, open ones first; acknowledge (the agent
 * sees someone took it), resolve with a note of what was done (the agent sees the note).
 */
import { useCallback, useRef, useState, type ReactNode } from "react";

import Box from "@cloudscape-design/components/box";
import Button from "@cloudscape-design/components/button";
import ContentLayout from "@cloudscape-design/components/content-layout";
import ExpandableSection from "@cloudscape-design/components/expandable-section";
import FormField from "@cloudscape-design/components/form-field";
import Header from "@cloudscape-design/components/header";
import SpaceBetween from "@cloudscape-design/components/space-between";
import StatusIndicator from "@cloudscape-design/components/status-indicator";
import Table, { type TableProps } from "@cloudscape-design/components/table";
import Textarea, { type TextareaProps } from "@cloudscape-design/components/textarea";

import type { Incident } from "../../api/types";
import type { SupervisedIncident } from "../../api/supervisor";
import { useI18n } from "../../i18n/react";
import { useNotify } from "../../state/notifications";
import { ConfirmDialog, counterOf, describeSupervisorError, ErrorAlert, MoreButton, usePaged, useSupervisorApi, type Paged } from "./common";

const RESOLUTION_MAX = 2000;
const SEVERITY_TYPE = { high: "error", medium: "warning", low: "info" } as const;

function useIncidents(status: Incident["status"], version: number): Paged<SupervisedIncident> {
  const api = useSupervisorApi();
  const load = useCallback((next: string | null, signal: AbortSignal) => api.incidents(status, next, signal), [api, status]);
  return usePaged(load, `${status}-${version}`);
}

function IncidentTable({
  title,
  description,
  paged,
  actions,
  resolved = false,
  embedded = false,
}: {
  title: string;
  description?: string;
  paged: Paged<SupervisedIncident>;
  actions?: (incident: SupervisedIncident) => ReactNode;
  resolved?: boolean;
  /** Inside the "resolved" section, whose header already names it. */
  embedded?: boolean;
}) {
  const i18n = useI18n();
  const { t } = i18n;
  const columns: TableProps.ColumnDefinition<SupervisedIncident>[] = [
    {
      id: "severity",
      header: t("incident.colSeverity"),
      cell: (i) => (
        <StatusIndicator type={SEVERITY_TYPE[i.severity] ?? "info"} wrapText={false}>
          {i18n.label("incident.sevShort", i.severity)}
        </StatusIndicator>
      ),
      minWidth: 110,
    },
    { id: "category", header: t("incident.colCategory"), cell: (i) => i18n.label("incident.cat", i.category), isRowHeader: true, minWidth: 120 },
    { id: "description", header: t("incident.colDescription"), cell: (i) => <span className="incident-text">{i.description}</span>, minWidth: 240 },
    { id: "by", header: t("incidents.reportedBy"), cell: (i) => i.reported_by, minWidth: 110 },
    { id: "at", header: t("incident.reportedAt"), cell: (i) => i18n.dateTime(i.reported_at), minWidth: 150 },
  ];
  if (resolved) {
    columns.push(
      { id: "resolution", header: t("incident.resolution"), cell: (i) => <span className="incident-text">{i.resolution ?? t("common.none")}</span>, minWidth: 220 },
      { id: "resolvedAt", header: t("incidents.resolvedAt"), cell: (i) => `${i18n.dateTime(i.resolved_at)} · ${i.resolved_by ?? ""}`, minWidth: 170 },
    );
  } else {
    columns.push({
      id: "taken",
      header: t("incidents.acknowledgedBy"),
      cell: (i) => (i.acknowledged_by ? `${i.acknowledged_by} · ${i18n.time(i.acknowledged_at)}` : t("common.none")),
    });
  }
  if (actions) columns.push({ id: "actions", header: t("incidents.actions"), cell: actions, minWidth: 190 });
  return (
    <Table
      variant={embedded ? "embedded" : "container"}
      header={
        embedded ? undefined : (
          <Header variant="h2" counter={counterOf(paged)} description={description}>
            {title}
          </Header>
        )
      }
      ariaLabels={{ tableLabel: title }}
      items={paged.items}
      trackBy="incident_id"
      wrapLines
      loading={paged.loading && paged.items.length === 0}
      loadingText={t("common.loading")}
      empty={paged.error ? <ErrorAlert error={paged.error} onRetry={paged.reload} /> : <Box textAlign="center">{t("incidents.empty")}</Box>}
      footer={<MoreButton paged={paged} label={title} />}
      columnDefinitions={columns}
    />
  );
}

/** Read only when opened: the resolved ones are history. */
function ResolvedIncidents({ version }: { version: number }) {
  const { t } = useI18n();
  const resolved = useIncidents("RESOLVED", version);
  return <IncidentTable title={t("incidents.resolvedList")} paged={resolved} resolved embedded />;
}

export default function IncidentsAdminPage() {
  const { t } = useI18n();
  const i18n = useI18n();
  const api = useSupervisorApi();
  const notify = useNotify();
  const [version, setVersion] = useState(0);
  const open = useIncidents("OPEN", version);
  const acknowledged = useIncidents("ACKNOWLEDGED", version);
  const [showResolved, setShowResolved] = useState(false);
  const [working, setWorking] = useState<string | null>(null);
  const [resolving, setResolving] = useState<SupervisedIncident | null>(null);
  const [note, setNote] = useState("");
  const [noteError, setNoteError] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const noteRef = useRef<TextareaProps.Ref>(null);

  const what = (i: SupervisedIncident) => `${i18n.label("incident.cat", i.category)}, ${i18n.dateTime(i.reported_at)}`;

  const acknowledge = async (incident: SupervisedIncident) => {
    setWorking(incident.incident_id);
    try {
      await api.acknowledge(incident.incident_id);
      notify({ type: "success", content: t("incidents.acknowledged", { what: what(incident) }) });
      setVersion((v) => v + 1);
    } catch (problem) {
      notify({ type: "error", content: describeSupervisorError(problem, t) });
      setVersion((v) => v + 1);
    } finally {
      setWorking(null);
    }
  };

  const resolve = async () => {
    if (!resolving) return;
    const text = note.trim();
    if (!text || text.length > RESOLUTION_MAX) {
      setNoteError(t("incidents.resolve.required", { max: RESOLUTION_MAX }));
      return noteRef.current?.focus();
    }
    setBusy(true);
    setError(null);
    try {
      await api.resolve(resolving.incident_id, text);
      notify({ type: "success", content: t("incidents.resolved", { what: what(resolving) }) });
      setResolving(null);
      setVersion((v) => v + 1);
    } catch (problem) {
      setError(describeSupervisorError(problem, t));
    } finally {
      setBusy(false);
    }
  };

  const startResolving = (incident: SupervisedIncident) => {
    setResolving(incident);
    setNote("");
    setNoteError(null);
    setError(null);
  };

  const actions = (incident: SupervisedIncident) => (
    <SpaceBetween direction="horizontal" size="xs">
      {incident.status === "OPEN" && (
        <Button
          onClick={() => void acknowledge(incident)}
          loading={working === incident.incident_id}
          ariaLabel={t("incidents.acknowledgeLabel", { what: what(incident) })}
        >
          {t("incidents.acknowledge")}
        </Button>
      )}
      <Button onClick={() => startResolving(incident)} ariaLabel={t("incidents.resolveLabel", { what: what(incident) })}>
        {t("incidents.resolve")}
      </Button>
    </SpaceBetween>
  );

  return (
    <ContentLayout
      header={
        <Header
          variant="h1"
          description={t("incidents.description")}
          actions={
            <Button iconName="refresh" onClick={() => setVersion((v) => v + 1)}>
              {t("common.refresh")}
            </Button>
          }
        >
          {t("nav.incidentsAdmin")}
        </Header>
      }
    >
      <SpaceBetween size="l">
        <IncidentTable title={t("incidents.open")} description={t("incidents.openHint")} paged={open} actions={actions} />
        <IncidentTable title={t("incidents.taken")} paged={acknowledged} actions={actions} />
        <ExpandableSection
          variant="container"
          headerText={t("incidents.resolvedList")}
          expanded={showResolved}
          onChange={({ detail }) => setShowResolved(detail.expanded)}
        >
          {showResolved && <ResolvedIncidents version={version} />}
        </ExpandableSection>
      </SpaceBetween>
      <ConfirmDialog
        visible={resolving !== null}
        header={t("incidents.resolve.title")}
        confirmLabel={t("incidents.resolve.confirm")}
        busy={busy}
        error={error}
        onCancel={() => setResolving(null)}
        onConfirm={() => void resolve()}
      >
        {resolving && (
          <SpaceBetween size="m">
            <Box variant="p">
              <strong>{what(resolving)}</strong> · {resolving.reported_by}
              <br />
              <span className="incident-text">{resolving.description}</span>
            </Box>
            <FormField
              label={t("incidents.resolve.note")}
              description={t("incidents.resolve.noteHint")}
              errorText={noteError}
              controlId="incident-resolution"
            >
              <Textarea
                ref={noteRef}
                controlId="incident-resolution"
                value={note}
                rows={3}
                invalid={Boolean(noteError)}
                onChange={({ detail }) => setNote(detail.value)}
              />
            </FormField>
          </SpaceBetween>
        )}
      </ConfirmDialog>
    </ContentLayout>
  );
}
