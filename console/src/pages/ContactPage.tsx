import { useEffect, useRef, useState } from "react";
import { useHref } from "react-router";

import Alert from "@cloudscape-design/components/alert";
import Box from "@cloudscape-design/components/box";
import Button from "@cloudscape-design/components/button";
import ColumnLayout from "@cloudscape-design/components/column-layout";
import Container from "@cloudscape-design/components/container";
import ContentLayout from "@cloudscape-design/components/content-layout";
import Form from "@cloudscape-design/components/form";
import FormField from "@cloudscape-design/components/form-field";
import Header from "@cloudscape-design/components/header";
import Input, { type InputProps } from "@cloudscape-design/components/input";
import KeyValuePairs from "@cloudscape-design/components/key-value-pairs";
import Link from "@cloudscape-design/components/link";
import Select, { type SelectProps } from "@cloudscape-design/components/select";
import SpaceBetween from "@cloudscape-design/components/space-between";
import Spinner from "@cloudscape-design/components/spinner";
import StatusIndicator, { type StatusIndicatorProps } from "@cloudscape-design/components/status-indicator";
import Table from "@cloudscape-design/components/table";

import { ApiError } from "../api/client";
import { CATEGORIES, type AnswerWaiting, type Category, type ContactCard, type RecentContact, type Referral } from "../api/types";
import { useFollow, usePanelHref } from "../app/links";
import { useI18n } from "../i18n/react";
import { useCurrentContact } from "../state/contact";
import { describeError } from "../state/errors";
import { useNotify } from "../state/notifications";
import { useApi } from "../state/session";
import { useWorkRefresh } from "../state/work";
import { useContactCard } from "./useContactCard";

const STATUS_TYPE: Record<string, StatusIndicatorProps.Type> = {
  IN_IVR: "in-progress",
  IN_QUEUE: "pending",
  WITH_AGENT: "in-progress",
  ANSWERED: "success",
  ABANDONED: "warning",
  SYSTEM_DROPPED: "error",
  QUEUE_EXIT: "stopped",
  NOT_QUEUED: "stopped",
};

const REFERRAL_STATUS_TYPE: Record<string, StatusIndicatorProps.Type> = {
  OPEN: "pending",
  SENT: "in-progress",
  ANSWERED: "success",
  RETURNED: "success",
  CLOSED: "stopped",
  FORWARDED: "info",
  EXPIRED: "warning",
  CANCELLED: "stopped",
};

export function categoryOptions(t: ReturnType<typeof useI18n>["label"]): SelectProps.Option[] {
  return CATEGORIES.map((c) => ({ value: c, label: t("category", c) }));
}

/** An answer waiting for this caller: the first thing on the screen, its text one click away. */
function AnswerWaitingItem({ item }: { item: AnswerWaiting }) {
  const i18n = useI18n();
  const { t } = i18n;
  const api = useApi();
  const [open, setOpen] = useState(false);
  const [referral, setReferral] = useState<Referral | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const workHref = usePanelHref("/work");
  const follow = useFollow();
  const regionId = `answer-${item.referral_id}`;

  const toggle = async () => {
    if (open) return setOpen(false);
    setOpen(true);
    if (referral) return;
    setBusy(true);
    try {
      setReferral(await api.referral(item.referral_id)); // an audited read
      setError(null);
    } catch (e) {
      setError(describeError(e, t));
    } finally {
      setBusy(false);
    }
  };

  return (
    <div>
      <SpaceBetween direction="horizontal" size="s" alignItems="center">
        <Box fontWeight="bold">
          {t("contact.answerWaiting.item", {
            reference: item.reference,
            unit: item.unit_name,
            time: i18n.dateTime(item.answered_at),
          })}
        </Box>
        <Button
          onClick={() => void toggle()}
          ariaExpanded={open}
          ariaControls={regionId}
          loading={busy}
          iconName={open ? "angle-up" : "angle-down"}
        >
          {open ? t("contact.answerWaiting.hide") : t("contact.answerWaiting.show")}
        </Button>
        {/* A link, underlined as links are: an inline-link button in an alert reads as bold text. */}
        <Link href={workHref} onFollow={follow}>
          {t("contact.answer.goToWork")}
        </Link>
      </SpaceBetween>
      <div id={regionId} hidden={!open} className="answer-text">
        {error && <Alert type="error">{error}</Alert>}
        {referral && (
          <KeyValuePairs
            columns={1}
            items={[
              { label: t("contact.answer.question"), value: <Box variant="p">{referral.question}</Box> },
              {
                label: t("contact.answer.answer"),
                value: <Box variant="p">{referral.answer ?? t("common.none")}</Box>,
              },
              { label: t("contact.answer.responder"), value: referral.responder_name ?? t("common.none") },
            ]}
          />
        )}
      </div>
    </div>
  );
}

function Classify({ card, onSaved }: { card: ContactCard; onSaved(): void }) {
  const i18n = useI18n();
  const { t } = i18n;
  const api = useApi();
  const notify = useNotify();
  const [chosen, setChosen] = useState<string | null>(card.category && card.category !== "unclassified" ? card.category : null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const select = useRef<SelectProps.Ref>(null);
  const options = categoryOptions(i18n.label);

  const save = async () => {
    if (!chosen) {
      setError(t("classify.required"));
      select.current?.focus();
      return;
    }
    setBusy(true);
    setError(null);
    try {
      const done = await api.classify(card.contact_id, chosen as Category);
      notify({ type: "success", content: t("classify.saved", { category: i18n.label("category", chosen) }) });
      if (done.connect_updated === false) notify({ type: "warning", content: t("classify.notInConnect") });
      onSaved();
    } catch (e) {
      setError(e instanceof ApiError && e.field === "category" ? t("refer.error.category") : describeError(e, t));
      select.current?.focus();
    } finally {
      setBusy(false);
    }
  };

  return (
    <form
      onSubmit={(event) => {
        event.preventDefault();
        void save();
      }}
    >
      <Form
        actions={
          <Button formAction="submit" loading={busy}>
            {t("classify.save")}
          </Button>
        }
      >
        <FormField
          label={t("classify.label")}
          description={t("classify.description")}
          errorText={error}
          controlId="classify-category"
          constraintText={card.category ? t("classify.current", { category: i18n.label("category", card.category) }) : undefined}
        >
          <Select
            ref={select}
            controlId="classify-category"
            selectedOption={options.find((o) => o.value === chosen) ?? null}
            onChange={({ detail }) => setChosen(detail.selectedOption.value ?? null)}
            options={options}
            placeholder={t("classify.placeholder")}
          />
        </FormField>
      </Form>
    </form>
  );
}

function History({ card }: { card: ContactCard }) {
  const i18n = useI18n();
  const { t } = i18n;
  const { callback, referrals, contacts } = card.history;
  return (
    <Container header={<Header variant="h2">{t("contact.history.title")}</Header>}>
      <SpaceBetween size="l">
        <section aria-labelledby="history-callback">
          <Box variant="h3" id="history-callback">
            {t("contact.history.callback")}
          </Box>
          {callback ? (
            <KeyValuePairs
              columns={3}
              items={[
                { label: t("work.reason"), value: i18n.label("reason", callback.reason) },
                { label: t("contact.history.callbackDue"), value: i18n.dateTime(callback.due_at) },
                { label: t("contact.history.callbackSla"), value: i18n.dateTime(callback.sla_due_at) },
              ]}
            />
          ) : (
            <Box color="text-status-inactive">{t("contact.history.callbackNone")}</Box>
          )}
        </section>
        <Table
          variant="borderless"
          header={<Header variant="h3">{t("contact.history.referrals")}</Header>}
          ariaLabels={{ tableLabel: t("contact.history.referrals") }}
          trackBy="referral_id"
          items={referrals}
          empty={<Box color="text-status-inactive">{t("contact.history.referralsEmpty")}</Box>}
          columnDefinitions={[
            { id: "reference", header: t("contact.history.reference"), cell: (r) => r.reference, isRowHeader: true },
            { id: "unit", header: t("contact.history.unit"), cell: (r) => r.unit_name },
            {
              id: "status",
              header: t("contact.history.referralStatus"),
              cell: (r) => (
                <StatusIndicator type={REFERRAL_STATUS_TYPE[r.status] ?? "info"}>
                  {i18n.label("referralStatus", r.status)}
                </StatusIndicator>
              ),
            },
            { id: "created", header: t("contact.history.created"), cell: (r) => i18n.dateTime(r.created_at) },
            { id: "due", header: t("contact.history.due"), cell: (r) => i18n.dateTime(r.due_at) },
          ]}
        />
        <Table
          variant="borderless"
          header={<Header variant="h3">{t("contact.history.contacts")}</Header>}
          ariaLabels={{ tableLabel: t("contact.history.contacts") }}
          trackBy="contact_id"
          items={contacts}
          empty={<Box color="text-status-inactive">{t("contact.history.contactsEmpty")}</Box>}
          columnDefinitions={[
            {
              id: "date",
              header: t("contact.history.date"),
              cell: (c) => i18n.dateTime(c.initiated_at),
              isRowHeader: true,
            },
            { id: "channel", header: t("contact.channel"), cell: (c) => i18n.label("channel", c.channel) },
            { id: "category", header: t("contact.history.category"), cell: (c) => i18n.label("category", c.category) },
            {
              id: "outcome",
              header: t("contact.history.outcome"),
              cell: (c) =>
                c.status ? (
                  <StatusIndicator type={STATUS_TYPE[c.status] ?? "info"}>{i18n.label("status", c.status)}</StatusIndicator>
                ) : (
                  t("common.none")
                ),
            },
          ]}
        />
      </SpaceBetween>
    </Container>
  );
}

function ContactView({ contactId }: { contactId: string }) {
  const i18n = useI18n();
  const { t } = i18n;
  const { contact, kind, choose } = useCurrentContact();
  // A new phase in Amazon Connect (connected, after-contact work…) is a good moment to read the card again.
  const { status, card, error, reload } = useContactCard(contactId, contact?.phase ?? null);
  const referHref = usePanelHref("/refer");
  const follow = useFollow();

  const actions = (
    <SpaceBetween direction="horizontal" size="xs">
      {kind === "standalone" && <Button onClick={() => choose(null)}>{t("contact.change")}</Button>}
      <Button iconName="refresh" ariaLabel={t("common.refresh")} onClick={reload} />
      <Button variant="primary" href={referHref} onFollow={follow}>
        {t("contact.actions.refer")}
      </Button>
    </SpaceBetween>
  );

  const waiting = card?.history.answers_waiting ?? [];
  // An answer waiting on the card is work too: count it now in İşlerim and the tab title, not at the next poll.
  const refreshWork = useWorkRefresh();
  const waitingIds = waiting.map((a) => a.referral_id).join(",");
  useEffect(() => {
    if (waitingIds) void refreshWork();
  }, [waitingIds, refreshWork]);
  const details = card
    ? [
        {
          label: t("contact.channel"),
          value: `${i18n.label("channel", card.channel)}${card.subtype ? ` (${card.subtype})` : ""}`,
        },
        { label: t("contact.queue"), value: card.queue_name ?? t("common.none") },
        { label: t("contact.wait"), value: i18n.duration(card.wait_seconds) },
        {
          label: t("contact.caller"),
          value: card.caller ? <span className="caller-number">{card.caller}</span> : t("contact.callerHidden"),
        },
        {
          label: t("contact.status"),
          value: card.status ? (
            <StatusIndicator type={STATUS_TYPE[card.status] ?? "info"}>{i18n.label("status", card.status)}</StatusIndicator>
          ) : (
            t("common.none")
          ),
        },
        { label: t("contact.initiatedAt"), value: i18n.dateTime(card.initiated_at) },
        { label: t("contact.method"), value: i18n.label("method", card.initiation_method) },
      ]
    : [];
  // Where the contact stands in Amazon Connect, as the workspace tells it (connected, after-contact work…).
  const phase = contact?.phase ? ` · ${t("contact.workspaceState")}: ${t(`workspace.${contact.phase}`)}` : "";

  return (
    <ContentLayout
      header={
        <Header
          variant="h1"
          actions={actions}
          description={
            (card ? `${i18n.label("channel", card.channel)} · ${i18n.label("status", card.status)}` : contactId) + phase
          }
        >
          {t("contact.title")}
        </Header>
      }
    >
      <SpaceBetween size="l">
        {waiting.length > 0 && (
          <Alert type="info" header={t("contact.answerWaiting.title")}>
            <SpaceBetween size="s">
              {waiting.map((item) => (
                <AnswerWaitingItem key={item.referral_id} item={item} />
              ))}
              <Box variant="small">{t("contact.answerWaiting.audited")}</Box>
            </SpaceBetween>
          </Alert>
        )}
        {status === "loading" && <Spinner size="large" />}
        {status === "arriving" && (
          <Alert type="info" header={t("contact.arriving.title")} statusIconAriaLabel={t("common.loading")}>
            <SpaceBetween direction="horizontal" size="xs" alignItems="center">
              <Spinner />
              <span>{t("contact.arriving.body")}</span>
            </SpaceBetween>
          </Alert>
        )}
        {status === "error" && (
          <Alert
            type={error instanceof ApiError && error.contactArriving ? "warning" : "error"}
            action={<Button onClick={reload}>{t("common.retry")}</Button>}
          >
            {error instanceof ApiError && error.contactArriving
              ? t("contact.arriving.gaveUp")
              : t("contact.error", { message: describeError(error, t) })}
          </Alert>
        )}
        {card && (
          <>
            <ColumnLayout columns={2} minColumnWidth={280}>
              <Container header={<Header variant="h2">{t("contact.details")}</Header>}>
                <KeyValuePairs columns={2} minColumnWidth={140} items={details} />
              </Container>
              <Container header={<Header variant="h2">{t("classify.title")}</Header>}>
                <Classify key={card.category ?? ""} card={card} onSaved={reload} />
              </Container>
            </ColumnLayout>
            <History card={card} />
          </>
        )}
      </SpaceBetween>
    </ContentLayout>
  );
}

function OpenContact() {
  const { t } = useI18n();
  const { choose } = useCurrentContact();
  const [value, setValue] = useState("");
  const [error, setError] = useState<string | null>(null);
  const input = useRef<InputProps.Ref>(null);
  return (
    <form
      onSubmit={(event) => {
        event.preventDefault();
        if (!value.trim()) {
          setError(t("contact.open.required"));
          input.current?.focus();
          return;
        }
        choose(value.trim());
      }}
    >
      <Form>
        <FormField
          label={t("contact.open.label")}
          errorText={error}
          controlId="open-contact"
          secondaryControl={<Button formAction="submit">{t("contact.open.submit")}</Button>}
        >
          <Input
            ref={input}
            controlId="open-contact"
            value={value}
            onChange={({ detail }) => setValue(detail.value)}
            spellcheck={false}
            autoComplete={false}
          />
        </FormField>
      </Form>
    </form>
  );
}

function RecentContacts() {
  const i18n = useI18n();
  const { t } = i18n;
  const api = useApi();
  const { choose } = useCurrentContact();
  const [items, setItems] = useState<RecentContact[] | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [round, setRound] = useState(0);
  const home = useHref("/");

  useEffect(() => {
    const abort = new AbortController();
    api
      .recentContacts(20, abort.signal)
      .then((body) => {
        setItems(body.contacts);
        setError(null);
      })
      .catch((e: unknown) => {
        if (!abort.signal.aborted) setError(e);
      });
    return () => abort.abort();
  }, [api, round]);

  return (
    <Table
      variant="container"
      header={
        <Header
          variant="h2"
          counter={items ? `(${items.length})` : undefined}
          actions={<Button iconName="refresh" ariaLabel={t("common.refresh")} onClick={() => setRound((n) => n + 1)} />}
        >
          {t("contact.recent.title")}
        </Header>
      }
      ariaLabels={{ tableLabel: t("contact.recent.title") }}
      loading={items === null && !error}
      loadingText={t("common.loading")}
      trackBy="contact_id"
      items={items ?? []}
      empty={
        error ? (
          <Alert type="error">{t("contact.recent.error", { message: describeError(error, t) })}</Alert>
        ) : (
          <Box color="text-status-inactive">{t("contact.recent.empty")}</Box>
        )
      }
      columnDefinitions={[
        {
          id: "time",
          header: t("contact.initiatedAt"),
          // The row's own link opens the contact (the address keeps it: ?contact=ID).
          cell: (c) => (
            <Link
              href={`${home}?${new URLSearchParams({ contact: c.contact_id })}`}
              ariaLabel={t("contact.recent.openLabel", { time: i18n.dateTime(c.initiated_at) })}
              onFollow={(event) => {
                event.preventDefault();
                choose(c.contact_id);
              }}
            >
              {i18n.dateTime(c.initiated_at)}
            </Link>
          ),
          isRowHeader: true,
        },
        { id: "channel", header: t("contact.channel"), cell: (c) => i18n.label("channel", c.channel) },
        { id: "queue", header: t("contact.queue"), cell: (c) => c.queue_name ?? t("common.none") },
        { id: "caller", header: t("contact.caller"), cell: (c) => c.caller ?? t("contact.callerHidden") },
        {
          id: "status",
          header: t("contact.status"),
          cell: (c) =>
            c.status ? (
              <StatusIndicator type={STATUS_TYPE[c.status] ?? "info"}>{i18n.label("status", c.status)}</StatusIndicator>
            ) : (
              t("common.none")
            ),
        },
        { id: "category", header: t("contact.history.category"), cell: (c) => i18n.label("category", c.category) },
      ]}
    />
  );
}

function NoContact() {
  const { t } = useI18n();
  const { kind } = useCurrentContact();
  return (
    <ContentLayout header={<Header variant="h1">{t("contact.title")}</Header>}>
      <SpaceBetween size="l">
        <Alert type="info" header={t("contact.none.title")}>
          {t("contact.none.body")}
        </Alert>
        {kind === "standalone" && (
          <>
            <Container header={<Header variant="h2">{t("contact.open.title")}</Header>}>
              <OpenContact />
            </Container>
            <RecentContacts />
          </>
        )}
      </SpaceBetween>
    </ContentLayout>
  );
}

export function ContactPage() {
  const { contact } = useCurrentContact();
  if (!contact) return <NoContact />;
  return <ContactView key={contact.contactId} contactId={contact.contactId} />;
}
