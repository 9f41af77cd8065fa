import { cleanup } from "@testing-library/react";
import { afterEach, vi } from "vitest";

// React's act() checks this flag; Cloudscape's test utilities act on their own.
(globalThis as { IS_REACT_ACT_ENVIRONMENT?: boolean }).IS_REACT_ACT_ENVIRONMENT = true;

afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
  document.title = "";
});
