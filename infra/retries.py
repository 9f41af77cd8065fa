"""How often AWS tries each kind of input before giving up on it (issue 7, item 2).

Pure numbers, no CDK: the stack configures them and the fault-injection tests replay with them,
so what the tests prove is what the deployment does. Contact events and trace records are
idempotent facts, so retrying generously costs nothing; what still fails waits 14 days in a
queue for redrive.
"""

# Contact events. EventBridge retries delivering to Lambda (throttling, Lambda unavailable) …
EVENT_RETRY_ATTEMPTS = 20
EVENT_MAX_AGE_SECONDS = 6 * 3600
# … and Lambda retries an invocation whose handler failed (asynchronous invocation), then
# sends the event to the dead-letter queue.
EVENT_FUNCTION_RETRY_ATTEMPTS = 2

# Contact trace records (Kinesis): only the records the handler reports failed come back,
# a failing batch is bisected, and after the retries the record's place in the stream goes to
# the failure queue.
CTR_BATCH_SIZE = 100
CTR_MAX_RETRY_ATTEMPTS = 5
CTR_MAX_RECORD_AGE_SECONDS = 24 * 3600
CTR_STREAM_RETENTION_HOURS = 7 * 24

# The contact flows: Amazon Connect never retries a Lambda block itself. The inbound flow's error
# branch goes on without the Lambda's answer (the menu, unchecked hours); the callback offer's
# error branch tells the caller the request was not taken and offers it again.
FLOW_LAMBDA_ATTEMPTS = 1


def event_attempts() -> int:
    return 1 + EVENT_FUNCTION_RETRY_ATTEMPTS


def ctr_attempts() -> int:
    return 1 + CTR_MAX_RETRY_ATTEMPTS
