// The classic bug of a handler written for API Gateway and put behind an AgentCore Gateway: it
// parses `event.body`. A Gateway sends the tool's arguments as the event itself, with no `body`,
// so `JSON.parse(undefined)` throws a SyntaxError on every call: each ends in a function error,
// the agent gets only "An internal error occurred", and toolcontract reports
// `no_function_error` for all three tools. The tools themselves are app.mjs's.

import { error, toolName, tools } from './app.mjs';

export const handler = async (event, context) => {
  const args = JSON.parse(event.body); // BUG: the event IS the arguments
  const tool = toolName(context);
  if (!Object.hasOwn(tools, tool)) return error(`unknown tool '${tool}'`);
  return tools[tool](args);
};
