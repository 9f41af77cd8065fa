"""Confidentiality (directive 9, KVKK): retention, disclosures and data-subject requests.

The keyed hash that finds a caller lives with the other phone-number rules, in chalicelib.core.phones.
"""
