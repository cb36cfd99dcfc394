//! The HTTP contract of apps/processor/server.ts: POST /ingest, GET /healthz, GET /metrics, with the same
//! statuses and JSON error bodies (apps/processor/README.md, "The ingest contract").

use axum::body::{to_bytes, Body};
use axum::extract::{Request, State};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use serde_json::{json, Value};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::{SystemTime, UNIX_EPOCH};

use crate::batcher::Batcher;
use crate::events::{repeated_key, validate_batch, Event};
use crate::metrics::Metrics;

pub struct App {
    pub batcher: Arc<Batcher>,
    pub metrics: Metrics,
    pub body_limit_bytes: usize,
    pub ready: AtomicBool,
    /// While shutting down: answers close their connection, so a client's next request goes elsewhere.
    pub draining: AtomicBool,
}

pub fn router(app: Arc<App>) -> Router {
    Router::new()
        .route("/ingest", post(ingest))
        .route("/healthz", get(healthz))
        .route("/metrics", get(metrics))
        .layer(middleware::from_fn_with_state(Arc::clone(&app), close_while_draining))
        .with_state(app)
}

async fn close_while_draining(State(app): State<Arc<App>>, request: Request, next: Next) -> Response {
    let mut response = next.run(request).await;
    // Said either way, as the TypeScript processor says it: a client knows whether to keep the connection.
    let connection = if app.draining.load(Ordering::Relaxed) { "close" } else { "keep-alive" };
    response.headers_mut().insert(header::CONNECTION, HeaderValue::from_static(connection));
    response
}

fn answer(status: StatusCode, body: Value) -> Response {
    (status, Json(body)).into_response()
}

/// A refusal: counted by reason, answered as JSON that says what is wrong.
fn refuse(app: &App, status: StatusCode, reason: &str, body: Value) -> Response {
    app.metrics.reject(reason);
    let mut response = answer(status, body);
    if status == StatusCode::SERVICE_UNAVAILABLE {
        response.headers_mut().insert(header::RETRY_AFTER, HeaderValue::from_static("1"));
    }
    response
}

async fn ingest(State(app): State<Arc<App>>, headers: HeaderMap, body: Body) -> Response {
    let content_type = headers.get(header::CONTENT_TYPE).and_then(|v| v.to_str().ok()).unwrap_or("");
    let essence = content_type.split(';').next().unwrap_or("").trim().to_ascii_lowercase();
    let ndjson = match essence.as_str() {
        "application/json" => false,
        "application/x-ndjson" => true,
        _ => {
            let message = "Send application/json ({\"events\": [...]}) or application/x-ndjson (one event per line).";
            return refuse(&app, StatusCode::UNSUPPORTED_MEDIA_TYPE, "content_type", json!({ "error": "content_type", "message": message }));
        }
    };
    let Ok(bytes) = to_bytes(body, app.body_limit_bytes).await else {
        let body = json!({ "error": "too_large", "message": "Request body is too large" });
        return refuse(&app, StatusCode::PAYLOAD_TOO_LARGE, "too_large", body);
    };
    let parsed = match std::str::from_utf8(&bytes) {
        // Invalid UTF-8 is refused, never stored as U+FFFD.
        Err(_) => Err(("The body is not valid UTF-8.".to_string(), None)),
        Ok(text) if ndjson => parse_ndjson(text),
        Ok(text) => serde_json::from_str::<Value>(text).map_err(|e| (format!("malformed JSON: {e}"), None)),
    };
    let body = match parsed {
        Ok(body) => body,
        Err((message, line)) => {
            let mut body = json!({ "error": "malformed", "message": message });
            if let Some(line) = line {
                body["line"] = json!(line);
            }
            return refuse(&app, StatusCode::BAD_REQUEST, "malformed", body);
        }
    };
    let events = match validate_batch(&body) {
        Ok(events) => events,
        Err(invalid) if invalid.too_large => {
            let body = json!({ "error": "too_large", "path": invalid.path, "message": invalid.message });
            return refuse(&app, StatusCode::PAYLOAD_TOO_LARGE, "too_large", body);
        }
        Err(invalid) => {
            let body = json!({ "error": "invalid batch", "path": invalid.path, "message": invalid.message });
            return refuse(&app, StatusCode::BAD_REQUEST, "invalid", body);
        }
    };
    if let Some((first, again)) = repeated_key(&events) {
        let id = events[again].id();
        let path = format!("/events/{again}");
        let message = format!("{path}: (source {}, seq {}) is also /events/{first}; a key names one event, send it once", json!(id.source), id.seq);
        return refuse(&app, StatusCode::BAD_REQUEST, "invalid", json!({ "error": "invalid batch", "path": path, "message": message }));
    }
    commit(&app, events).await
}

async fn commit(app: &App, events: Vec<Event>) -> Response {
    let count = events.len() as u64;
    app.metrics.received.inc_by(count);
    let events = Arc::new(events);
    let outcome = match app.batcher.submit(Arc::clone(&events)).await {
        Ok(outcome) => outcome,
        Err(full) => {
            let message = format!("The processor queue holds {} events, its limit is {}; retry later.", full.queued, full.limit);
            return refuse(app, StatusCode::SERVICE_UNAVAILABLE, "queue_full", json!({ "error": "overloaded", "message": message }));
        }
    };
    let is_new = match outcome {
        Ok(is_new) => is_new,
        Err(error) if error.is_data_refusal() => {
            let path = error.refused_path(&events);
            let message = format!("{path}: the database refused it: {error}");
            return refuse(app, StatusCode::UNPROCESSABLE_ENTITY, "refused", json!({ "error": "refused by the database", "path": path, "message": message }));
        }
        Err(error) if error.is_database_unavailable() => {
            let message = format!("PostgreSQL is unavailable ({error}); nothing of this batch was acknowledged: retry.");
            return refuse(app, StatusCode::SERVICE_UNAVAILABLE, "database_unavailable", json!({ "error": "database unavailable", "message": message }));
        }
        Err(error) => {
            eprintln!("processor-rs: write failed: {error}");
            let body = json!({ "error": "write failed", "message": "The batch was not committed; resend it." });
            return refuse(app, StatusCode::INTERNAL_SERVER_ERROR, "write_failed", body);
        }
    };
    app.metrics.committed.inc_by(count);
    let acked_ms = SystemTime::now().duration_since(UNIX_EPOCH).map_or(0.0, |d| d.as_secs_f64() * 1000.0);
    for e in events.iter() {
        app.metrics.event_latency.observe((acked_ms - e.id().ts).max(0.0) / 1000.0);
    }
    // Already stored keys keep their first contents: a resend, or another event under a stored key.
    let stored = is_new.iter().filter(|n| **n).count();
    answer(StatusCode::OK, json!({ "accepted": count, "stored": stored }))
}

/// One event per line, blank lines skipped, into the shape of a JSON batch; a bad line is named by number.
fn parse_ndjson(text: &str) -> Result<Value, (String, Option<usize>)> {
    let mut events = Vec::new();
    for (i, line) in text.split('\n').enumerate() {
        if line.trim().is_empty() {
            continue;
        }
        let event = serde_json::from_str::<Value>(line).map_err(|e| (format!("line {}: malformed JSON: {e}", i + 1), Some(i + 1)))?;
        events.push(event);
    }
    Ok(json!({ "events": events }))
}

async fn healthz(State(app): State<Arc<App>>) -> Response {
    if app.ready.load(Ordering::Relaxed) {
        answer(StatusCode::OK, json!({ "status": "ok" }))
    } else {
        answer(StatusCode::SERVICE_UNAVAILABLE, json!({ "status": "starting" }))
    }
}

async fn metrics(State(app): State<Arc<App>>) -> Response {
    let text = app.metrics.render(app.batcher.queued());
    ([(header::CONTENT_TYPE, "text/plain; version=0.0.4; charset=utf-8")], text).into_response()
}
