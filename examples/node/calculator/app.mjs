// A correct AgentCore Gateway Lambda target in Node.js (ES module), for the three tools of
// tools.json: add, divide, get_order. Run by the AWS Lambda runtime interface client:
//
//   toolcontract check examples/node/calculator/tools.json \
//       --cwd examples/node/calculator -- ../node_modules/.bin/aws-lambda-ric app.handler
//
// The Gateway sends only the tool's arguments as the event. The tool name arrives as
// `<target>___<tool>` in context.clientContext.custom.bedrockAgentCoreToolName (the runtime
// interface client JSON-parses the Lambda-Runtime-Client-Context header into
// context.clientContext). Target names have no underscore, so the split is at the FIRST `___`;
// tool names may have underscores (get_order).
//
// Successes are plain JSON objects: the Gateway hands the agent the whole object as JSON text.
// Failures (an unknown tool, division by zero, missing arguments) are answered, not thrown, with
// "isError": true and a text saying what is wrong: a thrown error reaches the agent only as the
// Gateway's generic "An internal error occurred".

const SEPARATOR = '___';

/** The tool the Gateway asked for, without the `<target>___` prefix. */
export function toolName(context) {
  const qualified = context.clientContext?.custom?.bedrockAgentCoreToolName ?? '';
  const at = qualified.indexOf(SEPARATOR);
  return at === -1 ? qualified : qualified.slice(at + SEPARATOR.length);
}

export function error(text) {
  return { isError: true, content: [{ type: 'text', text }] };
}

function numbers(args) {
  const { a, b } = args;
  return typeof a === 'number' && typeof b === 'number' ? [a, b] : null;
}

export const tools = {
  add(args) {
    const ab = numbers(args);
    return ab ? { sum: ab[0] + ab[1] } : error('add needs two numbers, a and b');
  },
  divide(args) {
    const ab = numbers(args);
    if (!ab) return error('divide needs two numbers, a and b');
    if (ab[1] === 0) return error('cannot divide by zero');
    return { quotient: ab[0] / ab[1] };
  },
  get_order(args) {
    const id = args.order_id;
    if (typeof id !== 'string') return error('get_order needs a string order_id');
    if (id === '') return error('order_id is empty');
    const order = { order_id: id, status: 'shipped' };
    if (args.include_items === true) order.items = ['USB-C cable', 'charger'];
    return order;
  },
};

export const handler = async (event, context) => {
  const tool = toolName(context);
  if (!Object.hasOwn(tools, tool)) return error(`unknown tool '${tool}'`);
  return tools[tool](event ?? {});
};
