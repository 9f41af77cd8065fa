/**
 * Kapanışlar / Closures: the days the supervisor closes the centre (administrative leave, snow days), all day or
 * from a time, with the reason callers hear. Whether the centre is open now first, then the form, then the list
 * (from today on; the past on request), each removal after a confirmation that says what it changes.
 * The rules are the API's (chalicelib/closures/rules.py); the form checks only the shapes before sending.
 */
import { useCallback, useEffect, useRef, useState, type RefObject } from "react";

import Alert from "@cloudscape-design/components/alert";
import Box from "@cloudscape-design/components/box";
import Button from "@cloudscape-design/components/button";
import Container from "@cloudscape-design/components/container";
import ContentLayout from "@cloudscape-design/components/content-layout";
import Form from "@cloudscape-design/components/form";
import FormField from "@cloudscape-design/components/form-field";
import Header from "@cloudscape-design/components/header";
import Input, { type InputProps } from "@cloudscape-design/components/input";
import SpaceBetween from "@cloudscape-design/components/space-between";
import StatusIndicator from "@cloudscape-design/components/status-indicator";
import Table from "@cloudscape-design/components/table";
import Toggle from "@cloudscape-design/components/toggle";

import { ApiError } from "../../api/client";
import type { ClosureRecord, HoursNow, NewClosure } from "../../api/supervisor";
import type { Lang, MessageKey } from "../../i18n";
import { useI18n } from "../../i18n/react";
import { useNotify } from "../../state/notifications";
import { ConfirmDialog, counterOf, describeSupervisorError, ErrorAlert, MoreButton, usePaged, useSupervisorApi } from "./common";

type Field = "date" | "from" | "reason";
export type ClosureDraft = Record<Field, string>;

const DAY = /^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$/;
const CLOCK = /^([01]\d|2[0-3]):[0-5]\d$/;
// The API's SingleLine: no control characters (line breaks, tabs…).
const CONTROL = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/;

/** What is wrong with the form before it is sent (the API checks the same and more: past days, holidays…). */
export function closureProblems(draft: ClosureDraft): Partial<Record<Field, MessageKey>> {
  const problems: Partial<Record<Field, MessageKey>> = {};
  if (!DAY.test(draft.date.trim())) problems.date = "closures.error.date";
  if (draft.from.trim() && !CLOCK.test(draft.from.trim())) problems.from = "closures.error.from";
  const reason = draft.reason.trim();
  if (reason.length < 3 || reason.length > 200 || CONTROL.test(reason)) problems.reason = "closures.error.reason";
  return problems;
}

export function closureBody(draft: ClosureDraft): NewClosure {
  const body: NewClosure = { date: draft.date.trim(), reason: draft.reason.trim() };
  if (draft.from.trim()) body.from = draft.from.trim();
  return body;
}

/** Today's date in Istanbul as YYYY-MM-DD. */
export function istanbulDay(now: Date): string {
  return new Intl.DateTimeFormat("en-CA", { timeZone: "Europe/Istanbul", year: "numeric", month: "2-digit", day: "2-digit" }).format(now);
}

/** "4 Aralık 2026 Cuma" / "Friday 4 December 2026": a calendar day as people say it. */
export function dayName(lang: Lang, day: string): string {
  return new Intl.DateTimeFormat(lang === "tr" ? "tr-TR" : "en-GB", {
    weekday: "long",
    day: "numeric",
    month: "long",
    year: "numeric",
    timeZone: "UTC",
  }).format(new Date(`${day}T12:00:00Z`));
}

const REASON_CODES = new Set(["weekend", "holiday", "before_hours", "after_hours", "half_day_afternoon"]);

function NowStatus({ hours, error }: { hours: HoursNow | null; error: unknown }) {
  const i18n = useI18n();
  const { t } = i18n;
  if (error) return <ErrorAlert error={error} header={t("closures.now.failed")} />;
  if (!hours) return null;
  if (hours.open) return <StatusIndicator type="success">{t("closures.now.open")}</StatusIndicator>;
  const reason = hours.reason && REASON_CODES.has(hours.reason) ? i18n.label("closures.reason", hours.reason) : (hours.reason ?? "");
  return (
    <StatusIndicator type="stopped">{t("closures.now.closed", { reason, opening: i18n.dateTime(hours.next_opening) })}</StatusIndicator>
  );
}

const EMPTY: ClosureDraft = { date: "", from: "", reason: "" };

export default function ClosuresPage() {
  const i18n = useI18n();
  const { t, lang } = i18n;
  const api = useSupervisorApi();
  const notify = useNotify();
  const today = istanbulDay(new Date());
  const [showPast, setShowPast] = useState(false);
  const load = useCallback(
    (next: string | null, signal: AbortSignal) => api.closures(showPast ? null : today, next, signal),
    [api, showPast, today],
  );
  const paged = usePaged(load, showPast ? "all" : `from-${today}`);
  const [hours, setHours] = useState<HoursNow | null>(null);
  const [hoursError, setHoursError] = useState<unknown>(null);
  const [version, setVersion] = useState(0);

  const [draft, setDraft] = useState<ClosureDraft>(EMPTY);
  const [errors, setErrors] = useState<Partial<Record<Field, string>>>({});
  const [formError, setFormError] = useState<string | null>(null);
  const [saving, setSaving] = useState(false);
  const refs: Record<Field, RefObject<InputProps.Ref>> = {
    date: useRef<InputProps.Ref>(null),
    from: useRef<InputProps.Ref>(null),
    reason: useRef<InputProps.Ref>(null),
  };

  const [pending, setPending] = useState<ClosureRecord | null>(null);
  const [removing, setRemoving] = useState(false);
  const [removeError, setRemoveError] = useState<string | null>(null);

  useEffect(() => {
    const abort = new AbortController();
    setHoursError(null);
    api.hoursNow(abort.signal).then(setHours, (error: unknown) => {
      if (!abort.signal.aborted) setHoursError(error);
    });
    return () => abort.abort();
  }, [api, version]);

  const changed = () => {
    paged.reload();
    setVersion((v) => v + 1);
  };

  const declare = async () => {
    const problems = closureProblems(draft);
    setErrors(Object.fromEntries(Object.entries(problems).map(([f, key]) => [f, t(key)])));
    setFormError(null);
    const first = (["date", "from", "reason"] as Field[]).find((f) => problems[f]);
    if (first) return refs[first].current?.focus();
    setSaving(true);
    try {
      const declared = await api.declareClosure(closureBody(draft));
      const day = dayName(lang, declared.date);
      notify({ type: "success", content: t("closures.declared", { day }) });
      if (!declared.connect_synced) notify({ type: "warning", content: t("closures.notSynced", { day }) });
      setDraft(EMPTY);
      changed();
    } catch (error) {
      const field = error instanceof ApiError ? error.field : undefined;
      if (field === "date" || field === "from" || field === "reason") {
        setErrors({ [field]: (error as ApiError).message });
        refs[field].current?.focus();
      } else {
        setFormError(describeSupervisorError(error, t));
      }
    } finally {
      setSaving(false);
    }
  };

  const remove = async () => {
    if (!pending) return;
    setRemoving(true);
    setRemoveError(null);
    try {
      await api.withdrawClosure(pending.date);
      notify({ type: "success", content: t("closures.removed", { day: dayName(lang, pending.date) }) });
      setPending(null);
      changed();
    } catch (error) {
      setRemoveError(error instanceof ApiError && error.status !== 403 ? error.message : describeSupervisorError(error, t));
    } finally {
      setRemoving(false);
    }
  };

  const input = (name: Field, label: string, description: string, placeholder: string, optional = false) => (
    <FormField
      label={label}
      description={description}
      errorText={errors[name]}
      controlId={`closure-${name}`}
      info={optional ? <Box variant="small">{t("common.optional")}</Box> : undefined}
    >
      <Input
        ref={refs[name]}
        controlId={`closure-${name}`}
        value={draft[name]}
        placeholder={placeholder}
        invalid={Boolean(errors[name])}
        onChange={({ detail }) => setDraft((d) => ({ ...d, [name]: detail.value }))}
      />
    </FormField>
  );

  return (
    <ContentLayout
      header={
        <Header variant="h1" description={t("closures.description")}>
          {t("nav.closures")}
        </Header>
      }
    >
      <SpaceBetween size="l">
        <NowStatus hours={hours} error={hoursError} />
        <Container header={<Header variant="h2">{t("closures.new")}</Header>}>
          <form
            onSubmit={(event) => {
              event.preventDefault();
              void declare();
            }}
          >
            <Form
              errorText={formError}
              errorIconAriaLabel={t("common.errorIcon")}
              actions={
                <Button variant="primary" formAction="submit" loading={saving}>
                  {t("closures.declare")}
                </Button>
              }
            >
              <SpaceBetween size="m">
                {input("date", t("closures.date"), t("closures.dateHint"), today)}
                {input("from", t("closures.from"), t("closures.fromHint"), "14:00", true)}
                {input("reason", t("closures.reasonLabel"), t("closures.reasonHint"), t("closures.reasonExample"))}
              </SpaceBetween>
            </Form>
          </form>
        </Container>
        <Table
          variant="container"
          header={
            <Header
              variant="h2"
              counter={counterOf(paged)}
              actions={
                <Toggle checked={showPast} onChange={({ detail }) => setShowPast(detail.checked)}>
                  {t("closures.showPast")}
                </Toggle>
              }
            >
              {t("closures.list")}
            </Header>
          }
          ariaLabels={{ tableLabel: t("closures.list") }}
          loading={paged.loading && paged.items.length === 0}
          loadingText={t("common.loading")}
          items={paged.items}
          trackBy="date"
          wrapLines
          empty={paged.error ? <ErrorAlert error={paged.error} onRetry={paged.reload} /> : <Box textAlign="center">{t("closures.empty")}</Box>}
          footer={<MoreButton paged={paged} label={t("closures.list")} />}
          columnDefinitions={[
            { id: "day", header: t("closures.day"), isRowHeader: true, minWidth: 200, cell: (c) => <strong>{dayName(lang, c.date)}</strong> },
            {
              id: "span",
              header: t("closures.span"),
              minWidth: 120,
              cell: (c) => (c.from ? t("closures.fromTime", { time: c.from }) : t("closures.allDay")),
            },
            { id: "reason", header: t("closures.reasonLabel"), minWidth: 260, cell: (c) => c.reason },
            {
              id: "declared",
              header: t("closures.declaredBy"),
              cell: (c) => (
                <SpaceBetween size="xxxs">
                  <span>{c.declared_by}</span>
                  <Box variant="small">{i18n.dateTime(c.declared_at)}</Box>
                </SpaceBetween>
              ),
            },
            {
              id: "connect",
              header: t("closures.connect"),
              cell: (c) =>
                c.connect_synced ? (
                  <StatusIndicator type="success">{t("closures.synced")}</StatusIndicator>
                ) : (
                  <StatusIndicator type="warning">{t("closures.unsynced")}</StatusIndicator>
                ),
            },
            {
              id: "actions",
              header: t("closures.actions"),
              cell: (c) =>
                c.date < today ? (
                  <Box variant="small">{t("closures.past")}</Box>
                ) : (
                  <Button
                    onClick={() => {
                      setPending(c);
                      setRemoveError(null);
                    }}
                    ariaLabel={t("closures.removeFor", { day: dayName(lang, c.date) })}
                  >
                    {t("closures.remove")}
                  </Button>
                ),
            },
          ]}
        />
      </SpaceBetween>
      <ConfirmDialog
        visible={pending !== null}
        header={pending ? t("closures.remove.title", { day: dayName(lang, pending.date) }) : ""}
        confirmLabel={t("closures.remove.confirm")}
        onConfirm={() => void remove()}
        onCancel={() => setPending(null)}
        busy={removing}
        error={removeError}
      >
        {pending && (
          <SpaceBetween size="xs">
            <Alert type="warning">{pending.reason}</Alert>
            <Box variant="p">{t("closures.remove.intro")}</Box>
            <ul>
              <li>{t("closures.remove.flow")}</li>
              <li>{t("closures.remove.connect")}</li>
              <li>{t("closures.remove.deadlines")}</li>
            </ul>
          </SpaceBetween>
        )}
      </ConfirmDialog>
    </ContentLayout>
  );
}
