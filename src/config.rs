//! `toolcontract.toml`: the settings of a project, read by the command line and the library
//! alike.
//!
//! ```toml
//! [defaults]
//! cases = 512            # valid cases per tool
//! seed = "0x2a"          # hexadecimal (a string) or decimal
//! timeout_ms = 5000      # per-case deadline
//! target_name = "orders" # Gateway: the part before `___`
//! profile = "gateway"    # Gateway: gateway, mcp or json
//! deny_warnings = false  # warnings fail the run too
//! max_shrink_iterations = 1024        # smaller cases tried per finding
//! max_shrink_time_ms = 60000          # time spent shrinking one finding
//! max_deadline_shrink_time_ms = 5000  # the same for a within_deadline finding
//!
//! [assume]
//! mcp_passthrough = true # Gateway: MCP-shaped answers reach the agent as they are
//!
//! [checks]               # per check: "error", "warning" or "off"
//! unknown_tool_rejected = "off"
//! error_signalled = "error"
//!
//! [env]                  # the handler process's environment (`check`, `snapshot`)
//! TABLE_NAME = "orders"
//!
//! [tools.get_order]      # arguments that must succeed: sent first, as they are
//! known_good = [{ order_id = "ORD-1001" }]
//!
//! [[serve.targets]]      # `toolcontract serve` without a DEFINITION: one Gateway target each
//! name = "orders"                    # the target name (the part before `___`)
//! definition = "orders.json"         # relative to this file's directory
//! command = ["python3", "handler.py"] # the handler command (run in `cwd`)
//! cwd = "handlers"                   # default: this file's directory
//! resource = "OrdersTarget"          # in a template: the GatewayTarget to serve
//! timeout_ms = 3000                  # over [defaults] timeout_ms
//! profile = "gateway"                # over [defaults] profile
//! env = { TABLE_NAME = "orders" }    # over [env]
//! propagate_headers = ["x-tenant-id"]
//! propagate_queries = ["region"]
//!
//! [serve.interceptors]   # `toolcontract serve` runs the gateway's interceptors
//! definition = "interceptors.json"   # an interceptor definition (its targets are not served)
//! cwd = "interceptors"               # default: this file's directory
//! timeout_ms = 3000
//! [serve.interceptors.commands]      # a command per interceptor Lambda, by its ARN
//! "arn:aws:lambda:us-east-1:123456789012:function:auth" = ["python3", "-m", "awslambdaric", "auth.handler"]
//! ```
//!
//! Found, unless `--config FILE` names one: next to the definition, else in the working
//! directory or the nearest directory above it. Flags override it; it overrides what the
//! definition says (a target name) and the built-in defaults. Every error names the file, the
//! line and the key.

use std::collections::BTreeMap;
use std::fmt;
use std::path::{Path, PathBuf};
use std::time::Duration;

use serde::Deserialize;
use serde_json::Value;
use toml::Spanned;

use crate::check::{CheckName, Severity};
use crate::profile::{Assumptions, Profile};
use crate::results::ShrinkLimits;

/// The file name looked for.
pub const FILE_NAME: &str = "toolcontract.toml";

/// The largest configuration file read.
const MAX_SIZE: u64 = 1 << 20;

/// What a check's findings count as, as the configuration says.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Level {
    /// At this severity.
    Severity(Severity),
    /// Not reported.
    Off,
}

impl Level {
    fn parse(s: &str) -> Option<Level> {
        match s {
            "error" => Some(Level::Severity(Severity::Error)),
            "warning" => Some(Level::Severity(Severity::Warning)),
            "off" => Some(Level::Off),
            _ => None,
        }
    }

    /// `error`, `warning` or `off`.
    pub const fn as_str(self) -> &'static str {
        match self {
            Level::Severity(s) => s.as_str(),
            Level::Off => "off",
        }
    }
}

/// Known-good arguments of a tool, with the line they were given on.
#[derive(Clone, Debug, PartialEq)]
pub struct KnownGood {
    /// The arguments.
    pub arguments: Value,
    /// The line in the configuration file (1-based).
    pub line: usize,
}

/// A loaded `toolcontract.toml` (or the empty configuration).
#[derive(Clone, Debug, Default, PartialEq)]
#[non_exhaustive]
pub struct Config {
    /// The file it was read from.
    pub path: Option<PathBuf>,
    /// `[defaults] cases`.
    pub cases: Option<u32>,
    /// `[defaults] seed`.
    pub seed: Option<u64>,
    /// `[defaults] timeout_ms`.
    pub timeout: Option<Duration>,
    /// `[defaults] target_name`.
    pub target_name: Option<String>,
    /// `[defaults] profile`.
    pub profile: Option<Profile>,
    /// `[defaults] deny_warnings`.
    pub deny_warnings: bool,
    /// `[defaults] max_shrink_iterations`.
    pub max_shrink_iterations: Option<u32>,
    /// `[defaults] max_shrink_time_ms`.
    pub max_shrink_time: Option<Duration>,
    /// `[defaults] max_deadline_shrink_time_ms`.
    pub max_deadline_shrink_time: Option<Duration>,
    /// `[assume] mcp_passthrough`.
    pub mcp_passthrough: Option<bool>,
    /// `[checks]`: per-check severity or off.
    pub checks: BTreeMap<CheckName, Level>,
    /// `[env]`: the handler process's environment.
    pub env: BTreeMap<String, String>,
    /// `[tools.NAME] known_good`, by tool.
    pub known_good: BTreeMap<String, Vec<KnownGood>>,
    /// Where each tool's table starts (for errors about the tool).
    tool_lines: BTreeMap<String, usize>,
    /// `[[serve.targets]]`: the Gateway targets `toolcontract serve` serves without a
    /// DEFINITION, in file order.
    pub(crate) serve_targets: Vec<ServeTarget>,
    /// `[serve.interceptors]`: the interceptors `toolcontract serve` runs, if any.
    pub(crate) serve_interceptors: Option<ServeInterceptors>,
}

/// `[serve.interceptors]`: the gateway's interceptor definition (its
/// `interceptorConfigurations`; the `targets` it names are not served) and a handler command
/// for each interceptor Lambda it configures, by ARN. Paths are resolved against the
/// configuration file's directory.
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct ServeInterceptors {
    /// `definition`: the interceptor definition file.
    pub(crate) definition: PathBuf,
    /// `commands`: the handler command of each interceptor Lambda, by ARN.
    pub(crate) commands: BTreeMap<String, Vec<String>>,
    /// `cwd`: the interceptors' working directory (default: the configuration file's).
    pub(crate) cwd: PathBuf,
    /// `timeout_ms`.
    pub(crate) timeout: Option<Duration>,
    /// The line of the table (1-based).
    pub(crate) line: usize,
}

/// One `[[serve.targets]]` entry: a Lambda target of the local Gateway, its definition and its
/// handler command. Paths are resolved against the configuration file's directory.
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct ServeTarget {
    /// `name`: the target name (the part before `___`).
    pub(crate) name: String,
    /// `definition`: the definition file.
    pub(crate) definition: PathBuf,
    /// `command`: the handler command and its arguments.
    pub(crate) command: Vec<String>,
    /// `cwd`: the handler's working directory (default: the configuration file's directory).
    pub(crate) cwd: PathBuf,
    /// `resource`: in a template, the GatewayTarget to serve.
    pub(crate) resource: Option<String>,
    /// `timeout_ms`.
    pub(crate) timeout: Option<Duration>,
    /// `profile`.
    pub(crate) profile: Option<Profile>,
    /// `env`: on top of `[env]`.
    pub(crate) env: BTreeMap<String, String>,
    /// `propagate_headers`.
    pub(crate) propagate_headers: Vec<String>,
    /// `propagate_queries`.
    pub(crate) propagate_queries: Vec<String>,
    /// The index in `serve.targets` (for errors: `serve.targets[INDEX].KEY`).
    pub(crate) index: usize,
    /// The line of the entry (1-based).
    pub(crate) line: usize,
}

impl ServeTarget {
    /// The dotted key of this entry's `key`, as errors name it.
    #[cfg(any(feature = "cli", test))]
    pub(crate) fn key(&self, key: &str) -> String {
        format!("serve.targets[{}].{key}", self.index)
    }
}

/// A configuration file that cannot be used: the file, the line and the key.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("{}{}: {}{message}", file.display(), line.map(|l| format!(":{l}")).unwrap_or_default(), key.as_ref().map(|k| format!("`{k}`: ")).unwrap_or_default())]
#[non_exhaustive]
pub struct ConfigError {
    /// The configuration file.
    pub file: PathBuf,
    /// The line (1-based), when known.
    pub line: Option<usize>,
    /// The key, dotted (`checks.tool_reachble`), when known.
    pub key: Option<String>,
    /// What is wrong.
    pub message: String,
}

/// A `timeout_ms` value, at least 1 millisecond; else where it is and why not.
fn timeout_of(
    ms: Option<Spanned<i64>>,
) -> Result<Option<Duration>, (std::ops::Range<usize>, String)> {
    let Some(ms) = ms else {
        return Ok(None);
    };
    let value = *ms.get_ref();
    if value < 1 {
        return Err((
            ms.span(),
            format!("{value} is not a timeout: at least 1 millisecond"),
        ));
    }
    Ok(Some(Duration::from_millis(value.unsigned_abs())))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawConfig {
    #[serde(default)]
    defaults: Option<RawDefaults>,
    #[serde(default)]
    assume: Option<RawAssume>,
    #[serde(default)]
    checks: BTreeMap<Spanned<String>, Spanned<String>>,
    #[serde(default)]
    env: BTreeMap<Spanned<String>, Spanned<String>>,
    #[serde(default)]
    tools: BTreeMap<Spanned<String>, RawTool>,
    #[serde(default)]
    serve: Option<RawServe>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawServe {
    #[serde(default)]
    targets: Vec<Spanned<RawServeTarget>>,
    interceptors: Option<Spanned<RawServeInterceptors>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawServeInterceptors {
    definition: Spanned<String>,
    commands: BTreeMap<Spanned<String>, Spanned<Vec<String>>>,
    cwd: Option<String>,
    timeout_ms: Option<Spanned<i64>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawServeTarget {
    name: Spanned<String>,
    definition: Spanned<String>,
    command: Spanned<Vec<Spanned<String>>>,
    cwd: Option<Spanned<String>>,
    resource: Option<String>,
    timeout_ms: Option<Spanned<i64>>,
    profile: Option<Spanned<String>>,
    #[serde(default)]
    env: BTreeMap<Spanned<String>, Spanned<String>>,
    #[serde(default)]
    propagate_headers: Vec<String>,
    #[serde(default)]
    propagate_queries: Vec<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawDefaults {
    cases: Option<Spanned<i64>>,
    seed: Option<Spanned<RawSeed>>,
    timeout_ms: Option<Spanned<i64>>,
    target_name: Option<Spanned<String>>,
    profile: Option<Spanned<String>>,
    deny_warnings: Option<bool>,
    max_shrink_iterations: Option<Spanned<i64>>,
    max_shrink_time_ms: Option<Spanned<i64>>,
    max_deadline_shrink_time_ms: Option<Spanned<i64>>,
}

#[derive(Deserialize)]
#[serde(untagged)]
enum RawSeed {
    Integer(i64),
    Text(String),
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawAssume {
    mcp_passthrough: Option<bool>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawTool {
    #[serde(default)]
    known_good: Vec<Spanned<Value>>,
}

/// Line numbers of byte offsets in one text.
struct Lines<'a>(&'a str);

impl Lines<'_> {
    fn at(&self, offset: usize) -> usize {
        let end = offset.min(self.0.len());
        self.0.as_bytes()[..end]
            .iter()
            .filter(|b| **b == b'\n')
            .count()
            + 1
    }
}

impl Config {
    /// Reads a configuration file.
    pub fn from_path(path: impl AsRef<Path>) -> Result<Config, ConfigError> {
        let path = path.as_ref();
        let error = |message: String| ConfigError {
            file: path.to_owned(),
            line: None,
            key: None,
            message,
        };
        let meta = std::fs::metadata(path).map_err(|e| error(format!("cannot read: {e}")))?;
        if !meta.is_file() {
            return Err(error("not a regular file".to_owned()));
        }
        if meta.len() > MAX_SIZE {
            return Err(error(format!(
                "{} bytes; a configuration file is at most {MAX_SIZE} bytes",
                meta.len()
            )));
        }
        let text = std::fs::read_to_string(path).map_err(|e| error(format!("cannot read: {e}")))?;
        Config::parse(&text, path)
    }

    /// Parses the text of a configuration file read from `path` (named in errors).
    pub fn parse(text: &str, path: &Path) -> Result<Config, ConfigError> {
        let lines = Lines(text);
        let fail = |span: Option<std::ops::Range<usize>>, key: Option<String>, message: String| {
            ConfigError {
                file: path.to_owned(),
                line: span.map(|s| lines.at(s.start)),
                key,
                message,
            }
        };
        let raw: RawConfig = toml::from_str(text).map_err(|e| {
            let message = e.message().trim_end().to_owned();
            fail(e.span(), None, message)
        })?;
        let mut config = Config {
            path: Some(path.to_owned()),
            ..Config::default()
        };
        if let Some(defaults) = raw.defaults {
            let key = |k: &str| Some(format!("defaults.{k}"));
            if let Some(cases) = defaults.cases {
                config.cases = Some(u32::try_from(*cases.get_ref()).map_err(|_| {
                    fail(
                        Some(cases.span()),
                        key("cases"),
                        format!(
                            "{} is not a number of cases (0 to {})",
                            cases.get_ref(),
                            u32::MAX
                        ),
                    )
                })?);
            }
            if let Some(seed) = defaults.seed {
                let parsed = match seed.get_ref() {
                    RawSeed::Integer(n) => u64::try_from(*n).ok(),
                    RawSeed::Text(t) => t.parse::<crate::results::Seed>().ok().map(|s| s.0),
                };
                config.seed = Some(parsed.ok_or_else(|| {
                    fail(
                        Some(seed.span()),
                        key("seed"),
                        "not a seed: a non-negative integer, or hexadecimal text like \"0x2a\""
                            .to_owned(),
                    )
                })?);
            }
            if let Some(timeout) = timeout_of(defaults.timeout_ms)
                .map_err(|(span, message)| fail(Some(span), key("timeout_ms"), message))?
            {
                config.timeout = Some(timeout);
            }
            if let Some(name) = defaults.target_name {
                if !crate::definition::names::is_valid_target_name(name.get_ref()) {
                    return Err(fail(
                        Some(name.span()),
                        key("target_name"),
                        crate::Error::InvalidTargetName(name.get_ref().clone()).to_string(),
                    ));
                }
                config.target_name = Some(name.into_inner());
            }
            if let Some(profile) = defaults.profile {
                config.profile = Some(
                    profile
                        .get_ref()
                        .parse::<Profile>()
                        .map_err(|e| fail(Some(profile.span()), key("profile"), e.to_string()))?,
                );
            }
            config.deny_warnings = defaults.deny_warnings.unwrap_or(false);
            if let Some(n) = defaults.max_shrink_iterations {
                config.max_shrink_iterations = Some(u32::try_from(*n.get_ref()).map_err(|_| {
                    fail(
                        Some(n.span()),
                        key("max_shrink_iterations"),
                        format!(
                            "{} is not a number of shrink iterations (0 to {})",
                            n.get_ref(),
                            u32::MAX
                        ),
                    )
                })?);
            }
            for (name, value, slot) in [
                (
                    "max_shrink_time_ms",
                    defaults.max_shrink_time_ms,
                    &mut config.max_shrink_time,
                ),
                (
                    "max_deadline_shrink_time_ms",
                    defaults.max_deadline_shrink_time_ms,
                    &mut config.max_deadline_shrink_time,
                ),
            ] {
                if let Some(ms) = value {
                    let millis = u64::try_from(*ms.get_ref()).map_err(|_| {
                        fail(
                            Some(ms.span()),
                            key(name),
                            format!("{} is not a time: 0 milliseconds or more", ms.get_ref()),
                        )
                    })?;
                    *slot = Some(Duration::from_millis(millis));
                }
            }
        }
        if let Some(assume) = raw.assume {
            config.mcp_passthrough = assume.mcp_passthrough;
        }
        for (name, level) in raw.checks {
            let key = Some(format!("checks.{}", name.get_ref()));
            let check = name.get_ref().parse::<CheckName>().map_err(|e| {
                let hint = did_you_mean(name.get_ref(), CheckName::ALL.iter().map(|c| c.as_str()));
                fail(Some(name.span()), key.clone(), format!("{e}{hint}"))
            })?;
            let parsed = Level::parse(level.get_ref()).ok_or_else(|| {
                fail(
                    Some(level.span()),
                    key.clone(),
                    format!(
                        "`{}` is not a level: \"error\", \"warning\" or \"off\"",
                        level.get_ref()
                    ),
                )
            })?;
            config.checks.insert(check, parsed);
        }
        for (name, value) in raw.env {
            if name.get_ref().is_empty() || name.get_ref().contains(['=', '\0']) {
                return Err(fail(
                    Some(name.span()),
                    Some(format!("env.{}", name.get_ref())),
                    "not an environment variable name".to_owned(),
                ));
            }
            config.env.insert(name.into_inner(), value.into_inner());
        }
        for (name, tool) in raw.tools {
            let line = lines.at(name.span().start);
            let known = tool
                .known_good
                .into_iter()
                .map(|v| KnownGood {
                    line: lines.at(v.span().start),
                    arguments: v.into_inner(),
                })
                .collect();
            config.tool_lines.insert(name.get_ref().clone(), line);
            config.known_good.insert(name.into_inner(), known);
        }
        if let Some(serve) = raw.serve {
            let base = path
                .parent()
                .filter(|p| !p.as_os_str().is_empty())
                .unwrap_or(Path::new("."));
            if let Some(table) = serve.interceptors {
                let line = lines.at(table.span().start);
                let table = table.into_inner();
                let key = |k: &str| Some(format!("serve.interceptors.{k}"));
                if table.definition.get_ref().is_empty() {
                    return Err(fail(
                        Some(table.definition.span()),
                        key("definition"),
                        "empty: the path of the interceptor definition file".to_owned(),
                    ));
                }
                let mut commands = BTreeMap::new();
                for (arn, command) in table.commands {
                    if command.get_ref().first().is_none_or(String::is_empty)
                        || command.get_ref().iter().any(|a| a.contains('\0'))
                    {
                        return Err(fail(
                            Some(command.span()),
                            key(&format!("commands.{}", arn.get_ref())),
                            "not a command: the program and its arguments, e.g. [\"python3\", \
                             \"-m\", \"awslambdaric\", \"interceptor.handler\"]"
                                .to_owned(),
                        ));
                    }
                    commands.insert(arn.into_inner(), command.into_inner());
                }
                let timeout = timeout_of(table.timeout_ms)
                    .map_err(|(span, message)| fail(Some(span), key("timeout_ms"), message))?;
                config.serve_interceptors = Some(ServeInterceptors {
                    definition: base.join(table.definition.into_inner()),
                    commands,
                    cwd: table.cwd.map_or_else(|| base.to_owned(), |d| base.join(d)),
                    timeout,
                    line,
                });
            }
            for (index, entry) in serve.targets.into_iter().enumerate() {
                let line = lines.at(entry.span().start);
                let target = entry.into_inner();
                let key = |k: &str| Some(format!("serve.targets[{index}].{k}"));
                let name = target.name;
                if !crate::definition::names::is_valid_target_name(name.get_ref()) {
                    return Err(fail(
                        Some(name.span()),
                        key("name"),
                        crate::Error::InvalidTargetName(name.get_ref().clone()).to_string(),
                    ));
                }
                if let Some(first) = config
                    .serve_targets
                    .iter()
                    .find(|t| &t.name == name.get_ref())
                {
                    return Err(fail(
                        Some(name.span()),
                        key("name"),
                        format!(
                            "target `{}` is already served by serve.targets[{}] (line {}): \
                             target names are unique in a Gateway",
                            name.get_ref(),
                            first.index,
                            first.line
                        ),
                    ));
                }
                if target.definition.get_ref().is_empty() {
                    return Err(fail(
                        Some(target.definition.span()),
                        key("definition"),
                        "empty: the path of the target's definition file".to_owned(),
                    ));
                }
                let command_span = target.command.span();
                let command: Vec<Spanned<String>> = target.command.into_inner();
                match command.first() {
                    None => {
                        return Err(fail(
                            Some(command_span),
                            key("command"),
                            "empty: the handler command and its arguments, e.g. \
                             [\"python3\", \"handler.py\"]"
                                .to_owned(),
                        ));
                    }
                    Some(program) if program.get_ref().is_empty() => {
                        return Err(fail(
                            Some(program.span()),
                            key("command"),
                            "the program is an empty string".to_owned(),
                        ));
                    }
                    Some(_) => {}
                }
                if let Some(arg) = command.iter().find(|a| a.get_ref().contains('\0')) {
                    return Err(fail(
                        Some(arg.span()),
                        key("command"),
                        "an argument contains a NUL byte".to_owned(),
                    ));
                }
                let cwd = match target.cwd {
                    Some(dir) if dir.get_ref().is_empty() => {
                        return Err(fail(
                            Some(dir.span()),
                            key("cwd"),
                            "empty: a directory, relative to this file's".to_owned(),
                        ));
                    }
                    Some(dir) => base.join(dir.into_inner()),
                    None => base.to_owned(),
                };
                let timeout = timeout_of(target.timeout_ms)
                    .map_err(|(span, message)| fail(Some(span), key("timeout_ms"), message))?;
                let profile = target
                    .profile
                    .map(|p| {
                        p.get_ref()
                            .parse::<Profile>()
                            .map_err(|e| fail(Some(p.span()), key("profile"), e.to_string()))
                    })
                    .transpose()?;
                let mut env = BTreeMap::new();
                for (var, value) in target.env {
                    if var.get_ref().is_empty() || var.get_ref().contains(['=', '\0']) {
                        return Err(fail(
                            Some(var.span()),
                            key(&format!("env.{}", var.get_ref())),
                            "not an environment variable name".to_owned(),
                        ));
                    }
                    env.insert(var.into_inner(), value.into_inner());
                }
                config.serve_targets.push(ServeTarget {
                    name: name.into_inner(),
                    definition: base.join(target.definition.into_inner()),
                    command: command.into_iter().map(Spanned::into_inner).collect(),
                    cwd,
                    resource: target.resource,
                    timeout,
                    profile,
                    env,
                    propagate_headers: target.propagate_headers,
                    propagate_queries: target.propagate_queries,
                    index,
                    line,
                });
            }
        }
        Ok(config)
    }

    /// The configuration found for `toolcontract serve` without a DEFINITION: in the working
    /// directory or the nearest directory above it; `None` when there is none.
    pub(crate) fn discover_here() -> Result<Option<Config>, ConfigError> {
        let Ok(cwd) = std::env::current_dir() else {
            return Ok(None);
        };
        for dir in cwd.ancestors() {
            let path = dir.join(FILE_NAME);
            if path.is_file() {
                return Config::from_path(path).map(Some);
            }
        }
        Ok(None)
    }

    /// This configuration for one served target: the `[tools]` tables left out (they name the
    /// tools of one definition; `serve` runs no known-good cases).
    #[cfg(feature = "cli")]
    pub(crate) fn for_served_target(&self) -> Config {
        Config {
            known_good: BTreeMap::new(),
            tool_lines: BTreeMap::new(),
            serve_targets: Vec::new(),
            ..self.clone()
        }
    }

    /// The configuration for a definition at `definition`: `toolcontract.toml` next to it,
    /// else in the working directory or the nearest directory above it; `None` when there is
    /// none.
    pub fn discover(definition: &Path) -> Result<Option<Config>, ConfigError> {
        let beside = definition
            .parent()
            .map(|p| {
                if p.as_os_str().is_empty() {
                    Path::new(".")
                } else {
                    p
                }
            })
            .map(|p| p.join(FILE_NAME));
        if let Some(path) = beside.filter(|p| p.is_file()) {
            return Config::from_path(path).map(Some);
        }
        Config::discover_here()
    }

    /// The assumptions, with the configuration's on top of the defaults.
    pub fn assumptions(&self) -> Assumptions {
        let mut assume = Assumptions::default();
        if let Some(passthrough) = self.mcp_passthrough {
            assume.mcp_passthrough = passthrough;
        }
        assume
    }

    /// `limits` with the configuration's shrink limits on top.
    pub fn shrink_limits(&self, limits: ShrinkLimits) -> ShrinkLimits {
        let mut limits = limits;
        if let Some(n) = self.max_shrink_iterations {
            limits.max_iterations = n;
        }
        if let Some(t) = self.max_shrink_time {
            limits.max_time = t;
        }
        if let Some(t) = self.max_deadline_shrink_time {
            limits.max_deadline_time = t;
        }
        limits
    }

    /// An error about the configuration at `line` and `key`.
    pub(crate) fn error(&self, line: Option<usize>, key: String, message: String) -> ConfigError {
        ConfigError {
            file: self
                .path
                .clone()
                .unwrap_or_else(|| PathBuf::from(FILE_NAME)),
            line,
            key: Some(key),
            message,
        }
    }

    /// Checks the `[tools]` tables against the tools a definition declares: every named tool
    /// exists, and its known-good arguments are valid for its input schema. Returns the
    /// known-good arguments by tool.
    pub(crate) fn known_good_for<'a>(
        &self,
        tools: impl IntoIterator<Item = (&'a str, &'a Value)> + Clone,
    ) -> Result<BTreeMap<String, Vec<Value>>, ConfigError> {
        let mut out = BTreeMap::new();
        for (name, known) in &self.known_good {
            let line = self.tool_lines.get(name).copied();
            let Some((_, schema)) = tools.clone().into_iter().find(|(t, _)| t == name) else {
                let declared: Vec<&str> = tools.clone().into_iter().map(|(t, _)| t).collect();
                let hint = did_you_mean(name, declared.iter().copied());
                return Err(self.error(
                    line,
                    format!("tools.{name}"),
                    format!(
                        "the definition declares no tool `{name}`{hint} (it declares: {})",
                        declared.join(", ")
                    ),
                ));
            };
            let validator = jsonschema::options().build(schema).map_err(|e| {
                self.error(
                    line,
                    format!("tools.{name}"),
                    format!("the input schema does not compile: {e}"),
                )
            })?;
            for (i, good) in known.iter().enumerate() {
                if let Some(errors) =
                    crate::judge::describe_errors(validator.iter_errors(&good.arguments))
                {
                    return Err(self.error(
                        Some(good.line),
                        format!("tools.{name}.known_good[{i}]"),
                        format!("the arguments do not match the tool's input schema: {errors}"),
                    ));
                }
            }
            out.insert(
                name.clone(),
                known.iter().map(|k| k.arguments.clone()).collect(),
            );
        }
        Ok(out)
    }

    /// The level of `check`'s findings, if the configuration sets one.
    pub fn level(&self, check: CheckName) -> Option<Level> {
        self.checks.get(&check).copied()
    }
}

impl serde::Serialize for Level {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}

impl<'de> Deserialize<'de> for Level {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        Level::parse(&s).ok_or_else(|| serde::de::Error::custom(format!("unknown level `{s}`")))
    }
}

impl fmt::Display for Level {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

pub(crate) use crate::suggest::did_you_mean;

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str) -> Result<Config, ConfigError> {
        Config::parse(text, Path::new("dir/toolcontract.toml"))
    }

    #[test]
    fn a_complete_configuration_parses() {
        let config = parse(
            r#"
[defaults]
cases = 64
seed = "0x2a"
timeout_ms = 500
target_name = "orders"
profile = "mcp"
deny_warnings = true
max_shrink_iterations = 7
max_shrink_time_ms = 1500
max_deadline_shrink_time_ms = 250

[assume]
mcp_passthrough = false

[checks]
unknown_tool_rejected = "off"
error_signalled = "error"

[env]
TABLE = "t"

[tools.add]
known_good = [{ a = 1, b = 2 }]
"#,
        )
        .unwrap();
        assert_eq!(config.cases, Some(64));
        assert_eq!(config.seed, Some(0x2a));
        assert_eq!(config.timeout, Some(Duration::from_millis(500)));
        assert_eq!(config.target_name.as_deref(), Some("orders"));
        assert_eq!(config.profile, Some(Profile::Mcp));
        assert!(config.deny_warnings);
        let limits = config.shrink_limits(ShrinkLimits::default());
        assert_eq!(limits.max_iterations, 7);
        assert_eq!(limits.max_time, Duration::from_millis(1500));
        assert_eq!(limits.max_deadline_time, Duration::from_millis(250));
        assert_eq!(
            parse("[defaults]\ncases = 3\n")
                .unwrap()
                .shrink_limits(ShrinkLimits::default()),
            ShrinkLimits::default(),
            "what the file does not set stays as it was"
        );
        assert!(!config.assumptions().mcp_passthrough);
        assert_eq!(
            config.level(CheckName::UnknownToolRejected),
            Some(Level::Off)
        );
        assert_eq!(
            config.level(CheckName::ErrorSignalled),
            Some(Level::Severity(Severity::Error))
        );
        assert_eq!(config.env["TABLE"], "t");
        assert_eq!(
            config.known_good["add"][0].arguments,
            serde_json::json!({"a": 1, "b": 2})
        );
        assert_eq!(config.known_good["add"][0].line, 24);
    }

    #[test]
    fn errors_name_the_file_the_line_and_the_key() {
        let unknown_key = parse("[defaults]\ncases = 3\ncasse = 4\n").unwrap_err();
        assert_eq!(unknown_key.line, Some(3), "{unknown_key}");
        assert!(
            unknown_key
                .to_string()
                .starts_with("dir/toolcontract.toml:3: "),
            "{unknown_key}"
        );
        assert!(unknown_key.to_string().contains("casse"), "{unknown_key}");

        let check = parse("\n[checks]\ntool_reachble = \"off\"\n").unwrap_err();
        assert_eq!(check.line, Some(3));
        assert_eq!(check.key.as_deref(), Some("checks.tool_reachble"));
        assert!(
            check.message.contains("did you mean `tool_reachable`?"),
            "{check}"
        );

        let level = parse("[checks]\ntool_reachable = \"loud\"\n").unwrap_err();
        assert_eq!(
            (level.line, level.key.as_deref()),
            (Some(2), Some("checks.tool_reachable"))
        );

        let profile = parse("[defaults]\nprofile = \"xml\"\n").unwrap_err();
        assert!(
            profile.to_string().contains("gateway, mcp, json"),
            "{profile}"
        );

        let syntax = parse("[defaults\n").unwrap_err();
        assert_eq!(syntax.line, Some(1), "{syntax}");

        let negative = parse("[defaults]\ncases = -1\n").unwrap_err();
        assert_eq!(negative.key.as_deref(), Some("defaults.cases"));

        let shrink = parse("[defaults]\n\nmax_shrink_time_ms = -5\n").unwrap_err();
        assert_eq!(
            (shrink.line, shrink.key.as_deref()),
            (Some(3), Some("defaults.max_shrink_time_ms")),
            "{shrink}"
        );
        let iterations = parse("[defaults]\nmax_shrink_iterations = -1\n").unwrap_err();
        assert_eq!(
            iterations.key.as_deref(),
            Some("defaults.max_shrink_iterations")
        );
    }

    #[test]
    fn known_good_arguments_are_checked_against_the_tools() {
        let schema = serde_json::json!({"type": "object", "properties": {"a": {"type": "number"}}, "required": ["a"]});
        let tools = [("add", &schema)];
        let good = parse("[tools.add]\nknown_good = [{ a = 1 }]\n").unwrap();
        assert_eq!(good.known_good_for(tools).unwrap()["add"].len(), 1);

        let bad =
            parse("[tools.add]\nknown_good = [\n  { a = 1 },\n  { a = \"x\" },\n]\n").unwrap();
        let err = bad.known_good_for(tools).unwrap_err();
        assert_eq!(err.line, Some(4), "{err}");
        assert_eq!(err.key.as_deref(), Some("tools.add.known_good[1]"));

        let unknown = parse("[tools.addd]\nknown_good = []\n").unwrap();
        let err = unknown.known_good_for(tools).unwrap_err();
        assert_eq!(err.line, Some(1));
        assert!(err.message.contains("did you mean `add`?"), "{err}");
    }

    #[test]
    fn serve_targets_parse_with_paths_from_the_file_s_directory() {
        let config = parse(
            r#"
[env]
SHARED = "1"

[[serve.targets]]
name = "orders"
definition = "orders.json"
command = ["python3", "-m", "awslambdaric", "app.handler"]
cwd = "py"
timeout_ms = 250
profile = "mcp"
env = { TABLE = "t" }
propagate_headers = ["x-tenant-id"]

[[serve.targets]]
name = "Calc-1"
definition = "/abs/calc.json"
command = ["./calc"]
resource = "CalcTarget"
"#,
        )
        .unwrap();
        let [orders, calc] = config.serve_targets.as_slice() else {
            panic!("two targets: {:?}", config.serve_targets);
        };
        assert_eq!(orders.name, "orders");
        assert_eq!(orders.definition, Path::new("dir/orders.json"));
        assert_eq!(
            orders.command,
            ["python3", "-m", "awslambdaric", "app.handler"]
        );
        assert_eq!(orders.cwd, Path::new("dir/py"));
        assert_eq!(orders.timeout, Some(Duration::from_millis(250)));
        assert_eq!(orders.profile, Some(Profile::Mcp));
        assert_eq!(orders.env["TABLE"], "t");
        assert_eq!(orders.propagate_headers, ["x-tenant-id"]);
        assert_eq!((orders.index, orders.line), (0, 5));
        assert_eq!(calc.definition, Path::new("/abs/calc.json"));
        assert_eq!(
            calc.cwd,
            Path::new("dir"),
            "the default: the file's directory"
        );
        assert_eq!(calc.resource.as_deref(), Some("CalcTarget"));
        assert_eq!((calc.index, calc.line), (1, 15));
        assert_eq!(calc.key("command"), "serve.targets[1].command");
        #[cfg(feature = "cli")]
        {
            let one = config.for_served_target();
            assert!(one.serve_targets.is_empty() && one.known_good.is_empty());
            assert_eq!(one.env["SHARED"], "1");
        }
    }

    #[test]
    fn a_bad_serve_target_names_the_line_and_the_key() {
        let entry = "[[serve.targets]]\nname = \"a\"\ndefinition = \"d.json\"\ncommand = [\"h\"]\n";
        for (extra, line, key, says) in [
            (
                "[[serve.targets]]\nname = \"a_b\"\ndefinition = \"d.json\"\ncommand = [\"h\"]\n",
                7,
                Some("serve.targets[1].name"),
                "a_b",
            ),
            (
                entry,
                7,
                Some("serve.targets[1].name"),
                "already served by serve.targets[0] (line 1)",
            ),
            (
                "[[serve.targets]]\nname = \"b\"\ndefinition = \"d.json\"\ncommand = []\n",
                9,
                Some("serve.targets[1].command"),
                "empty: the handler command",
            ),
            (
                "[[serve.targets]]\nname = \"b\"\ndefinition = \"d.json\"\ncommand = [\"\"]\n",
                9,
                Some("serve.targets[1].command"),
                "the program is an empty string",
            ),
            (
                "[[serve.targets]]\nname = \"b\"\ndefinition = \"d.json\"\ncommand = [\"h\"]\ntimeout_ms = 0\n",
                10,
                Some("serve.targets[1].timeout_ms"),
                "at least 1 millisecond",
            ),
            (
                "[[serve.targets]]\nname = \"b\"\ndefinition = \"d.json\"\ncommand = [\"h\"]\nprofile = \"xml\"\n",
                10,
                Some("serve.targets[1].profile"),
                "gateway, mcp, json",
            ),
            (
                "[[serve.targets]]\nname = \"b\"\ndefinition = \"d.json\"\ncommand = [\"h\"]\nenv = { \"A=B\" = \"1\" }\n",
                10,
                Some("serve.targets[1].env.A=B"),
                "not an environment variable name",
            ),
            (
                "[[serve.targets]]\nname = \"b\"\ncommand = [\"h\"]\n",
                6,
                None,
                "missing field `definition`",
            ),
            (
                "[[serve.targets]]\nname = \"b\"\ndefinition = \"d.json\"\ncommand = [\"h\"]\ncomand = 1\n",
                10,
                None,
                "comand",
            ),
            (
                "[[serve.targets]]\nname = \"b\"\ndefinition = \"d.json\"\ncommand = \"h\"\n",
                9,
                None,
                "invalid type",
            ),
        ] {
            let text = format!("{entry}\n{extra}");
            let err = parse(&text).unwrap_err();
            assert_eq!(
                (err.line, err.key.as_deref()),
                (Some(line), key),
                "{err}\n{text}"
            );
            assert!(err.message.contains(says), "{err}");
            assert!(
                err.to_string().starts_with("dir/toolcontract.toml:"),
                "{err}"
            );
        }
    }

    #[test]
    fn suggestions_only_for_close_names() {
        assert_eq!(
            did_you_mean("tool_reachble", ["tool_reachable", "response_size"]),
            "; did you mean `tool_reachable`?"
        );
        assert_eq!(did_you_mean("xyz", ["tool_reachable"]), "");
    }
}
