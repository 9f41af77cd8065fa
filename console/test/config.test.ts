import { describe, expect, it, vi } from "vitest";

import { ConfigError, loadConfig, parseConfig } from "../src/config";

describe("runtime config", () => {
  it("reads the local stage's", () => {
    expect(parseConfig({ mode: "local", api: "" })).toEqual({ mode: "local", api: "" });
  });

  it("reads a deployed stage's, without a trailing slash on URLs", () => {
    expect(
      parseConfig({
        mode: "cognito",
        api: "https://api.example/prod/",
        authority: "https://cognito-idp.eu-central-1.amazonaws.com/eu-central-1_X",
        client_id: "abc",
        redirect_uri: "https://panel.example/console/callback",
      }),
    ).toEqual({
      mode: "cognito",
      api: "https://api.example/prod",
      authority: "https://cognito-idp.eu-central-1.amazonaws.com/eu-central-1_X",
      client_id: "abc",
      redirect_uri: "https://panel.example/console/callback",
    });
  });

  it("refuses what would send tokens in the clear or nowhere", () => {
    const base = {
      mode: "cognito",
      api: "",
      authority: "https://cognito-idp.eu-central-1.amazonaws.com/p",
      client_id: "c",
      redirect_uri: "https://panel.example/console/callback",
    };
    expect(() => parseConfig({ ...base, api: "http://api.example" })).toThrow(ConfigError);
    expect(() => parseConfig({ ...base, authority: "" })).toThrow(/authority/);
    expect(() => parseConfig({ ...base, client_id: undefined })).toThrow(/client_id/);
    expect(() => parseConfig({ mode: "open" })).toThrow(/mode/);
    expect(() => parseConfig(["local"])).toThrow(ConfigError);
  });

  it("is fetched from config.json beside index.html, never cached", async () => {
    const fetchFn = vi.fn(async () => new Response(JSON.stringify({ mode: "local", api: "" })));
    expect(await loadConfig(fetchFn as unknown as typeof fetch, "/console/config.json")).toEqual({
      mode: "local",
      api: "",
    });
    expect(fetchFn).toHaveBeenCalledWith("/console/config.json", expect.objectContaining({ cache: "no-store" }));
  });
});
