// The classic bug, in Node.js: the tool name is split at the LAST underscore, not at the first
// `___`. `LambdaTarget___add` gives `add` and `LambdaTarget___divide` gives `divide`, so a quick
// manual test passes, but `LambdaTarget___get_order` gives `order`: every get_order call is
// answered as an unknown tool, and toolcontract reports `tool_reachable` for get_order (and only
// for it). The tools themselves are app.mjs's.

import { error, tools } from './app.mjs';

export const handler = async (event, context) => {
  const qualified = context.clientContext?.custom?.bedrockAgentCoreToolName ?? '';
  const tool = qualified.slice(qualified.lastIndexOf('_') + 1); // BUG: split at the first `___`
  if (!Object.hasOwn(tools, tool)) return error(`unknown tool '${tool}'`);
  return tools[tool](event ?? {});
};
