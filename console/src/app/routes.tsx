/**
 * The panel's screens, in one table: the side navigation, the router and the role check all read it.
 * The supervisor's console (issue 16) adds its screens here with `section: "supervisor"`; supervisors
 * see every agent screen as well, agents never see a supervisor's.
 */
import { lazy, type ComponentType, type LazyExoticComponent } from "react";

import type { AppLayoutProps } from "@cloudscape-design/components/app-layout";

import type { MessageKey } from "../i18n";
import { ContactPage } from "../pages/ContactPage";
import { IncidentsPage } from "../pages/IncidentsPage";
import { ReferPage } from "../pages/ReferPage";
import { WorkPage } from "../pages/WorkPage";

export type SectionId = "agent" | "supervisor";

export interface PanelRoute {
  path: string;
  label: MessageKey;
  section: SectionId;
  Component: ComponentType | LazyExoticComponent<ComponentType>;
  /** Shows the count of waiting work beside the entry. */
  counts?: boolean;
  /** The layout's width: the live screen and the supervisor's tables use the whole screen. */
  contentType?: AppLayoutProps.ContentType;
}

export const SECTIONS: ReadonlyArray<{ id: SectionId; label: MessageKey }> = [
  { id: "agent", label: "nav.agent" },
  { id: "supervisor", label: "nav.supervisor" },
];

// Supervisors' screens are loaded only when a supervisor opens them: agents never download them.
const LivePage = lazy(() => import("../pages/supervisor/LivePage"));
const AccountsPage = lazy(() => import("../pages/supervisor/AccountsPage"));
const UnitsPage = lazy(() => import("../pages/supervisor/UnitsPage"));
const IncidentsAdminPage = lazy(() => import("../pages/supervisor/IncidentsAdminPage"));
const PrivacyPage = lazy(() => import("../pages/supervisor/PrivacyPage"));
const ReportsPage = lazy(() => import("../pages/supervisor/ReportsPage"));
const ClosuresPage = lazy(() => import("../pages/supervisor/ClosuresPage"));

export const ROUTES: readonly PanelRoute[] = [
  { path: "/", label: "nav.contact", section: "agent", Component: ContactPage },
  { path: "/refer", label: "nav.refer", section: "agent", Component: ReferPage },
  { path: "/work", label: "nav.work", section: "agent", Component: WorkPage, counts: true },
  { path: "/incidents", label: "nav.incidents", section: "agent", Component: IncidentsPage },
  { path: "/supervisor", label: "nav.supervisorHome", section: "supervisor", Component: LivePage, contentType: "dashboard" },
  { path: "/supervisor/accounts", label: "nav.accounts", section: "supervisor", Component: AccountsPage, contentType: "table" },
  { path: "/supervisor/units", label: "nav.units", section: "supervisor", Component: UnitsPage, contentType: "table" },
  { path: "/supervisor/incidents", label: "nav.incidentsAdmin", section: "supervisor", Component: IncidentsAdminPage, contentType: "table" },
  { path: "/supervisor/privacy", label: "nav.privacy", section: "supervisor", Component: PrivacyPage, contentType: "table" },
  { path: "/supervisor/reports", label: "nav.reports", section: "supervisor", Component: ReportsPage, contentType: "table" },
  { path: "/supervisor/closures", label: "nav.closures", section: "supervisor", Component: ClosuresPage, contentType: "table" },
];
