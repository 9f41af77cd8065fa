"""`callcenter local api`: the Chalice app over HTTP on 127.0.0.1, against the embedded AWS.

Chalice's own local server (`chalice.local`, what `chalice local` runs) in the foreground, with the
environment every other command uses (`prepare_runtime`: the embedded AWS when it runs) and:

- STAGE=local, so the API takes `X-Agent-Id` (and `X-Groups: supervisors` for supervisor routes) instead of Cognito;
- PUBLIC_BASE_URL = this server, so the reply links in the units' e-mails open on it;
- Amazon Connect simulated (moto has none): tasks go to `$CALLCENTER_HOME/connect-placements.jsonl`, users
  (the supervisor's account routes, /health) to `$CALLCENTER_HOME/connect-users.json`, as `callcenter agents`,
  the closures' overrides of the hours of operation to `$CALLCENTER_HOME/connect-hours.json`;
- the agents' panel (console/, built by `make install`) at /console/ with its local runtime config and
  security headers (`cli.embedded.console`), through a subclass of chalice's request handler.

The scheduled Lambdas (callbacks dispatch, referrals agenda) do not run here; the HTTP routes do, and a
report the console asks to send runs the report function's handler in a thread (cli.embedded.functions).
"""

from __future__ import annotations

import os
from typing import TYPE_CHECKING, Annotated

import typer

if TYPE_CHECKING:
    from chalice.local import ChaliceRequestHandler

HOST = "127.0.0.1"
DEFAULT_PORT = 8000


def panel_handler() -> type[ChaliceRequestHandler]:
    """chalice.local's request handler, with /console/ answered from the built panel (`cli.embedded.console`)."""
    from chalice.local import ChaliceRequestHandler

    from cli.embedded import console as console_site

    class PanelRequestHandler(ChaliceRequestHandler):
        def _handle(self) -> None:
            if not console_site.is_console_path(self.path):
                self._generic_handle()
                return
            self._parse_payload()  # a body sent to a static path is read and dropped: the connection stays usable
            found = console_site.answer(self.command, self.path)
            self.send_response(found.status)
            for name, value in found.headers.items():
                self.send_header(name, value)
            self.send_header("Content-Length", str(len(found.body)))
            self.end_headers()
            if self.command != "HEAD":
                self.wfile.write(found.body)

        do_GET = do_PUT = do_POST = do_HEAD = do_DELETE = do_PATCH = do_OPTIONS = _handle

    return PanelRequestHandler


def serve(port: int) -> None:
    """Set the environment, build the server, serve until interrupted."""
    base = f"http://{HOST}:{port}"
    os.environ["STAGE"] = "local"
    os.environ["PUBLIC_BASE_URL"] = base
    from chalicelib.core.config import settings

    settings.cache_clear()  # read the two variables above, whatever ran before

    from cli.runtime import fail, prepare_runtime

    endpoint = prepare_runtime()
    if endpoint is None:
        fail("the embedded AWS is not running (start it with `callcenter local start`); refusing to serve real AWS")
    from chalicelib.adapters.connect import set_connect
    from chalicelib.adapters.connect_hours import set_connect_hours
    from chalicelib.adapters.connect_users import set_connect_users
    from cli.embedded.connect import SimulatedConnect, SimulatedConnectHours, SimulatedConnectUsers

    set_connect(SimulatedConnect())
    # Declared closures' overrides of the hours of operation, as `callcenter closures` does.
    set_connect_hours(SimulatedConnectHours())
    # Agent accounts (POST /agents, training, deactivation) and /health's instance check, as `callcenter agents` does.
    set_connect_users(SimulatedConnectUsers(instance_id=settings().connect_instance_id))
    # A report sent from the console: the report function's handler, in a thread here (no Lambda locally).
    from chalicelib.adapters.functions import set_functions
    from cli.embedded.functions import LocalFunctions

    set_functions(LocalFunctions())

    from chalice.config import Config
    from chalice.local import CustomLocalChalice, LocalChalice, LocalDevServer

    from app import app as chalice_app
    from chalicelib.core.lazy import load_all
    from cli.embedded import console as console_site

    load_all()  # the server answers on threads: run the views' deferred modules now (see core/lazy.py)

    config = Config.create(chalice_stage="local", app_name=chalice_app.app_name, lambda_timeout=60)
    # What chalice.local.create_local_server does, with the handler that also serves the panel.
    CustomLocalChalice.__bases__ = (LocalChalice, chalice_app.__class__)
    chalice_app.__class__ = CustomLocalChalice
    try:
        server = LocalDevServer(chalice_app, config, HOST, port, handler_cls=panel_handler())
    except OSError as error:
        fail(f"cannot listen on {HOST}:{port}: {error.strerror or error}")
    typer.echo(f"Çağrı API on {base} (stage local, AWS at {endpoint}); reply links open here.")
    built = (console_site.dist_dir() / "index.html").is_file()
    typer.echo(f"Agents' panel: {base}{console_site.PREFIX}/" + ("" if built else " (not built yet: run make install)"))
    typer.echo("API: send X-Agent-Id (and X-Groups: supervisors for supervisor routes). Stop with Ctrl+C.", err=False)
    try:
        server.server.serve_forever()
    except KeyboardInterrupt:
        typer.echo("stopped")
    finally:
        server.server.server_close()


def api(
    port: Annotated[int, typer.Option(min=1, max=65535, help="Port on 127.0.0.1 to serve on.")] = DEFAULT_PORT,
) -> None:
    """Serve the app's HTTP API and reply pages on 127.0.0.1 (foreground) against the embedded AWS."""
    serve(port)
