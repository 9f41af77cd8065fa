"""HTTP plumbing every route shares: who is calling and what they may do, input, errors as JSON."""
