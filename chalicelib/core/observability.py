"""One Logger and one Metrics for the whole app (Powertools), so every module logs alike.

Logs carry the ContactId as correlation id and never a phone number, a name or free text
(directive 9, KVKK): callers pass ids, sources, reasons and counts only.
"""

import warnings

from aws_lambda_powertools import Logger, Metrics
from aws_lambda_powertools.metrics import MetricUnit
from aws_lambda_powertools.metrics.functions import is_metrics_disabled

logger = Logger(service="cagri")
metrics = Metrics(namespace="Cagri", service="cagri")

# An invocation that only ignored an input has nothing to publish; that is not worth a warning per call.
warnings.filterwarnings("ignore", message="No application metrics to publish")


def count(name: str, value: int = 1) -> None:
    # Powertools keeps (and auto-flushes at 100) metrics even when disabled; don't collect them at all then.
    if not is_metrics_disabled():
        metrics.add_metric(name=name, unit=MetricUnit.Count, value=value)
