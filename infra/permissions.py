"""What each Lambda may do: exactly the actions on exactly the resources its code calls.

This table is the single source of every function's IAM policy in the stack (no `autogen_policy`:
Chalice's generator misses PynamoDB and `boto3.resource` calls). `tests/infra/test_iam_coverage.py`
runs every handler against the embedded AWS, records each AWS call it makes, and fails when a call
is not granted here; `tests/infra/test_stack.py` checks the synthesized roles grant what this says.

Tables are named by the environment variable that names them (`chalicelib.core.config._ENV`).
`Query` on a table also grants its indexes (`<table>/index/*`).
"""

from __future__ import annotations

from dataclasses import dataclass, field

# The functions `chalice package` generates, by their CloudFormation logical id.
API = "APIHandler"
CONTACT_EVENTS = "ContactEvents"
CONTACT_TRACE_RECORDS = "ContactTraceRecords"
CONTACT_FLOW = "ContactFlow"
AGENT_EVENTS = "AgentEvents"
CALLBACKS_DISPATCH = "CallbacksDispatch"
REFERRALS_AGENDA = "ReferralsAgenda"
HEALTH_WATCHDOG = "HealthWatchdog"
MONTHLY_REPORT = "MonthlyReport"
PRIVACY_RETENTION = "PrivacyRetention"

FUNCTIONS = (
    API,
    CONTACT_EVENTS,
    CONTACT_TRACE_RECORDS,
    CONTACT_FLOW,
    AGENT_EVENTS,
    CALLBACKS_DISPATCH,
    REFERRALS_AGENDA,
    HEALTH_WATCHDOG,
    MONTHLY_REPORT,
    PRIVACY_RETENTION,
)

READ = ("GetItem", "Query")

# Every function that asks whether the centre is open reads the declared closures (one Query a minute).
_CLOSURES: dict[str, tuple[str, ...]] = {"CLOSURES_TABLE": ("Query",)}

# Ingesting one contact input (events, trace records, flow invocations): the fact write, the
# rejection store, the callback decision (a transaction over the callback and the caller's marker,
# its deadline in working hours), and the heartbeat.
_INGEST: dict[str, tuple[str, ...]] = {
    "CONTACTS_TABLE": ("UpdateItem", "GetItem", "BatchGetItem", "Query"),
    "REJECTIONS_TABLE": ("PutItem",),
    "CALLBACKS_TABLE": ("GetItem", "PutItem", "UpdateItem", "DeleteItem", "ConditionCheckItem", "Query"),
    "CALLBACK_MARKERS_TABLE": ("GetItem", "PutItem", "UpdateItem", "DeleteItem", "ConditionCheckItem"),
    "HEALTH_TABLE": ("GetItem", "PutItem", "UpdateItem"),
    **_CLOSURES,
}


# The Connect resources the stack creates (infra/contact_centre.py) whose ids the code sends in its Connect
# calls, by the environment variable of their setting (chalicelib.core.config); without them a function
# would send the settings' zero placeholders.
CALLBACK_QUEUE_ID = "CALLBACK_QUEUE_ID"  # StartOutboundVoiceContact: the queue whose number callers see
CALLBACK_FLOW_ID = "CALLBACK_FLOW_ID"  # StartOutboundVoiceContact: the flow run once the caller answers
CALLBACK_TASK_FLOW_ID = "CALLBACK_TASK_FLOW_ID"  # StartTaskContact, CALLBACK_MODE=task
REFERRAL_TASK_FLOW_ID = "REFERRAL_TASK_FLOW_ID"  # StartTaskContact: a unit's answer is ready
HOURS_OF_OPERATION_ID = "HOURS_OF_OPERATION_ID"  # declared closures as overrides of these hours
# Agent accounts (CreateUser, UpdateUserRoutingProfile) and the live screen's agents (GetCurrentUserData).
AGENT_TRAINING_ROUTING_PROFILE_ID = "AGENT_TRAINING_ROUTING_PROFILE_ID"  # a new agent's: no queue
AGENT_LIVE_ROUTING_PROFILE_ID = "AGENT_LIVE_ROUTING_PROFILE_ID"  # a trained agent's and a supervisor's
AGENT_SECURITY_PROFILE_IDS = "AGENT_SECURITY_PROFILE_IDS"  # comma-separated, as the settings read lists
SUPERVISOR_SECURITY_PROFILE_IDS = "SUPERVISOR_SECURITY_PROFILE_IDS"  # comma-separated
PROFILE_IDS = (
    AGENT_TRAINING_ROUTING_PROFILE_ID,
    AGENT_LIVE_ROUTING_PROFILE_ID,
    AGENT_SECURITY_PROFILE_IDS,
    SUPERVISOR_SECURITY_PROFILE_IDS,
)
CONNECT_IDS = (
    CALLBACK_QUEUE_ID,
    CALLBACK_FLOW_ID,
    CALLBACK_TASK_FLOW_ID,
    REFERRAL_TASK_FLOW_ID,
    HOURS_OF_OPERATION_ID,
    *PROFILE_IDS,
)
# Starting a contact is granted on what the call names, not on the whole instance: StartTaskContact on the
# task flows the function is given (its required `contact-flow` resource); StartOutboundVoiceContact, for
# which the Service Authorization Reference lists no flow or queue resource, on the instance's contacts.
STARTS_CONTACTS = ("StartOutboundVoiceContact", "StartTaskContact")
TASK_FLOW_IDS = (CALLBACK_TASK_FLOW_ID, REFERRAL_TASK_FLOW_ID)


@dataclass(frozen=True)
class Access:
    dynamodb: dict[str, tuple[str, ...]] = field(default_factory=dict)  # table env var -> actions
    connect: tuple[str, ...] = ()  # on the university's instance (and its sub-resources); STARTS_CONTACTS narrower
    connect_ids: tuple[str, ...] = ()  # CONNECT_IDS its code sends, set in its environment by the stack
    ses_send: bool = False  # ses:SendRawEmail, only from the configured sender
    sms_send: bool = False  # sms-voice:SendTextMessage, only from the centre's origination identity
    ses_account: tuple[str, ...] = ()  # account-level SES reads (no resource-level permissions)
    describe_tables: bool = False  # dynamodb:DescribeTable on every table of the stage (health check)
    kinesis_consumer: bool = False  # reads the CTR stream (through its event source mapping)
    agent_events_consumer: bool = False  # reads the agent event stream (through its event source mapping)
    dead_letter_depth: bool = False  # sqs:GetQueueAttributes on the dead-letter queues (health, watchdog)
    secrets: tuple[str, ...] = ()  # the stage secrets put in its environment (SECRETS below)
    cognito: tuple[str, ...] = ()  # cognito-idp actions on the stage's user pool (agent accounts, 7(e))
    starts: tuple[str, ...] = ()  # functions it may start (lambda:InvokeFunction, asynchronously), by logical id


# The stage's secrets, by the environment variable that carries them (chalicelib.core.config._ENV):
# generated in Secrets Manager by the stack and resolved into the functions that use them.
REFERRAL_LINK_SECRET = "REFERRAL_LINK_SECRET"  # noqa: S105 - a variable name; signs and verifies units' reply links
CALLER_HASH_SECRET = "CALLER_HASH_SECRET"  # noqa: S105 - a variable name; keys the HMAC of callers' numbers (chalicelib.privacy.keys)
# The secret the links were signed with before the last rotation: still opens them until they expire
# (README, "Rotating REFERRAL_LINK_SECRET"). Generated like the others, so until a rotation copies the
# current value into it, it opens nothing.
REFERRAL_LINK_SECRET_PREVIOUS = "REFERRAL_LINK_SECRET_PREVIOUS"  # noqa: S105 - a variable name
SECRETS = (REFERRAL_LINK_SECRET, REFERRAL_LINK_SECRET_PREVIOUS, CALLER_HASH_SECRET)
_LINKS = (REFERRAL_LINK_SECRET, REFERRAL_LINK_SECRET_PREVIOUS)


# Whoever may close a callback (an attempt's record, an agent's report) or raise one for a system drop
# may text its caller (chalicelib/callbacks/notices.py, behind the stage's switches); the referral agenda
# and the reply page text a caller whose answer is ready (chalicelib/referrals/texting.py).
ACCESS: dict[str, Access] = {
    CONTACT_EVENTS: Access(dynamodb=_INGEST, sms_send=True, secrets=(CALLER_HASH_SECRET,)),
    CONTACT_TRACE_RECORDS: Access(
        dynamodb=_INGEST, kinesis_consumer=True, sms_send=True, secrets=(CALLER_HASH_SECRET,)
    ),
    CONTACT_FLOW: Access(
        dynamodb={**_INGEST, "REFERRALS_TABLE": ("Query",)}, sms_send=True, secrets=(CALLER_HASH_SECRET,)
    ),
    # Agents' days: one UpdateItem per agent and day of a batch; what cannot be an agent event is kept for review.
    AGENT_EVENTS: Access(
        dynamodb={"AGENT_ACTIVITY_TABLE": ("UpdateItem",), "REJECTIONS_TABLE": ("PutItem",)},
        agent_events_consumer=True,
    ),
    CALLBACKS_DISPATCH: Access(
        dynamodb={
            "CALLBACKS_TABLE": ("GetItem", "PutItem", "UpdateItem", "DeleteItem", "ConditionCheckItem", "Query"),
            "CALLBACK_MARKERS_TABLE": ("GetItem", "PutItem", "UpdateItem", "DeleteItem", "ConditionCheckItem"),
            "CONTACTS_TABLE": READ,
            **_CLOSURES,
        },
        connect=("StartOutboundVoiceContact", "StartTaskContact"),
        # CALLBACK_MODE chooses a call or a task per stage: both are ready.
        connect_ids=(CALLBACK_QUEUE_ID, CALLBACK_FLOW_ID, CALLBACK_TASK_FLOW_ID),
        sms_send=True,
        secrets=(CALLER_HASH_SECRET,),
    ),
    REFERRALS_AGENDA: Access(
        dynamodb={
            "REFERRALS_TABLE": ("GetItem", "PutItem", "UpdateItem", "Query"),
            "UNITS_TABLE": READ,
            "AUDIT_TABLE": ("PutItem",),
            **_CLOSURES,
        },
        connect=("StartTaskContact",),
        connect_ids=(REFERRAL_TASK_FLOW_ID,),
        ses_send=True,
        sms_send=True,
        secrets=(*_LINKS, CALLER_HASH_SECRET),
    ),
    HEALTH_WATCHDOG: Access(
        dynamodb={"HEALTH_TABLE": ("GetItem", "PutItem", "UpdateItem", "DeleteItem"), **_CLOSURES},
        ses_send=True,
        dead_letter_depth=True,
    ),
    MONTHLY_REPORT: Access(
        dynamodb={
            "CONTACTS_TABLE": READ,
            "CALLBACKS_TABLE": READ,
            "REFERRALS_TABLE": READ,
            "UNITS_TABLE": READ,
            "INCIDENTS_TABLE": READ,
            "AGENT_ACTIVITY_TABLE": ("Query",),  # the month's agents' days, a day at a time
            "REPORTS_TABLE": ("GetItem", "PutItem", "UpdateItem"),
            "REPORT_SENDS_TABLE": ("GetItem", "PutItem", "UpdateItem", "DeleteItem"),
            **_CLOSURES,  # the month's working days
        },
        # Connect's own figures of the month beside ours: its standard queues, then their metrics.
        connect=("ListQueues", "GetMetricDataV2"),
        ses_send=True,
    ),
    # Directive 9, KVKK art. 7: the nightly anonymisation, found through the sparse `personal` indexes.
    PRIVACY_RETENTION: Access(
        dynamodb={
            "CONTACTS_TABLE": ("GetItem", "UpdateItem", "Query"),
            "CALLBACKS_TABLE": ("GetItem", "UpdateItem", "Query"),
            "CALLBACK_MARKERS_TABLE": ("DeleteItem",),
            "REFERRALS_TABLE": ("GetItem", "UpdateItem", "Query"),
            "AUDIT_TABLE": ("PutItem",),
        },
        secrets=(CALLER_HASH_SECRET,),
    ),
    API: Access(
        dynamodb={
            # Disclosures and data-subject requests read a caller's records through the keyed-hash
            # indexes (BatchGetItem) and erasure anonymises them (UpdateItem).
            "CONTACTS_TABLE": ("GetItem", "Query", "BatchGetItem", "UpdateItem"),
            "CALLBACKS_TABLE": (
                "GetItem",
                "PutItem",
                "UpdateItem",
                "DeleteItem",
                "ConditionCheckItem",
                "Query",
                "BatchGetItem",
            ),
            "DISCLOSURES_TABLE": ("PutItem", "Query"),
            "PRIVACY_REQUESTS_TABLE": ("GetItem", "PutItem", "UpdateItem", "Query"),
            "CALLBACK_MARKERS_TABLE": ("GetItem", "PutItem", "UpdateItem", "DeleteItem", "ConditionCheckItem"),
            # The list of reports and their sends (two BatchGetItems); what was e-mailed is read from the report.
            "REPORTS_TABLE": ("GetItem", "PutItem", "UpdateItem", "BatchGetItem"),
            "REPORT_SENDS_TABLE": ("GetItem", "BatchGetItem"),
            "UNITS_TABLE": ("GetItem", "PutItem", "UpdateItem", "Query"),
            "REFERRALS_TABLE": ("GetItem", "PutItem", "UpdateItem", "Query", "BatchGetItem"),
            "AUDIT_TABLE": ("PutItem", "Query"),
            "AGENTS_TABLE": ("GetItem", "PutItem", "UpdateItem", "Query"),
            "AGENT_AUDIT_TABLE": ("PutItem", "Query"),
            "INCIDENTS_TABLE": ("GetItem", "PutItem", "UpdateItem", "Query"),
            # The live screen's thresholds and each day's usual day (live#… items).
            "HEALTH_TABLE": ("GetItem", "PutItem"),
            # Agents online and available from the agent event stream's records; a report rebuilt on request.
            "AGENT_ACTIVITY_TABLE": ("Query",),
            # Closures the supervisor declares (one per day: conditional Put and Delete) and the calendar.
            "CLOSURES_TABLE": ("GetItem", "PutItem", "UpdateItem", "DeleteItem", "Query"),
        },
        connect=(
            "StartTaskContact",
            "CreateUser",
            "UpdateUserRoutingProfile",
            "DeleteUser",
            "DescribeInstance",
            # An agent's classification on the contact; the live screen's agents (real-time).
            "UpdateContactAttributes",
            "GetCurrentUserData",
            # A report rebuilt on the supervisor's request asks Connect for its figures, as the monthly job does.
            "ListQueues",
            "GetMetricDataV2",
            # A declared closure as an override of the queue's hours of operation, and its withdrawal.
            "CreateHoursOfOperationOverride",
            "ListHoursOfOperationOverrides",
            "DeleteHoursOfOperationOverride",
        ),
        # A unit's reply page starts the answer's task at once (the agenda retries it); closures go into the hours;
        # accounts are opened and trained with the profiles, and the live screen counts the live profile's agents.
        connect_ids=(REFERRAL_TASK_FLOW_ID, HOURS_OF_OPERATION_ID, *PROFILE_IDS),
        # A report the supervisor sends from the console is sent by the report function (its chart stack).
        starts=(MONTHLY_REPORT,),
        # Opening an account invites the person to sign in; closing one signs them out and disables them.
        cognito=("AdminCreateUser", "AdminAddUserToGroup", "AdminUserGlobalSignOut", "AdminDisableUser"),
        ses_send=True,
        sms_send=True,
        ses_account=("GetSendQuota", "GetAccountSendingEnabled"),
        describe_tables=True,
        dead_letter_depth=True,
        secrets=(*_LINKS, CALLER_HASH_SECRET),
    ),
}
