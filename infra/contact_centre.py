"""The Amazon Connect side as code (issue 7, item 6): trace-record and agent-event streaming, hours of
operation, the inbound queue, the contact flows (the post-call survey among them, issue 18), the out-of-scope
quick connect, what callbacks and referral answers are placed with (the callback queue and its flows), and
what agent accounts are opened with (directive 7(e), 7(f)): the training and live routing profiles and the
agents' and supervisor's security profiles.

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

# What an agent handles at once: one call; a few tasks (callbacks and units' answers to return), and chats
# (the directive's instant messaging and SMS, which Connect carries as CHAT) if the instance routes any into
# the inbound queue. Connect offers nothing else to an agent on a call (its default cross-channel behaviour).
MEDIA = (("VOICE", 1), ("TASK", 2), ("CHAT", 2))

# Security profile permissions by their API names, from the Amazon Connect Administrator Guide's "List of
# security profile permissions" (docs.aws.amazon.com/connect/latest/adminguide/security-profile-list.html).
# Agents: the Contact Control Panel and agent workspace, and outbound calls (a callback task is returned by
# calling the caller). Tasks need no permission to be received: the routing profile's TASK channel does that.
AGENT_PERMISSIONS = ("BasicAgentAccess", "OutboundCallAccess")
# The supervisor, on top of the agents' profile (accounts get both): the real-time metrics page, contact search
# and the contact attributes there (the `category` an agent set, the survey's answers).
SUPERVISOR_PERMISSIONS = (
    "AccessMetrics",
    "AccessMetrics.RealTimeMetrics.Access",
    "ContactSearch.View",
    "ContactAttributes.View",
)


def flow_text(name: str) -> str:
    return (FLOWS / f"{name}.json").read_text(encoding="utf-8")


def last_part(arn: str) -> str:
    """A Connect resource's id from its ARN token, `arn:…:instance/<instance id>/<kind>/<id>` (CloudFormation
    gives only the ARN)."""
    return cdk.Fn.select(3, cdk.Fn.split("/", arn))


def _clock(value: str) -> connect.CfnHoursOfOperation.HoursOfOperationTimeSliceProperty:
    hours, minutes = value.split(":")
    return connect.CfnHoursOfOperation.HoursOfOperationTimeSliceProperty(hours=int(hours), minutes=int(minutes))


class ContactCentre(Construct):
    def __init__(
        self, stack, construct_id: str, *, flow_function_arn: str, callback_caller_id_arn: str, panel_namespace: str
    ) -> None:
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
        self.queue = self._queue("Queue", f"{prefix} cagri merkezi", "The centre's inbound queue")
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
        # Returns to callers (directive 6(6), 8(ç), 6(7)): the dispatcher rings the caller with the callback flow
        # from this queue (its caller ID is the centre's number), or gives agents a task in it; a unit's answer
        # becomes a task in it too. Same hours as the inbound queue, so a declared closure holds for both.
        self.callback_queue = self._queue(
            "CallbackQueue",
            f"{prefix} geri arama",
            "Geri arama: arayana geri donus cagrilari ve gorevleri",
            outbound_caller_config=connect.CfnQueue.OutboundCallerConfigProperty(
                outbound_caller_id_number_arn=callback_caller_id_arn
            ),
        )
        into_callback_queue = {"CallbackQueueArn": self.callback_queue.attr_queue_arn}
        # StartOutboundVoiceContact runs this inbound-type flow once the caller answers: greeting, then the queue.
        self.callback_call_flow = self._flow(
            "CallbackCallFlow", "callback-call", "CONTACT_FLOW", f"{prefix} geri arama", into_callback_queue
        )
        # StartTaskContact runs this one: callback tasks (CALLBACK_MODE=task) and referral answers are both a
        # task for an agent to return something to a caller, routed the same way, so one flow serves both.
        self.callback_task_flow = self._flow(
            "CallbackTaskFlow", "callback-task", "CONTACT_FLOW", f"{prefix} geri donus gorevi", into_callback_queue
        )
        self.flows = {
            "CALLBACK_FLOW_ID": self.callback_call_flow,
            "CALLBACK_TASK_FLOW_ID": self.callback_task_flow,
            "REFERRAL_TASK_FLOW_ID": self.callback_task_flow,
        }
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

        # Agent accounts (chalicelib/accounts): a new agent starts on the training profile, with no queue, so
        # nothing is routed to them until the supervisor records their training; then the live one, which takes
        # callers from the inbound queue and, from the callback queue, callers rung back and the tasks returning
        # something to a caller (a profile without the callback queue would never be offered a callback). The
        # agents' outbound calls go out from the callback queue, whose caller ID is the centre's number.
        self.live_routing_profile = self._routing_profile(
            "LiveRoutingProfile",
            f"{prefix} temsilci",
            "Egitimi tamamlanan temsilciler: gelen cagrilar, geri aramalar ve geri donus gorevleri",
            [(self.queue, ("VOICE", "CHAT")), (self.callback_queue, ("VOICE", "TASK"))],
        )
        self.training_routing_profile = self._routing_profile(
            "TrainingRoutingProfile",
            f"{prefix} egitim",
            "Egitimdeki temsilciler: canli kuyruk yok (yonerge 7(f))",
            [],
        )
        # Every account gets the agents' profile (the CCP, the panel); a supervisor's gets the supervisor's too.
        # The panel (infra/console_site.py) is given here: a profile the stack owns must not be edited by hand.
        self.agent_security_profile = self._security_profile(
            "AgentSecurityProfile",
            f"{prefix} temsilci",
            "Temsilci: iletisim paneli, giden arama, Cagri paneli",
            AGENT_PERMISSIONS,
            applications=[
                connect.CfnSecurityProfile.ApplicationProperty(
                    namespace=panel_namespace, application_permissions=["ACCESS"]
                )
            ],
        )
        self.supervisor_security_profile = self._security_profile(
            "SupervisorSecurityProfile",
            f"{prefix} supervizor",
            "Supervizor (temsilci profiline ek): anlik metrikler, iletisim arama",
            SUPERVISOR_PERMISSIONS,
        )

    def flow_of(self, var: str) -> connect.CfnContactFlow:
        """The flow a flow-id setting names, by the setting's environment variable."""
        return self.flows[var]

    def ids(self) -> dict[str, str]:
        """What the code names in its Connect calls, by the setting's environment variable (infra/permissions.py
        CONNECT_IDS): each resource's id."""
        arns = {
            "CALLBACK_QUEUE_ID": self.callback_queue.attr_queue_arn,
            "HOURS_OF_OPERATION_ID": self.hours.attr_hours_of_operation_arn,
            "AGENT_TRAINING_ROUTING_PROFILE_ID": self.training_routing_profile.attr_routing_profile_arn,
            "AGENT_LIVE_ROUTING_PROFILE_ID": self.live_routing_profile.attr_routing_profile_arn,
        } | {var: flow.attr_contact_flow_arn for var, flow in self.flows.items()}
        # Lists are comma-separated, as chalicelib.core.config reads them.
        lists = {
            "AGENT_SECURITY_PROFILE_IDS": [self.agent_security_profile],
            "SUPERVISOR_SECURITY_PROFILE_IDS": [self.agent_security_profile, self.supervisor_security_profile],
        }
        return {var: last_part(arn) for var, arn in arns.items()} | {
            var: cdk.Fn.join(",", [last_part(p.attr_security_profile_arn) for p in profiles])
            for var, profiles in lists.items()
        }

    def _queue(self, construct_id: str, name: str, description: str, **options) -> connect.CfnQueue:
        """A standard queue on the centre's hours (a declared closure, an override of them, closes it)."""
        return connect.CfnQueue(
            self,
            construct_id,
            instance_arn=self.node.scope.connect_instance_arn,
            name=name,
            description=description,
            hours_of_operation_arn=self.hours.attr_hours_of_operation_arn,
            **options,
        )

    def _routing_profile(
        self, construct_id: str, name: str, description: str, queues: list[tuple[connect.CfnQueue, tuple[str, ...]]]
    ) -> connect.CfnRoutingProfile:
        """A routing profile taking `queues` (each queue with its channels; none: the agent can only call out), every
        queue at the same priority (the longest-waiting contact first), calling out from the callback queue."""
        return connect.CfnRoutingProfile(
            self,
            construct_id,
            instance_arn=self.node.scope.connect_instance_arn,
            name=name,
            description=description,
            default_outbound_queue_arn=self.callback_queue.attr_queue_arn,
            media_concurrencies=[
                connect.CfnRoutingProfile.MediaConcurrencyProperty(channel=channel, concurrency=concurrency)
                for channel, concurrency in MEDIA
            ],
            queue_configs=[
                connect.CfnRoutingProfile.RoutingProfileQueueConfigProperty(
                    delay=0,
                    priority=1,
                    queue_reference=connect.CfnRoutingProfile.RoutingProfileQueueReferenceProperty(
                        channel=channel, queue_arn=queue.attr_queue_arn
                    ),
                )
                for queue, channels in queues
                for channel in channels
            ]
            or None,
        )

    def _security_profile(
        self, construct_id: str, name: str, description: str, permissions: tuple[str, ...], **options
    ) -> connect.CfnSecurityProfile:
        return connect.CfnSecurityProfile(
            self,
            construct_id,
            instance_arn=self.node.scope.connect_instance_arn,
            security_profile_name=name,
            description=description,
            permissions=list(permissions),
            **options,
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
