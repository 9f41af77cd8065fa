"""Operator tooling: the CLI, the embedded AWS and the simulator. Never deployed."""
