//! Fixture handler: answers every event with bytes that are not JSON.

#[path = "rt_support/raw.rs"]
mod raw;

fn main() {
    loop {
        let next = raw::request("GET", "/2018-06-01/runtime/invocation/next", &[], b"");
        let id = next
            .header("Lambda-Runtime-Aws-Request-Id")
            .expect("/next names the request")
            .to_owned();
        raw::request(
            "POST",
            &format!("/2018-06-01/runtime/invocation/{id}/response"),
            &[("Content-Type", "text/html")],
            b"<html>this is not JSON</html>",
        );
    }
}
