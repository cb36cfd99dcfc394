//! PostgreSQL COPY text rows and the event-time text, as apps/processor/copy-encoding.ts writes them.

use base64::engine::{general_purpose::GeneralPurpose, DecodePaddingMode, GeneralPurposeConfig};
use base64::Engine;
use std::fmt::Write;

use crate::events::{Event, Identity};

const NULL: &str = "\\N";

/// Appends one event's COPY row, in its table's column order (events.ts TABLE_COLUMNS).
pub fn encode_row(out: &mut String, event: &Event) {
    let id = |out: &mut String, id: &Identity| {
        escape(out, &id.source);
        let _ = write!(out, "\t{}\t{}\t", id.seq, timestamp_text(id.ts));
    };
    match event {
        Event::Market { id: identity, symbol, price, volume, exchange } => {
            id(out, identity);
            let _ = writeln!(out, "{symbol}\t{price}\t{volume}\t{}", exchange.as_deref().unwrap_or(NULL));
        }
        Event::Iot { id: identity, device, temperature, humidity, readings, payload } => {
            id(out, identity);
            let _ = write!(out, "{device}\t{temperature}\t{humidity}\t{{");
            for (i, r) in readings.iter().enumerate() {
                let _ = write!(out, "{}{r}", if i == 0 { "" } else { "," });
            }
            out.push_str("}\t");
            match payload {
                // bytea in hex; the backslash of \x is doubled, as COPY text unescapes it once.
                Some(p) => {
                    out.push_str("\\\\x");
                    for b in payload_bytes(p) {
                        let _ = write!(out, "{b:02x}");
                    }
                }
                None => out.push_str(NULL),
            }
            out.push('\n');
        }
        Event::Log { id: identity, level, service, message } => {
            id(out, identity);
            let _ = write!(out, "{level}\t{service}\t");
            escape(out, message);
            out.push('\n');
        }
    }
}

fn escape(out: &mut String, value: &str) {
    for c in value.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            '\t' => out.push_str("\\t"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            c => out.push(c),
        }
    }
}

/// Base64 as Node's Buffer.from reads it: padding optional, and a dangling last character ignored.
pub fn payload_bytes(text: &str) -> Vec<u8> {
    let config = GeneralPurposeConfig::new().with_decode_padding_mode(DecodePaddingMode::Indifferent).with_decode_allow_trailing_bits(true);
    let engine = GeneralPurpose::new(&base64::alphabet::STANDARD, config);
    let body = text.trim_end_matches('=');
    let usable = if body.len() % 4 == 1 { &body[..body.len() - 1] } else { body };
    engine.decode(usable).unwrap_or_default()
}

/// Epoch milliseconds (fractional) as a UTC timestamptz literal, to the microsecond (copy-encoding.ts timestampText).
pub fn timestamp_text(ms: f64) -> String {
    let mut second = (ms / 1000.0).floor() as i64;
    let mut micros = ((ms - second as f64 * 1000.0) * 1000.0).round() as i64;
    if micros >= 1_000_000 {
        second += 1;
        micros -= 1_000_000;
    }
    let (days, in_day) = (second.div_euclid(86_400), second.rem_euclid(86_400));
    let (y, m, d) = civil_from_days(days);
    format!("{y:04}-{m:02}-{d:02}T{:02}:{:02}:{:02}.{micros:06}Z", in_day / 3600, in_day % 3600 / 60, in_day % 60)
}

/// Days since 1970-01-01 as a proleptic Gregorian date (Howard Hinnant's algorithm; no date crate needed for one function).
fn civil_from_days(days: i64) -> (i64, u32, u32) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    (yoe + era * 400 + i64::from(m <= 2), m, d)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn timestamps_read_as_the_typescript_processor_writes_them() {
        assert_eq!(timestamp_text(0.5), "1970-01-01T00:00:00.000500Z");
        assert_eq!(timestamp_text(1_764_547_200_123.0), "2025-12-01T00:00:00.123000Z");
        assert_eq!(timestamp_text(253_402_300_799_999.0), "9999-12-31T23:59:59.999000Z");
        assert_eq!(timestamp_text(951_782_400_000.0), "2000-02-29T00:00:00.000000Z");
    }

    #[test]
    fn payloads_decode_leniently_as_node_does() {
        assert_eq!(payload_bytes("aGk="), b"hi");
        assert_eq!(payload_bytes("aGk"), b"hi");
        assert_eq!(payload_bytes("aGkx2"), b"hi1");
    }
}
