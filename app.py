"""Çağrı: wires the blueprints into one Chalice app, with Powertools applied app-wide. Nothing else lives here."""

from chalice import Chalice, ConvertToMiddleware

from chalicelib.accounts.routes import accounts_api
from chalicelib.activity.handlers import agent_activity
from chalicelib.callbacks.handlers import callbacks_jobs
from chalicelib.callbacks.routes import callbacks_api
from chalicelib.closures.routes import closures_api
from chalicelib.core.observability import logger, metrics
from chalicelib.health.handlers import health_jobs
from chalicelib.health.routes import health_api
from chalicelib.incidents.routes import incidents_api
from chalicelib.intake.handlers import contacts
from chalicelib.live.routes import live_api
from chalicelib.privacy.handlers import privacy_jobs
from chalicelib.privacy.routes import privacy_api
from chalicelib.referrals.handlers import referrals_jobs
from chalicelib.referrals.reply import reply_pages
from chalicelib.referrals.routes import referrals_api
from chalicelib.reports.handlers import reports_jobs
from chalicelib.reports.routes import reports_api
from chalicelib.web.access import authorize
from chalicelib.workspace.routes import workspace_api

app = Chalice(app_name="cagri")
# The workbook route answers bytes (API Gateway passes them base64, as binary media types).
app.api.binary_types.append("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
app.register_middleware(ConvertToMiddleware(logger.inject_lambda_context(clear_state=True)))
app.register_middleware(ConvertToMiddleware(metrics.log_metrics))
app.register_middleware(authorize, "http")
app.register_blueprint(contacts)
app.register_blueprint(agent_activity)
app.register_blueprint(callbacks_api)
app.register_blueprint(callbacks_jobs)
app.register_blueprint(reports_api)
app.register_blueprint(reports_jobs)
app.register_blueprint(referrals_api)
app.register_blueprint(referrals_jobs)
app.register_blueprint(reply_pages)
app.register_blueprint(accounts_api)
app.register_blueprint(incidents_api)
app.register_blueprint(health_api)
app.register_blueprint(health_jobs)
app.register_blueprint(privacy_api)
app.register_blueprint(privacy_jobs)
app.register_blueprint(workspace_api)
app.register_blueprint(live_api)
app.register_blueprint(closures_api)
