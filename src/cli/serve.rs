//! `toolcontract serve`: the handler process behind a local AgentCore Gateway (MCP over
//! streamable HTTP or stdio), until the client closes stdio or a signal comes. One target from
//! DEFINITION and the command after `--`, or every `[[serve.targets]]` of the configuration.

use std::path::Path;
use std::time::Duration;

use crate::config::{ConfigError, ServeTarget};
use crate::errors::exit;
use crate::handler::runtime_api::{ProcessConfig, ProcessHandler, adopt_orphans, reap_orphans};
use crate::serve::Interceptors;
use crate::serve::{LocalGateway, MAX_PROPAGATED, ServedTarget};
use crate::{Config, Error, Gateway};

use super::args::{ServeArgs, resource_selection};
use super::check::{handler_env, interrupted};
use super::harness::{self, Harness, Settings};
use super::{output, signals};

/// Raises the soft limit on open files to the hard limit: every MCP connection is one, and a
/// default soft limit of 1,024 would cap the clients at fewer. Best effort.
fn raise_open_files_limit() {
    let mut limit = libc::rlimit {
        rlim_cur: 0,
        rlim_max: 0,
    };
    // SAFETY: getrlimit and setrlimit with a struct we own.
    unsafe {
        if libc::getrlimit(libc::RLIMIT_NOFILE, &raw mut limit) == 0
            && limit.rlim_cur < limit.rlim_max
        {
            limit.rlim_cur = limit.rlim_max;
            let _ = libc::setrlimit(libc::RLIMIT_NOFILE, &raw const limit);
        }
    }
}

pub(crate) fn run(args: ServeArgs) -> Result<i32, Error> {
    signals::install()?;
    adopt_orphans();
    raise_open_files_limit();
    let targets = match &args.definition {
        Some(definition) => vec![one_target(&args, definition)?],
        None => configured_targets(&args)?,
    };
    let mut served = LocalGateway::with_targets(targets, args.debug_messages, |call| {
        output::note(&call.log_line());
    })?;
    if let Some(interceptors) = configured_interceptors(&args)? {
        if args.stdio {
            output::note(
                "toolcontract serve: note: [serve.interceptors] run on HTTP requests only; \
                 over --stdio the interceptors are not run",
            );
        }
        served = served.with_interceptors(interceptors);
    }
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

/// The interceptors of the configuration's `[serve.interceptors]`, started: each interceptor
/// Lambda of its definition with its command (a Lambda without one is an error naming the key).
fn configured_interceptors(args: &ServeArgs) -> Result<Option<Interceptors>, Error> {
    let config = match (&args.settings.config, &args.definition) {
        (Some(path), _) => Some(Config::from_path(path)?),
        (None, Some(definition)) => harness::config(None, definition)?,
        (None, None) => Config::discover_here()?,
    };
    let Some(config) = config else {
        return Ok(None);
    };
    let Some(table) = &config.serve_interceptors else {
        return Ok(None);
    };
    let fail = |key: &str, message: String| -> Error {
        let error: ConfigError = config.error(
            Some(table.line),
            format!("serve.interceptors.{key}"),
            message,
        );
        error.into()
    };
    let definition = crate::Definition::from_path(&table.definition)
        .map_err(|e| fail("definition", e.to_string()))?;
    let Some(declaration) = &definition.interceptor else {
        return Err(fail(
            "definition",
            format!(
                "{} is not an interceptor definition (interceptorConfigurations and targets)",
                table.definition.display()
            ),
        ));
    };
    for arn in declaration.lambdas() {
        if !table.commands.contains_key(arn) {
            return Err(fail(
                "commands",
                format!("no command for the interceptor Lambda {arn}: add `\"{arn}\" = [...]`"),
            ));
        }
    }
    if !table.cwd.is_dir() {
        return Err(fail(
            "cwd",
            format!("{}: not a directory", table.cwd.display()),
        ));
    }
    let env = handler_env(Some(&config), &args.settings.env);
    let start = |arn: &str| {
        let command = &table.commands[arn];
        let mut process = ProcessConfig::new(command.iter().map(std::ffi::OsString::from))
            .with_current_dir(&table.cwd);
        for (key, value) in &env {
            process = process.with_env(key.clone(), value.clone());
        }
        ProcessHandler::start(process).map_err(|e| Error::Handler(e.to_string()))
    };
    let timeout = table.timeout.unwrap_or(crate::checker::DEFAULT_TIMEOUT);
    Interceptors::new(declaration, start, timeout, output::note).map(Some)
}

/// The Gateway of `definition` with the flags applied, as a [`Gateway`] (not an action group).
fn gateway(
    definition: &Path,
    harness: Harness,
    on_error: impl Fn(String) -> Error,
) -> Result<Box<Gateway>, Error> {
    match harness {
        Harness::Gateway(gateway) => Ok(gateway),
        Harness::ActionGroup(_) => Err(on_error(format!(
            "{} is a Bedrock Agents action group: `serve` serves AgentCore Gateway tools",
            definition.display()
        ))),
        Harness::Interceptor(_) => Err(on_error(format!(
            "{} is an interceptor definition: `serve` serves AgentCore Gateway targets; give a \
             target's tool definition (running interceptors inside `serve` is not built yet)",
            definition.display()
        ))),
    }
}

/// `toolcontract serve DEFINITION -- COMMAND`: one target, as the flags say.
fn one_target(args: &ServeArgs, definition: &Path) -> Result<ServedTarget, Error> {
    if args.command.is_empty() {
        return Err(Error::Usage(format!(
            "serve {}: the handler command follows `--`, e.g. `toolcontract serve {} -- \
             ./target/debug/my-handler` (or leave out the DEFINITION to serve the \
             configuration's [[serve.targets]])",
            definition.display(),
            definition.display()
        )));
    }
    let config = harness::config(args.settings.config.as_deref(), definition)?;
    let harness =
        Harness::load(definition, &args.selection(), config.as_ref())?.configure(&Settings {
            timeout: args.timeout_ms.map(Duration::from_millis),
            target_name: args.target_name.as_deref(),
            profile: args.profile.map(Into::into),
            mcp_passthrough: args.settings.mcp_passthrough,
            ..Settings::default()
        })?;
    let gateway = gateway(definition, harness, Error::Usage)?;
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
    let target = ServedTarget::new(&gateway, handler)?.propagate(
        args.propagate_headers.clone(),
        args.propagate_queries.clone(),
    )?;
    Ok(match &args.record {
        Some(dir) => target.record(dir, &gateway)?,
        None => target,
    })
}

/// `toolcontract serve` without a DEFINITION: every `[[serve.targets]]` of the configuration,
/// each with its definition, handler command and settings. Flags that name one target's
/// settings are refused; the others apply to every target.
fn configured_targets(args: &ServeArgs) -> Result<Vec<ServedTarget>, Error> {
    if !args.command.is_empty() {
        return Err(Error::Usage(
            "a handler command after `--` needs the DEFINITION it serves: `toolcontract serve \
             DEFINITION -- COMMAND...` (the configuration's [[serve.targets]] have their own \
             commands)"
                .to_owned(),
        ));
    }
    for (flag, given) in [
        ("--target-name", args.target_name.is_some()),
        ("--resource", args.resource.is_some()),
        ("--cwd", args.cwd.is_some()),
        ("--propagate-header", !args.propagate_headers.is_empty()),
        ("--propagate-query", !args.propagate_queries.is_empty()),
    ] {
        if given {
            return Err(Error::Usage(format!(
                "{flag} applies to one target: with [[serve.targets]], set it per target in \
                 the configuration file (or serve one DEFINITION -- COMMAND)"
            )));
        }
    }
    let config = match &args.settings.config {
        Some(path) => Some(Config::from_path(path)?),
        None => Config::discover_here()?,
    };
    let Some(config) = config else {
        return Err(Error::Usage(format!(
            "serve needs a DEFINITION and the handler command after `--`, or a {} with \
             [[serve.targets]] (--config FILE, else in the working directory or above it)",
            crate::config::FILE_NAME
        )));
    };
    if config.serve_targets.is_empty() {
        return Err(config
            .error(
                None,
                "serve.targets".to_owned(),
                "no [[serve.targets]]: without a DEFINITION, `serve` serves the targets listed \
                 here (name, definition, command)"
                    .to_owned(),
            )
            .into());
    }
    config
        .serve_targets
        .iter()
        .map(|target| configured_target(args, &config, target))
        .collect()
}

/// One `[[serve.targets]]` entry; its errors name the file, the entry's line and its key.
fn configured_target(
    args: &ServeArgs,
    config: &Config,
    target: &ServeTarget,
) -> Result<ServedTarget, Error> {
    let fail = |key: &str, message: String| -> Error {
        let error: ConfigError = config.error(Some(target.line), target.key(key), message);
        error.into()
    };
    let settings = config.for_served_target();
    let timeout = args
        .timeout_ms
        .map(Duration::from_millis)
        .or(target.timeout);
    let profile = args.profile.map(Into::into).or(target.profile);
    let harness = Harness::load(
        &target.definition,
        &resource_selection(target.resource.as_deref()),
        Some(&settings),
    )
    .and_then(|h| {
        h.configure(&Settings {
            timeout,
            target_name: Some(&target.name),
            profile,
            mcp_passthrough: args.settings.mcp_passthrough,
            ..Settings::default()
        })
    })
    .map_err(|e| fail("definition", e.to_string()))?;
    let gateway = gateway(&target.definition, harness, |m| fail("definition", m))?;
    if !target.cwd.is_dir() {
        return Err(fail(
            "cwd",
            format!("{}: not a directory", target.cwd.display()),
        ));
    }
    let mut process = ProcessConfig::new(target.command.iter()).with_current_dir(&target.cwd);
    let mut env = handler_env(Some(config), &[]);
    env.extend(target.env.iter().map(|(k, v)| (k.clone(), v.clone())));
    env.extend(args.settings.env.iter().cloned());
    for (key, value) in env {
        process = process.with_env(key, value);
    }
    let handler = ProcessHandler::start(process).map_err(|e| fail("command", e.to_string()))?;
    let served = ServedTarget::new(&gateway, handler)?
        .propagate(
            target.propagate_headers.clone(),
            target.propagate_queries.clone(),
        )
        .map_err(|e| {
            let queries = target.propagate_headers.len() <= MAX_PROPAGATED
                && target.propagate_queries.len() > MAX_PROPAGATED;
            let key = if queries {
                "propagate_queries"
            } else {
                "propagate_headers"
            };
            fail(key, e.to_string())
        })?;
    Ok(match &args.record {
        Some(dir) => served.record(dir.join(&target.name), &gateway)?,
        None => served,
    })
}
