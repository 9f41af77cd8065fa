"""The operator CLI's commands, one module per group: thin, they parse and call the engines."""
