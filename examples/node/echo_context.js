// Fixture handler for tests/runtime_api_python.rs (module `node`), run by the AWS Lambda runtime
// interface client: `node_modules/.bin/aws-lambda-ric echo_context.handler` (from this
// directory). CommonJS, where the calculator is an ES module: the client loads both.
//
// Answers with what the runtime interface client parsed from the Runtime API: the whole client
// context (`context.clientContext`), the request id, the function ARN and name, the time left.
// An event with "say" logs it first (console.log); an event with "throw" throws an Error with
// that message; "reject" returns a promise rejected with a TypeError.

'use strict';

exports.handler = async (event, context) => {
  if ('say' in event) console.log(event.say);
  if ('throw' in event) throw new Error(event.throw);
  if ('reject' in event) return Promise.reject(new TypeError(event.reject));
  return {
    content: [{ text: JSON.stringify(event) }],
    client_context: context.clientContext ?? null,
    request_id: context.awsRequestId,
    invoked_function_arn: context.invokedFunctionArn,
    function_name: context.functionName,
    memory_limit_in_mb: context.memoryLimitInMB,
    remaining_ms: context.getRemainingTimeInMillis(),
  };
};
