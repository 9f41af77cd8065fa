/**
 * The runtime configuration, fetched at start from `config.json` beside index.html, so one build serves
 * every stage: `{"mode":"local","api":""}` on the local stage (the sign-in stand-in), or
 * `{"mode":"cognito","api":"https://…","authority":"https://cognito-idp.<region>.amazonaws.com/<pool>",
 *   "client_id":"…","redirect_uri":"…"}` deployed. An empty `api` means the panel's own origin.
 */

export type LocalConfig = { mode: "local"; api: string };
export type CognitoConfig = {
  mode: "cognito";
  api: string;
  authority: string;
  client_id: string;
  redirect_uri: string;
};
export type RuntimeConfig = LocalConfig | CognitoConfig;

export class ConfigError extends Error {
  override name = "ConfigError";
}

function text(value: unknown, name: string, { empty = false } = {}): string {
  if (typeof value !== "string" || (!empty && value.trim() === "")) {
    throw new ConfigError(`config.json: "${name}" must be a${empty ? "" : " non-empty"} string`);
  }
  return value.trim();
}

function url(value: string, name: string, { empty = false } = {}): string {
  if (empty && value === "") return "";
  let parsed: URL;
  try {
    parsed = new URL(value);
  } catch {
    throw new ConfigError(`config.json: "${name}" is not a URL`);
  }
  const loopback = parsed.hostname === "127.0.0.1" || parsed.hostname === "localhost";
  if (parsed.protocol !== "https:" && !(loopback && parsed.protocol === "http:")) {
    throw new ConfigError(`config.json: "${name}" must use https`);
  }
  return value.replace(/\/+$/, "");
}

export function parseConfig(value: unknown): RuntimeConfig {
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    throw new ConfigError("config.json must be a JSON object");
  }
  const raw = value as Record<string, unknown>;
  const api = url(text(raw.api ?? "", "api", { empty: true }), "api", { empty: true });
  if (raw.mode === "local") return { mode: "local", api };
  if (raw.mode === "cognito") {
    return {
      mode: "cognito",
      api,
      authority: url(text(raw.authority, "authority"), "authority"),
      client_id: text(raw.client_id, "client_id"),
      redirect_uri: url(text(raw.redirect_uri, "redirect_uri"), "redirect_uri"),
    };
  }
  throw new ConfigError('config.json: "mode" must be "local" or "cognito"');
}

export async function loadConfig(
  fetchFn: typeof fetch = (...args) => fetch(...args),
  location = `${import.meta.env.BASE_URL}config.json`,
): Promise<RuntimeConfig> {
  const response = await fetchFn(location, { cache: "no-store", credentials: "same-origin" });
  if (!response.ok) throw new ConfigError(`config.json: HTTP ${response.status}`);
  return parseConfig(await response.json());
}
