"""Callbacks: nobody cut off by the system, or lost in the queue, is left without a return call
(directive 6(6), 8(ç), 4(a)).

- `rules`: pure decisions (who earns a callback, how urgent, what an attempt's contact means);
- `store`: the callbacks and their markers in DynamoDB, every change a conditional write;
- `raising`: callbacks raised, revised and withdrawn from contact records (the intake's reaction);
- `dispatcher`: the 2-minute cycle that places due callbacks with Amazon Connect;
- `outcomes`: an attempt's contact record, and an agent's claim and report;
- `routes`, `handlers`: the agents' API and the dispatcher's schedule.
"""
