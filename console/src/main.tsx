import "@cloudscape-design/global-styles/index.css";
import "./styles.css";

import { StrictMode } from "react";
import { createRoot } from "react-dom/client";

import { App } from "./app/App";
import { completeSigninCallback } from "./auth/cognito";
import { loadConfig } from "./config";
import { translate } from "./i18n";
import { connectToWorkspace } from "./workspace/connect";

function plain(message: string) {
  const root = document.getElementById("root")!;
  const box = document.createElement("p");
  box.className = "plain-message";
  box.setAttribute("role", "alert");
  box.textContent = message;
  root.replaceChildren(box);
}

async function start() {
  let config;
  try {
    config = await loadConfig();
  } catch (error) {
    plain(translate("tr", "app.configError", { message: error instanceof Error ? error.message : String(error) }));
    return;
  }
  // The sign-in popup lands here: hand the answer to the panel that opened it, then close.
  if (config.mode === "cognito" && (await completeSigninCallback(config).catch(() => false))) {
    plain(translate("tr", "signin.popupDone"));
    return;
  }
  plain(translate("tr", "app.loading"));
  const workspace = await connectToWorkspace();
  const root = document.getElementById("root")!;
  root.replaceChildren();
  createRoot(root).render(
    <StrictMode>
      <App config={config} workspace={workspace} />
    </StrictMode>,
  );
}

void start();
