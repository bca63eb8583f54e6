//! `aperture-events-openapi-service`: serves `POST /verdicts` and
//! `GET /openapi.json` (see the library's docs).
//!
//! ```text
//! cargo run -p aperture-events-openapi-service -- --listen 127.0.0.1:8080
//! curl -s localhost:8080/verdicts -H 'content-type: application/json' \
//!   -d '[{"log_type": "incident", "timestamp": "2017-08-14T23:20:57Z", "incident_id": "x"}]'
//! cargo run -p aperture-events-openapi-service -- --print-openapi
//! ```
#![allow(
    clippy::print_stdout,
    clippy::print_stderr,
    reason = "the address, the document and the error are the output"
)]

use std::net::SocketAddr;
use std::process::ExitCode;

use aperture_events_openapi_service::{app, openapi};
use aperture_events_validator::{Options, Reading};
use clap::Parser;

/// An example service: the validator's verdicts on batches of events, with
/// an OpenAPI document generated from the aperture-events types.
#[derive(Debug, Parser)]
#[command(version)]
struct Args {
    /// Address to listen on (port 0: any free port; the address is printed).
    #[arg(long, default_value = "127.0.0.1:8080")]
    listen: SocketAddr,
    /// Validate in the strict reading (unknown types refused).
    #[arg(long)]
    strict: bool,
    /// Print the OpenAPI document and exit.
    #[arg(long, exclusive = true)]
    print_openapi: bool,
}

#[tokio::main]
async fn main() -> ExitCode {
    let args = Args::parse();
    if args.print_openapi {
        println!("{:#}", openapi());
        return ExitCode::SUCCESS;
    }
    let options = Options {
        reading: if args.strict {
            Reading::Strict
        } else {
            Reading::Tolerant
        },
        ..Options::default()
    };
    match serve(args.listen, options).await {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("error: {error}");
            ExitCode::FAILURE
        }
    }
}

async fn serve(
    listen: SocketAddr,
    options: Options,
) -> Result<(), Box<dyn std::error::Error + Send + Sync>> {
    let app = app(options)?;
    let listener = tokio::net::TcpListener::bind(listen)
        .await
        .map_err(|e| format!("cannot listen on {listen}: {e}"))?;
    println!("listening on http://{}", listener.local_addr()?);
    axum::serve(listener, app).await?;
    Ok(())
}
