import type { Credentials } from "../api/client";
import type { Role } from "../api/types";

export interface Identity {
  username: string;
  role: Role;
}

/** A signed-in person: who they are, and the credentials every API request carries. */
export interface Session extends Credentials {
  readonly mode: "local" | "cognito";
  readonly identity: Identity;
  signOut(): Promise<void>;
}

export const GROUP_OF_ROLE: Record<Role, string> = { agent: "agents", supervisor: "supervisors" };

export function roleOfGroups(groups: readonly string[]): Role | null {
  if (groups.includes("supervisors")) return "supervisor";
  if (groups.includes("agents")) return "agent";
  return null;
}

/** What each role may open: supervisors see everything agents see, and their own section. */
export function mayOpen(role: Role, section: "agent" | "supervisor"): boolean {
  return section === "agent" || role === "supervisor";
}
