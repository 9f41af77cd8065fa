import Alert from "@cloudscape-design/components/alert";
import ContentLayout from "@cloudscape-design/components/content-layout";
import Header from "@cloudscape-design/components/header";

import { useI18n } from "../../i18n/react";

/** The supervisor's console (issue 16) starts here; this placeholder holds its place in the navigation. */
export default function SupervisorHome() {
  const { t } = useI18n();
  return (
    <ContentLayout header={<Header variant="h1">{t("supervisor.title")}</Header>}>
      <Alert type="info">{t("supervisor.body")}</Alert>
    </ContentLayout>
  );
}
