import { act, fireEvent, waitFor } from "@testing-library/react";
import createWrapper from "@cloudscape-design/components/test-utils/dom";
import { describe, expect, it } from "vitest";

import { ApiError } from "../src/api/client";
import { translate } from "../src/i18n";
import { EMPTY_DRAFT, ReferPage, errorsFromApi, validate } from "../src/pages/ReferPage";
import { fakeApi, renderSignedIn } from "./harness";

const t = (key: Parameters<typeof translate>[1]) => translate("tr", key);
const UNITS = {
  units: [
    { unit_id: "ogrenci-isleri", name_tr: "Öğrenci İşleri", name_en: "Student Affairs", target_hours: 16, active: true },
    { unit_id: "kapali-birim", name_tr: "Kapalı Birim", name_en: "Closed", target_hours: 8, active: false },
  ],
  count: 2,
  next: null,
};
const QUESTION = "Yaz okulu notları transkripte ne zaman işlenir?";

describe("validate", () => {
  it("names every missing field before asking the API", () => {
    expect(Object.keys(validate(EMPTY_DRAFT, t)).sort()).toEqual(["category", "question", "unit_id"]);
  });

  it("needs an address for e-mail and SMS, and a plausible one", () => {
    const base = { ...EMPTY_DRAFT, unitId: "u", question: QUESTION, category: "bilgi" as const };
    expect(validate({ ...base, channel: "EMAIL" }, t).return_address).toBe(t("refer.required"));
    expect(validate({ ...base, channel: "EMAIL", address: "x@" }, t).return_address).toBeDefined();
    expect(validate({ ...base, channel: "EMAIL", address: "ayse@example.com" }, t)).toEqual({});
    expect(validate({ ...base, channel: "SMS", address: "+90 555 123 45 67" }, t)).toEqual({});
    expect(validate({ ...base, channel: "VOICE" }, t)).toEqual({}); // empty: the caller's own number
  });
});

describe("errorsFromApi", () => {
  const describe_ = () => "genel";
  it("puts the API's refusal on the field it names", () => {
    const error = new ApiError(400, "invalid_request", "body field question: too short", "question");
    expect(errorsFromApi(error, t, describe_)).toEqual({ question: `${t("refer.error.question")} (body field question: too short)` });
  });

  it("says a contact is still arriving without the API's English", () => {
    const error = new ApiError(404, "not_found", "contact c-1 is not recorded yet", "contact_id");
    expect(errorsFromApi(error, t, describe_)).toEqual({ contact_id: t("refer.error.contact_id") });
  });

  it("keeps anything else for the whole form", () => {
    expect(errorsFromApi(new Error("boom"), t, describe_)).toEqual({ form: "genel" });
    const unknownField = new ApiError(400, "invalid_request", "x", "body");
    expect(errorsFromApi(unknownField, t, describe_)).toEqual({ form: "genel" });
  });
});

describe("the referral form", () => {
  it("keeps what was typed when the API refuses a field, focuses that field, then shows the reference", async () => {
    let attempts = 0;
    const calls = fakeApi((method, url) => {
      if (method === "GET" && url.pathname === "/units") return [200, UNITS];
      if (method === "POST" && url.pathname === "/referrals") {
        attempts += 1;
        if (attempts === 1) {
          return [400, { error: "invalid_request", message: "body field question: too long", field: "question" }];
        }
        return [
          201,
          { referral_id: "rf-1", reference: "ÇİM-2026-000123", unit_id: "ogrenci-isleri", unit_name: "Öğrenci İşleri" },
        ];
      }
      return undefined;
    });
    const { container } = renderSignedIn(<ReferPage />, { path: "/refer?contact=c-1" });
    const page = createWrapper(container);

    const unit = page.findSelect('[data-testid="refer-unit"]')!;
    await waitFor(() => {
      unit.openDropdown();
      expect(unit.findDropdown().findOptions()).toHaveLength(1); // the inactive unit is not offered
    });
    act(() => unit.selectOptionByValue("ogrenci-isleri"));
    const question = page.findTextarea()!;
    act(() => question.setTextareaValue(QUESTION));
    const category = page.findSelect('[data-testid="refer-category"]')!;
    act(() => category.openDropdown());
    act(() => category.selectOptionByValue("bilgi"));
    act(() => page.findCheckbox()!.findNativeInput().click());
    act(() => page.findInput('[data-testid="refer-caller-name"]')!.setInputValue("Ayşe Yılmaz"));

    fireEvent.submit(container.querySelector("form")!);

    const questionField = page.findFormField('[data-testid="refer-question-field"]')!;
    await waitFor(() => expect(questionField.findError()?.getElement().textContent).toContain(t("refer.error.question")));
    // The form is as the agent left it, and the refused field has the focus.
    expect(question.findNativeTextarea().getElement().value).toBe(QUESTION);
    expect(document.activeElement).toBe(question.findNativeTextarea().getElement());
    const sent = calls.find((c) => c.method === "POST")!;
    expect(sent.headers).toMatchObject({ "X-Agent-Id": "ayse", "X-Groups": "agents" });
    expect(sent.body).toEqual({
      contact_id: "c-1",
      unit_id: "ogrenci-isleri",
      question: QUESTION,
      category: "bilgi",
      return_channel: "VOICE",
      return_address: null,
      consent: true,
      caller_name: "Ayşe Yılmaz",
    });

    fireEvent.submit(container.querySelector("form")!);
    await waitFor(() => expect(container.querySelector('[data-testid="reference"]')?.textContent).toBe("ÇİM-2026-000123"));
  });
});
