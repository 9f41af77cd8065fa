/** The live screen's thresholds (GET/PUT /live/thresholds): when a figure turns amber or red and says what to do. */
import { useEffect, useRef, useState } from "react";

import Button from "@cloudscape-design/components/button";
import ColumnLayout from "@cloudscape-design/components/column-layout";
import ExpandableSection from "@cloudscape-design/components/expandable-section";
import Form from "@cloudscape-design/components/form";
import FormField from "@cloudscape-design/components/form-field";
import Input, { type InputProps } from "@cloudscape-design/components/input";

import { ApiError } from "../../api/client";
import { THRESHOLD_FIELDS, type ThresholdField, type Thresholds } from "../../api/supervisor";
import type { MessageKey } from "../../i18n";
import { useI18n } from "../../i18n/react";
import { useNotify } from "../../state/notifications";
import { describeSupervisorError, routeMissing, useSupervisorApi } from "./common";

type Texts = Record<ThresholdField, string>;

const LABEL: Record<ThresholdField, MessageKey> = {
  longest_wait_seconds: "thresholds.longest_wait_seconds",
  lost_last_30_minutes: "thresholds.lost_last_30_minutes",
  callbacks_overdue: "thresholds.callbacks_overdue",
};
const HINT: Record<ThresholdField, MessageKey> = {
  longest_wait_seconds: "thresholds.longest_wait_seconds.hint",
  lost_last_30_minutes: "thresholds.lost_last_30_minutes.hint",
  callbacks_overdue: "thresholds.callbacks_overdue.hint",
};

/**
 * The form's text as the API's body, or what is wrong with each field: every threshold is a whole number
 * above zero (the API says the same, and names the field when it refuses).
 */
export function validateThresholds(texts: Texts): { value: Thresholds | null; errors: Partial<Record<ThresholdField, MessageKey>> } {
  const errors: Partial<Record<ThresholdField, MessageKey>> = {};
  const value = {} as Thresholds;
  for (const field of THRESHOLD_FIELDS) {
    const text = texts[field].trim();
    if (text === "") {
      errors[field] = "thresholds.required";
    } else if (!/^\d+$/.test(text) || Number(text) < 1 || !Number.isSafeInteger(Number(text))) {
      errors[field] = "thresholds.positive";
    } else {
      value[field] = Number(text);
    }
  }
  return { value: Object.keys(errors).length ? null : value, errors };
}

function textsOf(thresholds: Thresholds | null): Texts {
  return {
    longest_wait_seconds: thresholds ? String(thresholds.longest_wait_seconds) : "",
    lost_last_30_minutes: thresholds ? String(thresholds.lost_last_30_minutes) : "",
    callbacks_overdue: thresholds ? String(thresholds.callbacks_overdue) : "",
  };
}

export function ThresholdsEditor({ current, onSaved }: { current: Thresholds | null; onSaved(): void }) {
  const { t } = useI18n();
  const api = useSupervisorApi();
  const notify = useNotify();
  const [expanded, setExpanded] = useState(false);
  const [texts, setTexts] = useState<Texts | null>(null);
  const [errors, setErrors] = useState<Partial<Record<ThresholdField, string>>>({});
  const [formError, setFormError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const refs = {
    longest_wait_seconds: useRef<InputProps.Ref>(null),
    lost_last_30_minutes: useRef<InputProps.Ref>(null),
    callbacks_overdue: useRef<InputProps.Ref>(null),
  };

  // Opened: the thresholds as stored now (the live answer's copy until that arrives, or if the route is missing).
  useEffect(() => {
    if (!expanded || texts) return;
    const abort = new AbortController();
    api.thresholds(abort.signal).then(
      (stored) => setTexts(textsOf(stored)),
      (error: unknown) => {
        if (abort.signal.aborted) return;
        setTexts(textsOf(current));
        if (!routeMissing(error) || !current) setFormError(describeSupervisorError(error, t));
      },
    );
    return () => abort.abort();
  }, [expanded, texts, api, current, t]);

  const save = async () => {
    if (!texts) return;
    const checked = validateThresholds(texts);
    const shown = Object.fromEntries(Object.entries(checked.errors).map(([f, key]) => [f, t(key)]));
    setErrors(shown);
    setFormError(null);
    if (!checked.value) {
      const first = THRESHOLD_FIELDS.find((f) => checked.errors[f]);
      if (first) refs[first].current?.focus();
      return;
    }
    setBusy(true);
    try {
      const saved = await api.saveThresholds(checked.value);
      setTexts(textsOf(saved));
      notify({ type: "success", content: t("thresholds.saved") });
      onSaved();
    } catch (error) {
      const field = error instanceof ApiError ? (error.field as ThresholdField | undefined) : undefined;
      if (field && THRESHOLD_FIELDS.includes(field)) {
        setErrors({ [field]: t("thresholds.refused", { message: (error as ApiError).message }) });
        refs[field].current?.focus();
      } else {
        setFormError(describeSupervisorError(error, t));
      }
    } finally {
      setBusy(false);
    }
  };

  return (
    <ExpandableSection
      variant="container"
      headerText={t("thresholds.title")}
      headerDescription={t("thresholds.description")}
      expanded={expanded}
      onChange={({ detail }) => setExpanded(detail.expanded)}
    >
      <form
        onSubmit={(event) => {
          event.preventDefault();
          void save();
        }}
      >
        <Form
          errorText={formError}
          errorIconAriaLabel={t("common.errorIcon")}
          actions={
            <Button variant="primary" formAction="submit" loading={busy} disabled={!texts}>
              {t("thresholds.save")}
            </Button>
          }
        >
          <ColumnLayout columns={3} minColumnWidth={200}>
            {THRESHOLD_FIELDS.map((field) => (
              <FormField
                key={field}
                label={t(LABEL[field])}
                description={t(HINT[field])}
                errorText={errors[field]}
                controlId={`threshold-${field}`}
              >
                <Input
                  ref={refs[field]}
                  controlId={`threshold-${field}`}
                  type="number"
                  inputMode="numeric"
                  step={1}
                  value={texts?.[field] ?? ""}
                  disabled={!texts}
                  invalid={Boolean(errors[field])}
                  onChange={({ detail }) => setTexts((all) => (all ? { ...all, [field]: detail.value } : all))}
                />
              </FormField>
            ))}
          </ColumnLayout>
        </Form>
      </form>
    </ExpandableSection>
  );
}
