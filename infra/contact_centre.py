"""The Amazon Connect side as code (issue 7, item 6): trace-record and agent-event streaming, hours of
operation, the queue, the contact flows (the post-call survey among them, issue 18) and the out-of-scope
quick connect.

The flows are Flow-language JSON in infra/flows/, kept readable in the repo; `${Name}` placeholders
(the flow function, the queue, the other flows) are filled in by CloudFormation (`Fn::Sub`).
"""

from __future__ import annotations

from pathlib import Path

import aws_cdk as cdk
from aws_cdk import aws_connect as connect
from constructs import Construct

FLOWS = Path(__file__).resolve().parent / "flows"
WEEKDAYS = ("MONDAY", "TUESDAY", "WEDNESDAY", "THURSDAY", "FRIDAY")


def flow_text(name: str) -> str:
    return (FLOWS / f"{name}.json").read_text(encoding="utf-8")


def _clock(value: str) -> connect.CfnHoursOfOperation.HoursOfOperationTimeSliceProperty:
    hours, minutes = value.split(":")
    return connect.CfnHoursOfOperation.HoursOfOperationTimeSliceProperty(hours=int(hours), minutes=int(minutes))


class ContactCentre(Construct):
    def __init__(self, stack, construct_id: str, *, flow_function_arn: str) -> None:
        super().__init__(stack, construct_id)
        env, instance = stack.env_vars, stack.connect_instance_arn
        prefix = f"Cagri {stack.stage}"
        # Routing hours for the queue: weekdays from OPENING_TIME to CLOSING_TIME in the centre's zone.
        # Holidays and half days are the flow function's answer (`centre_open`), which the flow asks first.
        self.hours = connect.CfnHoursOfOperation(
            self,
            "Hours",
            instance_arn=instance,
            name=f"{prefix} calisma saatleri",
            description="Hafta ici 08:30-17:30 (Europe/Istanbul); tatiller Lambda'nin yanitinda",
            time_zone=env["CENTRE_TIMEZONE"],
            config=[
                connect.CfnHoursOfOperation.HoursOfOperationConfigProperty(
                    day=day, start_time=_clock(env["OPENING_TIME"]), end_time=_clock(env["CLOSING_TIME"])
                )
                for day in WEEKDAYS
            ],
        )
        # Contact trace records stream into the stack's Kinesis stream (the console's "Data streaming").
        # Contact events need nothing here: Connect publishes them to the account's default event bus.
        self.ctr_streaming = connect.CfnInstanceStorageConfig(
            self,
            "TraceRecordStreaming",
            instance_arn=instance,
            resource_type="CONTACT_TRACE_RECORDS",
            storage_type="KINESIS_STREAM",
            kinesis_stream_config=connect.CfnInstanceStorageConfig.KinesisStreamConfigProperty(
                stream_arn=stack.ctr_stream.stream_arn
            ),
        )
        # Agent events (logins, statuses, contacts' states) into theirs: the agents' days (chalicelib/activity).
        self.agent_event_streaming = connect.CfnInstanceStorageConfig(
            self,
            "AgentEventStreaming",
            instance_arn=instance,
            resource_type="AGENT_EVENTS",
            storage_type="KINESIS_STREAM",
            kinesis_stream_config=connect.CfnInstanceStorageConfig.KinesisStreamConfigProperty(
                stream_arn=stack.agent_stream.stream_arn
            ),
        )
        self.queue = connect.CfnQueue(
            self,
            "Queue",
            instance_arn=instance,
            name=f"{prefix} cagri merkezi",
            description="The centre's inbound queue",
            hours_of_operation_arn=self.hours.attr_hours_of_operation_arn,
        )
        self.customer_queue_flow = self._flow(
            "CustomerQueueFlow",
            "customer-queue",
            "CUSTOMER_QUEUE",
            f"{prefix} kuyruk",
            {"ContactFlowFunctionArn": flow_function_arn},
        )
        # The post-call survey (directive 5(1)–(3)): the inbound flow makes it the call's disconnect flow
        # (`CustomerRemaining`), which Connect runs for a caller still on the line when the agent hangs
        # up. A disconnect flow is an inbound-type flow (CONTACT_FLOW).
        self.survey_flow = self._flow("SurveyFlow", "post-call-survey", "CONTACT_FLOW", f"{prefix} anket", {})
        self.inbound_flow = self._flow(
            "InboundFlow",
            "inbound",
            "CONTACT_FLOW",
            f"{prefix} gelen cagri",
            {
                "ContactFlowFunctionArn": flow_function_arn,
                "QueueArn": self.queue.attr_queue_arn,
                "CustomerQueueFlowArn": self.customer_queue_flow.attr_contact_flow_arn,
                "SurveyFlowArn": self.survey_flow.attr_contact_flow_arn,
            },
        )
        # Agents end an out-of-scope call politely through this transfer (a queue quick connect).
        self.closing_flow = self._flow(
            "OutOfScopeClosingFlow", "out-of-scope-closing", "QUEUE_TRANSFER", f"{prefix} kapsam disi kapanis", {}
        )
        self.closing_quick_connect = connect.CfnQuickConnect(
            self,
            "OutOfScopeClosing",
            instance_arn=instance,
            name=f"{prefix} kapsam disi",
            description="Kapsam disi cagriyi kibarca kapatir (category=kapsam_disi)",
            quick_connect_config=connect.CfnQuickConnect.QuickConnectConfigProperty(
                quick_connect_type="QUEUE",
                queue_config=connect.CfnQuickConnect.QueueQuickConnectConfigProperty(
                    contact_flow_arn=self.closing_flow.attr_contact_flow_arn, queue_arn=self.queue.attr_queue_arn
                ),
            ),
        )

    def _flow(self, construct_id: str, name: str, kind: str, title: str, values: dict[str, str]):
        text = flow_text(name)
        return connect.CfnContactFlow(
            self,
            construct_id,
            instance_arn=self.node.scope.connect_instance_arn,
            name=title,
            type=kind,
            state="ACTIVE",
            description=f"infra/flows/{name}.json",
            content=cdk.Fn.sub(text, values) if values else text,
        )
