//! `toolcontract serve`: the handler process behind a local AgentCore Gateway (MCP over
//! streamable HTTP or stdio), until the client closes stdio or a signal comes.

use std::time::Duration;

use crate::Error;
use crate::errors::exit;
use crate::handler::runtime_api::{ProcessConfig, ProcessHandler, adopt_orphans, reap_orphans};
use crate::serve::LocalGateway;

use super::args::ServeArgs;
use super::check::{handler_env, interrupted};
use super::harness::{self, Harness, Settings};
use super::{output, signals};

pub(crate) fn run(args: ServeArgs) -> Result<i32, Error> {
    signals::install()?;
    adopt_orphans();
    let config = harness::config(args.settings.config.as_deref(), &args.definition)?;
    let harness = Harness::load(&args.definition, &args.selection(), config.as_ref())?.configure(
        &Settings {
            timeout: args.timeout_ms.map(Duration::from_millis),
            target_name: args.target_name.as_deref(),
            profile: args.profile.map(Into::into),
            mcp_passthrough: args.settings.mcp_passthrough,
            interceptor: None,
            ..Settings::default()
        },
    )?;
    let Harness::Gateway(gateway) = harness else {
        return Err(Error::Usage(format!(
            "{} is a Bedrock Agents action group: `serve` serves AgentCore Gateway tools",
            args.definition.display()
        )));
    };
    let mut process = ProcessConfig::new(args.command.iter().cloned());
    for (key, value) in handler_env(config.as_ref(), &args.settings.env) {
        process = process.with_env(key, value);
    }
    if let Some(dir) = &args.cwd {
        if !dir.is_dir() {
            return Err(Error::Usage(format!(
                "--cwd {}: not a directory",
                dir.display()
            )));
        }
        process = process.with_current_dir(dir);
    }
    let handler = ProcessHandler::start(process).map_err(|e| Error::Handler(e.to_string()))?;
    let served = LocalGateway::new(&gateway, handler, args.debug_messages, |call| {
        output::note(&call.log_line());
    })?;
    let served = served.propagate(
        args.propagate_headers.clone(),
        args.propagate_queries.clone(),
    )?;
    let served = match &args.record {
        Some(dir) => served.record(dir, &gateway)?,
        None => served,
    };
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|e| Error::runtime("start the async runtime", e))?;
    let tools = served.tool_names().join(", ");
    let served_result = runtime.block_on(async {
        if args.stdio {
            output::note(&format!(
                "toolcontract serve: MCP over stdio; tools: {tools}"
            ));
            served
                .serve_stdio(async {
                    signals::any().await;
                })
                .await
        } else {
            let listener = tokio::net::TcpListener::bind(("127.0.0.1", args.port))
                .await
                .map_err(|e| {
                    Error::Usage(format!("cannot listen on 127.0.0.1:{}: {e}", args.port))
                })?;
            let addr = listener
                .local_addr()
                .map_err(|e| Error::Usage(format!("cannot read the listening address: {e}")))?;
            output::note(&format!(
                "toolcontract serve: listening on http://{addr}/mcp; tools: {tools}"
            ));
            served
                .serve_http(listener, async {
                    signals::any().await;
                })
                .await
        }
    });
    // Connections still open end with the runtime.
    drop(runtime);
    reap_orphans();
    served_result?;
    Ok(match signals::received() {
        Some(signal) => interrupted(signal),
        None => exit::OK,
    })
}
