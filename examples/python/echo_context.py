"""Fixture handler for tests/runtime_api_python.rs, run by the AWS Lambda runtime interface
client: ``python -m awslambdaric echo_context.handler`` (from this directory).

Answers with what the runtime interface client parsed from the Runtime API: the client
context's ``custom`` map, the request id, the function ARN, the time left. An event with
``"say"`` prints it first; an event with ``"raise"`` raises ``ValueError`` with that message.
"""

import json


def handler(event, context):
    if "say" in event:
        print(event["say"])
    if "raise" in event:
        raise ValueError(event["raise"])
    client_context = context.client_context
    return {
        "content": [{"text": json.dumps(event)}],
        "custom": client_context.custom if client_context else None,
        "request_id": context.aws_request_id,
        "invoked_function_arn": context.invoked_function_arn,
        "remaining_ms": context.get_remaining_time_in_millis(),
        "function_name": context.function_name,
    }
