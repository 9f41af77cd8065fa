"""Test-wide environment: fake credentials, a fixed region, never a real AWS endpoint.

Set before any `chalicelib` import, because models read their table names from
settings when they are defined.
"""

import os

os.environ.update(
    {
        "AWS_ACCESS_KEY_ID": "testing",
        "AWS_SECRET_ACCESS_KEY": "testing",
        "AWS_SECURITY_TOKEN": "testing",
        "AWS_SESSION_TOKEN": "testing",
        "AWS_DEFAULT_REGION": "eu-central-1",
        "STAGE": "test",
        "CONTACTS_TABLE": "cagri-test-contacts",
        "REJECTIONS_TABLE": "cagri-test-rejections",
        "CTR_STREAM": "cagri-test-ctr",
        "AGENT_EVENTS_STREAM": "cagri-test-agent-events",
        "AGENT_ACTIVITY_TABLE": "cagri-test-agent-activity",
        "CALLBACKS_TABLE": "cagri-test-callbacks",
        "CALLBACK_MARKERS_TABLE": "cagri-test-callback-markers",
        "REPORTS_TABLE": "cagri-test-reports",
        "REPORT_SENDS_TABLE": "cagri-test-report-sends",
        "AGENTS_TABLE": "cagri-test-agents",
        "AGENT_AUDIT_TABLE": "cagri-test-agent-audit",
        "INCIDENTS_TABLE": "cagri-test-incidents",
        "HEALTH_TABLE": "cagri-test-health",
        "POWERTOOLS_LOG_LEVEL": "WARNING",
        "POWERTOOLS_METRICS_NAMESPACE": "CagriTest",
    }
)
# In-process moto intercepts calls to AWS hosts only; an endpoint override would leak to a network.
os.environ.pop("AWS_ENDPOINT_URL", None)
os.environ.pop("AWS_PROFILE", None)
