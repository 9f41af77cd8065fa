"""Çağrı: wires the blueprints into one Chalice app, with Powertools applied app-wide. Nothing else lives here."""

from chalice import Chalice, ConvertToMiddleware

from chalicelib.contacts.handlers import contacts
from chalicelib.observability import logger, metrics

app = Chalice(app_name="cagri")
app.register_middleware(ConvertToMiddleware(logger.inject_lambda_context(clear_state=True)))
app.register_middleware(ConvertToMiddleware(metrics.log_metrics))
app.register_blueprint(contacts)
