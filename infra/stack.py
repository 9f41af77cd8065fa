"""The one stack definition, deployed as `cagri-dev` and `cagri-prod` (stack id = Chalice stage).

The Lambda functions, the REST API and their event sources come from `chalice package` through the
`chalice.cdk.Chalice` construct; everything Chalice's decorators cannot say (the tables, the stream,
retry policies, DLQs, batch-failure settings, per-function roles, the Cognito authorizer) is added
here and set on the generated resources.
"""

from __future__ import annotations

import contextlib
import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import aws_cdk as cdk
from aws_cdk import aws_cognito as cognito
from aws_cdk import aws_connect as connect
from aws_cdk import aws_dynamodb as dynamodb
from aws_cdk import aws_iam as iam
from aws_cdk import aws_kinesis as kinesis
from aws_cdk import aws_kms as kms
from aws_cdk import aws_secretsmanager as secretsmanager
from aws_cdk import aws_ses as ses
from aws_cdk import aws_sqs as sqs
from chalice.cdk import Chalice
from constructs import Construct

from chalicelib.web.access import RULES, Rule
from infra import console_site, contact_centre, operations, permissions
from infra.report_layer import report_layer
from infra.retries import (
    CTR_BATCH_SIZE,
    CTR_MAX_RECORD_AGE_SECONDS,
    CTR_MAX_RETRY_ATTEMPTS,
    CTR_STREAM_RETENTION_HOURS,
    EVENT_FUNCTION_RETRY_ATTEMPTS,
    EVENT_MAX_AGE_SECONDS,
    EVENT_RETRY_ATTEMPTS,
)
from infra.tables import ROOT, TableSpec, stage_environment, table_specs

DEFAULT_REGION = "eu-central-1"
STAGES = ("dev", "prod")
# Chalice must be told some role for each function when it does not manage them; the stack replaces it.
ROLE_PLACEHOLDER = "arn:aws:iam::000000000000:role/cagri-role-set-by-cdk"
# What `chalice package` needs of the project: the app, its code, its config.
APP_FILES = ("app.py", "chalicelib", ".chalice/config.json")

# Failure handling (issue 7, item 2): the retry numbers live in infra/retries.py, shared with the
# fault-injection tests; what cannot be delivered waits 14 days in a queue for redrive.
DLQ_RETENTION = cdk.Duration.days(14)
SECRET_LENGTH = 64  # generated, letters and digits: HMAC keys of 64 x ~5.95 bits = ~380 bits

_PROJECTIONS = {
    "ALL": dynamodb.ProjectionType.ALL,
    "KEYS_ONLY": dynamodb.ProjectionType.KEYS_ONLY,
    "INCLUDE": dynamodb.ProjectionType.INCLUDE,
}
_TYPES = {"S": dynamodb.AttributeType.STRING, "N": dynamodb.AttributeType.NUMBER, "B": dynamodb.AttributeType.BINARY}


@contextlib.contextmanager
def _packaging(path: Path, region: str) -> Iterator[None]:
    """chalice.cdk writes its chalice.out/ into the working directory, and `chalice package` needs a
    region (only to build ARNs; no AWS call is made)."""
    before, region_before = Path.cwd(), os.environ.get("AWS_DEFAULT_REGION")
    os.chdir(path)
    os.environ["AWS_DEFAULT_REGION"] = region
    try:
        yield
    finally:
        os.chdir(before)
        if region_before is None:
            os.environ.pop("AWS_DEFAULT_REGION", None)
        else:
            os.environ["AWS_DEFAULT_REGION"] = region_before


def stage_app_source(build_dir: Path, vendor_dependencies: bool) -> Path:
    """The directory `chalice package` runs on.

    With `vendor_dependencies` it is the project itself: Chalice downloads Lambda-compatible wheels
    for requirements.txt (network; cached in .chalice/deployments). Without, a copy of the app and
    its config and no requirements.txt: the same template, a code-only zip, no network — what
    `make synth` and the tests use; such an assembly is for review, not for `cdk deploy`.
    """
    if vendor_dependencies:
        return ROOT
    source = build_dir / "app-source"
    shutil.rmtree(source, ignore_errors=True)
    for name in APP_FILES:
        src, dst = ROOT / name, source / name
        dst.parent.mkdir(parents=True, exist_ok=True)
        if src.is_dir():
            shutil.copytree(src, dst, ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
        else:
            shutil.copy2(src, dst)
    return source


class CagriStack(cdk.Stack):
    def __init__(
        self,
        scope: Construct,
        stage: str,
        *,
        build_dir: Path,
        vendor_dependencies: bool = False,
        **kwargs,
    ) -> None:
        if stage not in STAGES:
            raise ValueError(f"stage must be one of {STAGES}, not {stage!r}")
        # The construct id is the Chalice stage: chalice.cdk packages the stage named by its scope.
        super().__init__(scope, stage, stack_name=f"cagri-{stage}", **kwargs)
        self.stage = stage
        self.env_vars = stage_environment(stage)
        prod = stage == "prod"
        retain = cdk.RemovalPolicy.RETAIN if prod else cdk.RemovalPolicy.DESTROY

        self.connect_instance_id = cdk.CfnParameter(
            self,
            "ConnectInstanceId",
            type="String",
            description="The university's existing Amazon Connect instance (its id, not its ARN)",
            allowed_pattern="^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$",
            default=self.node.try_get_context("connect_instance_id") or None,
        )
        # The agent workspace runs at https://<alias>.my.connect.aws (older instances: <alias>.awsapps.com):
        # the only origins allowed to frame the agents' panel (infra/console_site.py).
        self.connect_instance_alias = cdk.CfnParameter(
            self,
            "ConnectInstanceAlias",
            type="String",
            description="The instance's alias, as in https://<alias>.my.connect.aws (frames the agents' panel)",
            allowed_pattern="^[a-zA-Z0-9]+(-+[a-zA-Z0-9]+)*$",
            max_length=62,
            default=self.node.try_get_context("connect_instance_alias") or None,
        )
        # CloudFront serves the stage's PUBLIC_BASE_URL host (panel and API); its certificate must be in us-east-1.
        self.site_certificate_arn = cdk.CfnParameter(
            self,
            "SiteCertificateArn",
            type="String",
            description="ACM certificate in us-east-1 for the host of PUBLIC_BASE_URL (.chalice/config.json)",
            allowed_pattern="^arn:aws[-a-z]*:acm:us-east-1:[0-9]{12}:certificate/[-a-f0-9]+$",
            default=self.node.try_get_context("site_certificate_arn") or None,
        )
        # AWS End User Messaging SMS (directive 5(4)): the sender ID, pool or phone number registered for the
        # centre (Turkey asks for a registered sender ID); the functions text callers from it and nothing else.
        self.sms_origination_identity = cdk.CfnParameter(
            self,
            "SmsOriginationIdentity",
            type="String",
            description="ARN of the centre's SMS sender ID, pool or phone number (AWS End User Messaging SMS)",
            allowed_pattern=r"^arn:aws[-a-z]*:sms-voice:[a-z0-9-]+:[0-9]{12}:(sender-id|pool|phone-number)/[A-Za-z0-9_/-]+$",
            default=self.node.try_get_context("sms_origination_identity") or None,
        )
        # Callers called back see this number (the callback queue's outbound caller ID): the centre's own, claimed
        # in the instance. StartOutboundVoiceContact names that queue, and a queue without a number cannot ring.
        self.callback_caller_id = cdk.CfnParameter(
            self,
            "CallbackCallerIdNumberArn",
            type="String",
            description="ARN of the centre's phone number claimed in the instance (arn:...:phone-number/<id>): "
            "the caller ID of callbacks",
            allowed_pattern="^arn:aws[-a-z0-9]*:connect:[-a-z0-9]*:[0-9]{12}:phone-number/[-a-zA-Z0-9]*$",
            default=self.node.try_get_context("callback_caller_id_number_arn") or None,
        )
        self.connect_instance_arn = self.format_arn(
            service="connect", resource="instance", resource_name=self.connect_instance_id.value_as_string
        )

        # --- Encryption keys ----------------------------------------------------------------------
        self.data_key = kms.Key(
            self,
            "DataKey",
            alias=f"alias/cagri-{stage}-data",
            description="Cagri: tables, dead-letter queues and the supervisor's topic (KVKK art. 12)",
            enable_key_rotation=True,
            removal_policy=cdk.RemovalPolicy.RETAIN,
        )
        # EventBridge writes undeliverable contact events into a KMS-encrypted queue.
        self.data_key.add_to_resource_policy(
            iam.PolicyStatement(
                sid="EventBridgeDeadLetters",
                principals=[iam.ServicePrincipal("events.amazonaws.com")],
                actions=["kms:GenerateDataKey", "kms:Decrypt"],
                resources=["*"],
                conditions={"StringEquals": {"aws:SourceAccount": self.account}},
            )
        )
        # Amazon Connect writes trace records and agent events into their streams as its instance's
        # service-linked role, which must be allowed kms:GenerateDataKey on a customer-managed stream key
        # (AWS: "Use server-side encryption for the Kinesis stream"). A key per stream, so each grant
        # covers its stream and nothing else, and each consumer decrypts only what it reads.
        stream_name = self.env_vars["CTR_STREAM"]
        self.stream_key = self._stream_key(
            "CtrStreamKey", stream_name, "the contact trace record stream", "AmazonConnectWritesTraceRecords"
        )
        agent_stream_name = self.env_vars["AGENT_EVENTS_STREAM"]
        self.agent_stream_key = self._stream_key(
            "AgentEventsStreamKey", agent_stream_name, "the agent event stream", "AmazonConnectWritesAgentEvents"
        )

        # --- Data ---------------------------------------------------------------------------------
        self.tables: dict[str, dynamodb.Table] = {}
        for spec in table_specs():
            self.tables[spec.env_var] = self._table(spec, prod)

        self.ctr_stream = self._stream("CtrStream", stream_name, self.stream_key, retain)
        self.agent_stream = self._stream("AgentEventsStream", agent_stream_name, self.agent_stream_key, retain)

        # --- Dead-letter queues -------------------------------------------------------------------
        # Only the contact-events rule may dead-letter into its queue: the rule is given a name
        # (`_wire_event_sources`), so its ARN is known here, not `rule/*` (any rule of the account).
        self.contact_events_rule_name = f"cagri-{stage}-contact-events"
        self.contact_events_rule_arn = self.format_arn(
            service="events", resource="rule", resource_name=self.contact_events_rule_name
        )
        self.contact_events_dlq = self._queue("ContactEventsDlq", f"cagri-{stage}-contact-events-dlq")
        self.contact_events_dlq.add_to_resource_policy(
            iam.PolicyStatement(
                sid="EventBridgeDeadLetters",
                principals=[iam.ServicePrincipal("events.amazonaws.com")],
                actions=["sqs:SendMessage"],
                resources=[self.contact_events_dlq.queue_arn],
                conditions={
                    "ArnEquals": {"aws:SourceArn": self.contact_events_rule_arn},
                    "StringEquals": {"aws:SourceAccount": self.account},
                },
            )
        )
        self.ctr_failures = self._queue("CtrFailuresQueue", f"cagri-{stage}-ctr-failures")
        self.agent_events_failures = self._queue("AgentEventsFailuresQueue", f"cagri-{stage}-agent-events-failures")

        # --- Secrets ------------------------------------------------------------------------------
        # Generated here, never typed by anyone; resolved into the functions' environment at deploy
        # time (CloudFormation dynamic references; infra/README.md says what that implies).
        self.secrets = {
            var: secretsmanager.Secret(
                self,
                "".join(part.title() for part in var.lower().split("_")),
                secret_name=f"cagri/{stage}/{var.lower()}",
                description=f"Cagri {stage}: {var} (chalicelib.core.config)",
                encryption_key=self.data_key,
                generate_secret_string=secretsmanager.SecretStringGenerator(
                    password_length=SECRET_LENGTH, exclude_punctuation=True, include_space=False
                ),
                removal_policy=cdk.RemovalPolicy.RETAIN,
            )
            for var in permissions.SECRETS
        }

        # --- E-mail, identity ---------------------------------------------------------------------
        sender = self.env_vars["SENDER_ADDRESS"]
        self.sender_domain = sender.split("@", 1)[1]
        self.configuration_set = ses.ConfigurationSet(
            self,
            "MailConfigurationSet",
            configuration_set_name=f"cagri-{stage}",
            reputation_metrics=True,
            sending_enabled=True,
            suppression_reasons=ses.SuppressionReasons.BOUNCES_AND_COMPLAINTS,
        )
        self.email_identity = ses.EmailIdentity(
            self,
            "SenderDomain",
            identity=ses.Identity.domain(self.sender_domain),
            configuration_set=self.configuration_set,
        )
        self.user_pool = cognito.UserPool(
            self,
            "Agents",
            user_pool_name=f"cagri-{stage}",
            self_sign_up_enabled=False,
            sign_in_aliases=cognito.SignInAliases(username=True, email=True),
            mfa=cognito.Mfa.REQUIRED if prod else cognito.Mfa.OPTIONAL,
            mfa_second_factor=cognito.MfaSecondFactor(sms=False, otp=True),
            password_policy=cognito.PasswordPolicy(min_length=12),
            account_recovery=cognito.AccountRecovery.EMAIL_ONLY,
            # Opening an account (directive 7(e)) e-mails this invitation with Cognito's temporary password.
            user_invitation=cognito.UserInvitationConfig(
                email_subject="Çağrı Merkezi hesabınız / Your call centre account",
                email_body=(
                    "Merhaba,<br>Çağrı Merkezi uygulamasına giriş için kullanıcı adınız: {username}<br>"
                    "Geçici parolanız: {####}<br>İlk girişte yeni bir parola belirlemeniz istenecek.<br><br>"
                    "Your username is {username} and your temporary password is {####}; you will set a new "
                    "one at first sign-in."
                ),
            ),
            removal_policy=retain,
        )
        for group, description in (
            ("agents", "Cagri agents: callbacks, referrals, incidents"),
            ("supervisors", "The centre's supervisors: everything agents do, accounts, reports, health"),
        ):
            cognito.CfnUserPoolGroup(
                self,
                f"Group{group.title()}",
                user_pool_id=self.user_pool.user_pool_id,
                group_name=group,
                description=description,
            )
        # The agents' panel signs in through the hosted UI (authorization code + PKCE) and comes back to
        # PUBLIC_BASE_URL/console/, where the stack serves it (infra/console_site.py).
        self.site_address = console_site.SiteAddress.from_public_base_url(self.env_vars["PUBLIC_BASE_URL"])
        self.hosted_ui_prefix = f"cagri-{stage}-{self.sender_domain.split('.')[0]}"
        self.hosted_ui, self.user_pool_client = console_site.configure_app_client(
            self.user_pool, stage, self.site_address, self.hosted_ui_prefix
        )

        # The built panel, checked before `chalice package` (which may download wheels for minutes).
        self.console_dir = console_site.console_source(
            console_site.CONSOLE_DIST, build_dir / "console-placeholder", deployable=vendor_dependencies
        )

        # --- Roles, one per function --------------------------------------------------------------
        self.policies: dict[str, iam.Policy] = {}
        self.roles = {name: self._role(name, access) for name, access in permissions.ACCESS.items()}

        # --- The Chalice app ----------------------------------------------------------------------
        build_dir.mkdir(parents=True, exist_ok=True)
        self.report_layer = report_layer(self, build_dir, deployable=vendor_dependencies)
        source = stage_app_source(build_dir, vendor_dependencies)
        region = self.region if not cdk.Token.is_unresolved(self.region) else DEFAULT_REGION
        with _packaging(build_dir, region):
            self.chalice = Chalice(
                self,
                "Cagri",
                source_dir=str(source),
                stage_config={"manage_iam_role": False, "iam_role_arn": ROLE_PLACEHOLDER},
            )
        self._wire_functions()
        self._wire_event_sources()
        self._wire_authorizer()
        self._wire_connect()
        self.operations = operations.Operations(self, "Operations")
        self.contact_centre = contact_centre.ContactCentre(
            self,
            "ContactCentre",
            flow_function_arn=self.flow_function_arn,
            callback_caller_id_arn=self.callback_caller_id.value_as_string,
            panel_namespace=console_site.panel_namespace(stage),
        )
        # Flows that invoke the function are created once the instance lists it.
        self.contact_centre.node.add_dependency(self.flow_integration)
        self._wire_connect_ids()

        self._wire_console()
        # The agents' security profile can give the panel only once the instance lists it.
        self.contact_centre.agent_security_profile.add_dependency(self.console.association)

        cdk.CfnOutput(self, "UserPoolId", value=self.user_pool.user_pool_id)
        cdk.CfnOutput(self, "UserPoolClientId", value=self.user_pool_client.user_pool_client_id)
        cdk.CfnOutput(self, "CtrStreamArn", value=self.ctr_stream.stream_arn)
        cdk.CfnOutput(self, "AgentEventsStreamArn", value=self.agent_stream.stream_arn)
        cdk.CfnOutput(self, "HostedUiDomain", value=self.hosted_ui_origin)

    # --- helpers ------------------------------------------------------------------------------------

    def _table(self, spec: TableSpec, prod: bool) -> dynamodb.Table:
        table = dynamodb.Table(
            self,
            spec.construct_id,
            table_name=spec.physical_name(self.stage),
            partition_key=dynamodb.Attribute(name=spec.partition.name, type=_TYPES[spec.partition.type]),
            sort_key=dynamodb.Attribute(name=spec.sort.name, type=_TYPES[spec.sort.type]) if spec.sort else None,
            billing_mode=dynamodb.BillingMode.PAY_PER_REQUEST,
            encryption=dynamodb.TableEncryption.CUSTOMER_MANAGED,
            encryption_key=self.data_key,
            point_in_time_recovery_specification=dynamodb.PointInTimeRecoverySpecification(
                point_in_time_recovery_enabled=True
            ),
            time_to_live_attribute=spec.ttl_attribute,
            deletion_protection=prod,
            removal_policy=cdk.RemovalPolicy.RETAIN,
        )
        for index in spec.global_indexes:
            table.add_global_secondary_index(
                index_name=index.name,
                partition_key=dynamodb.Attribute(name=index.partition.name, type=_TYPES[index.partition.type]),
                sort_key=dynamodb.Attribute(name=index.sort.name, type=_TYPES[index.sort.type]) if index.sort else None,
                projection_type=_PROJECTIONS[index.projection],
                non_key_attributes=list(index.non_key_attributes) or None,
            )
        for index in spec.local_indexes:
            table.add_local_secondary_index(
                index_name=index.name,
                sort_key=dynamodb.Attribute(name=index.sort.name, type=_TYPES[index.sort.type]),
                projection_type=_PROJECTIONS[index.projection],
                non_key_attributes=list(index.non_key_attributes) or None,
            )
        return table

    def _stream_key(self, construct_id: str, stream_name: str, what: str, sid: str) -> kms.Key:
        """A stream's own key: Amazon Connect's service-linked role may encrypt into that stream alone."""
        stream_arn = self.format_arn(service="kinesis", resource="stream", resource_name=stream_name)
        key = kms.Key(
            self,
            construct_id,
            alias=f"alias/{stream_name}-stream",
            description=f"Cagri: {what} (written by Amazon Connect)",
            enable_key_rotation=True,
            removal_policy=cdk.RemovalPolicy.RETAIN,
        )
        key.add_to_resource_policy(
            iam.PolicyStatement(
                sid=sid,
                principals=[iam.AccountPrincipal(self.account)],
                actions=["kms:GenerateDataKey"],
                resources=["*"],
                conditions={
                    "ArnLike": {
                        "aws:PrincipalArn": f"arn:{self.partition}:iam::{self.account}:role/aws-service-role/"
                        "connect.amazonaws.com/AWSServiceRoleForAmazonConnect*"
                    },
                    "StringEquals": {"kms:EncryptionContext:aws:kinesis:arn": stream_arn},
                },
            )
        )
        return key

    def _stream(self, construct_id: str, name: str, key: kms.Key, removal: cdk.RemovalPolicy) -> kinesis.Stream:
        return kinesis.Stream(
            self,
            construct_id,
            stream_name=name,
            stream_mode=kinesis.StreamMode.ON_DEMAND,
            encryption=kinesis.StreamEncryption.KMS,
            encryption_key=key,
            retention_period=cdk.Duration.hours(CTR_STREAM_RETENTION_HOURS),
            removal_policy=removal,
        )

    def _queue(self, construct_id: str, name: str) -> sqs.Queue:
        return sqs.Queue(
            self,
            construct_id,
            queue_name=name,
            encryption=sqs.QueueEncryption.KMS,
            encryption_master_key=self.data_key,
            retention_period=DLQ_RETENTION,
            enforce_ssl=True,
        )

    def _role(self, function: str, access: permissions.Access) -> iam.Role:
        role = iam.Role(
            self,
            f"{function}Role",
            assumed_by=iam.ServicePrincipal("lambda.amazonaws.com"),
            description=f"Cagri {self.stage}: {function}, least privilege (infra/permissions.py)",
        )
        statements: list[iam.PolicyStatement] = [
            iam.PolicyStatement(
                sid="OwnLogs",
                actions=["logs:CreateLogGroup", "logs:CreateLogStream", "logs:PutLogEvents"],
                resources=[
                    self.format_arn(
                        service="logs",
                        resource="log-group",
                        resource_name=f"/aws/lambda/{self.stack_name}-{function}-*",
                        arn_format=cdk.ArnFormat.COLON_RESOURCE_NAME,
                    )
                    + suffix
                    for suffix in ("", ":*")
                ],
            )
        ]
        for env_var, actions in sorted(access.dynamodb.items()):
            table = self.tables[env_var]
            resources = [table.table_arn]
            if "Query" in actions:
                resources.append(f"{table.table_arn}/index/*")
            statements.append(
                iam.PolicyStatement(
                    sid=f"Table{table.node.id}",
                    actions=[f"dynamodb:{a}" for a in sorted(set(actions))],
                    resources=resources,
                )
            )
        if access.dynamodb:
            statements.append(
                iam.PolicyStatement(
                    sid="TablesKey",
                    actions=["kms:Decrypt", "kms:Encrypt", "kms:GenerateDataKey"],
                    resources=[self.data_key.key_arn],
                    conditions={"StringEquals": {"kms:ViaService": f"dynamodb.{self.region}.amazonaws.com"}},
                )
            )
        if access.describe_tables:
            statements.append(
                iam.PolicyStatement(
                    sid="HealthDescribeTables",
                    actions=["dynamodb:DescribeTable"],
                    resources=[t.table_arn for _, t in sorted(self.tables.items())],
                )
            )
        if access.dead_letter_depth:
            statements.append(
                iam.PolicyStatement(
                    sid="DeadLetterDepth",
                    actions=["sqs:GetQueueAttributes"],
                    resources=[q.queue_arn for q in self.dead_letter_queues],
                )
            )
        on_instance = [a for a in access.connect if a not in permissions.STARTS_CONTACTS]
        if on_instance:  # starting contacts is granted on what it names (`_wire_connect_ids`)
            statements.append(
                iam.PolicyStatement(
                    sid="ConnectInstance",
                    actions=[f"connect:{a}" for a in on_instance],
                    resources=[self.connect_instance_arn, f"{self.connect_instance_arn}/*"],
                )
            )
        if access.cognito:
            statements.append(
                iam.PolicyStatement(
                    sid="AgentSignIns",
                    actions=[f"cognito-idp:{a}" for a in access.cognito],
                    resources=[self.user_pool.user_pool_arn],
                )
            )
        if access.ses_send:
            statements.append(
                iam.PolicyStatement(
                    sid="SendMailAsTheCentreOnly",
                    actions=["ses:SendRawEmail"],
                    resources=[
                        self.format_arn(service="ses", resource="identity", resource_name=self.sender_domain),
                        self.format_arn(
                            service="ses", resource="identity", resource_name=self.env_vars["SENDER_ADDRESS"]
                        ),
                        self.format_arn(
                            service="ses", resource="configuration-set", resource_name=f"cagri-{self.stage}"
                        ),
                    ],
                    conditions={"StringEquals": {"ses:FromAddress": self.env_vars["SENDER_ADDRESS"]}},
                )
            )
        if access.sms_send:
            statements.append(
                iam.PolicyStatement(
                    sid="TextAsTheCentreOnly",
                    actions=["sms-voice:SendTextMessage"],
                    # The identity it sends from, and the opt-out lists the service checks the number against.
                    resources=[
                        self.sms_origination_identity.value_as_string,
                        self.format_arn(service="sms-voice", resource="opt-out-list", resource_name="*"),
                    ],
                )
            )
        if access.ses_account:
            statements.append(
                iam.PolicyStatement(
                    sid="SesAccountReads",  # these actions have no resource-level permissions
                    actions=[f"ses:{a}" for a in access.ses_account],
                    resources=["*"],
                )
            )
        if access.kinesis_consumer:
            statements += self._stream_reader("TraceRecords", self.ctr_stream, self.stream_key)
        if access.agent_events_consumer:
            statements += self._stream_reader("AgentEvents", self.agent_stream, self.agent_stream_key)
        # Failure destinations are written with the function's own role.
        failure_queue = {
            permissions.CONTACT_EVENTS: self.contact_events_dlq,
            permissions.CONTACT_TRACE_RECORDS: self.ctr_failures,
            permissions.AGENT_EVENTS: self.agent_events_failures,
        }.get(function)
        if failure_queue is not None:
            statements += [
                iam.PolicyStatement(
                    sid="FailureDestination", actions=["sqs:SendMessage"], resources=[failure_queue.queue_arn]
                ),
                iam.PolicyStatement(
                    sid="FailureDestinationKey",
                    actions=["kms:GenerateDataKey", "kms:Decrypt"],
                    resources=[self.data_key.key_arn],
                    conditions={"StringEquals": {"kms:ViaService": f"sqs.{self.region}.amazonaws.com"}},
                ),
            ]
        self.policies[function] = iam.Policy(
            self, f"{function}Policy", roles=[role], document=iam.PolicyDocument(statements=statements)
        )
        return role

    def _stream_reader(self, what: str, stream: kinesis.Stream, key: kms.Key) -> list[iam.PolicyStatement]:
        return [
            iam.PolicyStatement(
                sid=f"Read{what}",
                actions=[
                    "kinesis:DescribeStream",
                    "kinesis:DescribeStreamSummary",
                    "kinesis:GetRecords",
                    "kinesis:GetShardIterator",
                    "kinesis:ListShards",
                ],  # no SubscribeToShard: the mapping polls, it is no enhanced fan-out consumer
                resources=[stream.stream_arn],
            ),
            iam.PolicyStatement(
                sid=f"Decrypt{what}",
                actions=["kms:Decrypt"],
                resources=[key.key_arn],
                # Only as Kinesis decrypts records for GetRecords, never a direct Decrypt call.
                conditions={"StringEquals": {"kms:ViaService": f"kinesis.{self.region}.amazonaws.com"}},
            ),
        ]

    @property
    def dead_letter_queues(self) -> list[sqs.Queue]:
        """What /health and the watchdog watch: inputs AWS gave up delivering (directive 7(d))."""
        return [self.contact_events_dlq, self.ctr_failures, self.agent_events_failures]

    def _function(self, name: str) -> cdk.CfnResource:
        return self.chalice.get_resource(name)

    def _wire_functions(self) -> None:
        env = {var: table.table_name for var, table in self.tables.items()}
        env["CTR_STREAM"] = self.ctr_stream.stream_name
        env["AGENT_EVENTS_STREAM"] = self.agent_stream.stream_name
        env["CONNECT_INSTANCE_ID"] = self.connect_instance_id.value_as_string
        env["DEAD_LETTER_QUEUES"] = cdk.Fn.join(",", [q.queue_url for q in self.dead_letter_queues])
        for name in permissions.FUNCTIONS:
            function = self._function(name)
            function.add_property_override("Role", self.roles[name].role_arn)
            # The policy exists before the function (and the event source mapping that checks it).
            function.node.add_dependency(self.policies[name])
            for var, value in env.items():
                function.add_property_override(f"Environment.Variables.{var}", value)
            if name == permissions.MONTHLY_REPORT:  # the rendering stack, for this function alone
                function.add_property_override("Layers", [self.report_layer.layer_version_arn])
            starts = permissions.ACCESS[name].starts
            for started in starts:
                variable = {permissions.MONTHLY_REPORT: "REPORT_FUNCTION_NAME"}[started]
                function.add_property_override(f"Environment.Variables.{variable}", self._function(started).ref)
            if starts:  # the functions exist only now, after the roles: their ARNs join the policy here
                self.policies[name].add_statements(
                    iam.PolicyStatement(
                        sid="StartFunctions",
                        actions=["lambda:InvokeFunction"],
                        resources=[self._function(s).get_att("Arn").to_string() for s in starts],
                    )
                )
            if permissions.ACCESS[name].sms_send:
                function.add_property_override(
                    "Environment.Variables.SMS_ORIGINATION_IDENTITY", self.sms_origination_identity.value_as_string
                )
            if permissions.ACCESS[name].cognito:
                function.add_property_override(
                    "Environment.Variables.COGNITO_USER_POOL_ID", self.user_pool.user_pool_id
                )
            for var in permissions.ACCESS[name].secrets:
                # `{{resolve:secretsmanager:<arn>:SecretString:::}}`, resolved by CloudFormation.
                secret = self.secrets[var].secret_value.unsafe_unwrap()
                function.add_property_override(f"Environment.Variables.{var}", secret)

    def _wire_connect_ids(self) -> None:
        """Each function gets the ids of the Connect resources its code names (`Access.connect_ids`), so
        nothing deployed sends the settings' zero placeholders; and may start contacts only with them."""
        ids = self.contact_centre.ids()
        for name in permissions.FUNCTIONS:
            access, function = permissions.ACCESS[name], self._function(name)
            for var in access.connect_ids:
                function.add_property_override(f"Environment.Variables.{var}", ids[var])
            if "StartOutboundVoiceContact" in access.connect:
                self.policies[name].add_statements(
                    iam.PolicyStatement(
                        sid="RingCallersBack",
                        actions=["connect:StartOutboundVoiceContact"],
                        resources=[f"{self.connect_instance_arn}/contact/*"],
                    )
                )
            if "StartTaskContact" in access.connect:
                # One flow may serve several settings (callback and referral tasks): grant each flow once.
                flows = dict.fromkeys(
                    self.contact_centre.flow_of(var) for var in access.connect_ids if var in permissions.TASK_FLOW_IDS
                )
                if not flows:
                    raise ValueError(f"{name} may start tasks but is given no task flow (infra/permissions.py)")
                self.policies[name].add_statements(
                    iam.PolicyStatement(
                        sid="StartTasksWithItsFlows",
                        actions=["connect:StartTaskContact"],
                        resources=[
                            f"{self.connect_instance_arn}/contact-flow/{contact_centre.last_part(flow.attr_contact_flow_arn)}"
                            for flow in flows
                        ],
                    )
                )

    def _wire_connect(self) -> None:
        """The university's instance may invoke the contact-flow function, and lists it among its
        Lambda functions (what the console's "Add Lambda function" does)."""
        flow_function = self._function(permissions.CONTACT_FLOW)
        self.flow_function_arn = flow_function.get_att("Arn").to_string()
        permission = cdk.CfnResource(
            self,
            "ContactFlowInvokedByConnect",
            type="AWS::Lambda::Permission",
            properties={
                "Action": "lambda:InvokeFunction",
                "FunctionName": self.flow_function_arn,
                "Principal": "connect.amazonaws.com",
                "SourceAccount": self.account,
                "SourceArn": self.connect_instance_arn,
            },
        )
        association = self.flow_integration = connect.CfnIntegrationAssociation(
            self,
            "ContactFlowIntegration",
            instance_id=self.connect_instance_arn,
            integration_type="LAMBDA_FUNCTION",
            integration_arn=self.flow_function_arn,
        )
        association.node.add_dependency(permission)

    @property
    def hosted_ui_origin(self) -> str:
        return f"https://{self.hosted_ui_prefix}.auth.{self.region}.amazoncognito.com"

    def _wire_console(self) -> None:
        """The agents' panel and the API behind one CloudFront distribution on PUBLIC_BASE_URL's host, and
        the panel registered with the Connect instance (infra/console_site.py). API Gateway's own edge
        distribution would sit behind that one: the API is regional."""
        api = self._function("RestAPI")
        api.add_property_override("EndpointConfiguration", "REGIONAL")
        self.console = console_site.ConsoleSite(
            self,
            "Console",
            address=self.site_address,
            certificate_arn=self.site_certificate_arn.value_as_string,
            instance_alias=self.connect_instance_alias.value_as_string,
            rest_api=api,
            user_pool=self.user_pool,
            client=self.user_pool_client,
            hosted_ui_origin=self.hosted_ui_origin,
            source=self.console_dir,
        )

    def _wire_event_sources(self) -> None:
        # Contact events: EventBridge retries delivery and then dead-letters the event; the function's
        # own errors (an asynchronous invocation) are retried by Lambda and then sent to the same queue.
        events = self._function(permissions.CONTACT_EVENTS)
        # SAM's EventBridgeRule (what Chalice's CloudWatchEvent is) with a name: the dead-letter
        # queue's policy names this very rule.
        events.add_property_override("Events.ContactEventsEvent.Type", "EventBridgeRule")
        events.add_property_override("Events.ContactEventsEvent.Properties.RuleName", self.contact_events_rule_name)
        events.add_property_override(
            "Events.ContactEventsEvent.Properties.RetryPolicy",
            {"MaximumRetryAttempts": EVENT_RETRY_ATTEMPTS, "MaximumEventAgeInSeconds": EVENT_MAX_AGE_SECONDS},
        )
        events.add_property_override(
            "Events.ContactEventsEvent.Properties.DeadLetterConfig", {"Arn": self.contact_events_dlq.queue_arn}
        )
        events.add_property_override(
            "EventInvokeConfig",
            {
                "MaximumRetryAttempts": EVENT_FUNCTION_RETRY_ATTEMPTS,
                "MaximumEventAgeInSeconds": EVENT_MAX_AGE_SECONDS,
                "DestinationConfig": {"OnFailure": {"Type": "SQS", "Destination": self.contact_events_dlq.queue_arn}},
            },
        )
        # Trace records and agent events: only the failed records are retried (the handler reports
        # them), a failing batch is split to isolate a poison record, retries are bounded, and what still
        # fails is recorded (shard and sequence numbers) in a queue for redrive from the stream.
        for function, stream, queue in (
            (permissions.CONTACT_TRACE_RECORDS, self.ctr_stream, self.ctr_failures),
            (permissions.AGENT_EVENTS, self.agent_stream, self.agent_events_failures),
        ):
            mapping = self._function(function)
            prefix = f"Events.{function}KinesisEventSource.Properties"  # the event source `chalice package` names
            for key, value in {
                "Stream": stream.stream_arn,
                "StartingPosition": "TRIM_HORIZON",
                "BatchSize": CTR_BATCH_SIZE,
                "FunctionResponseTypes": ["ReportBatchItemFailures"],
                "BisectBatchOnFunctionError": True,
                "MaximumRetryAttempts": CTR_MAX_RETRY_ATTEMPTS,
                "MaximumRecordAgeInSeconds": CTR_MAX_RECORD_AGE_SECONDS,
                "DestinationConfig": {"OnFailure": {"Type": "SQS", "Destination": queue.queue_arn}},
            }.items():
                mapping.add_property_override(f"{prefix}.{key}", value)

    def _wire_authorizer(self) -> None:
        """API Gateway verifies the Cognito token on every route but the signed reply links;
        `chalicelib.web.access` then checks the group (agents or supervisors) in the app."""
        api = self._function("RestAPI")
        api.add_property_override(
            "DefinitionBody.securityDefinitions.CognitoAgents",
            {
                "type": "apiKey",
                "name": "Authorization",
                "in": "header",
                "x-amazon-apigateway-authtype": "cognito_user_pools",
                "x-amazon-apigateway-authorizer": {
                    "type": "cognito_user_pools",
                    "providerARNs": [self.user_pool.user_pool_arn],
                },
            },
        )
        for (path, method), rule in RULES.items():
            if rule == Rule.SIGNED_LINK:
                continue
            api.add_property_override(f"DefinitionBody.paths.{path}.{method.lower()}.security", [{"CognitoAgents": []}])
