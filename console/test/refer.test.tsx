import { act, fireEvent, screen, waitFor } from "@testing-library/react";
import createWrapper from "@cloudscape-design/components/test-utils/dom";
import { describe, expect, it } from "vitest";

import { ApiError } from "../src/api/client";
import { useAskToSignInAgain } from "../src/app/Reauth";
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

/** The form with its unit (once the units are loaded), the question and `category` chosen. */
async function filledIn(container: HTMLElement, category: string) {
  const page = createWrapper(container);
  const unit = page.findSelect('[data-testid="refer-unit"]')!;
  await waitFor(() => {
    unit.openDropdown();
    expect(unit.findDropdown().findOptions()).toHaveLength(1);
  });
  act(() => unit.selectOptionByValue("ogrenci-isleri"));
  act(() => page.findTextarea()!.setTextareaValue(QUESTION));
  const select = page.findSelect('[data-testid="refer-category"]')!;
  act(() => select.openDropdown());
  act(() => select.selectOptionByValue(category));
  return page;
}

describe("validate", () => {
  it("names every missing field before asking the API", () => {
    expect(Object.keys(validate(EMPTY_DRAFT, t)).sort()).toEqual(["category", "question", "unit_id"]);
  });

  it("needs an address for e-mail, and a plausible one for every channel", () => {
    const base = { ...EMPTY_DRAFT, unitId: "u", question: QUESTION, category: "bilgi" as const };
    expect(validate({ ...base, channel: "EMAIL" }, t).return_address).toBe(t("refer.required"));
    expect(validate({ ...base, channel: "EMAIL", address: "x@" }, t).return_address).toBeDefined();
    expect(validate({ ...base, channel: "EMAIL", address: "ayse@example.com" }, t)).toEqual({});
    expect(validate({ ...base, channel: "SMS", smsConsent: true, address: "+90 555 123 45 67" }, t)).toEqual({});
    expect(validate({ ...base, channel: "SMS", smsConsent: true, address: "0555" }, t).return_address).toBeDefined();
    expect(validate({ ...base, channel: "VOICE" }, t)).toEqual({}); // empty: the caller's own number
    expect(validate({ ...base, channel: "SMS", smsConsent: true }, t)).toEqual({}); // likewise
  });

  it("refuses an SMS return without the caller's consent to SMS (KVKK)", () => {
    const base = { ...EMPTY_DRAFT, unitId: "u", question: QUESTION, category: "bilgi" as const };
    expect(validate({ ...base, channel: "SMS" }, t)).toEqual({ sms_consent: t("refer.error.sms_consent") });
    expect(validate({ ...base, channel: "VOICE", smsConsent: false }, t)).toEqual({});
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

describe("an answer by SMS", () => {
  it("asks for the caller's consent to SMS, focuses it when missing, and sends it with the channel", async () => {
    const calls = fakeApi((method, url) => {
      if (method === "GET" && url.pathname === "/units") return [200, UNITS];
      if (method === "POST" && url.pathname === "/referrals") {
        return [201, { referral_id: "rf-3", reference: "ÇİM-2026-000125", unit_id: "ogrenci-isleri", unit_name: "Öğrenci İşleri" }];
      }
      return undefined;
    });
    const { container } = renderSignedIn(<ReferPage />, { path: "/refer?contact=c-1" });
    const page = await filledIn(container, "bilgi");
    expect(container.querySelector('[data-testid="refer-sms-consent"]')).toBeNull(); // only for an SMS return
    act(() => page.findRadioGroup()!.findInputByValue("SMS")!.getElement().click());
    const smsConsent = page.findCheckbox('[data-testid="refer-sms-consent"]')!;
    expect(smsConsent.getElement().textContent).toContain(t("refer.smsConsentLabel"));

    fireEvent.submit(container.querySelector("form")!);
    await waitFor(() => expect(container.textContent).toContain(t("refer.error.sms_consent")));
    expect(document.activeElement).toBe(smsConsent.findNativeInput().getElement());
    expect(calls.filter((c) => c.method === "POST")).toEqual([]); // nothing asked of the API without it

    act(() => smsConsent.findNativeInput().click());
    fireEvent.submit(container.querySelector("form")!);
    await waitFor(() => expect(container.querySelector('[data-testid="reference"]')?.textContent).toBe("ÇİM-2026-000125"));
    const [sent] = calls.filter((c) => c.method === "POST");
    expect(sent!.body).toMatchObject({ return_channel: "SMS", return_address: null, sms_consent: true, consent: false });
  });

  it("shows the API's refusal of a landline on the address", () => {
    const error = new ApiError(400, "invalid_request", "an SMS needs a mobile number", "return_address");
    expect(errorsFromApi(error, t, () => "genel")).toEqual({
      return_address: `${t("refer.error.return_address")} (an SMS needs a mobile number)`,
    });
  });
});

describe("an expired session", () => {
  it("asks to sign in again over the form, then sends what was typed", async () => {
    let token = "expired-id-token";
    let asked: ((signIn: () => Promise<void>) => Promise<boolean>) | null = null;
    // A Cognito-like session whose silent renewal failed: it asks the person (ReauthProvider's modal).
    const session = {
      mode: "cognito" as const,
      identity: { username: "ayse", role: "agent" as const },
      headers: async () => ({ Authorization: token }),
      reauthenticate: () =>
        asked!(async () => {
          token = "fresh-id-token";
        }),
      signOut: async () => undefined,
    };
    const calls = fakeApi((method, url) => {
      if (method === "GET" && url.pathname === "/units") return [200, UNITS];
      if (method === "POST" && url.pathname === "/referrals") {
        return calls.at(-1)!.headers.Authorization === "fresh-id-token"
          ? [201, { referral_id: "rf-2", reference: "ÇİM-2026-000124", unit_id: "ogrenci-isleri", unit_name: "Öğrenci İşleri" }]
          : [401, { error: "unauthenticated", message: "The incoming token has expired" }];
      }
      return undefined;
    });
    function Capture() {
      asked = useAskToSignInAgain();
      return null;
    }
    const { container } = renderSignedIn(
      <>
        <Capture />
        <ReferPage />
      </>,
      { path: "/refer?contact=c-1", session },
    );
    const page = await filledIn(container, "başvuru");
    fireEvent.submit(container.querySelector("form")!);

    const modal = await screen.findByRole("dialog");
    expect(modal.textContent).toContain("Oturumunuzun süresi doldu");
    // The form is still there under the modal, as typed.
    expect(page.findTextarea()!.findNativeTextarea().getElement().value).toBe(QUESTION);
    fireEvent.click(screen.getByRole("button", { name: "Yeniden giriş yap" }));

    await waitFor(() => expect(container.querySelector('[data-testid="reference"]')?.textContent).toBe("ÇİM-2026-000124"));
    const posts = calls.filter((c) => c.method === "POST");
    expect(posts.map((c) => c.headers.Authorization)).toEqual(["expired-id-token", "fresh-id-token"]);
    expect(posts[1]!.body).toEqual(posts[0]!.body);
    expect((posts[1]!.body as { question: string }).question).toBe(QUESTION);
  });
});
