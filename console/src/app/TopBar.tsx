import TopNavigation, { type TopNavigationProps } from "@cloudscape-design/components/top-navigation";
import { useHref } from "react-router";

import type { Identity } from "../auth/session";
import { useI18n } from "../i18n/react";
import { useCurrentContact } from "../state/contact";
import { useSession } from "../state/session";
import { useWork } from "../state/work";
import { useFollow } from "./links";

/** The language switch, always in the top bar: Turkish first, English one click away. */
export function useLanguageUtility(): TopNavigationProps.Utility {
  const { t, lang, setLang } = useI18n();
  return {
    type: "button",
    text: t("lang.other"),
    ariaLabel: t("lang.switch"),
    iconName: "globe",
    onClick: () => setLang(lang === "tr" ? "en" : "tr"),
  };
}

export function identityUtility(
  identity: Identity,
  t: ReturnType<typeof useI18n>["t"],
  signOut: () => void,
): TopNavigationProps.Utility {
  return {
    type: "menu-dropdown",
    text: identity.username,
    description: t(identity.role === "supervisor" ? "role.supervisor" : "role.agent"),
    ariaLabel: t("user.menu", { name: identity.username }),
    iconName: "user-profile",
    items: [{ id: "sign-out", text: t("user.signOut") }],
    onItemClick: ({ detail }) => {
      if (detail.id === "sign-out") signOut();
    },
  };
}

/** Before sign-in: the name and the language switch only. */
export function SignedOutTopBar() {
  const { t } = useI18n();
  const language = useLanguageUtility();
  const home = useHref("/");
  return (
    <div id="top-bar">
      <TopNavigation
        identity={{ title: t("app.name"), href: home }}
        utilities={[language]}
        i18nStrings={{ overflowMenuTriggerText: "…", overflowMenuTitleText: t("app.name") }}
      />
    </div>
  );
}

export function TopBar() {
  const { t } = useI18n();
  const { session, signOut } = useSession();
  const { search } = useCurrentContact();
  const { total } = useWork();
  const language = useLanguageUtility();
  const follow = useFollow();
  const home = useHref(`/${search}`);
  const work = useHref(`/work${search}`);
  const report = useHref(`/incidents${search}`);
  const utilities: TopNavigationProps.Utility[] = [
    {
      type: "button",
      text: total > 0 ? `${t("nav.work")} (${total})` : t("nav.work"),
      ariaLabel: total > 0 ? `${t("nav.work")}: ${t("work.countsTitle", { count: total })}` : t("nav.work"),
      href: work,
      badge: total > 0,
      iconName: "notification",
      onFollow: follow,
    },
    { type: "button", text: t("nav.incidents"), href: report, iconName: "status-warning", onFollow: follow },
    language,
    identityUtility(session.identity, t, signOut),
  ];
  return (
    <div id="top-bar">
      <TopNavigation
        identity={{ title: t("app.name"), href: home, onFollow: follow }}
        utilities={utilities}
        i18nStrings={{ overflowMenuTriggerText: "…", overflowMenuTitleText: t("app.name") }}
      />
    </div>
  );
}
