//! The ingest contract's events, validated from parsed JSON with the TypeScript processor's rules and
//! error messages (apps/processor/events.ts declares them as JSON Schema; ajv words the errors). Written
//! by hand: the schema is small and fixed, and the errors must read exactly as ajv's do, first one only.

use serde_json::{Map, Number, Value};

pub const MAX_EVENTS_PER_BATCH: usize = 10_000;
const MAX_TEXT_LENGTH: usize = 16_384;
const MAX_READINGS: usize = 256;
/// The last millisecond of the year 9999 (events.ts MAX_TIMESTAMP_MS).
const MAX_TIMESTAMP_MS: f64 = 253_402_300_799_999.0;
const MAX_SAFE_INTEGER: f64 = 9_007_199_254_740_991.0;
const KINDS: &str = "market, iot, log";

#[derive(Debug, Clone)]
pub struct Identity {
    pub source: String,
    pub seq: i64,
    /// Epoch milliseconds, fractional allowed.
    pub ts: f64,
}

#[derive(Debug, Clone)]
pub enum Event {
    Market { id: Identity, symbol: String, price: f64, volume: i32, exchange: Option<String> },
    Iot { id: Identity, device: String, temperature: f64, humidity: f64, readings: Vec<f64>, payload: Option<String> },
    Log { id: Identity, level: String, service: String, message: String },
}

impl Event {
    pub fn id(&self) -> &Identity {
        match self {
            Event::Market { id, .. } | Event::Iot { id, .. } | Event::Log { id, .. } => id,
        }
    }
    /// The kinds in the order every transaction writes them (writers.ts byKind): one lock order.
    pub fn kind_index(&self) -> usize {
        match self {
            Event::Market { .. } => 0,
            Event::Iot { .. } => 1,
            Event::Log { .. } => 2,
        }
    }
}

/// Why a batch was refused: the first bad field as a JSON pointer, worded as ajv words it.
#[derive(Debug)]
pub struct Invalid {
    pub path: String,
    pub message: String,
    /// More than MAX_EVENTS_PER_BATCH events: a size problem (413), like a body over the byte limit.
    pub too_large: bool,
}

type Check<T> = Result<T, (String, String)>;

fn fail<T>(path: &str, detail: impl Into<String>) -> Check<T> {
    Err((path.to_string(), detail.into()))
}

/// Validates a whole body: `{"events": [...]}`, all or nothing.
pub fn validate_batch(body: &Value) -> Result<Vec<Event>, Invalid> {
    batch(body).map_err(|(path, detail)| {
        let path = if path.is_empty() { "/".to_string() } else { path };
        let too_large = path == "/events" && detail.starts_with("must NOT have more than");
        Invalid { message: format!("{path}: {detail}"), path, too_large }
    })
}

fn batch(body: &Value) -> Check<Vec<Event>> {
    let object = body.as_object().map_or_else(|| fail("", "must be object"), Ok)?;
    if !object.contains_key("events") {
        return fail("", "must have required property 'events'");
    }
    if let Some(unknown) = object.keys().find(|k| *k != "events") {
        return fail("", format!("unknown field '{unknown}'"));
    }
    let Some(events) = object["events"].as_array() else { return fail("/events", "must be array") };
    if events.len() > MAX_EVENTS_PER_BATCH {
        return fail("/events", format!("must NOT have more than {MAX_EVENTS_PER_BATCH} items"));
    }
    if events.is_empty() {
        return fail("/events", "must NOT have fewer than 1 items");
    }
    events.iter().enumerate().map(|(i, e)| event(e, &format!("/events/{i}"))).collect()
}

fn event(value: &Value, path: &str) -> Check<Event> {
    let Some(object) = value.as_object() else { return fail(path, "must be object") };
    let kind_path = format!("{path}/kind");
    let kind = match object.get("kind") {
        Some(Value::String(kind)) => kind.as_str(),
        _ => return fail(&kind_path, format!("must be a string, one of {KINDS}")),
    };
    let fields: &[&str] = match kind {
        "market" => &["kind", "source", "seq", "ts", "symbol", "price", "volume", "exchange"],
        "iot" => &["kind", "source", "seq", "ts", "device", "temperature", "humidity", "readings", "payload"],
        "log" => &["kind", "source", "seq", "ts", "level", "service", "message"],
        other => return fail(&kind_path, format!("unknown event kind {}; use one of {KINDS}", Value::from(other))),
    };
    let optional = ["exchange", "payload"];
    let fields_of = Fields { object, path };
    // ajv's order: required properties, then unknown ones, then each property in the schema's order.
    if let Some(missing) = fields.iter().find(|f| !optional.contains(f) && !object.contains_key(**f)) {
        return fail(path, format!("must have required property '{missing}'"));
    }
    if let Some(unknown) = object.keys().find(|k| !fields.contains(&k.as_str())) {
        return fail(path, format!("unknown field '{unknown}'"));
    }
    let id = Identity {
        source: fields_of.text("source", 1, 128)?,
        seq: fields_of.integer("seq", 0.0, MAX_SAFE_INTEGER)? as i64,
        ts: fields_of.timestamp("ts")?,
    };
    Ok(match kind {
        "market" => Event::Market {
            id,
            symbol: fields_of.matching("symbol", is_symbol, "^[A-Z0-9.]{1,12}$")?,
            price: fields_of.number("price", Limit::Above(0.0), None)?,
            volume: fields_of.integer("volume", 0.0, i32::MAX as f64)? as i32,
            exchange: fields_of.optional("exchange", |f| f.matching("exchange", is_exchange, "^[A-Z]{2,8}$"))?,
        },
        "iot" => Event::Iot {
            id,
            device: fields_of.matching("device", is_name, "^[a-z0-9-]{1,64}$")?,
            temperature: fields_of.number("temperature", Limit::AtLeast(-100.0), Some(200.0))?,
            humidity: fields_of.number("humidity", Limit::AtLeast(0.0), Some(100.0))?,
            readings: fields_of.readings("readings")?,
            payload: fields_of.optional("payload", |f| f.base64("payload"))?,
        },
        _ => Event::Log {
            id,
            level: fields_of.level("level")?,
            service: fields_of.matching("service", is_name, "^[a-z0-9-]{1,64}$")?,
            message: fields_of.text("message", 0, MAX_TEXT_LENGTH)?,
        },
    })
}

enum Limit {
    Above(f64),
    AtLeast(f64),
}

struct Fields<'a> {
    object: &'a Map<String, Value>,
    path: &'a str,
}

impl Fields<'_> {
    fn at(&self, name: &str) -> String {
        format!("{}/{name}", self.path)
    }

    fn optional<T>(&self, name: &str, read: impl Fn(&Self) -> Check<T>) -> Check<Option<T>> {
        if self.object.contains_key(name) { read(self).map(Some) } else { Ok(None) }
    }

    fn string(&self, name: &str) -> Check<&str> {
        match &self.object[name] {
            Value::String(s) => Ok(s),
            _ => fail(&self.at(name), "must be string"),
        }
    }

    /// Free text a `text` column stores as sent, between `min` and `max` characters (code points, as ajv counts).
    fn text(&self, name: &str, min: usize, max: usize) -> Check<String> {
        let s = self.string(name)?;
        let length = s.chars().count();
        if length > max {
            return fail(&self.at(name), format!("must NOT have more than {max} characters"));
        }
        if length < min {
            return fail(&self.at(name), format!("must NOT have fewer than {min} characters"));
        }
        if s.contains('\0') {
            // Rust strings are UTF-8, so an unpaired surrogate cannot reach here (the JSON parser refuses it).
            return fail(
                &self.at(name),
                "must be text PostgreSQL can store: no NUL character (\\u0000) and no unpaired surrogate (\\ud800-\\udfff)",
            );
        }
        Ok(s.to_string())
    }

    fn matching(&self, name: &str, allowed: fn(&str) -> bool, pattern: &str) -> Check<String> {
        let s = self.string(name)?;
        if !allowed(s) {
            return fail(&self.at(name), format!("must match pattern \"{pattern}\""));
        }
        Ok(s.to_string())
    }

    fn base64(&self, name: &str) -> Check<String> {
        let s = self.string(name)?;
        if s.chars().count() > MAX_TEXT_LENGTH {
            return fail(&self.at(name), format!("must NOT have more than {MAX_TEXT_LENGTH} characters"));
        }
        let body = s.trim_end_matches('=');
        let ok = s.len() - body.len() <= 2 && body.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'+' || b == b'/');
        if !ok {
            return fail(&self.at(name), "must match pattern \"^[A-Za-z0-9+/]*={0,2}$\"");
        }
        Ok(s.to_string())
    }

    fn level(&self, name: &str) -> Check<String> {
        match self.object[name].as_str() {
            Some(level @ ("debug" | "info" | "warn" | "error")) => Ok(level.to_string()),
            _ => fail(&self.at(name), "must be equal to one of the allowed values"),
        }
    }

    /// A JSON number as JavaScript reads it: a finite f64 (1e999 is Infinity there, and refused).
    fn finite(&self, name: &str, value: &Value, kind: &str) -> Check<f64> {
        match value.as_number().and_then(number_value) {
            Some(v) if v.is_finite() => Ok(v),
            _ => fail(name, format!("must be {kind}")),
        }
    }

    fn number(&self, name: &str, low: Limit, high: Option<f64>) -> Check<f64> {
        let path = self.at(name);
        let v = self.finite(&path, &self.object[name], "number")?;
        limits(&path, v, low, high)
    }

    fn integer(&self, name: &str, min: f64, max: f64) -> Check<f64> {
        let path = self.at(name);
        let v = self.finite(&path, &self.object[name], "integer")?;
        if v.fract() != 0.0 {
            return fail(&path, "must be integer");
        }
        limits(&path, v, Limit::AtLeast(min), Some(max))
    }

    fn timestamp(&self, name: &str) -> Check<f64> {
        self.number(name, Limit::Above(0.0), Some(MAX_TIMESTAMP_MS))
    }

    fn readings(&self, name: &str) -> Check<Vec<f64>> {
        let path = self.at(name);
        let Some(items) = self.object[name].as_array() else { return fail(&path, "must be array") };
        if items.len() > MAX_READINGS {
            return fail(&path, format!("must NOT have more than {MAX_READINGS} items"));
        }
        items.iter().enumerate().map(|(i, item)| self.finite(&format!("{path}/{i}"), item, "number")).collect()
    }
}

fn number_value(n: &Number) -> Option<f64> {
    // With arbitrary_precision the number keeps its text and as_f64 parses it, rounded exactly as
    // JavaScript's; a number too large for a double (1e999) is None here and not finite there, the same answer.
    n.as_f64()
}

/// ajv checks maximum before minimum; a value breaks at most one of them here.
fn limits(path: &str, v: f64, low: Limit, high: Option<f64>) -> Check<f64> {
    if let Some(max) = high {
        if v > max {
            return fail(path, format!("must be <= {}", js_number(max)));
        }
    }
    match low {
        Limit::AtLeast(min) if v < min => fail(path, format!("must be >= {}", js_number(min))),
        Limit::Above(min) if v <= min => fail(path, format!("must be > {}", js_number(min))),
        _ => Ok(v),
    }
}

/// A limit as JavaScript prints it (integers without a decimal point).
fn js_number(v: f64) -> String {
    if v.fract() == 0.0 && v.abs() < 1e21 { format!("{}", v as i64) } else { format!("{v}") }
}

fn is_symbol(s: &str) -> bool {
    (1..=12).contains(&s.len()) && s.bytes().all(|b| b.is_ascii_uppercase() || b.is_ascii_digit() || b == b'.')
}

fn is_exchange(s: &str) -> bool {
    (2..=8).contains(&s.len()) && s.bytes().all(|b| b.is_ascii_uppercase())
}

fn is_name(s: &str) -> bool {
    (1..=64).contains(&s.len()) && s.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
}

/// The first (source, seq) a batch holds twice, as the indexes of its two events (repeated-key.ts).
pub fn repeated_key(events: &[Event]) -> Option<(usize, usize)> {
    let rising = events.windows(2).all(|w| w[1].id().source == w[0].id().source && w[1].id().seq > w[0].id().seq);
    if rising {
        return None;
    }
    let mut seen = std::collections::HashMap::new();
    for (index, e) in events.iter().enumerate() {
        if let Some(first) = seen.insert((e.id().source.as_str(), e.id().seq), index) {
            return Some((first, index));
        }
    }
    None
}
