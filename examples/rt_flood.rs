//! Fixture handler: writes 50 MiB to stdout (51,200 lines of 1 KiB), then echoes the event.

use std::io::Write;

use lambda_runtime::{Error, LambdaEvent, service_fn};
use serde_json::{Value, json};

async fn handler(event: LambdaEvent<Value>) -> Result<Value, Error> {
    let line = [b'f'; 1023];
    let mut out = std::io::BufWriter::new(std::io::stdout().lock());
    for _ in 0..50 * 1024 {
        out.write_all(&line)?;
        out.write_all(b"\n")?;
    }
    out.write_all(b"rt_flood: done\n")?;
    out.flush()?;
    drop(out);
    Ok(json!({"content": [{"text": event.payload.to_string()}]}))
}

#[tokio::main(flavor = "current_thread")]
async fn main() -> Result<(), Error> {
    lambda_runtime::run(service_fn(handler)).await
}
