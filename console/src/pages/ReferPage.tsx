import { useEffect, useMemo, useRef, useState } from "react";

import Alert from "@cloudscape-design/components/alert";
import Box from "@cloudscape-design/components/box";
import Button from "@cloudscape-design/components/button";
import Checkbox, { type CheckboxProps } from "@cloudscape-design/components/checkbox";
import Container from "@cloudscape-design/components/container";
import ContentLayout from "@cloudscape-design/components/content-layout";
import CopyToClipboard from "@cloudscape-design/components/copy-to-clipboard";
import Form from "@cloudscape-design/components/form";
import FormField from "@cloudscape-design/components/form-field";
import Header from "@cloudscape-design/components/header";
import Input, { type InputProps } from "@cloudscape-design/components/input";
import RadioGroup, { type RadioGroupProps } from "@cloudscape-design/components/radio-group";
import Select, { type SelectProps } from "@cloudscape-design/components/select";
import SpaceBetween from "@cloudscape-design/components/space-between";
import Textarea, { type TextareaProps } from "@cloudscape-design/components/textarea";

import { ApiError } from "../api/client";
import { RETURN_CHANNELS, type Category, type Referral, type ReturnChannel, type Unit } from "../api/types";
import { useFollow, usePanelHref } from "../app/links";
import type { MessageKey } from "../i18n";
import { useI18n } from "../i18n/react";
import { useCurrentContact } from "../state/contact";
import { useDrafts } from "../state/drafts";
import { describeError } from "../state/errors";
import { useApi } from "../state/session";
import { categoryOptions } from "./ContactPage";

export interface ReferDraft {
  unitId: string | null;
  question: string;
  category: Category | null;
  channel: ReturnChannel;
  address: string;
  consent: boolean;
  callerName: string;
  smsConsent: boolean;
}

export const EMPTY_DRAFT: ReferDraft = {
  unitId: null,
  question: "",
  category: null,
  channel: "VOICE",
  address: "",
  consent: false,
  callerName: "",
  smsConsent: false,
};

/** The API's field names, in the order the form shows them. */
export const FIELDS = [
  "unit_id",
  "question",
  "category",
  "return_channel",
  "return_address",
  "sms_consent",
  "consent",
  "caller_name",
] as const;
export type Field = (typeof FIELDS)[number];
export type FieldErrors = Partial<Record<Field | "contact_id" | "form", string>>;

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]{2,}$/;
const PHONE = /^\+?[0-9][0-9 ()-]{6,19}$/;

/** What the browser can tell before asking the API (which checks everything again). */
export function validate(draft: ReferDraft, t: (key: MessageKey) => string): FieldErrors {
  const errors: FieldErrors = {};
  if (!draft.unitId) errors.unit_id = t("refer.error.unit_id");
  const question = draft.question.trim();
  if (question.length < 5 || question.length > 4000) errors.question = t("refer.error.question");
  if (!draft.category) errors.category = t("refer.error.category");
  const address = draft.address.trim();
  if (draft.channel === "EMAIL" && !address) errors.return_address = t("refer.required");
  else if (draft.channel === "EMAIL" && !EMAIL.test(address)) errors.return_address = t("refer.error.return_address");
  else if ((draft.channel === "SMS" || draft.channel === "VOICE") && address && !PHONE.test(address)) {
    errors.return_address = t("refer.error.return_address");
  }
  // KVKK: a text goes to the caller's phone only with their consent, recorded here with the channel.
  if (draft.channel === "SMS" && !draft.smsConsent) errors.sms_consent = t("refer.error.sms_consent");
  if (draft.callerName.trim().length > 200) errors.caller_name = t("refer.error.caller_name");
  return errors;
}

/** The API's refusal, on the field it names (the form stays as it was). */
export function errorsFromApi(error: unknown, t: (key: MessageKey) => string, describe: (e: unknown) => string): FieldErrors {
  if (error instanceof ApiError && error.field) {
    const field = error.field.split(".")[0]!;
    if ((FIELDS as readonly string[]).includes(field) || field === "contact_id") {
      const known = t(`refer.error.${field}` as MessageKey);
      // The API's own words add the rule it applied, except for a contact still arriving (said in full above).
      return { [field]: field === "contact_id" ? known : `${known} (${error.message})` } as FieldErrors;
    }
  }
  return { form: describe(error) };
}

function Done({ referral, unit, onAgain }: { referral: Referral; unit: Unit | undefined; onAgain(): void }) {
  const i18n = useI18n();
  const { t } = i18n;
  const heading = useRef<HTMLHeadingElement>(null);
  useEffect(() => heading.current?.focus(), []);
  const unitName = unit ? (i18n.lang === "en" ? unit.name_en : unit.name_tr) : referral.unit_name;
  return (
    <Container
      header={
        <Header variant="h2" actions={<Button onClick={onAgain}>{t("refer.done.again")}</Button>}>
          <span ref={heading} tabIndex={-1} className="focus-target">
            {t("refer.done.title")}
          </span>
        </Header>
      }
    >
      <SpaceBetween size="m">
        <div role="status">
          <Box variant="awsui-key-label">{t("refer.done.reference")}</Box>
          <Box fontSize="display-l" fontWeight="bold">
            <span className="reference" data-testid="reference">
              {referral.reference}
            </span>
          </Box>
        </div>
        <CopyToClipboard
          variant="button"
          textToCopy={referral.reference}
          copyButtonText={t("refer.done.copy")}
          copySuccessText={t("refer.done.copied")}
          copyErrorText={t("refer.done.copyFailed")}
        />
        {unit && <Box>{t("refer.done.body", { unit: unitName, hours: i18n.hours(unit.target_hours) })}</Box>}
      </SpaceBetween>
    </Container>
  );
}

function ReferForm({ contactId }: { contactId: string }) {
  const i18n = useI18n();
  const { t } = i18n;
  const api = useApi();
  const drafts = useDrafts();
  const key = `refer:${contactId}`;
  const [draft, setDraftState] = useState<ReferDraft>(() => drafts.get<ReferDraft>(key) ?? EMPTY_DRAFT);
  const [errors, setErrors] = useState<FieldErrors>({});
  const [focusOn, setFocusOn] = useState<{ field: Field | "form" | "contact_id"; n: number } | null>(null);
  const [busy, setBusy] = useState(false);
  const [done, setDone] = useState<Referral | null>(() => drafts.get<Referral>(`${key}:done`) ?? null);
  const [units, setUnits] = useState<Unit[] | null>(null);
  const [unitsError, setUnitsError] = useState<unknown>(null);

  const unitRef = useRef<SelectProps.Ref>(null);
  const questionRef = useRef<TextareaProps.Ref>(null);
  const categoryRef = useRef<SelectProps.Ref>(null);
  const channelRef = useRef<RadioGroupProps.Ref>(null);
  const addressRef = useRef<InputProps.Ref>(null);
  const consentRef = useRef<CheckboxProps.Ref>(null);
  const smsConsentRef = useRef<CheckboxProps.Ref>(null);
  const nameRef = useRef<InputProps.Ref>(null);
  const formAlert = useRef<HTMLDivElement>(null);

  const setDraft = (change: Partial<ReferDraft>) =>
    setDraftState((current) => {
      const next = { ...current, ...change };
      drafts.set(key, next);
      return next;
    });

  useEffect(() => {
    const abort = new AbortController();
    api
      .units(abort.signal)
      .then((found) => setUnits(found.filter((u) => u.active)))
      .catch((e: unknown) => {
        if (!abort.signal.aborted) setUnitsError(e);
      });
    return () => abort.abort();
  }, [api]);

  useEffect(() => {
    if (!focusOn) return;
    const refs: Record<string, { current: { focus(): void } | null }> = {
      unit_id: unitRef,
      question: questionRef,
      category: categoryRef,
      return_channel: channelRef,
      return_address: addressRef,
      sms_consent: smsConsentRef,
      consent: consentRef,
      caller_name: nameRef,
    };
    const target = refs[focusOn.field];
    if (target?.current) target.current.focus();
    else formAlert.current?.focus();
  }, [focusOn]);

  const unitOptions = useMemo<SelectProps.Option[]>(
    () =>
      [...(units ?? [])]
        .sort((a, b) => (i18n.lang === "en" ? a.name_en : a.name_tr).localeCompare(i18n.lang === "en" ? b.name_en : b.name_tr, i18n.lang))
        .map((u) => ({
          value: u.unit_id,
          label: i18n.lang === "en" ? u.name_en : u.name_tr,
          description: t("refer.unitTarget", { hours: i18n.hours(u.target_hours) }),
        })),
    [units, i18n, t],
  );
  const categories = categoryOptions(i18n.label);
  const fail = (next: FieldErrors) => {
    setErrors(next);
    const first = [...FIELDS, "contact_id" as const, "form" as const].find((f) => next[f]);
    if (first) setFocusOn({ field: first, n: Date.now() });
  };

  const submit = async () => {
    const found = validate(draft, t);
    if (Object.keys(found).length > 0) return fail(found);
    setErrors({});
    setBusy(true);
    try {
      const made = await api.createReferral({
        contact_id: contactId,
        unit_id: draft.unitId!,
        question: draft.question.trim(),
        category: draft.category!,
        return_channel: draft.channel,
        return_address: draft.address.trim() || null,
        consent: draft.consent,
        caller_name: draft.consent && draft.callerName.trim() ? draft.callerName.trim() : null,
        ...(draft.channel === "SMS" ? { sms_consent: draft.smsConsent } : {}),
      });
      drafts.drop(key);
      drafts.set(`${key}:done`, made);
      setDone(made);
    } catch (error) {
      // Nothing the agent typed is lost: the draft stays, the field the API named gets the focus.
      fail(errorsFromApi(error, t, (e) => describeError(e, t)));
    } finally {
      setBusy(false);
    }
  };

  if (done) {
    return (
      <Done
        referral={done}
        unit={units?.find((u) => u.unit_id === done.unit_id)}
        onAgain={() => {
          drafts.drop(`${key}:done`);
          drafts.drop(key);
          setDraftState(EMPTY_DRAFT);
          setDone(null);
        }}
      />
    );
  }

  const formError = errors.form ?? errors.contact_id;
  return (
    <form
      noValidate
      onSubmit={(event) => {
        event.preventDefault();
        void submit();
      }}
    >
      <Form
        actions={
          <SpaceBetween direction="horizontal" size="xs">
            <Button
              formAction="none"
              variant="link"
              onClick={() => {
                drafts.drop(key);
                setDraftState(EMPTY_DRAFT);
                setErrors({});
              }}
            >
              {t("refer.clear")}
            </Button>
            <Button variant="primary" formAction="submit" loading={busy} loadingText={t("refer.sending")}>
              {t("refer.submit")}
            </Button>
          </SpaceBetween>
        }
      >
        <Container>
          <SpaceBetween size="l">
            {/* A refusal that names no field of the form (the contact, the network) is said here, and focused. */}
            {formError || unitsError ? (
              <div ref={formAlert} tabIndex={-1} className="focus-target">
                <SpaceBetween size="s">
                  {formError ? <Alert type="error">{formError}</Alert> : null}
                  {unitsError ? (
                    <Alert type="error">{t("refer.unitsError", { message: describeError(unitsError, t) })}</Alert>
                  ) : null}
                </SpaceBetween>
              </div>
            ) : null}
            <FormField label={t("refer.unit")} errorText={errors.unit_id} controlId="refer-unit">
              <Select
                data-testid="refer-unit"
                ref={unitRef}
                controlId="refer-unit"
                selectedOption={unitOptions.find((o) => o.value === draft.unitId) ?? null}
                onChange={({ detail }) => setDraft({ unitId: detail.selectedOption.value ?? null })}
                options={unitOptions}
                placeholder={t("refer.unitPlaceholder")}
                filteringType="auto"
                triggerVariant="option"
                filteringPlaceholder={t("refer.unitFilter")}
                filteringAriaLabel={t("refer.unitFilter")}
                statusType={units === null && !unitsError ? "loading" : unitsError ? "error" : "finished"}
                loadingText={t("common.loading")}
                errorText={t("refer.unitsUnavailable")}
                invalid={Boolean(errors.unit_id)}
              />
            </FormField>
            <FormField
              data-testid="refer-question-field"
              label={t("refer.question")}
              description={t("refer.questionDescription")}
              errorText={errors.question}
              controlId="refer-question"
              constraintText={`${draft.question.trim().length}/4000`}
            >
              <Textarea
                ref={questionRef}
                controlId="refer-question"
                value={draft.question}
                onChange={({ detail }) => setDraft({ question: detail.value })}
                rows={5}
                invalid={Boolean(errors.question)}
              />
            </FormField>
            <FormField label={t("refer.category")} errorText={errors.category} controlId="refer-category">
              <Select
                data-testid="refer-category"
                ref={categoryRef}
                controlId="refer-category"
                selectedOption={categories.find((o) => o.value === draft.category) ?? null}
                onChange={({ detail }) => setDraft({ category: (detail.selectedOption.value as Category) ?? null })}
                options={categories}
                placeholder={t("classify.placeholder")}
                invalid={Boolean(errors.category)}
              />
            </FormField>
            <FormField
              label={t("refer.channel")}
              description={t("refer.channelDescription")}
              errorText={errors.return_channel}
            >
              <RadioGroup
                ref={channelRef}
                ariaLabel={t("refer.channel")}
                direction="horizontal"
                value={draft.channel}
                onChange={({ detail }) => setDraft({ channel: detail.value as ReturnChannel })}
                items={RETURN_CHANNELS.map((c) => ({ value: c, label: t(`refer.channel.${c}` as MessageKey) }))}
              />
            </FormField>
            <FormField
              label={t("refer.address")}
              description={t(`refer.address.${draft.channel}` as MessageKey)}
              errorText={errors.return_address}
              controlId="refer-address"
            >
              <Input
                ref={addressRef}
                controlId="refer-address"
                type={draft.channel === "EMAIL" ? "email" : draft.channel === "CHAT" ? "text" : "text"}
                inputMode={draft.channel === "EMAIL" ? "email" : draft.channel === "CHAT" ? "text" : "tel"}
                value={draft.address}
                onChange={({ detail }) => setDraft({ address: detail.value })}
                invalid={Boolean(errors.return_address)}
                autoComplete={false}
                spellcheck={false}
              />
            </FormField>
            {draft.channel === "SMS" && (
              <FormField
                label={t("refer.smsConsent")}
                description={t("refer.smsConsentDescription")}
                errorText={errors.sms_consent}
              >
                <Checkbox
                  data-testid="refer-sms-consent"
                  ref={smsConsentRef}
                  checked={draft.smsConsent}
                  onChange={({ detail }) => setDraft({ smsConsent: detail.checked })}
                >
                  {t("refer.smsConsentLabel")}
                </Checkbox>
              </FormField>
            )}
            <FormField label={t("refer.consent")} description={t("refer.consentDescription")} errorText={errors.consent}>
              <Checkbox
                ref={consentRef}
                checked={draft.consent}
                onChange={({ detail }) => setDraft({ consent: detail.checked })}
              >
                {t("refer.consentLabel")}
              </Checkbox>
            </FormField>
            <FormField
              label={
                <span>
                  {t("refer.callerName")} <i>({t("common.optional")})</i>
                </span>
              }
              description={t("refer.callerNameDescription")}
              errorText={errors.caller_name}
              controlId="refer-caller-name"
            >
              <Input
                data-testid="refer-caller-name"
                ref={nameRef}
                controlId="refer-caller-name"
                value={draft.callerName}
                onChange={({ detail }) => setDraft({ callerName: detail.value })}
                disabled={!draft.consent}
                autoComplete={false}
                invalid={Boolean(errors.caller_name)}
              />
            </FormField>
          </SpaceBetween>
        </Container>
      </Form>
    </form>
  );
}

export function ReferPage() {
  const { t } = useI18n();
  const { contact } = useCurrentContact();
  const home = usePanelHref("/");
  const follow = useFollow();
  return (
    <ContentLayout
      header={
        <Header
          variant="h1"
          description={contact ? t("refer.contact", { contact: contact.contactId }) : t("refer.description")}
        >
          {t("refer.title")}
        </Header>
      }
    >
      {contact ? (
        <SpaceBetween size="m">
          <Box variant="p" color="text-body-secondary">
            {t("refer.description")}
          </Box>
          <ReferForm key={contact.contactId} contactId={contact.contactId} />
        </SpaceBetween>
      ) : (
        <Alert type="info" action={<Button href={home} onFollow={follow}>{t("app.backHome")}</Button>}>
          {t("refer.noContact")}
        </Alert>
      )}
    </ContentLayout>
  );
}
