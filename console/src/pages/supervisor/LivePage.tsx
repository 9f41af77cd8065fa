/**
 * Merkez şimdi / The centre now (issue 16, directive 7(a)): what needs doing now first (the alerts), then the
 * queue and the agents, the work waiting, today so far, today by hour beside the same weekday's average of
 * the last four weeks, and the thresholds. One request (GET /live) every 15 seconds while the tab is shown.
 */
import { useCallback, type ReactNode } from "react";
import { useSearchParams } from "react-router";

import Alert from "@cloudscape-design/components/alert";
import Box from "@cloudscape-design/components/box";
import Button from "@cloudscape-design/components/button";
import ColumnLayout from "@cloudscape-design/components/column-layout";
import Container from "@cloudscape-design/components/container";
import ContentLayout from "@cloudscape-design/components/content-layout";
import ExpandableSection from "@cloudscape-design/components/expandable-section";
import Header from "@cloudscape-design/components/header";
import Link from "@cloudscape-design/components/link";
import MixedLineBarChart, { type MixedLineBarChartProps } from "@cloudscape-design/components/mixed-line-bar-chart";
import SpaceBetween from "@cloudscape-design/components/space-between";
import Spinner from "@cloudscape-design/components/spinner";
import StatusIndicator from "@cloudscape-design/components/status-indicator";
import Table from "@cloudscape-design/components/table";

import type { AlertFigure, AlertLevel, Live, LiveAlert } from "../../api/supervisor";
import { usePanelHref, useFollow } from "../../app/links";
import type { MessageKey } from "../../i18n";
import { useI18n, type I18n } from "../../i18n/react";
import { describeSupervisorError, ErrorAlert, useSupervisorApi } from "./common";
import { ThresholdsEditor } from "./ThresholdsEditor";
import { usePolling } from "./usePolling";

export const LIVE_INTERVAL_MS = 15_000;

const FIGURE_LABEL: Record<AlertFigure, MessageKey> = {
  longest_wait_now_seconds: "live.longestWait",
  lost_last_30_minutes: "live.lost30",
  callbacks_overdue: "live.callbacksOverdue",
};

/** Critical first, then warnings; in each, the order the API gave. */
export function alertOrder(alerts: readonly LiveAlert[]): LiveAlert[] {
  const rank = (a: LiveAlert) => (a.level === "critical" ? 0 : 1);
  return alerts.map((a, i) => [a, i] as const).sort((x, y) => rank(x[0]) - rank(y[0]) || x[1] - y[1]).map(([a]) => a);
}

/** The highest level the alerts give a figure, or null. */
export function levelOf(alerts: readonly LiveAlert[], figure: AlertFigure): AlertLevel | null {
  const levels = alerts.filter((a) => a.figure === figure).map((a) => a.level);
  return levels.includes("critical") ? "critical" : levels.includes("warning") ? "warning" : null;
}

/** Agents' counts come from Amazon Connect's real-time API; null means it could not be asked. */
export function agentsText(i18n: Pick<I18n, "t" | "number">, value: number | null): string {
  return value === null ? i18n.t("live.unknown") : i18n.number(value);
}

function AgentsFigure({ value }: { value: number | null }) {
  const i18n = useI18n();
  if (value !== null) return <>{i18n.number(value)}</>;
  return <span className="figure-unknown">{agentsText(i18n, value)}</span>;
}

/** The figure an alert is about, as the screen shows it. */
export function figureValue(i18n: Pick<I18n, "duration" | "number">, live: Live, figure: AlertFigure): string {
  if (figure === "longest_wait_now_seconds") return i18n.duration(live.longest_wait_now_seconds);
  if (figure === "lost_last_30_minutes") return i18n.number(live.lost_last_30_minutes);
  return i18n.number(live.callbacks.overdue);
}

export function thresholdValue(i18n: Pick<I18n, "duration" | "number">, live: Live, figure: AlertFigure): string {
  if (figure === "longest_wait_now_seconds") return i18n.duration(live.thresholds.longest_wait_seconds);
  if (figure === "lost_last_30_minutes") return i18n.number(live.thresholds.lost_last_30_minutes);
  return i18n.number(live.thresholds.callbacks_overdue);
}

/** An `?at=` as typed in an address bar: a "+03:00" arrives as " 03:00". */
export function atOf(raw: string | null): string | null {
  const value = raw?.trim();
  return value ? value.replace(/ (\d{2}:?\d{2})$/, "+$1") : null;
}

const TONE: Record<AlertLevel, "text-status-error" | "text-status-warning"> = {
  critical: "text-status-error",
  warning: "text-status-warning",
};

function Figure({
  label,
  value,
  level = null,
  testId,
}: {
  label: string;
  value: ReactNode;
  level?: AlertLevel | null;
  testId?: string;
}) {
  const { t } = useI18n();
  return (
    <div data-figure={testId} className="live-figure">
      <div className="live-figure-label">
        <Box variant="awsui-key-label">{label}</Box>
        {level && (
          <StatusIndicator type={level === "critical" ? "error" : "warning"}>
            {t(level === "critical" ? "live.level.critical" : "live.level.warning")}
          </StatusIndicator>
        )}
      </div>
      <Box fontSize="display-l" fontWeight="bold" color={level ? TONE[level] : undefined} tagOverride="div">
        <span className="figure-value">{value}</span>
      </Box>
    </div>
  );
}

function Alerts({ live }: { live: Live }) {
  const i18n = useI18n();
  const { t, lang } = i18n;
  const alerts = alertOrder(live.alerts);
  if (alerts.length === 0) {
    return (
      <Box>
        <StatusIndicator type="success">{t("live.noAlerts")}</StatusIndicator>
      </Box>
    );
  }
  return (
    <SpaceBetween size="s">
      {alerts.map((alert, index) => (
        <Alert
          key={`${alert.figure}-${index}`}
          type={alert.level === "critical" ? "error" : "warning"}
          statusIconAriaLabel={t(alert.level === "critical" ? "live.level.critical" : "live.level.warning")}
          header={lang === "tr" ? alert.message_tr : alert.message_en}
        >
          {t("live.alertFigure", {
            figure: t(FIGURE_LABEL[alert.figure]),
            value: figureValue(i18n, live, alert.figure),
            threshold: thresholdValue(i18n, live, alert.figure),
          })}
        </Alert>
      ))}
    </SpaceBetween>
  );
}

function HourChart({ live }: { live: Live }) {
  const i18n = useI18n();
  const { t } = i18n;
  const hours = live.by_hour.map((h) => String(h.hour).padStart(2, "0"));
  const series: MixedLineBarChartProps.ChartSeries<string>[] = [
    {
      type: "bar",
      title: t("live.chart.inbound"),
      data: live.by_hour.map((h, i) => ({ x: hours[i]!, y: h.inbound })),
      valueFormatter: (v) => i18n.number(v),
    },
    {
      type: "bar",
      title: t("live.chart.abandoned"),
      data: live.by_hour.map((h, i) => ({ x: hours[i]!, y: h.abandoned })),
      valueFormatter: (v) => i18n.number(v),
    },
    {
      type: "line",
      title: t("live.chart.baseline"),
      data: live.by_hour.flatMap((h, i) => (h.baseline.inbound === null ? [] : [{ x: hours[i]!, y: h.baseline.inbound }])),
      valueFormatter: (v) => i18n.number(v),
    },
  ];
  return (
    <SpaceBetween size="m">
      <MixedLineBarChart
        series={series}
        xDomain={hours}
        xScaleType="categorical"
        xTitle={t("live.chart.hour")}
        yTitle={t("live.chart.calls")}
        height={220}
        hideFilter
        ariaLabel={t("live.chart.title")}
        ariaDescription={t("live.chart.description")}
        empty={<Box textAlign="center">{t("live.chart.empty")}</Box>}
        noMatch={<Box textAlign="center">{t("live.chart.empty")}</Box>}
        i18nStrings={{ detailPopoverDismissAriaLabel: t("common.close") }}
      />
      <ExpandableSection headerText={t("live.chart.asTable")}>
        <Table
          variant="embedded"
          ariaLabels={{ tableLabel: t("live.chart.title") }}
          items={live.by_hour}
          trackBy="hour"
          columnDefinitions={[
            { id: "hour", header: t("live.chart.hour"), cell: (h) => `${String(h.hour).padStart(2, "0")}:00` },
            { id: "inbound", header: t("live.today.inbound"), cell: (h) => i18n.number(h.inbound) },
            { id: "baseline", header: t("live.chart.baseline"), cell: (h) => i18n.number(h.baseline.inbound) },
            { id: "answered", header: t("live.today.answered"), cell: (h) => i18n.number(h.answered) },
            { id: "abandoned", header: t("live.today.abandoned"), cell: (h) => i18n.number(h.abandoned) },
            { id: "dropped", header: t("live.today.systemDropped"), cell: (h) => i18n.number(h.system_dropped) },
            { id: "sl", header: t("live.today.serviceLevel"), cell: (h) => i18n.percent(h.service_level) },
          ]}
        />
      </ExpandableSection>
    </SpaceBetween>
  );
}

function Figures({ live }: { live: Live }) {
  const i18n = useI18n();
  const { t } = i18n;
  const follow = useFollow();
  const incidents = usePanelHref("/supervisor/incidents");
  const wait = levelOf(live.alerts, "longest_wait_now_seconds");
  const lost = levelOf(live.alerts, "lost_last_30_minutes");
  const overdue = levelOf(live.alerts, "callbacks_overdue");
  return (
    <SpaceBetween size="l">
      <Container header={<Header variant="h2">{t("live.now")}</Header>}>
        <ColumnLayout columns={5} variant="text-grid" minColumnWidth={190}>
          <Figure testId="in_queue_now" label={t("live.inQueue")} value={i18n.number(live.in_queue_now)} />
          <Figure
            testId="longest_wait_now_seconds"
            label={t("live.longestWait")}
            value={i18n.duration(live.longest_wait_now_seconds)}
            level={wait}
          />
          <Figure
            testId="lost_last_30_minutes"
            label={t("live.lost30")}
            value={i18n.number(live.lost_last_30_minutes)}
            level={lost}
          />
          <Figure testId="agents_online" label={t("live.agentsOnline")} value={<AgentsFigure value={live.agents.online} />} />
          <Figure
            testId="agents_available"
            label={t("live.agentsAvailable")}
            value={<AgentsFigure value={live.agents.available} />}
          />
        </ColumnLayout>
      </Container>
      <Container header={<Header variant="h2">{t("live.waiting")}</Header>}>
        <ColumnLayout columns={6} variant="text-grid" minColumnWidth={150}>
          <Figure testId="callbacks_overdue" label={t("live.callbacksOverdue")} value={i18n.number(live.callbacks.overdue)} level={overdue} />
          <Figure testId="callbacks_due" label={t("live.callbacksDue")} value={i18n.number(live.callbacks.due)} />
          <Figure testId="referrals_overdue" label={t("live.referralsOverdue")} value={i18n.number(live.referrals.overdue)} />
          <Figure testId="referrals_waiting" label={t("live.referralsWaiting")} value={i18n.number(live.referrals.waiting_for_units)} />
          <Figure testId="answers_to_return" label={t("live.answersToReturn")} value={i18n.number(live.referrals.answers_to_return)} />
          <Figure
            testId="incidents_open"
            label={t("live.incidentsOpen")}
            value={
              live.incidents_open > 0 ? (
                <Link href={incidents} onFollow={follow} fontSize="inherit" ariaLabel={t("live.incidentsLink", { count: live.incidents_open })}>
                  {i18n.number(live.incidents_open)}
                </Link>
              ) : (
                i18n.number(0)
              )
            }
          />
        </ColumnLayout>
      </Container>
      <Container header={<Header variant="h2">{t("live.today")}</Header>}>
        <ColumnLayout columns={7} variant="text-grid" minColumnWidth={130}>
          <Figure testId="inbound" label={t("live.today.inbound")} value={i18n.number(live.today.inbound)} />
          <Figure testId="queued" label={t("live.today.queued")} value={i18n.number(live.today.queued)} />
          <Figure testId="answered" label={t("live.today.answered")} value={i18n.number(live.today.answered)} />
          <Figure testId="abandoned" label={t("live.today.abandoned")} value={i18n.number(live.today.abandoned)} />
          <Figure
            testId="system_dropped"
            label={t("live.today.systemDropped")}
            value={i18n.number(live.today.system_dropped)}
          />
          <Figure
            testId="service_level"
            label={t("live.today.serviceLevel")}
            value={i18n.percent(live.today.service_level)}
          />
          <Figure testId="asa" label={t("live.today.asa")} value={i18n.duration(live.today.asa_seconds)} />
        </ColumnLayout>
      </Container>
      <Container
        header={
          <Header variant="h2" description={t("live.chart.description")}>
            {t("live.chart.title")}
          </Header>
        }
      >
        <HourChart live={live} />
      </Container>
    </SpaceBetween>
  );
}

export default function LivePage() {
  const i18n = useI18n();
  const { t } = i18n;
  const api = useSupervisorApi();
  const [params] = useSearchParams();
  const at = atOf(params.get("at"));
  const now = usePanelHref("/supervisor");
  const follow = useFollow();
  const load = useCallback((signal: AbortSignal) => api.live(at, signal), [api, at]);
  const polled = usePolling(load, LIVE_INTERVAL_MS, at ?? "");
  const { data: live, error, refreshedAt, failedAt } = polled;

  const description = live
    ? t("live.description", {
        day: i18n.date(live.at),
        time: refreshedAt ? i18n.time(refreshedAt) : t("common.none"),
      })
    : error === null
      ? t("live.descriptionLoading")
      : undefined;

  return (
    <ContentLayout
      header={
        <Header
          variant="h1"
          description={description}
          actions={
            <Button iconName="refresh" onClick={polled.refresh} loading={polled.loading} ariaLabel={t("live.refreshNow")}>
              {t("common.refresh")}
            </Button>
          }
        >
          {t("supervisor.title")}
        </Header>
      }
    >
      <SpaceBetween size="l">
        {at && (
          <Alert
            type="info"
            header={t("live.pastMoment", { at: live ? i18n.dateTime(live.at) : at })}
            action={
              <Button href={now} onFollow={follow}>
                {t("live.backToNow")}
              </Button>
            }
          >
            {t("live.pastMomentBody")}
          </Alert>
        )}
        <div aria-live="polite">
          {error !== null && live && (
            <Alert type="warning" header={t("live.staleTitle", { time: failedAt ? i18n.time(failedAt) : "" })}>
              {t("live.staleBody", {
                reason: describeSupervisorError(error, t),
                time: refreshedAt ? i18n.time(refreshedAt) : t("common.none"),
              })}
            </Alert>
          )}
        </div>
        {!live && error !== null && <ErrorAlert error={error} onRetry={polled.refresh} header={t("live.failed")} />}
        {!live && error === null && (
          <Box textAlign="center" padding="xl">
            <Spinner size="large" /> <span className="visually-hidden">{t("common.loading")}</span>
          </Box>
        )}
        {live && (
          <>
            <section aria-label={t("live.alerts")}>
              <Alerts live={live} />
            </section>
            <Figures live={live} />
          </>
        )}
        <ThresholdsEditor
          current={live?.thresholds ?? null}
          onSaved={polled.refresh}
        />
      </SpaceBetween>
    </ContentLayout>
  );
}
