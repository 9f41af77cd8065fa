import { describe, expect, it } from "vitest";

import { tr } from "../src/i18n/tr";

// Labels picked by a value from the API or a constant list (`label(prefix, value)`, template keys).
const DYNAMIC = [
  "category.",
  "status.",
  "channel.",
  "method.",
  "referralStatus.",
  "workspace.",
  "reason.",
  "outcome.",
  "closeOutcome.",
  "incident.cat.",
  "incident.sev.",
  "incident.sevShort.",
  "incident.st.",
  "refer.channel.",
  "refer.address.",
  "refer.error.",
  "work.callerSms.",
  "role.",
  "agentStatus.",
  "auditAction.",
  "health.status.",
  "privacy.kind.",
  "closures.reason.",
  "duration.", // by the i18n module itself
];

// The panel's sources as text (Vite reads them), the dictionaries left out.
const SOURCES = import.meta.glob<string>(["../src/**/*.{ts,tsx}", "!../src/i18n/**"], {
  query: "?raw",
  import: "default",
  eager: true,
});

describe("labels", () => {
  it("are all used: a label nobody shows is a label nobody keeps up to date", () => {
    const code = Object.values(SOURCES).join("\n");
    expect(code).toContain("useI18n"); // the sources were read
    const unused = Object.keys(tr).filter(
      (key) => !DYNAMIC.some((prefix) => key.startsWith(prefix)) && !code.includes(`"${key}"`),
    );
    expect(unused).toEqual([]);
  });
});
