"""What agents actually did: Amazon Connect's agent event stream → each agent's day as intervals (directive 7(b)).

- `facts`: one agent event, normalised and minimised (the username, never first or last names);
- `inputs`: the published event (one Kinesis record's data) parsed into a fact, once, at the edge;
- `store`: the facts of each agent's Istanbul day, a set per item (a duplicate adds nothing);
- `intake`: a Kinesis batch in, one write per agent and day, failures reported per record;
- `intervals`: pure, at read time: sessions (LOGIN to LOGOUT, or the last event + the heartbeat
  interval) cut into segments by status and contact;
- `figures`: pure: a month's logged-in time, occupancy, time by status and agents at work per hour;
- `live`: who is online and available at an instant, from the same records;
- `handlers`: the `agent_events` Lambda.
"""
