"""Çağrı: wires the blueprints into one Chalice app. Nothing else lives here."""

from chalice import Chalice

from chalicelib.contacts.handlers import contacts

app = Chalice(app_name="cagri")
app.register_blueprint(contacts)
