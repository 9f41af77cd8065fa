/// <reference types="vitest/config" />
import { defineConfig } from "vite";

// The panel is served under /console/ (locally by `callcenter local api`, deployed behind CloudFront),
// so asset URLs are absolute under that base and client-side routes can be any depth.
export default defineConfig({
  base: "/console/",
  build: {
    outDir: "dist",
    emptyOutDir: true,
    sourcemap: false,
    // Cloudscape is large; the agents' first screen loads it once and the browser caches the hashed files.
    chunkSizeWarningLimit: 2048,
    rolldownOptions: {
      onwarn(warning, warn) {
        // Cloudscape marks its modules "use client" for React Server Components; a client bundle needs nothing.
        if (warning.code === "MODULE_LEVEL_DIRECTIVE") return;
        warn(warning);
      },
    },
  },
  test: {
    environment: "jsdom",
    include: ["test/**/*.test.{ts,tsx}"],
    setupFiles: ["test/setup.ts"],
    restoreMocks: true,
    // Form tests type into jsdom key by key: on a busy 2-core CI machine that outlasts Vitest's 5 s default.
    testTimeout: 20_000,
  },
});
