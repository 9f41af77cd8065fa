"""Recorded Lambda inputs through the deployed handlers: by one process, by several, or from the dead-letter queues."""
