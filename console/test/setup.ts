import { disableMotion } from "@cloudscape-design/global-styles";
import { cleanup } from "@testing-library/react";
import { afterEach, vi } from "vitest";

// React's act() checks this flag; Cloudscape's test utilities act on their own.
(globalThis as { IS_REACT_ACT_ENVIRONMENT?: boolean }).IS_REACT_ACT_ENVIRONMENT = true;
// No transitions in tests: they would settle after the test's own waits.
disableMotion(true);

// Cloudscape's dropdowns finish a transition on a timer while testing-library's waitFor has switched
// React's act checks off; React then warns about an environment it was told about. Only that line is dropped.
const consoleError = console.error.bind(console);
console.error = (...args: unknown[]) => {
  if (typeof args[0] === "string" && args[0].startsWith("Warning: The current testing environment is not configured to support act")) {
    return;
  }
  consoleError(...args);
};

// jsdom has no CSS.escape; Cloudscape's Flashbar uses it to focus a new warning.
const css = ((globalThis as { CSS?: { escape?: (v: string) => string } }).CSS ??= {});
css.escape ??= (value: string) => value.replace(/[^a-zA-Z0-9_-]/g, (c) => `\\${c}`);

afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
  document.title = "";
});
