"""Agent accounts: created, trained and deactivated in Amazon Connect, every change audited
(directive 7(e), 7(f))."""
