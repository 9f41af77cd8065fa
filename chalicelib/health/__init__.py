"""Health (directive 7(d)): the supervisor makes sure the infrastructure works and finds faults."""
