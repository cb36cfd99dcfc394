//! The stream processor in Rust: the TypeScript processor's ingest contract, flags, tables and metrics
//! (apps/processor/README.md), so the same tests, suites and generator measure either implementation.

mod aggregates;
mod batcher;
mod copy_rows;
mod database_errors;
mod events;
mod metrics;
mod migrate;
mod server;
mod writers;

use clap::Parser;
use deadpool_postgres::{Manager, ManagerConfig, Pool, RecyclingMethod};
use std::str::FromStr;
use std::sync::atomic::Ordering;
use std::sync::Arc;
use std::time::Duration;
use tokio::io::AsyncReadExt;
use tokio::signal::unix::{signal, SignalKind};

use crate::aggregates::Lateness;
use crate::batcher::{Batcher, Options};
use crate::metrics::Metrics;
use crate::server::App;
use crate::writers::{Strategy, Writer};

/// Flags override environment variables, as the TypeScript processor's do.
#[derive(Parser)]
#[command(name = "processor-rs", about = "The stream processor (Rust): events over HTTP, committed to PostgreSQL")]
struct Flags {
    #[arg(long, env = "PORT", default_value_t = 8080)]
    port: u16,
    #[arg(long, env = "HOST", default_value = "127.0.0.1")]
    host: String,
    /// PostgreSQL; migrations run at start.
    #[arg(long, env = "DATABASE_URL")]
    database_url: String,
    /// optimized: batched COPY; naive: one INSERT per event.
    #[arg(long, env = "STRATEGY", value_enum, default_value = "optimized")]
    strategy: Strategy,
    /// Most events in one commit.
    #[arg(long, env = "BATCH_MAX", default_value_t = 2000, value_parser = clap::value_parser!(u32).range(1..))]
    batch_max: u32,
    /// How long a commit waits for more events.
    #[arg(long, env = "LINGER_MS", default_value_t = 5, value_parser = clap::value_parser!(u64).range(1..))]
    linger_ms: u64,
    /// Events accepted but not yet committed, before 503.
    #[arg(long, env = "QUEUE_MAX", default_value_t = 100_000, value_parser = clap::value_parser!(u32).range(1..))]
    queue_max: u32,
    /// Pool size, and most commits at once.
    #[arg(long, env = "DB_CONNECTIONS", default_value_t = 4, value_parser = clap::value_parser!(u32).range(1..))]
    db_connections: u32,
    /// Largest request body.
    #[arg(long, env = "BODY_LIMIT_BYTES", default_value_t = 16 * 1024 * 1024, value_parser = clap::value_parser!(u32).range(1..))]
    body_limit_bytes: u32,
    /// How late an event may be and still change its window.
    #[arg(long, env = "ALLOWED_LATENESS_MS", default_value_t = 5000)]
    allowed_lateness_ms: u64,
    /// IoT temperature above which an alert is stored.
    #[arg(long, env = "ALERT_CELSIUS", default_value_t = 80.0)]
    alert_celsius: f64,
    /// After SIGTERM, how long to answer with `Connection: close` before draining.
    #[arg(long, env = "SHUTDOWN_DRAIN_MS", default_value_t = 0)]
    shutdown_drain_ms: u64,
}

#[tokio::main]
async fn main() {
    let flags = Flags::parse();
    if !flags.alert_celsius.is_finite() {
        fail(&format!("--alert-celsius must be a number, got '{}'.", flags.alert_celsius));
    }
    let pool = open_pool(&flags.database_url, flags.db_connections as usize).unwrap_or_else(|e| fail(&e));
    let metrics = Metrics::new();
    let late = metrics.late.clone();
    let writer = Writer {
        pool: pool.clone(),
        strategy: flags.strategy,
        lateness: Lateness::new(flags.allowed_lateness_ms),
        alert_celsius: flags.alert_celsius,
        on_late: Box::new(move |n| late.inc_by(n as u64)),
        commit_seconds: metrics.commit_seconds.clone(),
    };
    let options = Options {
        batch_max: flags.batch_max as usize,
        linger: Duration::from_millis(flags.linger_ms),
        queue_max: flags.queue_max as usize,
        max_concurrent_commits: flags.db_connections as usize,
    };
    let app = Arc::new(App {
        batcher: Batcher::new(options, Arc::new(writer)),
        metrics,
        body_limit_bytes: flags.body_limit_bytes as usize,
        ready: false.into(),
        draining: false.into(),
    });
    if let Err(e) = migrate::migrate(&pool).await {
        fail(&e);
    }
    let listener = tokio::net::TcpListener::bind((flags.host.as_str(), flags.port)).await.unwrap_or_else(|e| fail(&format!("cannot listen: {e}")));
    let port = listener.local_addr().map(|a| a.port()).unwrap_or(flags.port);
    app.ready.store(true, Ordering::Relaxed);
    // The harness's lifecycle line (apps/shared/lifecycle.ts announce).
    println!("{{\"event\":\"listening\",\"port\":{port}}}");

    let closing = Arc::new(tokio::sync::Notify::new());
    let stop = {
        let (app, closing) = (Arc::clone(&app), Arc::clone(&closing));
        let drain = Duration::from_millis(flags.shutdown_drain_ms);
        tokio::spawn(async move {
            let reason = shutdown_request().await;
            eprintln!("processor-rs: {reason}, draining {} queued events", app.batcher.queued());
            app.ready.store(false, Ordering::Relaxed);
            // A kept-alive connection would meet a 503 once the server closes: first every answer says
            // `Connection: close` for --shutdown-drain-ms, so clients reconnect elsewhere.
            app.draining.store(true, Ordering::Relaxed);
            tokio::time::sleep(drain).await;
            closing.notify_one();
        })
    };
    let served = axum::serve(listener, server::router(Arc::clone(&app))).with_graceful_shutdown(async move { closing.notified().await }).await;
    if let Err(e) = served {
        fail(&format!("server failed: {e}"));
    }
    let _ = stop.await;
    // Requests in flight were answered once committed; what is still queued commits before the exit.
    app.batcher.drain().await;
    pool.close();
    // Not a return: the runtime would wait for the blocking read of stdin (EXIT_WITH_PARENT), which only
    // the parent ends. Everything acknowledged is committed by now.
    std::process::exit(0)
}

fn open_pool(url: &str, size: usize) -> Result<Pool, String> {
    let mut config = tokio_postgres::Config::from_str(url).map_err(|e| format!("--database-url is not a PostgreSQL connection string: {e}"))?;
    config.application_name("processor").connect_timeout(Duration::from_secs(5));
    let manager = Manager::from_config(config, tokio_postgres::NoTls, ManagerConfig { recycling_method: RecyclingMethod::Fast });
    Pool::builder(manager).max_size(size).build().map_err(|e| e.to_string())
}

/// SIGTERM, SIGINT, or (with EXIT_WITH_PARENT=1) the parent gone: its end of our stdin closed.
async fn shutdown_request() -> &'static str {
    let mut term = signal(SignalKind::terminate()).expect("SIGTERM handler");
    let mut int = signal(SignalKind::interrupt()).expect("SIGINT handler");
    let parent = async {
        if std::env::var("EXIT_WITH_PARENT").as_deref() != Ok("1") {
            return std::future::pending().await;
        }
        let mut stdin = tokio::io::stdin();
        let mut buffer = [0u8; 256];
        while matches!(stdin.read(&mut buffer).await, Ok(n) if n > 0) {}
    };
    tokio::select! {
        _ = term.recv() => "SIGTERM",
        _ = int.recv() => "SIGINT",
        () = parent => "parent exited",
    }
}

fn fail(message: &str) -> ! {
    eprintln!("processor-rs: {message}");
    std::process::exit(2)
}
