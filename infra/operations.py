"""Operations (issue 7, item 7): CloudWatch alarms that e-mail the supervisor, and one dashboard.

Alarmed: every function's `Errors` and `Throttles`, each dead-letter queue holding anything, the two
streams' consumers falling behind (`IteratorAge` of ContactTraceRecords and AgentEvents), and an abandonment spike:
the app's EMF metric `AbandonedCallsRecorded` (namespace `Cagri`, dimension `service=cagri`, counted
once per lost call that raises a callback) over `ABANDONED_PER_30_MINUTES` in half an hour.
"""

from __future__ import annotations

import aws_cdk as cdk
from aws_cdk import aws_cloudwatch as cloudwatch
from aws_cdk import aws_cloudwatch_actions as cw_actions
from aws_cdk import aws_iam as iam
from aws_cdk import aws_sns as sns
from aws_cdk import aws_sns_subscriptions as subscriptions
from constructs import Construct

from infra import permissions

PERIOD = cdk.Duration.minutes(5)
# Trace records older than this in the stream mean the consumer is stuck or failing (records are
# dropped to the failure queue after retries.CTR_MAX_RECORD_AGE_SECONDS).
ITERATOR_AGE_THRESHOLD_MS = 10 * 60 * 1000
# The app's EMF metrics shown on the dashboard (names as passed to `count(...)` in chalicelib).
APP_METRICS = (
    "InputsRecorded",
    "InputsRejected",
    "FlowLookupFailures",
    "CallbacksCreated",
    "AbandonedCallsRecorded",
    "DeadLetterAlerts",
    "SilenceAlerts",
    "HealthChecksFailing",
)
# A small centre answers tens of calls an hour: more lost calls than this in 30 minutes is a spike
# (a queue without agents, a broken flow) worth the supervisor's attention at once.
ABANDONED_PER_30_MINUTES = 8
APP_NAMESPACE = "Cagri"
APP_DIMENSIONS = {"service": "cagri"}


class Operations(Construct):
    def __init__(self, stack, construct_id: str) -> None:
        super().__init__(stack, construct_id)
        # CloudWatch publishes alarm notifications to the KMS-encrypted topic.
        stack.data_key.add_to_resource_policy(
            iam.PolicyStatement(
                sid="CloudWatchAlarmsToTopic",
                principals=[iam.ServicePrincipal("cloudwatch.amazonaws.com")],
                actions=["kms:GenerateDataKey*", "kms:Decrypt"],
                resources=["*"],
                conditions={"StringEquals": {"aws:SourceAccount": stack.account}},
            )
        )
        self.topic = sns.Topic(
            self,
            "SupervisorAlarms",
            topic_name=f"cagri-{stack.stage}-alarms",
            display_name="Cagri alarms",
            master_key=stack.data_key,
            enforce_ssl=True,
        )
        self.topic.add_subscription(subscriptions.EmailSubscription(stack.env_vars["SUPERVISOR_ADDRESS"]))
        action = cw_actions.SnsAction(self.topic)
        self.alarms: list[cloudwatch.Alarm] = []

        def alarm(alarm_id: str, metric: cloudwatch.Metric, threshold: float, description: str) -> None:
            created = metric.create_alarm(
                self,
                alarm_id,
                alarm_name=f"cagri-{stack.stage}-{alarm_id}",
                alarm_description=description,
                threshold=threshold,
                evaluation_periods=1,
                comparison_operator=cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
                treat_missing_data=cloudwatch.TreatMissingData.NOT_BREACHING,
            )
            created.add_alarm_action(action)
            created.add_ok_action(action)
            self.alarms.append(created)

        errors, throttles = [], []
        for name in permissions.FUNCTIONS:
            function_name = stack.chalice.get_resource(name).ref
            for metric_name, bucket in (("Errors", errors), ("Throttles", throttles)):
                metric = cloudwatch.Metric(
                    namespace="AWS/Lambda",
                    metric_name=metric_name,
                    dimensions_map={"FunctionName": function_name},
                    statistic="Sum",
                    period=PERIOD,
                )
                # A labelled metric would make the alarm a metric-math one: labels only on the dashboard.
                bucket.append(metric.with_(label=name))
                alarm(f"{name}-{metric_name}", metric, 0, f"{name}: Lambda {metric_name} in the last 5 minutes")

        depths = []
        for queue in stack.dead_letter_queues:
            metric = queue.metric_approximate_number_of_messages_visible(statistic="Maximum", period=PERIOD)
            depths.append(metric.with_(label=queue.node.id))
            alarm(
                f"{queue.node.id}-NotEmpty",
                metric,
                0,
                f"{queue.node.id}: inputs AWS gave up delivering wait for redrive (infra/README.md)",
            )

        iterator_ages = []
        for function, what in (
            (permissions.CONTACT_TRACE_RECORDS, "Contact trace records"),
            (permissions.AGENT_EVENTS, "Agent events"),
        ):
            iterator_age = cloudwatch.Metric(
                namespace="AWS/Lambda",
                metric_name="IteratorAge",
                dimensions_map={"FunctionName": stack.chalice.get_resource(function).ref},
                statistic="Maximum",
                period=PERIOD,
            )
            iterator_ages.append(iterator_age.with_(label=function))
            alarm(
                f"{function}-IteratorAge",
                iterator_age,
                ITERATOR_AGE_THRESHOLD_MS,
                f"{what} wait more than 10 minutes in the stream: the consumer is behind or failing",
            )

        abandoned = cloudwatch.Metric(
            namespace=APP_NAMESPACE,
            metric_name="AbandonedCallsRecorded",
            dimensions_map=APP_DIMENSIONS,
            statistic="Sum",
            period=cdk.Duration.minutes(30),
        )
        alarm(
            "AbandonmentSpike",
            abandoned,
            ABANDONED_PER_30_MINUTES,
            f"More than {ABANDONED_PER_30_MINUTES} callers gave up in the queue within 30 minutes (directive 4(a))",
        )

        app_metrics = [
            cloudwatch.Metric(
                namespace=APP_NAMESPACE,
                metric_name=name,
                dimensions_map=APP_DIMENSIONS,
                statistic="Sum",
                period=PERIOD,
            )
            for name in APP_METRICS
        ]
        self.dashboard = cloudwatch.Dashboard(self, "Dashboard", dashboard_name=f"cagri-{stack.stage}")
        self.dashboard.add_widgets(
            cloudwatch.AlarmStatusWidget(title="Alarms", alarms=self.alarms, width=24, height=6),
        )
        self.dashboard.add_widgets(
            cloudwatch.GraphWidget(title="Lambda errors", left=errors, width=12),
            cloudwatch.GraphWidget(title="Lambda throttles", left=throttles, width=12),
        )
        self.dashboard.add_widgets(
            cloudwatch.GraphWidget(title="Dead-letter queues (messages)", left=depths, width=8),
            cloudwatch.GraphWidget(title="Stream iterator age (ms)", left=iterator_ages, width=8),
            cloudwatch.GraphWidget(title="Application (EMF, namespace Cagri)", left=app_metrics, width=8),
        )
        cdk.CfnOutput(stack, "AlarmTopicArn", value=self.topic.topic_arn)
