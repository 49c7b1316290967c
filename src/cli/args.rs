//! Command-line arguments: parsing and validation only. Each command module turns these into
//! the library's settings.

use std::ffi::OsString;
use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

use crate::Profile;
use crate::definition::Selection;
use crate::report::{ReplayToken, Seed};

/// Contract tests for AWS Lambda functions that serve as agent tools.
///
/// toolcontract checks Lambda handlers behind an Amazon Bedrock AgentCore Gateway target or a
/// Bedrock Agents action group, and a Gateway's interceptor Lambdas: it generates arguments from
/// each tool's input schema, calls the handler exactly as the service would (for a Gateway, the
/// tool name in the client context, `<target>___<tool>`; for an action group, the agent's event
/// envelope; for an interceptor, every MCP message the Gateway passes it), and checks the
/// answers.
///
/// Exit status: 0 every check held; 1 findings (or lint errors); 2 the definition, a flag or
/// the handler command is unusable.
#[derive(Debug, Parser)]
#[command(name = "toolcontract", version, propagate_version = true)]
#[command(after_help = "Examples:
  toolcontract lint tools.json
  toolcontract event tools.json --tool add
  toolcontract check tools.json -- ./target/debug/my-handler
  toolcontract check tools.json -- python3 -m awslambdaric app.handler
  toolcontract check interceptors.json -- python3 -m awslambdaric interceptor.handler
  toolcontract schema gateway-response-mcp")]
pub(crate) struct Cli {
    #[command(subcommand)]
    pub(crate) command: Command,
}

#[derive(Debug, Subcommand)]
pub(crate) enum Command {
    /// Is this definition valid for the service? Errors for what the Gateway would reject,
    /// warnings for what it may drop.
    #[command(after_help = "Examples:
  toolcontract lint tools.json
  toolcontract lint --format json target-request.json tools-list.json
  toolcontract lint --deny-warnings tools.json
  toolcontract lint action-group.json
  toolcontract lint --action-group ClaimsActionGroup openapi.yaml
  toolcontract lint template.yaml
  toolcontract lint --resource OrdersTarget template.yaml
  toolcontract lint --resource Agent --action-group Bookings cdk.out

Exit status: 0 no errors (warnings allowed unless --deny-warnings); 1 errors; 2 a file is
unreadable or not a definition.")]
    Lint(LintArgs),
    /// Print sample events and contexts, exactly as the handler would receive them.
    #[command(after_help = "Examples:
  toolcontract event tools.json --tool add
  toolcontract event tools.json --tool add --count 5 --seed 0x2a
  toolcontract event tools.json --tool add --invalid

One JSON document per sample: the event, and the context fields (request id, function ARN,
client context). With --count above 1, one compact document per line.")]
    Event(EventArgs),
    /// Run the contract checks against a handler process speaking the Lambda Runtime API.
    #[command(
        after_help = "The handler command follows `--`. It is started with AWS_LAMBDA_RUNTIME_API pointing at a
Runtime API that toolcontract serves on 127.0.0.1, exactly as Lambda starts a function.

Examples:
  toolcontract check tools.json -- ./target/debug/my-handler
  toolcontract check tools.json --tool add --cases 1000 -- ./target/release/my-handler
  toolcontract check tools.json --format junit --output report.xml -- ./handler
  toolcontract check tools.json --jobs 2 --cwd src/ -- python3 -m awslambdaric app.handler
  toolcontract check tools.json --replay 'tool_reachable:add:0:0x1f2e3d4c5b6a7988' -- ./handler
  toolcontract check action-group.json -- ./handler
  toolcontract check openapi.yaml --action-group ClaimsActionGroup -- ./handler
  toolcontract check template.yaml --resource OrdersTarget -- ./handler
  toolcontract check tools.json --replay-report report.json -- ./handler

Exit status: 0 every check held; 1 findings; 2 unusable definition, flag or handler command."
    )]
    Check(CheckArgs),
    /// Keep every tool's output as insta snapshots: one file per tool, for review in pull
    /// requests.
    #[command(
        after_help = "For each tool, the schema's declared and boundary values and --generated seeded values are
sent to the handler (started as for `check`, after `--`); each answer (content/isError/
structuredContent for the Gateway, the response envelope for action groups, or the error as
text) goes into <DIR>/<tool>.snap, in insta's file format. Request ids, trace ids, timestamps
and deadlines are redacted; --redact names more, by JSON Pointer into the response.

Without --accept or --check, new and changed snapshots are handled as insta does: written as
pending <tool>.snap.new files for `cargo insta review` (INSTA_UPDATE=always: accepted at once),
and never written on CI (CI set).

Examples:
  toolcontract snapshot tools.json --accept -- ./target/debug/my-handler
  toolcontract snapshot tools.json --check -- ./target/debug/my-handler
  toolcontract snapshot tools.json --tool add --snapshots snapshots/calculator -- ./handler
  toolcontract snapshot tools.json --redact /structuredContent/createdAt -- ./handler
  toolcontract snapshot action-group.json --check -- python3 -m awslambdaric app.handler
  toolcontract snapshot openapi.yaml --action-group ClaimsActionGroup --accept -- ./handler

Exit status: 0 every snapshot unchanged (or accepted); 1 a snapshot is missing or changed (the
diff names tool, case and field); 2 unusable definition, flag or handler command."
    )]
    Snapshot(SnapshotArgs),
    /// Serve the handler as a local AgentCore Gateway: an MCP server any MCP client or agent
    /// can call, over streamable HTTP at /mcp on 127.0.0.1 or over stdio.
    #[command(
        after_help = "The handler command follows `--`, as for `check`. Tools are listed as <target>___<tool>;
a call is validated against the tool's input schema, undeclared names are rejected, and the
handler gets the Gateway's event and client context through the Lambda Runtime API. One line
per call on stderr. The URL is printed on stderr; Ctrl-C stops the server and the handler.

Several targets at once: no DEFINITION and no command; the configuration file (--config, else
toolcontract.toml in the working directory or above it) lists them, each with its handler:
  [[serve.targets]]
  name = \"orders\"
  definition = \"orders.json\"
  command = [\"python3\", \"-m\", \"awslambdaric\", \"app.handler\"]

Examples:
  toolcontract serve tools.json -- ./target/debug/my-handler
  toolcontract serve tools.json --port 8000 --target-name Orders -- ./handler
  toolcontract serve tools.json --stdio -- python3 -m awslambdaric app.handler
  toolcontract serve --config gateway.toml --port 8000

Exit status: 0 stopped by the client (stdio) or a signal; 2 unusable definition, flag or
handler command."
    )]
    Serve(ServeArgs),
    /// Print an embedded contract schema (JSON Schema 2020-12).
    #[command(after_help = "Examples:
  toolcontract schema --list
  toolcontract schema gateway-response-mcp
  toolcontract schema report")]
    Schema(SchemaArgs),
}

/// Output formats of `lint`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub(crate) enum LintFormat {
    /// One line per diagnostic.
    Human,
    /// A JSON array of diagnostics.
    Json,
}

#[derive(Debug, Args)]
pub(crate) struct LintArgs {
    /// Definition files: an inlinePayload list, a CreateGatewayTarget request, an MCP
    /// tools/list result, a create_agent_action_group request, or a CloudFormation/SAM
    /// template or CDK output (a `*.template.json`, or a `cdk.out` directory).
    #[arg(required = true, value_name = "DEFINITION")]
    pub(crate) definitions: Vec<PathBuf>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = LintFormat::Human)]
    pub(crate) format: LintFormat,
    /// Treat warnings as errors (exit status 1).
    #[arg(long)]
    pub(crate) deny_warnings: bool,
    /// The definitions are OpenAPI documents (JSON or YAML) deployed as a Bedrock Agents action
    /// group under this name; in a CloudFormation template, the AWS::Bedrock::Agent action
    /// group of this name.
    #[arg(long, value_name = "NAME")]
    pub(crate) action_group: Option<String>,
    /// In a CloudFormation/SAM template or CDK output: the resource to lint (a GatewayTarget or
    /// an AWS::Bedrock::Agent), by logical id, when the template holds several.
    #[arg(long, value_name = "LOGICAL_ID")]
    pub(crate) resource: Option<String>,
}

/// Settings shared by the commands that build cases.
#[derive(Debug, Args)]
pub(crate) struct CaseArgs {
    /// The run seed (hexadecimal 0x… or decimal); the same seed gives the same cases.
    #[arg(long, value_name = "N")]
    pub(crate) seed: Option<Seed>,
    /// The Gateway target name: the part before `___` in the tool name (Gateway only).
    #[arg(long, value_name = "NAME")]
    pub(crate) target_name: Option<String>,
    /// The definition is an OpenAPI document (JSON or YAML) deployed as a Bedrock Agents action
    /// group under this name; in a CloudFormation template, the AWS::Bedrock::Agent action
    /// group of this name.
    #[arg(long, value_name = "NAME")]
    pub(crate) action_group: Option<String>,
    /// In a CloudFormation/SAM template or CDK output: the resource to load (a GatewayTarget or
    /// an AWS::Bedrock::Agent), by logical id, when the template holds several.
    #[arg(long, value_name = "LOGICAL_ID")]
    pub(crate) resource: Option<String>,
    /// Interceptor definitions: the interceptor Lambda to check, by its ARN as the
    /// configuration names it (default: the first one).
    #[arg(long, value_name = "ARN")]
    pub(crate) interceptor: Option<String>,
}

impl CaseArgs {
    /// Which tool definition of a template to load.
    pub(crate) fn selection(&self) -> Selection {
        selection(self.resource.as_deref(), self.action_group.as_deref())
    }
}

impl LintArgs {
    /// Which tool definition of a template to lint.
    pub(crate) fn selection(&self) -> Selection {
        selection(self.resource.as_deref(), self.action_group.as_deref())
    }
}

fn selection(resource: Option<&str>, action_group: Option<&str>) -> Selection {
    let mut selection = Selection::new();
    if let Some(id) = resource {
        selection = selection.resource(id);
    }
    if let Some(name) = action_group {
        selection = selection.action_group(name);
    }
    selection
}

/// The most samples `event --count` prints (they are all held in memory first).
pub(crate) const MAX_EVENT_COUNT: u32 = 10_000;

#[derive(Debug, Args)]
pub(crate) struct EventArgs {
    /// The definition file.
    #[arg(value_name = "DEFINITION")]
    pub(crate) definition: PathBuf,
    /// The tool to build events for.
    #[arg(long, value_name = "NAME")]
    pub(crate) tool: String,
    /// How many samples (1 to 10000).
    #[arg(long, default_value_t = 1, value_name = "N",
          value_parser = clap::value_parser!(u32).range(1..=i64::from(MAX_EVENT_COUNT)))]
    pub(crate) count: u32,
    /// Schema-violating arguments instead (negative mode), each saying how it breaks the schema.
    #[arg(long)]
    pub(crate) invalid: bool,
    #[command(flatten)]
    pub(crate) cases: CaseArgs,
}

/// Report formats of `check`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub(crate) enum ReportFormat {
    /// For people: findings with their minimal cases, then a line per tool.
    Human,
    /// The JSON report (schema: `toolcontract schema report`).
    Json,
    /// JUnit XML: one test case per tool and check.
    Junit,
}

/// Response profiles, as flags.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub(crate) enum ProfileArg {
    /// What the agent receives: any JSON object works (the Gateway wraps it in a text block);
    /// a malformed attempt at the MCP shape fails; a bare string or number warns.
    Gateway,
    /// Strict: the answer itself is an MCP result, `{"content": [{"text": ...}]}`, with
    /// `"isError": true` on failure.
    Mcp,
    /// Any JSON value; an outputSchema applies to the whole value.
    Json,
}

impl From<ProfileArg> for Profile {
    fn from(p: ProfileArg) -> Profile {
        match p {
            ProfileArg::Gateway => Profile::Gateway,
            ProfileArg::Mcp => Profile::Mcp,
            ProfileArg::Json => Profile::Json,
        }
    }
}

/// Settings shared by `check` and `snapshot`: the configuration file and what it can hold.
#[derive(Debug, Args)]
pub(crate) struct ConfigArgs {
    /// The configuration file [default: toolcontract.toml next to the definition, else in
    /// the working directory or above it].
    #[arg(long, value_name = "FILE")]
    pub(crate) config: Option<PathBuf>,
    /// An environment variable for the handler process (repeatable; over the configuration's
    /// [env]).
    #[arg(long = "env", value_name = "KEY=VALUE", value_parser = parse_env)]
    pub(crate) env: Vec<(String, String)>,
    /// Gateway: whether MCP-shaped answers ({"content": [...], "isError": ...}) reach the
    /// agent as they are (true, the default assumption) or are wrapped as text like any other
    /// JSON (false). Not known either way; the `mcp` profile always assumes true.
    #[arg(long, value_name = "BOOL")]
    pub(crate) mcp_passthrough: Option<bool>,
}

fn parse_env(text: &str) -> Result<(String, String), String> {
    match text.split_once('=') {
        Some((key, value)) if !key.is_empty() => Ok((key.to_owned(), value.to_owned())),
        _ => Err(format!("`{text}` is not KEY=VALUE")),
    }
}

#[derive(Debug, Args)]
pub(crate) struct CheckArgs {
    /// The definition file.
    #[arg(value_name = "DEFINITION")]
    pub(crate) definition: PathBuf,
    /// Only check this tool (repeatable).
    #[arg(long = "tool", value_name = "NAME")]
    pub(crate) tools: Vec<String>,
    /// Valid cases per tool, at least 1 [default: 256, or PROPTEST_CASES].
    #[arg(long, value_name = "N")]
    pub(crate) cases: Option<u32>,
    #[command(flatten)]
    pub(crate) case: CaseArgs,
    /// Response rules of a Gateway target [default: gateway].
    #[arg(long, value_enum)]
    pub(crate) profile: Option<ProfileArg>,
    #[command(flatten)]
    pub(crate) settings: ConfigArgs,
    /// Warnings fail the run too (exit status 1).
    #[arg(long)]
    pub(crate) deny_warnings: bool,
    /// Also send schema-violating arguments (check invalid_arguments_handled; Gateway only).
    #[arg(long)]
    pub(crate) negative: bool,
    /// Per-case timeout in milliseconds: the deadline each invocation gets [default: 3000].
    #[arg(long, value_name = "MS", value_parser = clap::value_parser!(u64).range(1..))]
    pub(crate) timeout_ms: Option<u64>,
    /// Report format.
    #[arg(long, value_enum, default_value_t = ReportFormat::Human)]
    pub(crate) format: ReportFormat,
    /// Write the report to FILE instead of standard output.
    #[arg(long, value_name = "FILE")]
    pub(crate) output: Option<PathBuf>,
    /// Handler processes run at once.
    #[arg(long, default_value_t = 1, value_name = "N", value_parser = clap::value_parser!(u16).range(1..=64))]
    pub(crate) jobs: u16,
    /// Run only this case, as a finding prints it (`<check>:<tool>:<case>:<seed>`;
    /// repeatable).
    #[arg(long, value_name = "TOKEN")]
    pub(crate) replay: Vec<ReplayToken>,
    /// Run only the cases of the findings in a JSON report written by `--format json`.
    #[arg(long, value_name = "FILE")]
    pub(crate) replay_report: Option<PathBuf>,
    /// Working directory of the handler process (Python's `-m awslambdaric module.handler`
    /// imports the module from there).
    #[arg(long, value_name = "DIR")]
    pub(crate) cwd: Option<PathBuf>,
    /// Colour: auto (on a terminal), always, never.
    #[arg(long, value_enum, default_value_t = ColorChoice::Auto)]
    pub(crate) color: ColorChoice,
    /// The handler command and its arguments, after `--`.
    #[arg(last = true, required = true, value_name = "HANDLER COMMAND")]
    pub(crate) command: Vec<OsString>,
}

#[derive(Debug, Args)]
pub(crate) struct SnapshotArgs {
    /// The definition file.
    #[arg(value_name = "DEFINITION")]
    pub(crate) definition: PathBuf,
    /// Only this tool (repeatable).
    #[arg(long = "tool", value_name = "NAME")]
    pub(crate) tools: Vec<String>,
    #[command(flatten)]
    pub(crate) case: CaseArgs,
    /// Response rules of a Gateway target [default: gateway; mcp: only content, isError and
    /// structuredContent of the answer are kept].
    #[arg(long, value_enum)]
    pub(crate) profile: Option<ProfileArg>,
    #[command(flatten)]
    pub(crate) settings: ConfigArgs,
    /// The folder of the snapshot files.
    #[arg(long, value_name = "DIR", default_value = "snapshots")]
    pub(crate) snapshots: PathBuf,
    /// Seeded cases per tool, besides the schema's declared and boundary values.
    #[arg(long, value_name = "N", default_value_t = 3)]
    pub(crate) generated: u32,
    /// Also redact the values at this JSON Pointer into each response (`*`: any one member or
    /// item, `**`: any number of levels; repeatable).
    #[arg(long, value_name = "POINTER")]
    pub(crate) redact: Vec<String>,
    /// Per-case timeout in milliseconds: the deadline each invocation gets [default: 3000].
    #[arg(long, value_name = "MS", value_parser = clap::value_parser!(u64).range(1..))]
    pub(crate) timeout_ms: Option<u64>,
    /// Working directory of the handler process.
    #[arg(long, value_name = "DIR")]
    pub(crate) cwd: Option<PathBuf>,
    /// Write new and changed snapshots as the accepted `.snap` files.
    #[arg(long, conflicts_with = "check")]
    pub(crate) accept: bool,
    /// Write nothing; exit 1 when a snapshot is missing or changed.
    #[arg(long)]
    pub(crate) check: bool,
    /// The handler command and its arguments, after `--`.
    #[arg(last = true, required = true, value_name = "HANDLER COMMAND")]
    pub(crate) command: Vec<OsString>,
}

/// When to colour output.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub(crate) enum ColorChoice {
    /// On a terminal.
    Auto,
    /// Always.
    Always,
    /// Never.
    Never,
}

#[derive(Debug, Args)]
pub(crate) struct SchemaArgs {
    /// The contract's name (see --list).
    #[arg(value_name = "NAME", required_unless_present = "list")]
    pub(crate) name: Option<String>,
    /// List the embedded contracts.
    #[arg(long)]
    pub(crate) list: bool,
}

#[derive(Debug, Args)]
pub(crate) struct ServeArgs {
    /// The definition file (AgentCore Gateway tools). Without it, the targets of the
    /// configuration file's [[serve.targets]] are served, each with its own definition and
    /// handler command.
    #[arg(value_name = "DEFINITION")]
    pub(crate) definition: Option<PathBuf>,
    /// The Gateway target name: the part before `___` in the tool names.
    #[arg(long, value_name = "NAME")]
    pub(crate) target_name: Option<String>,
    /// In a CloudFormation/SAM template or CDK output: the GatewayTarget to serve.
    #[arg(long, value_name = "LOGICAL_ID")]
    pub(crate) resource: Option<String>,
    /// The port on 127.0.0.1 (0: any free port; the URL printed says which).
    #[arg(long, value_name = "N", default_value_t = 0, conflicts_with = "stdio")]
    pub(crate) port: u16,
    /// Serve MCP over stdin and stdout instead of HTTP (for clients that start servers).
    #[arg(long)]
    pub(crate) stdio: bool,
    /// Answer failed invocations as a Gateway with debug messages on (what failed, in the
    /// text and in `_meta.debug`) instead of the generic error.
    #[arg(long)]
    pub(crate) debug_messages: bool,
    /// Response rules of the Gateway target [default: gateway].
    #[arg(long, value_enum)]
    pub(crate) profile: Option<ProfileArg>,
    #[command(flatten)]
    pub(crate) settings: ConfigArgs,
    /// Per-call timeout in milliseconds: the deadline each invocation gets [default: 3000].
    #[arg(long, value_name = "MS", value_parser = clap::value_parser!(u64).range(1..))]
    pub(crate) timeout_ms: Option<u64>,
    /// Working directory of the handler process.
    #[arg(long, value_name = "DIR")]
    pub(crate) cwd: Option<PathBuf>,
    /// Pass this request header to the handler in the client context's
    /// `bedrockAgentCorePropagatedHeaders` (repeatable, at most 10; HTTP only).
    #[arg(long = "propagate-header", value_name = "NAME")]
    pub(crate) propagate_headers: Vec<String>,
    /// Pass this URL query parameter to the handler in
    /// `bedrockAgentCorePropagatedQueryParameters` (repeatable, at most 10; HTTP only).
    #[arg(long = "propagate-query", value_name = "NAME")]
    pub(crate) propagate_queries: Vec<String>,
    /// Keep every call that reaches the handler as a snapshot case in DIR (one <tool>.snap per
    /// tool, in the format of `toolcontract snapshot`).
    #[arg(long, value_name = "DIR")]
    pub(crate) record: Option<PathBuf>,
    /// The handler command and its arguments, after `--` (with a DEFINITION).
    #[arg(last = true, value_name = "HANDLER COMMAND")]
    pub(crate) command: Vec<OsString>,
}

impl ServeArgs {
    /// Which tool definition of a template to serve.
    pub(crate) fn selection(&self) -> Selection {
        selection(self.resource.as_deref(), None)
    }
}

/// Which tool definition of a template a `[[serve.targets]]` entry serves.
pub(crate) fn resource_selection(resource: Option<&str>) -> Selection {
    selection(resource, None)
}
