import { useEffect, useRef, useState, type ReactNode } from "react";

import Alert from "@cloudscape-design/components/alert";
import Box from "@cloudscape-design/components/box";
import Cards, { type CardsProps } from "@cloudscape-design/components/cards";
import Button from "@cloudscape-design/components/button";
import Container from "@cloudscape-design/components/container";
import ContentLayout from "@cloudscape-design/components/content-layout";
import CopyToClipboard from "@cloudscape-design/components/copy-to-clipboard";
import Form from "@cloudscape-design/components/form";
import FormField from "@cloudscape-design/components/form-field";
import Header from "@cloudscape-design/components/header";
import KeyValuePairs from "@cloudscape-design/components/key-value-pairs";
import RadioGroup from "@cloudscape-design/components/radio-group";
import SpaceBetween from "@cloudscape-design/components/space-between";
import StatusIndicator from "@cloudscape-design/components/status-indicator";
import Tabs from "@cloudscape-design/components/tabs";
import Textarea from "@cloudscape-design/components/textarea";

import { ApiError } from "../api/client";
import {
  CALLBACK_OUTCOMES,
  CLOSE_OUTCOMES_BY_STATUS,
  type Callback,
  type CallbackOutcome,
  type CloseOutcome,
  type Referral,
  type ReferralSummary,
} from "../api/types";
import { useI18n } from "../i18n/react";
import { describeError } from "../state/errors";
import { useNotify } from "../state/notifications";
import { useApi, useSession } from "../state/session";
import { useWork } from "../state/work";

const PRIORITY: Record<string, number> = {
  system_drop: 0,
  requested_out_of_hours: 0.5,
  requested: 1,
  abandoned: 2,
};

/** Why the callback is there, as the list names it: a request made out of hours apart (6(4)). */
export function callbackReason(c: Callback): string {
  return c.reason === "requested" && c.out_of_hours ? "requested_out_of_hours" : c.reason;
}

/** Callbacks to make, in the dispatcher's order: system drops first, then the requests made out of
 * hours, the other requests, lost calls; the oldest first within each (directive 6(6), 8(ç), 6(4)). */
export function callbackOrder(items: readonly Callback[]): Callback[] {
  return [...items].sort(
    (a, b) =>
      (PRIORITY[callbackReason(a)] ?? 9) - (PRIORITY[callbackReason(b)] ?? 9) ||
      (a.raised_at ?? "").localeCompare(b.raised_at ?? "") ||
      a.callback_id.localeCompare(b.callback_id),
  );
}

export function oldestFirst<T extends ReferralSummary>(items: readonly T[], by: "answered_at" | "expired_at"): T[] {
  return [...items].sort((a, b) => (a[by] ?? a.created_at ?? "").localeCompare(b[by] ?? b.created_at ?? ""));
}

type Active =
  | { kind: "callback"; item: Callback }
  | { kind: "answer"; item: Referral }
  | { kind: "expired"; item: Referral };

/** Moves the focus to a panel's heading when it opens, so keyboard and screen-reader users land on it. */
function FocusHeading({ children }: { children: ReactNode }) {
  const ref = useRef<HTMLSpanElement>(null);
  useEffect(() => ref.current?.focus(), []);
  return (
    <span ref={ref} tabIndex={-1} className="focus-target">
      {children}
    </span>
  );
}

function CallbackPanel({ item, onDone }: { item: Callback; onDone(message?: string): void }) {
  const i18n = useI18n();
  const { t } = i18n;
  const api = useApi();
  const [outcome, setOutcome] = useState<CallbackOutcome | null>(null);
  const [note, setNote] = useState("");
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const record = async () => {
    if (!outcome) return setError(t("work.outcomePlaceholder"));
    setBusy(true);
    setError(null);
    try {
      await api.completeCallback(item.callback_id, outcome, note.trim() || undefined);
      onDone(t("work.recorded"));
    } catch (e) {
      setError(describeError(e, t));
      setBusy(false);
    }
  };

  return (
    <Container
      header={
        <Header variant="h2" description={i18n.label("reason", item.reason)}>
          <FocusHeading>{t("work.claimed")}</FocusHeading>
        </Header>
      }
    >
      <SpaceBetween size="l">
        <SpaceBetween size="xs">
          <Box variant="awsui-key-label">{t("work.numberToCall")}</Box>
          <SpaceBetween direction="horizontal" size="s" alignItems="center">
            <Box fontSize="display-l" fontWeight="bold">
              <span className="caller-number">{item.caller ?? t("contact.callerHidden")}</span>
            </Box>
            {item.caller && (
              <CopyToClipboard
                variant="icon"
                textToCopy={item.caller}
                copyButtonAriaLabel={t("refer.done.copy")}
                copySuccessText={t("refer.done.copied")}
                copyErrorText={t("refer.done.copyFailed")}
              />
            )}
          </SpaceBetween>
        </SpaceBetween>
        <form
          onSubmit={(event) => {
            event.preventDefault();
            void record();
          }}
        >
          <Form
            errorText={error}
            actions={
              <Button variant="primary" formAction="submit" loading={busy}>
                {t("work.record")}
              </Button>
            }
          >
            <SpaceBetween size="m">
              <FormField label={t("work.outcome")}>
                <RadioGroup
                  ariaLabel={t("work.outcome")}
                  value={outcome}
                  onChange={({ detail }) => setOutcome(detail.value as CallbackOutcome)}
                  items={CALLBACK_OUTCOMES.map((o) => ({ value: o, label: i18n.label("outcome", o) }))}
                />
              </FormField>
              <FormField label={t("work.note")} description={t("work.noteDescription")} controlId="callback-note">
                <Textarea controlId="callback-note" value={note} onChange={({ detail }) => setNote(detail.value)} rows={2} />
              </FormField>
            </SpaceBetween>
          </Form>
        </form>
      </SpaceBetween>
    </Container>
  );
}

function ReferralPanel({ item, onDone }: { item: Referral; onDone(message?: string): void }) {
  const i18n = useI18n();
  const { t } = i18n;
  const api = useApi();
  const notify = useNotify();
  const [current, setCurrent] = useState(item);
  const allowed = CLOSE_OUTCOMES_BY_STATUS[current.status] ?? [];
  const [outcome, setOutcome] = useState<CloseOutcome | null>(null);
  const [note, setNote] = useState("");
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const run = async (action: () => Promise<Referral>, message: string, finished: boolean) => {
    setBusy(true);
    setError(null);
    try {
      const next = await action();
      if (finished) return onDone(message);
      notify({ type: "success", content: message }); // what happened, and what comes next
      setCurrent(next);
      setOutcome(null);
      setBusy(false);
    } catch (e) {
      setError(describeError(e, t));
      setBusy(false);
    }
  };

  const close = () => {
    if (!outcome) return setError(t("work.outcomePlaceholder"));
    void run(() => api.closeReferral(current.referral_id, outcome, note.trim() || undefined), t("work.closed"), true);
  };

  return (
    <Container
      header={
        <Header
          variant="h2"
          description={i18n.label("referralStatus", current.status)}
          actions={
            current.status === "ANSWERED" ? (
              <Button
                variant="primary"
                loading={busy}
                onClick={() =>
                  void run(() => api.returnReferral(current.referral_id, note.trim() || undefined), t("work.returned"), false)
                }
              >
                {current.return_channel === "EMAIL" ? t("work.returnByEmail") : t("work.return")}
              </Button>
            ) : undefined
          }
        >
          <FocusHeading>{t("work.detailsTitle", { reference: current.reference, unit: current.unit_name })}</FocusHeading>
        </Header>
      }
    >
      <SpaceBetween size="l">
        <KeyValuePairs
          columns={2}
          items={[
            { label: t("contact.answer.question"), value: <Box variant="p">{current.question}</Box> },
            {
              label: t("contact.answer.answer"),
              value: <Box variant="p">{current.answer ?? t("common.none")}</Box>,
            },
            { label: t("work.channel"), value: i18n.label("refer.channel", current.return_channel) },
            {
              label: t("work.address"),
              value: current.return_address ? <span className="caller-number">{current.return_address}</span> : t("common.none"),
            },
            ...(current.return_channel === "SMS"
              ? [{ label: t("work.callerSms"), value: i18n.label("work.callerSms", current.caller_sms ?? "waiting") }]
              : []),
            ...(current.caller_name ? [{ label: t("refer.callerName"), value: current.caller_name }] : []),
            { label: t("work.deadline"), value: i18n.dateTime(current.due_at) },
          ]}
        />
        {allowed.length > 0 && (
          <form
            onSubmit={(event) => {
              event.preventDefault();
              close();
            }}
          >
            <Form
              errorText={error}
              actions={
                <Button formAction="submit" loading={busy}>
                  {t("work.close")}
                </Button>
              }
            >
              <SpaceBetween size="m">
                <FormField label={t("work.closeOutcome")}>
                  <RadioGroup
                    ariaLabel={t("work.closeOutcome")}
                    value={outcome}
                    onChange={({ detail }) => setOutcome(detail.value as CloseOutcome)}
                    items={allowed.map((o) => ({ value: o, label: i18n.label("closeOutcome", o) }))}
                  />
                </FormField>
                <FormField label={t("work.note")} description={t("work.noteDescription")} controlId="referral-note">
                  <Textarea
                    controlId="referral-note"
                    value={note}
                    onChange={({ detail }) => setNote(detail.value)}
                    rows={2}
                  />
                </FormField>
              </SpaceBetween>
            </Form>
          </form>
        )}
      </SpaceBetween>
    </Container>
  );
}

/** One list of work as cards: read at a glance in a narrow panel beside the CCP as on a wide screen. */
function WorkCards<T>({
  label,
  items,
  empty,
  title,
  sections,
  trackBy,
  action,
}: {
  label: string;
  items: T[];
  empty: string;
  title: (item: T) => ReactNode;
  sections: CardsProps.SectionDefinition<T>[];
  trackBy: keyof T & string;
  action: (item: T) => ReactNode;
}) {
  return (
    // No selection on these cards: the selection labels are required by the type only.
    <Cards
      variant="full-page"
      ariaLabels={{ cardsLabel: label, itemSelectionLabel: () => "", selectionGroupLabel: "" }}
      trackBy={trackBy}
      items={items}
      empty={<Box color="text-status-inactive">{empty}</Box>}
      cardsPerRow={[{ cards: 1 }, { minWidth: 640, cards: 2 }, { minWidth: 1000, cards: 3 }]}
      cardDefinition={{
        header: (item) => (
          <SpaceBetween direction="horizontal" size="s" alignItems="center">
            <span>{title(item)}</span>
            {action(item)}
          </SpaceBetween>
        ),
        sections,
      }}
    />
  );
}

export function WorkPage() {
  const i18n = useI18n();
  const { t } = i18n;
  const api = useApi();
  const { session } = useSession();
  const notify = useNotify();
  const { work, error, updatedAt, refresh, loading } = useWork();
  const [active, setActive] = useState<Active | null>(null);
  const [busyId, setBusyId] = useState<string | null>(null);
  const [tab, setTab] = useState("callbacks");
  const me = session.identity.username;

  const finish = (message?: string) => {
    setActive(null);
    if (message) notify({ type: "success", content: message });
    void refresh();
  };

  /** Claims the item; a 409 means another agent was quicker: said plainly, and the lists refresh. */
  const take = async (id: string, claim: () => Promise<Active>) => {
    setBusyId(id);
    try {
      setActive(await claim());
    } catch (e) {
      notify({
        type: e instanceof ApiError && e.conflict ? "warning" : "error",
        content: describeError(e, t),
      });
    } finally {
      setBusyId(null);
      void refresh();
    }
  };

  const callbacks = callbackOrder(work?.callbacks ?? []);
  const answers = oldestFirst(work?.answers ?? [], "answered_at");
  const expired = oldestFirst(work?.expired ?? [], "expired_at");
  const counts = work?.counts ?? { callbacks: callbacks.length, answers: answers.length, expired: expired.length };

  const claimButton = (id: string, what: string, mine: boolean, claim: () => Promise<Active>) => (
    <Button
      variant={mine ? "normal" : "primary"}
      loading={busyId === id}
      disabled={busyId !== null && busyId !== id}
      ariaLabel={t(mine ? "work.continueLabel" : "work.claimLabel", { what })}
      wrapText={false}
      onClick={() => void take(id, claim)}
    >
      {mine ? t("work.continue") : t("work.claim")}
    </Button>
  );

  const deadline = (at: string | null, overdue = false) =>
    overdue || (at && new Date(at).getTime() < Date.now()) ? (
      <StatusIndicator type="warning">
        {i18n.dateTime(at)} · {t("work.overdue")}
      </StatusIndicator>
    ) : (
      i18n.dateTime(at)
    );
  const section = <T,>(id: string, header: string, content: (item: T) => ReactNode): CardsProps.SectionDefinition<T> => ({
    id,
    header,
    content,
  });

  const referralSections = (when: "answered_at" | "expired_at"): CardsProps.SectionDefinition<ReferralSummary>[] => [
    section("unit", t("work.unit"), (r) => r.unit_name),
    section("deadline", t("work.deadline"), (r) => deadline(r.due_at)),
    section("when", when === "answered_at" ? t("work.answeredAt") : t("work.expiredAt"), (r) => i18n.dateTime(r[when])),
    section("channel", t("work.channel"), (r) => i18n.label("channel", r.return_channel)),
    section("claimed", t("work.takenBy"), (r) => r.claimed_by ?? t("common.none")),
  ];

  const claimReferral = (r: ReferralSummary, kind: "answer" | "expired") => async (): Promise<Active> => {
    // Already mine: read it again (an audited read); otherwise take it, which returns the full referral.
    const full = r.claimed_by === me ? await api.referral(r.referral_id) : await api.claimReferral(r.referral_id);
    return { kind, item: full };
  };

  return (
    <ContentLayout
      header={
        <Header
          variant="h1"
          description={t("work.description")}
          actions={
            <Button iconName="refresh" loading={loading} onClick={() => void refresh()}>
              {t("common.refresh")}
            </Button>
          }
        >
          {t("work.title")}
        </Header>
      }
    >
      <SpaceBetween size="l">
        {error ? <Alert type="error">{t("work.error", { message: describeError(error, t) })}</Alert> : null}
        {active?.kind === "callback" && <CallbackPanel key={active.item.callback_id} item={active.item} onDone={finish} />}
        {(active?.kind === "answer" || active?.kind === "expired") && (
          <ReferralPanel key={active.item.referral_id} item={active.item} onDone={finish} />
        )}
        <div>
          <Tabs
            variant="container"
            activeTabId={tab}
            onChange={({ detail }) => setTab(detail.activeTabId)}
            ariaLabel={t("work.title")}
            tabs={[
              {
                id: "callbacks",
                label: t("work.tabs.callbacks", { count: counts.callbacks }),
                content: (
                  <WorkCards
                    label={t("work.tabs.callbacks", { count: counts.callbacks })}
                    items={callbacks}
                    trackBy="callback_id"
                    empty={t("work.callbacks.empty")}
                    title={(c) =>
                      c.reason === "system_drop" ? (
                        <StatusIndicator type="error">{i18n.label("reason", c.reason)}</StatusIndicator>
                      ) : (
                        i18n.label("reason", callbackReason(c))
                      )
                    }
                    sections={[
                      section<Callback>("deadline", t("work.deadline"), (c) => deadline(c.sla_due_at, c.overdue)),
                      section<Callback>("raised", t("work.raised"), (c) => i18n.dateTime(c.raised_at)),
                      section<Callback>("number", t("work.number"), (c) => c.caller ?? t("contact.callerHidden")),
                      section<Callback>("attempts", t("work.attempts"), (c) => c.attempts),
                    ]}
                    action={(c) =>
                      claimButton(
                        c.callback_id,
                        `${i18n.label("reason", c.reason)} ${i18n.dateTime(c.raised_at)}`,
                        c.status === "CLAIMED" && c.claimed_by === me,
                        async () => ({
                          kind: "callback",
                          item: c.status === "CLAIMED" && c.claimed_by === me ? c : await api.claimCallback(c.callback_id),
                        }),
                      )
                    }
                  />
                ),
              },
              {
                id: "answers",
                label: t("work.tabs.answers", { count: counts.answers }),
                content: (
                  <WorkCards
                    label={t("work.tabs.answers", { count: counts.answers })}
                    items={answers}
                    trackBy="referral_id"
                    empty={t("work.answers.empty")}
                    title={(r) => r.reference}
                    sections={referralSections("answered_at")}
                    action={(r) => claimButton(r.referral_id, r.reference, r.claimed_by === me, claimReferral(r, "answer"))}
                  />
                ),
              },
              {
                id: "expired",
                label: t("work.tabs.expired", { count: counts.expired }),
                content: (
                  <WorkCards
                    label={t("work.tabs.expired", { count: counts.expired })}
                    items={expired}
                    trackBy="referral_id"
                    empty={t("work.expired.empty")}
                    title={(r) => r.reference}
                    sections={referralSections("expired_at")}
                    action={(r) => claimButton(r.referral_id, r.reference, r.claimed_by === me, claimReferral(r, "expired"))}
                  />
                ),
              },
            ]}
          />
          {updatedAt ? (
            <Box variant="small" padding={{ top: "xs" }}>
              {t("common.updatedAt", { time: i18n.time(updatedAt) })}
            </Box>
          ) : null}
        </div>
      </SpaceBetween>
    </ContentLayout>
  );
}
