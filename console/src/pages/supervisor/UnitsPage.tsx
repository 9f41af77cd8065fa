/**
 * Birimler / Units directory (directive 6(7)): who answers which questions, at which addresses, how fast they
 * should; beside each unit, how fast it did answer in the latest stored monthly report.
 */
import { useCallback, useEffect, useRef, useState, type RefObject } from "react";

import Box from "@cloudscape-design/components/box";
import Button from "@cloudscape-design/components/button";
import ContentLayout from "@cloudscape-design/components/content-layout";
import Form from "@cloudscape-design/components/form";
import FormField from "@cloudscape-design/components/form-field";
import Header from "@cloudscape-design/components/header";
import Input, { type InputProps } from "@cloudscape-design/components/input";
import SpaceBetween from "@cloudscape-design/components/space-between";
import StatusIndicator from "@cloudscape-design/components/status-indicator";
import Table from "@cloudscape-design/components/table";
import Textarea, { type TextareaProps } from "@cloudscape-design/components/textarea";
import Toggle from "@cloudscape-design/components/toggle";

import { ApiError } from "../../api/client";
import type { ReportUnitFigures, SupervisorApi, UnitRecord, UnitSpec } from "../../api/supervisor";
import type { MessageKey } from "../../i18n";
import { useI18n } from "../../i18n/react";
import { useNotify } from "../../state/notifications";
import { ActionDialog, counterOf, describeSupervisorError, ErrorAlert, istanbulMonth, MoreButton, routeMissing, usePaged, useSupervisorApi } from "./common";

export interface LatestFigures {
  month: string | null;
  byUnit: Record<string, ReportUnitFigures>;
}

/**
 * The units' figures of the latest stored report: the newest month GET /reports lists, or (while that route
 * is missing) this month or the last one; a month with no report stored is a 404, and then there is none.
 */
export async function latestUnitFigures(api: SupervisorApi, now: Date, signal?: AbortSignal): Promise<LatestFigures> {
  let months: string[];
  try {
    const listed = await api.reports(null, signal);
    months = listed.items.map((r) => r.month).sort().reverse().slice(0, 1);
  } catch (error) {
    if (!(routeMissing(error) || (error instanceof ApiError && error.status === 404))) throw error;
    months = [istanbulMonth(now), istanbulMonth(now, 1)];
  }
  for (const month of months) {
    try {
      const report = await api.report(month, signal);
      return { month, byUnit: report.referrals?.by_unit ?? {} };
    } catch (error) {
      if (!(error instanceof ApiError && error.status === 404)) throw error;
    }
  }
  return { month: null, byUnit: {} };
}

type Field = "unit_id" | "name_tr" | "name_en" | "emails" | "deputy_email" | "target_hours";
type Draft = Record<Field, string> & { active: boolean };

const ADDRESS = /^[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}$/;
const UNIT_ID = /^[a-z0-9][a-z0-9-]{1,62}$/;

export function addressesOf(text: string): string[] {
  return text
    .split(/[\s,;]+/)
    .map((a) => a.trim())
    .filter(Boolean);
}

/** The form as UnitSpec, or what is wrong (the API's rules, chalicelib/referrals/units.py). */
export function unitProblems(draft: Draft): Partial<Record<Field, MessageKey>> {
  const problems: Partial<Record<Field, MessageKey>> = {};
  if (!UNIT_ID.test(draft.unit_id.trim())) problems.unit_id = "units.error.unit_id";
  for (const name of ["name_tr", "name_en"] as const) {
    const v = draft[name].trim();
    if (v.length < 2 || v.length > 120) problems[name] = "units.error.name";
  }
  const emails = addressesOf(draft.emails);
  if (emails.length < 1 || emails.length > 10 || !emails.every((a) => ADDRESS.test(a))) problems.emails = "units.error.emails";
  if (!ADDRESS.test(draft.deputy_email.trim())) problems.deputy_email = "units.error.address";
  const hours = Number(draft.target_hours.replace(",", "."));
  if (!draft.target_hours.trim() || !Number.isFinite(hours) || hours <= 0 || hours > 400) problems.target_hours = "units.error.hours";
  return problems;
}

function draftOf(unit: UnitRecord | null): Draft {
  return {
    unit_id: unit?.unit_id ?? "",
    name_tr: unit?.name_tr ?? "",
    name_en: unit?.name_en ?? "",
    emails: unit?.emails.join("\n") ?? "",
    deputy_email: unit?.deputy_email ?? "",
    target_hours: unit ? String(unit.target_hours) : "",
    active: unit?.active ?? true,
  };
}

function EditUnit({
  unit,
  creating,
  onClose,
  onSaved,
}: {
  unit: UnitRecord | null;
  creating: boolean;
  onClose(): void;
  onSaved(unit: UnitRecord): void;
}) {
  const { t } = useI18n();
  const api = useSupervisorApi();
  const [draft, setDraft] = useState<Draft>(() => draftOf(unit));
  const [errors, setErrors] = useState<Partial<Record<Field, string>>>({});
  const [formError, setFormError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const refs: Record<Exclude<Field, "emails">, RefObject<InputProps.Ref>> = {
    unit_id: useRef<InputProps.Ref>(null),
    name_tr: useRef<InputProps.Ref>(null),
    name_en: useRef<InputProps.Ref>(null),
    deputy_email: useRef<InputProps.Ref>(null),
    target_hours: useRef<InputProps.Ref>(null),
  };
  const emailsRef = useRef<TextareaProps.Ref>(null);
  const focus = (field: Field) => (field === "emails" ? emailsRef : refs[field]).current?.focus();
  const order: Field[] = ["unit_id", "name_tr", "name_en", "emails", "deputy_email", "target_hours"];

  const save = async () => {
    const problems = unitProblems(draft);
    setErrors(Object.fromEntries(Object.entries(problems).map(([f, key]) => [f, t(key)])));
    setFormError(null);
    const first = order.find((f) => problems[f]);
    if (first) return focus(first);
    const spec: UnitSpec = {
      name_tr: draft.name_tr.trim(),
      name_en: draft.name_en.trim(),
      emails: addressesOf(draft.emails),
      deputy_email: draft.deputy_email.trim(),
      target_hours: Number(draft.target_hours.replace(",", ".")),
      active: draft.active,
    };
    setBusy(true);
    try {
      onSaved(await api.saveUnit(draft.unit_id.trim(), spec));
    } catch (error) {
      const field = error instanceof ApiError ? error.field?.split(".")[0] : undefined;
      if (field && order.includes(field as Field)) {
        setErrors({ [field]: (error as ApiError).message });
        focus(field as Field);
      } else {
        setFormError(describeSupervisorError(error, t));
      }
      setBusy(false);
    }
  };

  const input = (name: Exclude<Field, "emails">, label: string, description?: string, disabled = false) => (
    <FormField label={label} description={description} errorText={errors[name]} controlId={`unit-${name}`}>
      <Input
        ref={refs[name]}
        controlId={`unit-${name}`}
        value={draft[name]}
        disabled={disabled}
        invalid={Boolean(errors[name])}
        inputMode={name === "target_hours" ? "decimal" : undefined}
        type={name === "deputy_email" ? "email" : "text"}
        onChange={({ detail }) => setDraft((d) => ({ ...d, [name]: detail.value }))}
      />
    </FormField>
  );

  return (
    <ActionDialog
      header={creating ? t("units.new.title") : t("units.edit.title", { name: unit?.name_tr ?? "" })}
      size="medium"
      actionLabel={t("units.save")}
      onAction={() => void save()}
      onCancel={onClose}
      busy={busy}
    >
      <Form errorText={formError} errorIconAriaLabel={t("common.errorIcon")}>
        <SpaceBetween size="m">
          {input("unit_id", t("units.unitId"), t("units.unitIdHint"), !creating)}
          {input("name_tr", t("units.nameTr"))}
          {input("name_en", t("units.nameEn"))}
          <FormField label={t("units.emails")} description={t("units.emailsHint")} errorText={errors.emails} controlId="unit-emails">
            <Textarea
              ref={emailsRef}
              controlId="unit-emails"
              rows={3}
              value={draft.emails}
              invalid={Boolean(errors.emails)}
              onChange={({ detail }) => setDraft((d) => ({ ...d, emails: detail.value }))}
            />
          </FormField>
          {input("deputy_email", t("units.deputy"), t("units.deputyHint"))}
          {input("target_hours", t("units.target"), t("units.targetHint"))}
          <FormField label={t("units.active")} description={t("units.activeHint")}>
            <Toggle checked={draft.active} onChange={({ detail }) => setDraft((d) => ({ ...d, active: detail.checked }))}>
              {draft.active ? t("units.activeYes") : t("units.activeNo")}
            </Toggle>
          </FormField>
        </SpaceBetween>
      </Form>
    </ActionDialog>
  );
}

export default function UnitsPage() {
  const i18n = useI18n();
  const { t, lang } = i18n;
  const api = useSupervisorApi();
  const notify = useNotify();
  const load = useCallback((next: string | null, signal: AbortSignal) => api.units(next, signal), [api]);
  const paged = usePaged(load, "units");
  const [figures, setFigures] = useState<LatestFigures | null>(null);
  const [figuresError, setFiguresError] = useState<unknown>(null);
  const [editing, setEditing] = useState<{ unit: UnitRecord | null } | null>(null);

  useEffect(() => {
    const abort = new AbortController();
    latestUnitFigures(api, new Date(), abort.signal).then(setFigures, (error: unknown) => {
      if (!abort.signal.aborted) setFiguresError(error);
    });
    return () => abort.abort();
  }, [api]);

  const of = (unit: UnitRecord) => figures?.byUnit[unit.unit_id];
  const hours = (value: number | null | undefined) =>
    value === null || value === undefined ? t("common.none") : t("units.hoursValue", { hours: i18n.number(value) });

  return (
    <ContentLayout
      header={
        <Header
          variant="h1"
          description={t("units.description")}
          actions={
            <Button iconName="add-plus" onClick={() => setEditing({ unit: null })}>
              {t("units.new")}
            </Button>
          }
        >
          {t("nav.units")}
        </Header>
      }
    >
      <SpaceBetween size="l">
        {figuresError !== null && <ErrorAlert error={figuresError} header={t("units.reportFailed")} />}
        <Table
          variant="container"
          header={
            <Header
              variant="h2"
              counter={counterOf(paged)}
              description={
                figures === null
                  ? t("units.reportLoading")
                  : figures.month
                    ? t("units.reportMonth", { month: figures.month })
                    : t("units.reportNone")
              }
            >
              {t("units.list")}
            </Header>
          }
          ariaLabels={{ tableLabel: t("units.list") }}
          loading={paged.loading && paged.items.length === 0}
          loadingText={t("common.loading")}
          items={paged.items}
          trackBy="unit_id"
          wrapLines
          empty={paged.error ? <ErrorAlert error={paged.error} onRetry={paged.reload} /> : <Box textAlign="center">{t("units.empty")}</Box>}
          footer={<MoreButton paged={paged} label={t("units.list")} />}
          columnDefinitions={[
            {
              id: "name",
              header: t("units.name"),
              isRowHeader: true,
              minWidth: 220,
              cell: (u) => (
                <SpaceBetween size="xxxs">
                  <strong>{lang === "tr" ? u.name_tr : u.name_en}</strong>
                  <Box variant="small">{u.unit_id}</Box>
                </SpaceBetween>
              ),
            },
            {
              id: "emails",
              header: t("units.emails"),
              cell: (u) => (
                <SpaceBetween size="xxxs">
                  {u.emails.map((a) => (
                    <span key={a}>{a}</span>
                  ))}
                </SpaceBetween>
              ),
            },
            { id: "deputy", header: t("units.deputy"), cell: (u) => u.deputy_email },
            { id: "target", header: t("units.target"), cell: (u) => hours(u.target_hours), minWidth: 120 },
            { id: "median", header: t("units.median"), cell: (u) => hours(of(u)?.median_working_hours), minWidth: 130 },
            { id: "p90", header: t("units.p90"), cell: (u) => hours(of(u)?.p90_working_hours), minWidth: 130 },
            {
              id: "late",
              header: t("units.late"),
              minWidth: 100,
              cell: (u) => {
                const f = of(u);
                return f ? t("units.lateValue", { late: i18n.number(f.late), received: i18n.number(f.received) }) : t("common.none");
              },
            },
            {
              id: "active",
              header: t("units.active"),
              minWidth: 110,
              cell: (u) => (
                <StatusIndicator type={u.active ? "success" : "stopped"}>{u.active ? t("units.activeYes") : t("units.activeNo")}</StatusIndicator>
              ),
            },
            {
              id: "edit",
              header: t("units.actions"),
              minWidth: 110,
              cell: (u) => (
                <Button variant="inline-link" onClick={() => setEditing({ unit: u })} ariaLabel={t("units.editLabel", { name: lang === "tr" ? u.name_tr : u.name_en })}>
                  {t("units.edit")}
                </Button>
              ),
            },
          ]}
        />
      </SpaceBetween>
      {editing && (
        <EditUnit
          unit={editing.unit}
          creating={editing.unit === null}
          onClose={() => setEditing(null)}
          onSaved={(saved) => {
            if (editing.unit) paged.replace(saved, (a, b) => a.unit_id === b.unit_id);
            else paged.reload();
            setEditing(null);
            notify({ type: "success", content: t("units.saved", { name: saved.name_tr }) });
          }}
        />
      )}
    </ContentLayout>
  );
}
