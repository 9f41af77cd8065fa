"""Console incidents: agents report hardware/software problems to the supervisor at once
(directive 8(b)); the supervisor follows them to resolution (7(d))."""
