"""Referrals: a caller's question goes to the unit that can answer it, and the answer comes back to the
caller through the centre (directive 6(7), 8(d)); units see only what they need (9(2)).

- `rules`: pure states, deadlines, references and what may change a referral;
- `store`: the referrals in DynamoDB, every change a conditional write; `units`: the units directory;
- `opening`: a new referral's record; `links`, `messages`: signed reply links and the e-mails' text;
- `mailing`: every e-mail claimed before it is sent, and the delivery to the unit;
- `agenda`: the scheduler's reminders, escalations, expiries and Connect tasks;
- `unit_side`: what a unit does through its link (open, answer, forward);
- `agents_side`: what agents do (create, read, claim, return, close, cancel);
- `caller_flags`: what the contact flow tells a caller about their referrals;
- `routes`, `reply`, `handlers`: the agents' API, the unit's reply page and the agenda's schedule.
"""
