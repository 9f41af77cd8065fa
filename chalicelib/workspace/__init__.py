"""The agent's screen: a contact as the agent sees it (its caller's history), and the agent's work."""
