"""CDK app: `python -m infra.app` (or `make synth`) writes both stages' templates to infra/cdk.out.

Context (`-c` with the CDK CLI, or environment variables here):
  region               CDK_DEFAULT_REGION / region context, default eu-central-1
  connect_instance_id  the university's Amazon Connect instance id (the stack parameter's default)
  vendor_dependencies  "1" (or VENDOR_DEPENDENCIES=1) to package requirements.txt into the Lambda zip:
                       needed to deploy; downloads wheels (see infra/README.md)
"""

from __future__ import annotations

import argparse
import os
from pathlib import Path

import aws_cdk as cdk

from infra.stack import DEFAULT_REGION, STAGES, CagriStack

INFRA = Path(__file__).resolve().parent


def build(outdir: Path | None = None, stages: tuple[str, ...] = STAGES, context: dict | None = None) -> cdk.App:
    app = cdk.App(outdir=str(outdir or INFRA / "cdk.out"), context=context or {})
    region = app.node.try_get_context("region") or os.environ.get("CDK_DEFAULT_REGION") or DEFAULT_REGION
    vendor = str(app.node.try_get_context("vendor_dependencies") or os.environ.get("VENDOR_DEPENDENCIES", "")) == "1"
    build_dir = Path(app.outdir).parent / "build"
    for stage in stages:
        CagriStack(
            app,
            stage,
            build_dir=build_dir / stage,
            vendor_dependencies=vendor,
            env=cdk.Environment(account=os.environ.get("CDK_DEFAULT_ACCOUNT"), region=region),
        )
    return app


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description="Synthesize Çağrı's stacks (no AWS account, no network).")
    parser.add_argument("--outdir", type=Path, default=INFRA / "cdk.out")
    parser.add_argument("--stage", action="append", choices=STAGES, help="default: every stage")
    args = parser.parse_args(argv)
    build(args.outdir, tuple(args.stage or STAGES)).synth()


if __name__ == "__main__":
    main()
