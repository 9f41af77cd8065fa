"""One Logger and one Metrics for the whole app (Powertools), so every module logs alike.

Logs carry the ContactId as correlation id and never a phone number, a name or free text
(directive 9, KVKK): callers pass ids, sources, reasons and counts only.
"""

from aws_lambda_powertools import Logger, Metrics
from aws_lambda_powertools.metrics import MetricUnit

logger = Logger(service="cagri")
metrics = Metrics(namespace="Cagri", service="cagri")


def count(name: str, value: int = 1) -> None:
    metrics.add_metric(name=name, unit=MetricUnit.Count, value=value)
