"""The simulated centre: a month of traffic in the exact shapes Amazon Connect publishes, the people who work it
(agents, units, the supervisor), and the demo that puts it all through the system."""
