import { describe, expect, it } from "vitest";

import { en } from "../src/i18n/en";
import {
  DICTIONARIES,
  formatDate,
  formatDateTime,
  formatDuration,
  label,
  translate,
  TIME_ZONE,
} from "../src/i18n/index";
import { tr } from "../src/i18n/tr";

describe("dictionaries", () => {
  it("have the same keys, and no empty label", () => {
    expect(Object.keys(en).sort()).toEqual(Object.keys(tr).sort());
    for (const [lang, messages] of Object.entries(DICTIONARIES)) {
      for (const [key, text] of Object.entries(messages)) {
        expect(text.trim(), `${lang} ${key}`).not.toBe("");
      }
    }
  });

  it("use the same placeholders in both languages", () => {
    const names = (text: string) => [...text.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();
    for (const key of Object.keys(tr) as Array<keyof typeof tr>) {
      expect(names(en[key]), key).toEqual(names(tr[key]));
    }
  });

  it("carry the Turkish labels agents know", () => {
    expect(translate("tr", "nav.refer")).toBe("Birime yönlendir");
    expect(translate("tr", "work.tabs.callbacks", { count: 2 })).toBe("Geri aramalar (2)");
    expect(translate("tr", "nav.work")).toBe("İşlerim");
    expect(translate("en", "nav.refer")).toBe("Refer to a unit");
  });

  it("name the eight categories as the directive does", () => {
    const names = ["bilgi", "istek", "şikayet", "öneri", "başvuru", "işlem", "kapsam_dışı", "diğer"].map((c) =>
      label("tr", "category", c),
    );
    expect(names).toEqual(["Bilgi", "İstek", "Şikayet", "Öneri", "Başvuru", "İşlem", "Kapsam dışı", "Diğer"]);
  });
});

describe("translate", () => {
  it("fills placeholders and leaves unknown ones visible", () => {
    expect(translate("tr", "refer.unitTarget", { hours: 16 })).toBe("Hedef yanıt süresi: 16 iş saati");
    expect(translate("en", "refer.unitTarget")).toBe("Target answer time: {hours} working hours");
  });

  it("shows a value the dictionary does not know as it is", () => {
    expect(label("tr", "channel", "EMAIL_V2")).toBe("EMAIL_V2");
    expect(label("tr", "channel", "VOICE")).toBe("Telefon");
    expect(label("en", "channel", null)).toBe("—");
  });
});

describe("times", () => {
  it("are shown in Istanbul time, whatever the browser's zone", () => {
    expect(TIME_ZONE).toBe("Europe/Istanbul");
    // 07:05 UTC is 10:05 in Istanbul (UTC+3 all year).
    expect(formatDateTime("tr", "2026-10-14T07:05:00Z")).toBe("14.10.2026 10:05");
    expect(formatDateTime("en", "2026-10-14T07:05:00+00:00")).toBe("14/10/2026, 10:05");
    // 22:30 UTC on the 28th is already the 29th in Istanbul.
    expect(formatDate("tr", "2026-10-28T22:30:00Z")).toBe("29.10.2026");
    expect(formatDateTime("tr", "2026-10-14T10:05:00+03:00")).toBe(
      new Intl.DateTimeFormat("tr-TR", {
        timeZone: "Europe/Istanbul",
        year: "numeric",
        month: "2-digit",
        day: "2-digit",
        hour: "2-digit",
        minute: "2-digit",
      }).format(new Date("2026-10-14T07:05:00Z")),
    );
  });

  it("say nothing for a missing or broken time", () => {
    expect(formatDateTime("tr", null)).toBe("—");
    expect(formatDateTime("tr", "not a time")).toBe("—");
  });

  it("read waits in words", () => {
    expect(formatDuration("tr", 45)).toBe("45 sn");
    expect(formatDuration("tr", 125)).toBe("2 dk 05 sn");
    expect(formatDuration("en", 3780)).toBe("1 h 03 min");
    expect(formatDuration("tr", null)).toBe("—");
  });
});
