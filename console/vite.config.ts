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
  },
  test: {
    environment: "jsdom",
    include: ["test/**/*.test.{ts,tsx}"],
    restoreMocks: true,
  },
});
