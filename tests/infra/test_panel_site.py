"""The agents' panel deployed (issue 15): a private bucket read only by the distribution through origin
access control, HTTPS with strict response headers, client-side routes under /console/ only, the API on the
same origin (uncached, Authorization and query strings forwarded) at PUBLIC_BASE_URL, and config.json
written at deploy time."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from urllib.parse import urlsplit

import pytest

from chalicelib.web.access import RULES
from cli.embedded import console as local_console
from infra import console_site, permissions
from tests.infra.conftest import ROOT, of_type
from tests.infra.test_narrow_grants import text

# AWS's managed policies (CloudFront developer guide, "Use managed cache/origin request policies").
CACHING_DISABLED = "4135ea2d-6df8-44a3-9df3-4b5a84be39ad"
CACHING_OPTIMIZED = "658327ea-f89d-4fab-a63d-7e88639e58f6"
ALL_VIEWER_EXCEPT_HOST_HEADER = "b689b0a8-53d0-40ab-baf2-68738e2966ac"
CONFIG = json.loads((ROOT / ".chalice" / "config.json").read_text(encoding="utf-8"))
PUBLIC_BASE_URL = CONFIG["stages"]["dev"]["environment_variables"]["PUBLIC_BASE_URL"]
HOST = urlsplit(PUBLIC_BASE_URL).hostname


def _one(resources: dict, kind: str) -> tuple[str, dict]:
    (item,) = of_type(resources, kind).items()
    return item


@pytest.fixture(scope="module")
def distribution(resources) -> dict:
    return _one(resources, "AWS::CloudFront::Distribution")[1]["Properties"]["DistributionConfig"]


@pytest.fixture(scope="module")
def bucket(resources) -> str:
    return _one(resources, "AWS::S3::Bucket")[0]


def _origin(distribution: dict, origin_id: str) -> dict:
    (origin,) = [o for o in distribution["Origins"] if o["Id"] == origin_id]
    return origin


def _policy(resources: dict, ref) -> dict:
    return resources[ref["Ref"]]["Properties"]["ResponseHeadersPolicyConfig"]["SecurityHeadersConfig"]


def _directives(policy: str) -> dict[str, list[str]]:
    return {d.split()[0]: d.split()[1:] for d in (part.strip() for part in policy.split(";")) if d}


# --- The bucket -------------------------------------------------------------------------------------------


def test_the_bucket_is_private_encrypted_versioned(resources, bucket):
    props = resources[bucket]["Properties"]
    assert props["PublicAccessBlockConfiguration"] == {
        "BlockPublicAcls": True,
        "BlockPublicPolicy": True,
        "IgnorePublicAcls": True,
        "RestrictPublicBuckets": True,
    }
    (encryption,) = props["BucketEncryption"]["ServerSideEncryptionConfiguration"]
    assert encryption["ServerSideEncryptionByDefault"]["SSEAlgorithm"] in {"AES256", "aws:kms"}
    assert props["VersioningConfiguration"] == {"Status": "Enabled"}
    assert props["OwnershipControls"]["Rules"] == [{"ObjectOwnership": "BucketOwnerEnforced"}]
    assert "WebsiteConfiguration" not in props  # no public website endpoint


def test_only_the_distribution_reads_the_bucket_and_only_over_tls(resources, bucket):
    (policy,) = [
        p["Properties"]["PolicyDocument"]["Statement"]
        for p in of_type(resources, "AWS::S3::BucketPolicy").values()
        if p["Properties"]["Bucket"] == {"Ref": bucket}
    ]
    denies = [s for s in policy if s["Effect"] == "Deny"]
    assert [s["Condition"] for s in denies] == [{"Bool": {"aws:SecureTransport": "false"}}]
    (allow,) = [s for s in policy if s["Effect"] == "Allow"]
    assert allow["Principal"] == {"Service": "cloudfront.amazonaws.com"}
    assert allow["Action"] == "s3:GetObject"
    distribution = _one(resources, "AWS::CloudFront::Distribution")[0]
    assert text(allow["Condition"]["StringEquals"]["AWS:SourceArn"]) == (
        "arn:${AWS::Partition}:cloudfront::${AWS::AccountId}:distribution/${" + distribution + "}"
    )


def test_the_bucket_is_reached_through_origin_access_control_not_an_identity(resources, distribution, bucket):
    assert not of_type(resources, "AWS::CloudFront::CloudFrontOriginAccessIdentity")
    (s3_origin,) = [o for o in distribution["Origins"] if "S3OriginConfig" in o]
    assert s3_origin["DomainName"] == {"Fn::GetAtt": [bucket, "RegionalDomainName"]}
    assert s3_origin["S3OriginConfig"] == {"OriginAccessIdentity": ""}
    oac = s3_origin["OriginAccessControlId"]["Fn::GetAtt"][0]
    config = resources[oac]["Properties"]["OriginAccessControlConfig"]
    assert resources[oac]["Type"] == "AWS::CloudFront::OriginAccessControl"
    assert (config["OriginAccessControlOriginType"], config["SigningBehavior"], config["SigningProtocol"]) == (
        "s3",
        "always",
        "sigv4",
    )


# --- HTTPS and the response headers ------------------------------------------------------------------------


def test_https_only_on_the_stages_address(distribution):
    assert distribution["Aliases"] == [HOST]
    certificate = distribution["ViewerCertificate"]
    assert certificate["AcmCertificateArn"] == {"Ref": "SiteCertificateArn"}
    assert certificate["SslSupportMethod"] == "sni-only"
    assert certificate["MinimumProtocolVersion"] == "TLSv1.2_2021"
    behaviours = [distribution["DefaultCacheBehavior"], *distribution["CacheBehaviors"]]
    assert {b["ViewerProtocolPolicy"] for b in behaviours} <= {"https-only", "redirect-to-https"}
    # The API never answers plain HTTP, not even with a redirect a POST would not survive.
    assert distribution["DefaultCacheBehavior"]["ViewerProtocolPolicy"] == "https-only"
    for origin in distribution["Origins"]:
        if "CustomOriginConfig" in origin:
            assert origin["CustomOriginConfig"]["OriginProtocolPolicy"] == "https-only"
            assert origin["CustomOriginConfig"]["OriginSSLProtocols"] == ["TLSv1.2"]


def test_the_certificate_parameter_is_a_us_east_1_certificate(template):
    parameter = template["Parameters"]["SiteCertificateArn"]
    assert parameter["AllowedPattern"].startswith("^arn:aws[-a-z]*:acm:us-east-1:")


def _console_behaviours(distribution: dict) -> list[dict]:
    return [b for b in distribution["CacheBehaviors"] if b["PathPattern"] in ("/console/*", "/console")]


def test_the_panels_headers(resources, distribution):
    (headers,) = {json.dumps(b["ResponseHeadersPolicyId"]) for b in _console_behaviours(distribution)}
    security = _policy(resources, json.loads(headers))
    csp = security["ContentSecurityPolicy"]
    assert csp["Override"] is True
    directives = _directives(text(csp["ContentSecurityPolicy"]))
    assert directives["default-src"] == ["'none'"]
    assert directives["script-src"] == ["'self'"]  # no inline script, no eval
    assert not any("unsafe" in v for values in directives.values() for v in values)
    (domain,) = of_type(resources, "AWS::Cognito::UserPoolDomain").values()
    assert directives["connect-src"] == [
        "'self'",
        "https://cognito-idp.eu-central-1.amazonaws.com",
        f"https://{domain['Properties']['Domain']}.auth.eu-central-1.amazoncognito.com",
    ]
    assert directives["frame-ancestors"] == [
        "https://${ConnectInstanceAlias}.my.connect.aws",
        "https://${ConnectInstanceAlias}.awsapps.com",
    ]
    hsts = security["StrictTransportSecurity"]
    assert hsts["AccessControlMaxAgeSec"] >= 365 * 24 * 3600
    assert hsts["IncludeSubdomains"] is True and hsts["Override"] is True
    assert security["ContentTypeOptions"] == {"Override": True}
    assert security["ReferrerPolicy"] == {"Override": True, "ReferrerPolicy": "no-referrer"}
    # Framing is the CSP's to decide: an X-Frame-Options would refuse the agent workspace.
    assert "FrameOptions" not in security


def test_the_deployed_policy_is_the_local_one_but_for_its_origins(resources, distribution):
    """The browser tests run the panel under `callcenter local api`'s policy: deployed, it meets the same
    rules, only the origins it talks to and is framed by differ."""
    headers = _console_behaviours(distribution)[0]["ResponseHeadersPolicyId"]
    deployed = _directives(text(_policy(resources, headers)["ContentSecurityPolicy"]["ContentSecurityPolicy"]))
    local = _directives(local_console.CONTENT_SECURITY_POLICY)
    origins = {"connect-src", "frame-ancestors"}
    assert {k: v for k, v in deployed.items() if k not in origins} == {
        k: v for k, v in local.items() if k not in origins
    }


def test_the_workspace_is_named_by_one_dns_label(template):
    """frame-ancestors names the university's instance only: the alias cannot widen it to other hosts."""
    pattern = re.compile(template["Parameters"]["ConnectInstanceAlias"]["AllowedPattern"])
    assert pattern.fullmatch("ostimteknik-cagri")
    for widening in ("*", "a.b", "x.my.connect.aws https://evil", "a b", "-a", "a/b"):
        assert not pattern.fullmatch(widening), widening


def test_api_answers_keep_their_own_policy(resources, distribution):
    """The reply pages send a stricter CSP and X-Frame-Options of their own: never overridden."""
    security = _policy(resources, distribution["DefaultCacheBehavior"]["ResponseHeadersPolicyId"])
    assert security["ContentSecurityPolicy"]["Override"] is False
    assert "frame-ancestors 'none'" in security["ContentSecurityPolicy"]["ContentSecurityPolicy"]
    assert security["FrameOptions"] == {"FrameOption": "DENY", "Override": False}
    assert security["StrictTransportSecurity"]["AccessControlMaxAgeSec"] >= 365 * 24 * 3600
    assert security["StrictTransportSecurity"]["IncludeSubdomains"] is True
    assert security["ContentTypeOptions"] == {"Override": True}
    assert security["ReferrerPolicy"]["ReferrerPolicy"] == "no-referrer"


# --- The API on the same origin ------------------------------------------------------------------------------


def test_the_api_is_the_default_behaviour_uncached_with_authorization_and_queries(resources, distribution):
    default = distribution["DefaultCacheBehavior"]
    origin = _origin(distribution, default["TargetOriginId"])
    assert text(origin["DomainName"]) == "${RestAPI}.execute-api.eu-central-1.${AWS::URLSuffix}"
    assert origin["OriginPath"] == "/" + resources["RestAPI"]["Properties"]["StageName"]
    # Caching disabled lets the origin request policy forward Authorization (the Cognito authorizer's
    # header); all viewer headers but Host (API Gateway refuses a foreign one), cookies and query strings.
    assert default["CachePolicyId"] == CACHING_DISABLED
    assert default["OriginRequestPolicyId"] == ALL_VIEWER_EXCEPT_HOST_HEADER
    assert set(default["AllowedMethods"]) == {"GET", "HEAD", "OPTIONS", "PUT", "PATCH", "POST", "DELETE"}
    assert "FunctionAssociations" not in default
    # A regional API: API Gateway's own edge distribution would sit behind this one.
    assert resources["RestAPI"]["Properties"]["EndpointConfiguration"] == "REGIONAL"


def test_api_errors_are_never_rewritten(distribution):
    assert "CustomErrorResponses" not in distribution


def test_no_api_route_is_shadowed_by_the_panel(resources):
    paths = set(resources["RestAPI"]["Properties"]["DefinitionBody"]["paths"]) | {p for p, _ in RULES}
    assert paths
    assert not [p for p in paths if p == "/console" or p.startswith("/console/")]


def test_public_base_url_is_the_distributions_address(resources, distribution):
    """Units' reply links are PUBLIC_BASE_URL/reply/<token>: an API route, so they open through the
    distribution, which answers on exactly that host."""
    assert f"https://{HOST}" == PUBLIC_BASE_URL
    for function in (permissions.API, permissions.REFERRALS_AGENDA):
        assert resources[function]["Properties"]["Environment"]["Variables"]["PUBLIC_BASE_URL"] == PUBLIC_BASE_URL
    assert distribution["Aliases"] == [HOST]
    assert ("/reply/{token}", "GET") in RULES and ("/reply/{token}", "POST") in RULES


# --- The panel's behaviours and client-side routes --------------------------------------------------------------


def test_the_panel_is_served_from_the_bucket_under_console_only(distribution):
    behaviours = _console_behaviours(distribution)
    assert {b["PathPattern"] for b in behaviours} == {"/console/*", "/console"}
    assert len(distribution["CacheBehaviors"]) == len(behaviours)
    for b in behaviours:
        assert "S3OriginConfig" in _origin(distribution, b["TargetOriginId"])
        assert b["AllowedMethods"] == ["GET", "HEAD"]
        assert b["CachePolicyId"] == CACHING_OPTIMIZED
        (association,) = b["FunctionAssociations"]
        assert association["EventType"] == "viewer-request"


def _run_spa_function(code: str, uris: list[str]) -> list[str]:
    node = shutil.which("node")
    assert node, "node is needed (the CDK needs it too)"
    script = code + (
        "\nconst uris = JSON.parse(process.argv[1]);"
        "\nconsole.log(JSON.stringify(uris.map((uri) => handler({request: {uri, querystring: {}}}).uri)));"
    )
    result = subprocess.run([node, "-e", script, json.dumps(uris)], capture_output=True, text=True, check=True)
    return json.loads(result.stdout)


def test_client_side_routes_serve_index_html_and_files_pass(resources, distribution):
    (function,) = of_type(resources, "AWS::CloudFront::Function").values()
    assert function["Properties"]["FunctionConfig"]["Runtime"] == "cloudfront-js-2.0"
    code = function["Properties"]["FunctionCode"]
    cases = {
        "/console": "/console/index.html",
        "/console/": "/console/index.html",
        "/console/refer": "/console/index.html",
        "/console/work/answers/": "/console/index.html",
        "/console/supervisor": "/console/index.html",
        "/console/index.html": "/console/index.html",
        "/console/config.json": "/console/config.json",
        "/console/assets/index-B0zGS5Mu.js": "/console/assets/index-B0zGS5Mu.js",
        "/console/assets/missing": "/console/assets/missing",  # a missing asset is not the page
    }
    assert _run_spa_function(code, list(cases)) == list(cases.values())


# --- The build and config.json in the bucket ------------------------------------------------------------------------


def _deployments(resources: dict) -> dict[str, dict]:
    return {
        r["Properties"]["DestinationBucketKeyPrefix"]: {"name": n, **r}
        for n, r in of_type(resources, "Custom::CDKBucketDeployment").items()
    }


def test_assets_are_immutable_and_pages_are_revalidated(resources, bucket):
    deployments = _deployments(resources)
    assert set(deployments) == {"console/", "console/assets/"}
    assets, pages = deployments["console/assets/"], deployments["console/"]
    for d in (assets, pages):
        assert d["Properties"]["DestinationBucketName"] == {"Ref": bucket}
    assert assets["Properties"]["SystemMetadata"]["cache-control"] == "public, max-age=31536000, immutable"
    assert assets["Properties"]["Prune"] is False  # an open panel may still load the previous build's files
    assert pages["Properties"]["SystemMetadata"]["cache-control"] == "no-cache"
    assert pages["Properties"]["Prune"] is True and pages["Properties"]["Exclude"] == ["assets/*"]
    assert assets["name"] in pages["DependsOn"]  # index.html never names an asset not uploaded yet


def _files(cdk_out, deployment: dict) -> set[str]:
    return {
        str(path.relative_to(folder))
        for key in deployment["Properties"]["SourceObjectKeys"]
        for folder in [cdk_out / f"asset.{key.removesuffix('.zip')}"]
        for path in folder.rglob("*")
        if path.is_file()
    }


def test_the_build_is_split_between_the_two_deployments(resources, cdk_out):
    deployments = _deployments(resources)
    assert _files(cdk_out, deployments["console/"]) == {"index.html", "config.json"}
    assets = _files(cdk_out, deployments["console/assets/"])
    built = console_site.CONSOLE_DIST / "assets"
    if built.is_dir():  # a synthesis without a build ships the placeholder page (see below)
        assert assets == {str(p.relative_to(built)) for p in built.rglob("*") if p.is_file()}


def test_config_json_names_the_stages_pool_client_and_redirect(resources, cdk_out):
    pages = _deployments(resources)["console/"]["Properties"]
    found = []
    for key, markers in zip(pages["SourceObjectKeys"], pages["SourceMarkers"], strict=True):
        path = cdk_out / f"asset.{key.removesuffix('.zip')}" / "config.json"
        if path.is_file():
            body = path.read_text(encoding="utf-8")
            for marker, value in markers.items():
                body = body.replace(marker, text(value))
            found.append(json.loads(body))
    (config,) = found
    (pool,) = of_type(resources, "AWS::Cognito::UserPool")
    (client,) = of_type(resources, "AWS::Cognito::UserPoolClient")
    assert config == {
        "mode": "cognito",
        "api": "",  # the API is on the panel's own origin
        "authority": "https://cognito-idp.eu-central-1.amazonaws.com/${" + pool + "}",
        "client_id": "${" + client + "}",
        "redirect_uri": f"{PUBLIC_BASE_URL}/console/",
    }


def test_a_deployable_synthesis_needs_the_built_panel(tmp_path):
    missing = tmp_path / "dist"
    with pytest.raises(console_site.ConsoleNotBuilt, match="make console"):
        console_site.console_source(missing, tmp_path / "placeholder", deployable=True)
    placeholder = console_site.console_source(missing, tmp_path / "placeholder", deployable=False)
    assert (placeholder / "index.html").is_file() and any((placeholder / "assets").iterdir())
    built = tmp_path / "built"
    built.mkdir()
    (built / "index.html").write_text("<!doctype html>", encoding="utf-8")
    assert console_site.console_source(built, tmp_path / "placeholder", deployable=True) == built


def test_public_base_url_must_be_an_https_origin():
    assert console_site.SiteAddress.from_public_base_url("https://cagri-dev.example.edu.tr/").panel_url == (
        "https://cagri-dev.example.edu.tr/console/"
    )
    for bad in ("http://cagri-dev.example.edu.tr", "https://example.edu.tr/api", "https://"):
        with pytest.raises(ValueError, match="PUBLIC_BASE_URL"):
            console_site.SiteAddress.from_public_base_url(bad)
