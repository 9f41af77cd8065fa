import { ApiError, NetworkError } from "../api/client";
import type { MessageKey, Vars } from "../i18n";

/** An error as one sentence for the agent (the API's own message names the rule, never personal data). */
export function describeError(error: unknown, t: (key: MessageKey, vars?: Vars) => string): string {
  if (error instanceof NetworkError) return t("common.networkError");
  if (error instanceof ApiError) {
    // API Gateway's (and chalice local's) answer for a route the API does not have.
    if (error.status === 403 && error.code === "http_403" && error.message === "Missing Authentication Token") {
      return t("common.routeMissing");
    }
    if (error.status === 409) return t("common.conflict");
    if (error.status === 403) return t("common.forbidden", { message: error.message });
    return t("common.error", { message: error.message });
  }
  return t("common.error", { message: error instanceof Error ? error.message : String(error) });
}
