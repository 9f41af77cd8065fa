import { useHref, useNavigate } from "react-router";

import { useCurrentContact } from "../state/contact";

/** Internal links keep the standalone contact (`?contact=ID`) as the agent moves between screens. */
export function usePanelHref(path: string): string {
  const { search } = useCurrentContact();
  return useHref(`${path}${search}`);
}

/** Cloudscape links and buttons with an `href`: follow them inside the app, without a page load. */
export function useFollow(): (event: CustomEvent<{ href?: string; external?: boolean }>) => void {
  const navigate = useNavigate();
  const base = useHref("/").replace(/\/$/, "");
  return (event) => {
    const href = event.detail.href;
    if (!href || event.detail.external) return;
    event.preventDefault();
    navigate(href.startsWith(`${base}/`) ? href.slice(base.length) : href);
  };
}
