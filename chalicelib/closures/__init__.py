"""Closures the supervisor declares (idari izin, a snow day): the rules (`rules`), what declaring and
withdrawing one does (`service`: the store, Amazon Connect's hours, the audit trail) and the routes.

The calendar itself (`chalicelib.core.workhours`) takes the closures as data; the store and the
per-container calendar every "is the centre open?" asks are `chalicelib.adapters.closures`.
"""
