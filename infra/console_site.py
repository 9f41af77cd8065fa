"""The agents' panel deployed (issue 15): console/dist behind CloudFront, its sign-in, and its place in the
Amazon Connect agent workspace.

One CloudFront distribution answers on the stage's own address (`PUBLIC_BASE_URL` in .chalice/config.json,
e.g. https://cagri-dev.ostimteknik.edu.tr), so the panel and the API share one origin:

- `/console/*` (and `/console`) → a private S3 bucket through origin access control. A CloudFront Function
  on that behaviour alone serves index.html for the panel's client-side routes, as `callcenter local api`
  does (`cli/embedded/console.py`); API errors are never rewritten.
- everything else → the REST API (its stage as the origin path), uncached, every viewer header but Host
  (so `Authorization` reaches the Cognito authorizer) and every query string forwarded. The units' signed
  reply links (`PUBLIC_BASE_URL/reply/<token>`) are API routes and open through it unchanged.

Same origin means no CORS, `connect-src 'self'` for the API and one Content-Security-Policy for the panel.
`PUBLIC_BASE_URL` stays the custom domain (not the distribution's `*.cloudfront.net` name): the API
function cannot be given the distribution's name, because the distribution's origin is the REST API, which
invokes that function — a dependency cycle. The domain needs an ACM certificate in us-east-1
(`SiteCertificateArn`) and a DNS record to the distribution (output `SiteDistributionDomainName`).

`config.json` (the panel's runtime configuration, `console/src/config.ts`) is written into the bucket at
deploy time with the stage's user pool, app client, authority and redirect URI. A synthesis without a built
panel (console/dist/index.html missing) gets a placeholder page when it is not deployable anyway (the
code-only synthesis of `make synth` and the tests); a deployable synthesis (`vendor_dependencies`) stops
with `ConsoleNotBuilt`.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

import aws_cdk as cdk
from aws_cdk import aws_appintegrations as appintegrations
from aws_cdk import aws_certificatemanager as acm
from aws_cdk import aws_cloudfront as cloudfront
from aws_cdk import aws_cloudfront_origins as origins
from aws_cdk import aws_cognito as cognito
from aws_cdk import aws_connect as connect
from aws_cdk import aws_s3 as s3
from aws_cdk import aws_s3_deployment as s3deploy
from constructs import Construct

from infra.tables import ROOT

CONSOLE_DIST = ROOT / "console" / "dist"
PREFIX = "/console"  # Vite's `base` (console/vite.config.ts); the S3 keys live under the same prefix
ASSETS = "assets"  # Vite's hashed files: cached for a year, never pruned (an open panel may still load them)

# Sign-in: ID and access tokens for an hour, the refresh token for a working day (08:30–17:30 and some).
TOKEN_VALIDITY = cdk.Duration.hours(1)
REFRESH_TOKEN_VALIDITY = cdk.Duration.hours(12)
HSTS_MAX_AGE = cdk.Duration.days(730)  # two years; includeSubDomains, not preloaded

# The panel as a third-party application of the agent workspace. What it calls of the SDK
# (console/src/workspace/connect.ts, `ContactClient` only) and the permission each needs, from AWS's agent
# workspace API reference ("Permissions required": getChannelType, onConnected, onStartingAcw, onMissed,
# onCleared) and "Events and requests when granting third-party applications access to Amazon Connect".
# onIncoming has no reference page: taken as the other contact lifecycle events (check after the first
# deploy, infra/README.md). The caller's number comes masked from the API, never from the workspace (no
# Contact.CustomerDetails.View); no agent, voice or attribute request (no User.*, Contact.Attributes.View).
# tests/infra/test_panel_workspace.py fails when the panel calls anything else.
SDK_CALL_PERMISSIONS = {
    "getChannelType": "Contact.Details.View",
    "onIncoming": "Contact.Details.View",
    "onConnected": "Contact.Details.View",
    "onStartingAcw": "Contact.Details.View",
    "onMissed": "Contact.Details.View",
    "onCleared": "Contact.Details.View",
    # Unsubscribing needs what subscribing needed.
    "offIncoming": "Contact.Details.View",
    "offConnected": "Contact.Details.View",
    "offStartingAcw": "Contact.Details.View",
    "offMissed": "Contact.Details.View",
    "offCleared": "Contact.Details.View",
}
APP_PERMISSIONS = tuple(sorted(set(SDK_CALL_PERMISSIONS.values())))
# Opened with each contact: the create event carries the contact (`context.scope.contactId`).
APP_CONTACT_SCOPE = "PER_CONTACT"
# The workspace's four default sandbox flags, and one more: the hosted-UI sign-in popup leaves the sandbox
# (a normal window for Cognito's pages). `clipboard-write`: Cloudscape's copy button for the reference.
IFRAME_SANDBOX = ("allow-forms", "allow-popups", "allow-popups-to-escape-sandbox", "allow-same-origin", "allow-scripts")
IFRAME_ALLOW = ("clipboard-write",)

# Response headers of every API answer through the distribution; the reply pages send their own stricter
# CSP and X-Frame-Options (`chalicelib/referrals/reply.py`), which these never override.
API_CONTENT_SECURITY_POLICY = "default-src 'none'; frame-ancestors 'none'; base-uri 'none'"

NOT_BUILT_PAGE = """<!doctype html>
<html lang="tr"><head><meta charset="utf-8"><title>Çağrı paneli derlenmemiş</title></head>
<body><h1>Çağrı paneli bu sentezde derlenmemişti / The Çağrı panel was not built for this synthesis</h1>
<p>make console, then synthesize again.</p></body></html>
"""

# Viewer request on the panel's behaviours only: a path whose last segment has no extension (a client-side
# route, `/console/` or `/console` itself) gets index.html, whose asset and config URLs are absolute; files,
# and anything under assets/, pass unchanged, so a missing one is S3's answer, never the page.
SPA_FUNCTION_CODE = """function handler(event) {
  var request = event.request;
  var uri = request.uri;
  if (uri.indexOf('__PREFIX__/__ASSETS__/') === 0) {
    return request;
  }
  var last = uri.substring(uri.lastIndexOf('/') + 1);
  if (last.indexOf('.') === -1) {
    request.uri = '__PREFIX__/index.html';
  }
  return request;
}
""".replace("__PREFIX__", PREFIX).replace("__ASSETS__", ASSETS)


class ConsoleNotBuilt(RuntimeError):
    """A deployable synthesis needs the built panel."""


@dataclass(frozen=True)
class SiteAddress:
    """Where the stage is served: the panel at `<origin>/console/`, the API at `<origin>/…`."""

    origin: str  # https://cagri-dev.ostimteknik.edu.tr

    @classmethod
    def from_public_base_url(cls, value: str) -> SiteAddress:
        parts = urlsplit(value)
        if parts.scheme != "https" or not parts.hostname or parts.path.strip("/") or parts.query:
            raise ValueError(f"PUBLIC_BASE_URL must be https://<host> with no path, not {value!r}")
        return cls(f"https://{parts.hostname}")

    @property
    def host(self) -> str:
        return urlsplit(self.origin).hostname or ""

    @property
    def panel_url(self) -> str:
        """The panel's address: the workspace's access URL, the sign-in redirect and the logout URL."""
        return f"{self.origin}{PREFIX}/"


def panel_namespace(stage: str) -> str:
    """The panel's application namespace: what the agents' security profile names to give them the panel."""
    return f"cagri-{stage}-panel"


def workspace_origins(instance_alias: str) -> list[str]:
    """The agent workspace of the university's instance, which frames the panel beside the CCP:
    `https://<alias>.my.connect.aws/agent-app-v2/` (or `<alias>.awsapps.com` on older instances)."""
    return [f"https://{instance_alias}.my.connect.aws", f"https://{instance_alias}.awsapps.com"]


def content_security_policy(connect_sources: list[str], frame_ancestors: list[str]) -> str:
    """The panel's policy: the directives `callcenter local api` sends (cli/embedded/console.py), with the
    Cognito endpoints the OIDC client fetches added to `connect-src` and the workspace as the only framer."""
    return "; ".join(
        [
            "default-src 'none'",
            "script-src 'self'",
            "style-src 'self'",
            "img-src 'self' data:",
            "font-src 'self' data:",
            "connect-src " + " ".join(["'self'", *connect_sources]),
            "manifest-src 'self'",
            "base-uri 'none'",
            "form-action 'self'",
            "frame-ancestors " + " ".join(frame_ancestors),
        ]
    )


def console_source(dist: Path, placeholder: Path, *, deployable: bool) -> Path:
    """The directory the bucket receives: the build, or (review-only synthesis) a placeholder page."""
    if (dist / "index.html").is_file():
        return dist
    if deployable:
        raise ConsoleNotBuilt(
            f"{dist / 'index.html'} is missing: build the agents' panel (`make console`) before a deployable "
            "synthesis (VENDOR_DEPENDENCIES=1), or the stage would serve no panel"
        )
    (placeholder / ASSETS).mkdir(parents=True, exist_ok=True)
    (placeholder / "index.html").write_text(NOT_BUILT_PAGE, encoding="utf-8")
    (placeholder / ASSETS / "not-built.txt").write_text("placeholder\n", encoding="utf-8")
    return placeholder


def configure_app_client(user_pool: cognito.UserPool, stage: str, address: SiteAddress, domain_prefix: str):
    """The hosted UI (a Cognito domain per stage) and the panel's app client: authorization code with PKCE
    (a public client: no secret; Cognito verifies the code_challenge oidc-client-ts always sends), SRP kept
    for the client's existing sign-in, short ID tokens, revocable refresh tokens."""
    domain = user_pool.add_domain("HostedUi", cognito_domain=cognito.CognitoDomainOptions(domain_prefix=domain_prefix))
    client = user_pool.add_client(
        "AgentConsole",
        user_pool_client_name=f"cagri-{stage}-panel",
        generate_secret=False,
        auth_flows=cognito.AuthFlow(user_srp=True),
        o_auth=cognito.OAuthSettings(
            flows=cognito.OAuthFlows(authorization_code_grant=True),
            scopes=[cognito.OAuthScope.OPENID, cognito.OAuthScope.EMAIL, cognito.OAuthScope.PROFILE],
            callback_urls=[address.panel_url],
            logout_urls=[address.panel_url],
        ),
        supported_identity_providers=[cognito.UserPoolClientIdentityProvider.COGNITO],
        id_token_validity=TOKEN_VALIDITY,
        access_token_validity=TOKEN_VALIDITY,
        refresh_token_validity=REFRESH_TOKEN_VALIDITY,
        enable_token_revocation=True,
        prevent_user_existence_errors=True,
    )
    return domain, client


class ConsoleSite(Construct):
    """The bucket, the distribution (panel and API on one origin), config.json, and the panel's
    registration with the Connect instance."""

    def __init__(
        self,
        stack,
        construct_id: str,
        *,
        address: SiteAddress,
        certificate_arn: str,
        instance_alias: str,
        rest_api: cdk.CfnResource,
        user_pool: cognito.UserPool,
        client: cognito.UserPoolClient,
        hosted_ui_origin: str,
        source: Path,
    ) -> None:
        super().__init__(stack, construct_id)
        stage, region = stack.stage, stack.region
        self.address = address

        # --- The bucket: private, reachable only through the distribution -------------------------------
        self.bucket = s3.Bucket(
            self,
            "Bucket",
            block_public_access=s3.BlockPublicAccess.BLOCK_ALL,
            object_ownership=s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
            encryption=s3.BucketEncryption.S3_MANAGED,
            enforce_ssl=True,
            versioned=True,
            # Old builds stay a month for a rollback (`aws s3api` on the previous versions), then go.
            lifecycle_rules=[
                s3.LifecycleRule(
                    noncurrent_version_expiration=cdk.Duration.days(30),
                    abort_incomplete_multipart_upload_after=cdk.Duration.days(1),
                )
            ],
            removal_policy=cdk.RemovalPolicy.RETAIN,
        )

        # --- Response headers ------------------------------------------------------------------------
        authority = f"https://cognito-idp.{region}.amazonaws.com"
        self.content_security_policy = content_security_policy(
            [authority, hosted_ui_origin], workspace_origins(instance_alias)
        )
        hsts = cloudfront.ResponseHeadersStrictTransportSecurity(
            access_control_max_age=HSTS_MAX_AGE, include_subdomains=True, override=True
        )
        self.console_headers = cloudfront.ResponseHeadersPolicy(
            self,
            "ConsoleHeaders",
            response_headers_policy_name=f"cagri-{stage}-console",
            comment="Cagri agents' panel: CSP (workspace framing, Cognito), HSTS, nosniff, no-referrer",
            security_headers_behavior=cloudfront.ResponseSecurityHeadersBehavior(
                content_security_policy=cloudfront.ResponseHeadersContentSecurityPolicy(
                    content_security_policy=self.content_security_policy, override=True
                ),
                strict_transport_security=hsts,
                content_type_options=cloudfront.ResponseHeadersContentTypeOptions(override=True),
                referrer_policy=cloudfront.ResponseHeadersReferrerPolicy(
                    referrer_policy=cloudfront.HeadersReferrerPolicy.NO_REFERRER, override=True
                ),
            ),
        )
        self.api_headers = cloudfront.ResponseHeadersPolicy(
            self,
            "ApiHeaders",
            response_headers_policy_name=f"cagri-{stage}-api",
            comment="Cagri API: HSTS, nosniff, no-referrer; a CSP and DENY framing unless the answer has its own",
            security_headers_behavior=cloudfront.ResponseSecurityHeadersBehavior(
                content_security_policy=cloudfront.ResponseHeadersContentSecurityPolicy(
                    content_security_policy=API_CONTENT_SECURITY_POLICY, override=False
                ),
                frame_options=cloudfront.ResponseHeadersFrameOptions(
                    frame_option=cloudfront.HeadersFrameOption.DENY, override=False
                ),
                strict_transport_security=hsts,
                content_type_options=cloudfront.ResponseHeadersContentTypeOptions(override=True),
                referrer_policy=cloudfront.ResponseHeadersReferrerPolicy(
                    referrer_policy=cloudfront.HeadersReferrerPolicy.NO_REFERRER, override=True
                ),
            ),
        )

        # --- The distribution --------------------------------------------------------------------------
        self.spa_routes = cloudfront.Function(
            self,
            "SpaRoutes",
            comment="Cagri panel: client-side routes under /console/ serve index.html",
            code=cloudfront.FunctionCode.from_inline(SPA_FUNCTION_CODE),
            runtime=cloudfront.FunctionRuntime.JS_2_0,
        )
        console_behaviour = cloudfront.BehaviorOptions(
            origin=origins.S3BucketOrigin.with_origin_access_control(self.bucket),
            viewer_protocol_policy=cloudfront.ViewerProtocolPolicy.REDIRECT_TO_HTTPS,
            allowed_methods=cloudfront.AllowedMethods.ALLOW_GET_HEAD,
            cache_policy=cloudfront.CachePolicy.CACHING_OPTIMIZED,
            response_headers_policy=self.console_headers,
            compress=True,
            function_associations=[
                cloudfront.FunctionAssociation(
                    function=self.spa_routes, event_type=cloudfront.FunctionEventType.VIEWER_REQUEST
                )
            ],
        )
        api_origin = origins.HttpOrigin(
            f"{rest_api.ref}.execute-api.{region}.{stack.url_suffix}",
            origin_path=f"/{stage}",  # the API Gateway stage (`api_gateway_stage` in .chalice/config.json)
            protocol_policy=cloudfront.OriginProtocolPolicy.HTTPS_ONLY,
            origin_ssl_protocols=[cloudfront.OriginSslPolicy.TLS_V1_2],
        )
        self.distribution = cloudfront.Distribution(
            self,
            "Distribution",
            comment=f"Cagri {stage}: the agents' panel (/console/) and the API",
            domain_names=[address.host],
            certificate=acm.Certificate.from_certificate_arn(self, "Certificate", certificate_arn),
            minimum_protocol_version=cloudfront.SecurityPolicyProtocol.TLS_V1_2_2021,
            http_version=cloudfront.HttpVersion.HTTP2_AND_3,
            default_behavior=cloudfront.BehaviorOptions(
                origin=api_origin,
                viewer_protocol_policy=cloudfront.ViewerProtocolPolicy.HTTPS_ONLY,
                allowed_methods=cloudfront.AllowedMethods.ALLOW_ALL,
                # Uncached, so the Authorization header may be forwarded by the origin request policy
                # (AWS: with caching disabled, AllViewerExceptHostHeader forwards it); API Gateway
                # refuses a foreign Host header.
                cache_policy=cloudfront.CachePolicy.CACHING_DISABLED,
                origin_request_policy=cloudfront.OriginRequestPolicy.ALL_VIEWER_EXCEPT_HOST_HEADER,
                response_headers_policy=self.api_headers,
                compress=True,
            ),
            additional_behaviors={f"{PREFIX}/*": console_behaviour, PREFIX: console_behaviour},
        )

        # --- The build and config.json into the bucket ----------------------------------------------------
        self.runtime_config = {
            "mode": "cognito",
            "api": "",  # the panel's own origin: the API is behind the same distribution
            "authority": f"{authority}/{user_pool.user_pool_id}",
            "client_id": client.user_pool_client_id,
            "redirect_uri": address.panel_url,
        }
        assets = s3deploy.BucketDeployment(
            self,
            "DeployAssets",
            destination_bucket=self.bucket,
            destination_key_prefix=f"{PREFIX.strip('/')}/{ASSETS}/",
            sources=[s3deploy.Source.asset(str(source / ASSETS))],
            cache_control=[s3deploy.CacheControl.from_string("public, max-age=31536000, immutable")],
            prune=False,
        )
        pages = s3deploy.BucketDeployment(
            self,
            "DeployPages",
            destination_bucket=self.bucket,
            destination_key_prefix=f"{PREFIX.strip('/')}/",
            sources=[
                s3deploy.Source.asset(str(source), exclude=[ASSETS, "config.json"]),
                s3deploy.Source.json_data("config.json", self.runtime_config),
            ],
            exclude=[f"{ASSETS}/*"],  # the assets deployment's files are not this one's to prune
            cache_control=[s3deploy.CacheControl.no_cache()],
            prune=True,
            distribution=self.distribution,
            distribution_paths=[f"{PREFIX}/*", PREFIX],
        )
        # A new index.html never names an asset that is not there yet.
        pages.node.add_dependency(assets)
        # CDK's deployment function (one per stack) depends on its role both by GetAtt and by DependsOn;
        # cfn-lint's W3005 on that generated resource is the only finding, and it is harmless.
        for child in stack.node.children:
            if child.node.id.startswith("Custom::CDKBucketDeployment") and child.node.default_child is not None:
                child.node.default_child.add_metadata("cfn-lint", {"config": {"ignore_checks": ["W3005"]}})

        # --- The panel in the agent workspace -------------------------------------------------------------
        self.application = appintegrations.CfnApplication(
            self,
            "WorkspaceApplication",
            name=f"Cagri {stage} panel",
            namespace=panel_namespace(stage),
            description=f"Cagri {stage}: the agents' panel (contact, classify, refer, my work) beside the CCP",
            application_source_config=appintegrations.CfnApplication.ApplicationSourceConfigProperty(
                external_url_config=appintegrations.CfnApplication.ExternalUrlConfigProperty(
                    access_url=address.panel_url, approved_origins=[address.origin]
                )
            ),
            application_config=appintegrations.CfnApplication.ApplicationConfigProperty(
                contact_handling=appintegrations.CfnApplication.ContactHandlingProperty(scope=APP_CONTACT_SCOPE)
            ),
            iframe_config=appintegrations.CfnApplication.IframeConfigProperty(
                allow=list(IFRAME_ALLOW), sandbox=list(IFRAME_SANDBOX)
            ),
            permissions=list(APP_PERMISSIONS),
        )
        self.association = connect.CfnIntegrationAssociation(
            self,
            "WorkspaceApplicationAssociation",
            instance_id=stack.connect_instance_arn,
            integration_type="APPLICATION",
            integration_arn=self.application.attr_application_arn,
        )

        cdk.CfnOutput(stack, "SiteUrl", value=address.panel_url, description="The agents' panel")
        cdk.CfnOutput(
            stack,
            "SiteDistributionDomainName",
            value=self.distribution.distribution_domain_name,
            description=f"Point {address.host} here (CNAME, or an alias record)",
        )
