import { Suspense, useState } from "react";
import { matchPath, Route, Routes, useHref, useLocation } from "react-router";

import Alert from "@cloudscape-design/components/alert";
import AppLayout from "@cloudscape-design/components/app-layout";
import Badge from "@cloudscape-design/components/badge";
import Box from "@cloudscape-design/components/box";
import Flashbar from "@cloudscape-design/components/flashbar";
import Link from "@cloudscape-design/components/link";
import SideNavigation, { type SideNavigationProps } from "@cloudscape-design/components/side-navigation";
import Spinner from "@cloudscape-design/components/spinner";

import { mayOpen } from "../auth/session";
import { useI18n } from "../i18n/react";
import { useCurrentContact } from "../state/contact";
import { useNotifications } from "../state/notifications";
import { useSession } from "../state/session";
import { useWork } from "../state/work";
import { useFollow, usePanelHref } from "./links";
import { ROUTES, SECTIONS, type PanelRoute } from "./routes";
import { TopBar } from "./TopBar";

function Navigation() {
  const { t } = useI18n();
  const { session } = useSession();
  const { search } = useCurrentContact();
  const { total } = useWork();
  const location = useLocation();
  const base = useHref("/").replace(/\/$/, "");
  const follow = useFollow();

  const link = (route: PanelRoute): SideNavigationProps.Link => {
    const count = route.counts ? total : 0;
    return {
      type: "link",
      text: t(route.label),
      href: `${base}${route.path}${search}`,
      info: count > 0 ? <Badge color="red">{count}</Badge> : undefined,
    };
  };
  const items: SideNavigationProps.Item[] = SECTIONS.filter((s) => mayOpen(session.identity.role, s.id)).map(
    (section) => ({
      type: "section-group",
      title: t(section.label),
      items: ROUTES.filter((r) => r.section === section.id).map(link),
    }),
  );
  return (
    <SideNavigation
      activeHref={`${base}${location.pathname === "/" ? "/" : location.pathname}${search}`}
      items={items}
      onFollow={follow}
    />
  );
}

function Guarded({ route }: { route: PanelRoute }) {
  const { t } = useI18n();
  const { session } = useSession();
  if (!mayOpen(session.identity.role, route.section)) {
    return (
      <Box padding={{ top: "l" }}>
        <Alert type="error" header={t(route.label)}>
          {t("supervisor.forbidden")}
        </Alert>
      </Box>
    );
  }
  const { Component } = route;
  return (
    <Suspense fallback={<Spinner size="large" />}>
      <Component />
    </Suspense>
  );
}

function NotFound() {
  const { t } = useI18n();
  const home = usePanelHref("/");
  const follow = useFollow();
  return (
    <Box padding={{ top: "l" }}>
      <Alert type="warning" header={t("app.notFound")}>
        <Link href={home} onFollow={follow}>
          {t("app.backHome")}
        </Link>
      </Alert>
    </Box>
  );
}

export function Shell() {
  const { t } = useI18n();
  const notifications = useNotifications();
  const [navigationOpen, setNavigationOpen] = useState(true);
  const { pathname } = useLocation();
  const current = ROUTES.find((route) => matchPath(route.path, pathname));
  return (
    <>
      <TopBar />
      <AppLayout
        headerSelector="#top-bar"
        navigation={<Navigation />}
        navigationOpen={navigationOpen}
        onNavigationChange={({ detail }) => setNavigationOpen(detail.open)}
        navigationWidth={220}
        toolsHide
        contentType={current?.contentType ?? "default"}
        maxContentWidth={current?.contentType ? Number.MAX_VALUE : undefined}
        notifications={<Flashbar items={notifications} />}
        ariaLabels={{
          navigation: t("nav.label"),
          navigationToggle: t("nav.open"),
          navigationClose: t("nav.close"),
        }}
        content={
          <Routes>
            {ROUTES.map((route) => (
              <Route key={route.path} path={route.path} element={<Guarded route={route} />} />
            ))}
            <Route path="*" element={<NotFound />} />
          </Routes>
        }
      />
    </>
  );
}
