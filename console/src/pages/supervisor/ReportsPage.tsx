/**
 * Raporlar / Reports (directives 7(c), 7(d)): the system's health at a glance, then the stored monthly reports —
 * opened as the e-mail the recipients get, the workbook downloaded, sent or sent again, rebuilt from the records.
 */
import { useCallback, useEffect, useRef, useState } from "react";

import Alert from "@cloudscape-design/components/alert";
import Box from "@cloudscape-design/components/box";
import Button from "@cloudscape-design/components/button";
import ColumnLayout from "@cloudscape-design/components/column-layout";
import Container from "@cloudscape-design/components/container";
import ContentLayout from "@cloudscape-design/components/content-layout";
import FormField from "@cloudscape-design/components/form-field";
import Header from "@cloudscape-design/components/header";
import Input, { type InputProps } from "@cloudscape-design/components/input";
import SpaceBetween from "@cloudscape-design/components/space-between";
import Spinner from "@cloudscape-design/components/spinner";
import StatusIndicator, { type StatusIndicatorProps } from "@cloudscape-design/components/status-indicator";
import Table from "@cloudscape-design/components/table";

import { ApiError } from "../../api/client";
import type { Health, HealthCheck, ReportSummary } from "../../api/supervisor";
import type { MessageKey, Vars } from "../../i18n";
import { useI18n, type I18n } from "../../i18n/react";
import { useNotify } from "../../state/notifications";
import { ConfirmDialog, counterOf, describeSupervisorError, ErrorAlert, istanbulMonth, MoreButton, saveBlob, usePaged, useSupervisorApi } from "./common";
import { applyReportStyles, prepareReportHtml, type PreparedReport } from "./reportHtml";

export const MONTH = /^\d{4}-(0[1-9]|1[0-2])$/;
const SEND_POLL_MS = 3000;

const CHECK_TYPE: Record<string, StatusIndicatorProps.Type> = { ok: "success", stale: "warning", failing: "error" };
const CHECK_LABEL: Record<string, MessageKey> = {
  tables: "health.check.tables",
  ses: "health.check.ses",
  connect: "health.check.connect",
  contact_events: "health.check.contact_events",
  dead_letters: "health.check.dead_letters",
};

/** One line under a check: what it found, in words (statuses, ages and counts only: the API gives nothing else). */
export function checkDetail(name: string, check: HealthCheck, i18n: Pick<I18n, "t" | "number" | "dateTime">): string {
  const { t } = i18n;
  if (typeof check.error === "string") return t("health.detail.error", { code: check.error });
  if (name === "tables" && check.tables && typeof check.tables === "object") {
    const statuses = Object.values(check.tables as Record<string, string>);
    return t("health.detail.tables", { active: statuses.filter((s) => s === "ACTIVE").length, total: statuses.length });
  }
  if (name === "ses") {
    return t("health.detail.ses", {
      sent: i18n.number(Number(check.sent_24h ?? 0)),
      max: Number(check.max_24h) < 0 ? "∞" : i18n.number(Number(check.max_24h ?? 0)),
    });
  }
  if (name === "connect") return t("health.detail.connect", { status: String(check.instance_status ?? "—") });
  if (name === "contact_events") {
    if (!check.last_event_at) return t("health.detail.noEvents");
    return t("health.detail.events", {
      at: i18n.dateTime(String(check.last_event_at)),
      minutes: i18n.number(Number(check.age_minutes ?? 0)),
    });
  }
  if (name === "dead_letters" && check.queues && typeof check.queues === "object") {
    const waiting = Object.values(check.queues as Record<string, number | string>).reduce<number>(
      (sum, v) => sum + (typeof v === "number" ? v : 0),
      0,
    );
    return t("health.detail.deadLetters", { count: i18n.number(waiting) });
  }
  return "";
}

function HealthPanel() {
  const i18n = useI18n();
  const { t } = i18n;
  const api = useSupervisorApi();
  const [health, setHealth] = useState<{ status: number; body: Health } | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [loading, setLoading] = useState(true);
  const [version, setVersion] = useState(0);

  useEffect(() => {
    const abort = new AbortController();
    setLoading(true);
    api.health(abort.signal).then(
      (answer) => {
        setHealth(answer);
        setError(null);
        setLoading(false);
      },
      (problem: unknown) => {
        if (abort.signal.aborted) return;
        setError(problem);
        setLoading(false);
      },
    );
    return () => abort.abort();
  }, [api, version]);

  const body = health?.body;
  return (
    <Container
      header={
        <Header
          variant="h2"
          description={body ? t("health.checkedAt", { time: i18n.dateTime(body.checked_at) }) : t("health.description")}
          actions={
            <Button iconName="refresh" loading={loading} onClick={() => setVersion((v) => v + 1)} ariaLabel={t("health.refresh")}>
              {t("common.refresh")}
            </Button>
          }
        >
          {t("health.title")}
        </Header>
      }
    >
      {error !== null && <ErrorAlert error={error} />}
      {!body && error === null && <Spinner />}
      {body && (
        <SpaceBetween size="m">
          <StatusIndicator type={body.status === "ok" ? "success" : "error"}>
            {t(body.status === "ok" ? "health.ok" : "health.degraded")}
          </StatusIndicator>
          <ColumnLayout columns={5} variant="text-grid" minColumnWidth={170}>
            {Object.entries(body.checks).map(([name, check]) => (
              <div key={name} data-check={name}>
                <Box variant="awsui-key-label">{CHECK_LABEL[name] ? t(CHECK_LABEL[name]) : name}</Box>
                <StatusIndicator type={CHECK_TYPE[check.status] ?? "info"}>{i18n.label("health.status", check.status)}</StatusIndicator>
                <Box variant="small" display="block">
                  {checkDetail(name, check, i18n)}
                </Box>
              </div>
            ))}
          </ColumnLayout>
        </SpaceBetween>
      )}
    </Container>
  );
}

/** The e-mail as its recipients see it, in a sandboxed frame without scripts. */
function ReportViewer({ month, onClose }: { month: string; onClose(): void }) {
  const { t } = useI18n();
  const api = useSupervisorApi();
  const [prepared, setPrepared] = useState<PreparedReport | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [height, setHeight] = useState(600);
  const frame = useRef<HTMLIFrameElement>(null);
  const heading = useRef<HTMLHeadingElement>(null);

  useEffect(() => {
    const abort = new AbortController();
    setPrepared(null);
    setError(null);
    api.reportHtml(month, abort.signal).then(
      (html) => setPrepared(prepareReportHtml(html, (alt) => t("reports.chartInEmail", { alt }))),
      (problem: unknown) => {
        if (!abort.signal.aborted) setError(problem);
      },
    );
    heading.current?.focus();
    return () => abort.abort();
  }, [api, month, t]);

  return (
    <Container
      header={
        <Header variant="h2" actions={<Button onClick={onClose}>{t("reports.closeViewer")}</Button>} description={t("reports.viewerHint")}>
          <span ref={heading} tabIndex={-1} className="focus-target">
            {t("reports.viewerTitle", { month })}
          </span>
        </Header>
      }
    >
      {error !== null && <ErrorAlert error={error} />}
      {!prepared && error === null && <Spinner size="large" />}
      {prepared && (
        <iframe
          ref={frame}
          className="report-frame"
          title={t("reports.viewerTitle", { month })}
          sandbox="allow-same-origin"
          srcDoc={prepared.html}
          style={{ height }}
          onLoad={() => {
            if (frame.current) setHeight(Math.max(400, applyReportStyles(frame.current, prepared.sheets) + 16));
          }}
        />
      )}
    </Container>
  );
}

type Confirming = { kind: "send" | "rebuild"; month: string; report: ReportSummary | null; force: boolean } | null;

function confirmText(c: NonNullable<Confirming>, t: (key: MessageKey, vars?: Vars) => string, i18n: I18n): string {
  if (c.kind === "rebuild") return t("reports.rebuild.body", { month: c.month });
  const recipients = c.report?.recipients.length ? c.report.recipients.join(", ") : t("reports.send.usualRecipients");
  if (c.force) {
    return t("reports.resend.body", { month: c.month, sent: c.report?.sent_at ? i18n.dateTime(c.report.sent_at) : "—", recipients });
  }
  return t("reports.send.body", { month: c.month, recipients });
}

export default function ReportsPage() {
  const i18n = useI18n();
  const { t } = i18n;
  const api = useSupervisorApi();
  const notify = useNotify();
  const [version, setVersion] = useState(0);
  const load = useCallback((next: string | null, signal: AbortSignal) => api.reports(next, signal), [api]);
  const paged = usePaged(load, String(version));
  const [selected, setSelected] = useState<ReportSummary | null>(null);
  const [viewing, setViewing] = useState<string | null>(null);
  const [typed, setTyped] = useState(istanbulMonth(new Date(), 1));
  const [typedError, setTypedError] = useState<string | null>(null);
  const typedRef = useRef<InputProps.Ref>(null);
  const [downloading, setDownloading] = useState(false);
  const [confirming, setConfirming] = useState<Confirming>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  const current = selected ? (paged.items.find((r) => r.month === selected.month) ?? selected) : null;
  const listed = (month: string) => paged.items.find((r) => r.month === month) ?? null;

  // A send is the report function's job, a minute or two: look again every few seconds until it shows as sent.
  const [sending, setSending] = useState<{ month: string; since: string | null } | null>(null);
  useEffect(() => {
    if (!sending) return;
    const shown = paged.items.find((r) => r.month === sending.month);
    if (shown?.sent_at && shown.sent_at !== sending.since) {
      setSending(null);
      return;
    }
    const timer = window.setTimeout(() => setVersion((v) => v + 1), SEND_POLL_MS);
    return () => window.clearTimeout(timer);
  }, [sending, paged.items]);

  const typedMonth = (): string | null => {
    const month = typed.trim();
    if (!MONTH.test(month)) {
      setTypedError(t("reports.month.invalid"));
      typedRef.current?.focus();
      return null;
    }
    setTypedError(null);
    return month;
  };

  const download = async (month: string) => {
    setDownloading(true);
    try {
      saveBlob(await api.reportWorkbook(month), `cagri-rapor-${month}.xlsx`);
    } catch (problem) {
      notify({ type: "error", content: describeSupervisorError(problem, t) });
    } finally {
      setDownloading(false);
    }
  };

  const ask = (kind: "send" | "rebuild", month: string) => {
    const report = listed(month);
    setConfirming({ kind, month, report, force: kind === "send" && Boolean(report?.sent_at) });
    setError(null);
  };

  const run = async () => {
    if (!confirming) return;
    setBusy(true);
    setError(null);
    try {
      if (confirming.kind === "rebuild") {
        await api.rebuildReport(confirming.month);
        notify({ type: "success", content: t("reports.rebuilt", { month: confirming.month }) });
        setConfirming(null);
      } else {
        const sent = await api.sendReport(confirming.month, confirming.force);
        if (sent.status === "already_sent") {
          // Sent meanwhile (or by the monthly job): say so, and offer to send again on purpose.
          setConfirming({ ...confirming, force: true });
          setError(t("reports.send.already"));
          return;
        }
        notify({ type: "success", content: t("reports.queued", { month: sent.month, recipients: sent.recipients.join(", ") }) });
        setSending({ month: sent.month, since: listed(sent.month)?.sent_at ?? null });
        setConfirming(null);
      }
      setVersion((v) => v + 1);
    } catch (problem) {
      setError(
        problem instanceof ApiError && problem.status === 404 && confirming.kind === "send"
          ? t("reports.send.noReport", { month: confirming.month })
          : describeSupervisorError(problem, t),
      );
    } finally {
      setBusy(false);
    }
  };

  return (
    <ContentLayout
      header={
        <Header variant="h1" description={t("reports.description")}>
          {t("nav.reports")}
        </Header>
      }
    >
      <SpaceBetween size="l">
        <HealthPanel />
        <Table
          variant="container"
          header={
            <Header
              variant="h2"
              counter={counterOf(paged)}
              actions={
                <SpaceBetween direction="horizontal" size="xs">
                  <Button disabled={!current} onClick={() => current && setViewing(current.month)}>
                    {t("reports.open")}
                  </Button>
                  <Button disabled={!current} loading={downloading} iconName="download" onClick={() => current && void download(current.month)}>
                    {t("reports.workbook")}
                  </Button>
                  <Button disabled={!current} onClick={() => current && ask("send", current.month)}>
                    {current?.sent_at ? t("reports.resend") : t("reports.send")}
                  </Button>
                  <Button disabled={!current} onClick={() => current && ask("rebuild", current.month)}>
                    {t("reports.rebuild")}
                  </Button>
                </SpaceBetween>
              }
            >
              {t("reports.list")}
            </Header>
          }
          selectionType="single"
          selectedItems={current ? [current] : []}
          onSelectionChange={({ detail }) => setSelected(detail.selectedItems[0] ?? null)}
          trackBy="month"
          ariaLabels={{
            tableLabel: t("reports.list"),
            selectionGroupLabel: t("reports.select"),
            itemSelectionLabel: (_, r) => t("reports.selectOne", { month: r.month }),
          }}
          items={paged.items}
          wrapLines
          loading={paged.loading && paged.items.length === 0}
          loadingText={t("common.loading")}
          empty={paged.error ? <ErrorAlert error={paged.error} onRetry={paged.reload} /> : <Box textAlign="center">{t("reports.empty")}</Box>}
          footer={<MoreButton paged={paged} label={t("reports.list")} />}
          columnDefinitions={[
            {
              id: "month",
              header: t("reports.month"),
              isRowHeader: true,
              cell: (r) => (
                <Button variant="inline-link" onClick={() => setViewing(r.month)} ariaLabel={t("reports.openLabel", { month: r.month })}>
                  {r.month}
                </Button>
              ),
            },
            { id: "built", header: t("reports.builtAt"), cell: (r) => i18n.dateTime(r.built_at) },
            {
              id: "sent",
              header: t("reports.sentAt"),
              cell: (r) =>
                r.sent_at ? (
                  <StatusIndicator type="success">{i18n.dateTime(r.sent_at)}</StatusIndicator>
                ) : (
                  <StatusIndicator type="pending">{t("reports.notSent")}</StatusIndicator>
                ),
            },
            { id: "recipients", header: t("reports.recipients"), cell: (r) => r.recipients.join(", ") || t("common.none") },
          ]}
        />
        <Container header={<Header variant="h2" description={t("reports.byMonth.description")}>{t("reports.byMonth")}</Header>}>
          <form
            onSubmit={(event) => {
              event.preventDefault();
              const month = typedMonth();
              if (month) setViewing(month);
            }}
          >
            <SpaceBetween direction="horizontal" size="xs" alignItems="end">
              <FormField label={t("reports.month")} description="YYYY-MM" errorText={typedError} controlId="report-month">
                <Input ref={typedRef} controlId="report-month" value={typed} onChange={({ detail }) => setTyped(detail.value)} invalid={Boolean(typedError)} />
              </FormField>
              <Button formAction="submit">{t("reports.open")}</Button>
              <Button
                iconName="download"
                loading={downloading}
                formAction="none"
                onClick={() => {
                  const month = typedMonth();
                  if (month) void download(month);
                }}
              >
                {t("reports.workbook")}
              </Button>
              <Button
                formAction="none"
                onClick={() => {
                  const month = typedMonth();
                  if (month) ask("send", month);
                }}
              >
                {t("reports.send")}
              </Button>
              <Button
                formAction="none"
                onClick={() => {
                  const month = typedMonth();
                  if (month) ask("rebuild", month);
                }}
              >
                {t("reports.rebuild")}
              </Button>
            </SpaceBetween>
          </form>
        </Container>
        {viewing && <ReportViewer month={viewing} onClose={() => setViewing(null)} />}
      </SpaceBetween>
      <ConfirmDialog
        visible={confirming !== null}
        header={
          confirming
            ? t(confirming.kind === "rebuild" ? "reports.rebuild.title" : confirming.force ? "reports.resend.title" : "reports.send.title", {
                month: confirming.month,
              })
            : ""
        }
        confirmLabel={
          confirming?.kind === "rebuild" ? t("reports.rebuild.confirm") : confirming?.force ? t("reports.resend.confirm") : t("reports.send.confirm")
        }
        busy={busy}
        error={error}
        onCancel={() => setConfirming(null)}
        onConfirm={() => void run()}
      >
        {confirming && <Box variant="p">{confirmText(confirming, t, i18n)}</Box>}
      </ConfirmDialog>
      {paged.error !== null && paged.items.length > 0 && <Alert type="error">{describeSupervisorError(paged.error, t)}</Alert>}
    </ContentLayout>
  );
}
