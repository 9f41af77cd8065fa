"""Confidentiality (directive 9, KVKK): keyed lookups, retention, disclosures and data-subject requests.

Only the keyed hash is imported here, so every store can use it without pulling in the services.
"""

from chalicelib.privacy.keys import caller_key

__all__ = ["caller_key"]
