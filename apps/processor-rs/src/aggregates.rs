//! What new, on-time events fold into, in the batch's transaction: per-symbol 1 s OHLC + VWAP, per-device
//! IoT statistics and alerts, per-service log counts. The same windows as apps/processor (ohlc.ts,
//! iot-log-aggregates.ts) and the same statements (apps/processor/fold-sql); windows are sorted into one
//! lock order.

use std::collections::BTreeMap;
use tokio_postgres::types::ToSql;
use tokio_postgres::Transaction;

use crate::events::{Event, Identity};

fn bucket_of(ts: f64) -> f64 {
    (ts / 1000.0).floor() * 1000.0
}

struct Ohlc {
    open: (f64, f64, i64),
    close: (f64, f64, i64),
    high: f64,
    low: f64,
    volume: i64,
    notional: f64,
    trades: i32,
}

#[derive(Default)]
struct IotWindow {
    readings: i32,
    temp_sum: f64,
    temp_min: f64,
    temp_max: f64,
    humidity_sum: f64,
}

#[derive(Default)]
struct LogWindow {
    total: i32,
    warns: i32,
    errors: i32,
}

/// Windows keyed by (name, second): a BTreeMap iterates in the lock order every transaction uses.
type Windows<W> = BTreeMap<(String, i64), W>;

const UPSERT_OHLC: &str = include_str!("../../processor/fold-sql/market_ohlc_1s.sql");

const UPSERT_IOT: &str = include_str!("../../processor/fold-sql/iot_stats_1s.sql");

const INSERT_ALERTS: &str = include_str!("../../processor/fold-sql/iot_alerts.sql");

const UPSERT_LOGS: &str = include_str!("../../processor/fold-sql/log_counts_1s.sql");

/// Folds `fresh` (new and on time) into the aggregates; kinds in the writers' order, market, IoT, log.
pub async fn fold(tx: &Transaction<'_>, fresh: &[&Event], alert_celsius: f64) -> Result<(), tokio_postgres::Error> {
    let mut ohlc: Windows<Ohlc> = BTreeMap::new();
    let mut iot: Windows<IotWindow> = BTreeMap::new();
    let mut logs: Windows<LogWindow> = BTreeMap::new();
    let mut alerts: Vec<(&Identity, &str, f64)> = Vec::new();
    for event in fresh {
        let key = |name: &str, id: &Identity| (name.to_string(), bucket_of(id.ts) as i64);
        match event {
            Event::Market { id, symbol, price, volume, .. } => {
                let (ts, seq, v) = (id.ts, id.seq, i64::from(*volume));
                ohlc.entry(key(symbol, id))
                    .and_modify(|w| {
                        if (ts, seq) < (w.open.1, w.open.2) {
                            w.open = (*price, ts, seq);
                        }
                        if (ts, seq) > (w.close.1, w.close.2) {
                            w.close = (*price, ts, seq);
                        }
                        w.high = w.high.max(*price);
                        w.low = w.low.min(*price);
                        w.volume += v;
                        w.notional += price * v as f64;
                        w.trades += 1;
                    })
                    .or_insert(Ohlc {
                        open: (*price, ts, seq),
                        close: (*price, ts, seq),
                        high: *price,
                        low: *price,
                        volume: v,
                        notional: price * v as f64,
                        trades: 1,
                    });
            }
            Event::Iot { id, device, temperature, humidity, .. } => {
                let w = iot.entry(key(device, id)).or_insert(IotWindow { temp_min: *temperature, temp_max: *temperature, ..Default::default() });
                w.readings += 1;
                w.temp_sum += temperature;
                w.temp_min = w.temp_min.min(*temperature);
                w.temp_max = w.temp_max.max(*temperature);
                w.humidity_sum += humidity;
                if *temperature > alert_celsius {
                    alerts.push((id, device, *temperature));
                }
            }
            Event::Log { id, level, service, .. } => {
                let w = logs.entry(key(service, id)).or_default();
                w.total += 1;
                w.warns += i32::from(level == "warn");
                w.errors += i32::from(level == "error");
            }
        }
    }
    let names = |keys: Vec<&(String, i64)>| -> (Vec<String>, Vec<f64>) { keys.into_iter().map(|(n, b)| (n.clone(), *b as f64)).unzip() };
    if !ohlc.is_empty() {
        let (symbols, buckets) = names(ohlc.keys().collect());
        let w: Vec<&Ohlc> = ohlc.values().collect();
        let col = |f: fn(&Ohlc) -> f64| w.iter().map(|w| f(w)).collect::<Vec<f64>>();
        let (open, open_ts, high, low) = (col(|w| w.open.0), col(|w| w.open.1), col(|w| w.high), col(|w| w.low));
        let (close, close_ts, notional) = (col(|w| w.close.0), col(|w| w.close.1), col(|w| w.notional));
        let volume: Vec<i64> = w.iter().map(|w| w.volume).collect();
        let trades: Vec<i32> = w.iter().map(|w| w.trades).collect();
        let params: [&(dyn ToSql + Sync); 11] =
            [&symbols, &buckets, &open, &open_ts, &high, &low, &close, &close_ts, &volume, &notional, &trades];
        tx.execute(UPSERT_OHLC, &params).await?;
    }
    if !iot.is_empty() {
        let (devices, buckets) = names(iot.keys().collect());
        let w: Vec<&IotWindow> = iot.values().collect();
        let col = |f: fn(&IotWindow) -> f64| w.iter().map(|w| f(w)).collect::<Vec<f64>>();
        let readings: Vec<i32> = w.iter().map(|w| w.readings).collect();
        let (sum, min, max, humidity) = (col(|w| w.temp_sum), col(|w| w.temp_min), col(|w| w.temp_max), col(|w| w.humidity_sum));
        tx.execute(UPSERT_IOT, &[&devices, &buckets, &readings, &sum, &min, &max, &humidity]).await?;
    }
    if !alerts.is_empty() {
        let sources: Vec<&str> = alerts.iter().map(|a| a.0.source.as_str()).collect();
        let seqs: Vec<i64> = alerts.iter().map(|a| a.0.seq).collect();
        let devices: Vec<&str> = alerts.iter().map(|a| a.1).collect();
        let ts: Vec<f64> = alerts.iter().map(|a| a.0.ts).collect();
        let temperatures: Vec<f64> = alerts.iter().map(|a| a.2).collect();
        tx.execute(INSERT_ALERTS, &[&sources, &seqs, &devices, &ts, &temperatures]).await?;
    }
    if !logs.is_empty() {
        let (services, buckets) = names(logs.keys().collect());
        let w: Vec<&LogWindow> = logs.values().collect();
        let count = |f: fn(&LogWindow) -> i32| w.iter().map(|w| f(w)).collect::<Vec<i32>>();
        tx.execute(UPSERT_LOGS, &[&services, &buckets, &count(|w| w.total), &count(|w| w.warns), &count(|w| w.errors)]).await?;
    }
    Ok(())
}

/// Event-time lateness (ohlc.ts LatenessFilter): an event older than the latest seen less the allowed
/// lateness is stored raw but changes no window.
pub struct Lateness {
    allowed_ms: f64,
    watermark: std::sync::Mutex<f64>,
}

impl Lateness {
    pub fn new(allowed_ms: u64) -> Self {
        Lateness { allowed_ms: allowed_ms as f64, watermark: std::sync::Mutex::new(f64::NEG_INFINITY) }
    }

    /// The events still on time; advances the watermark. Returns them and how many were late.
    pub fn on_time<'a>(&self, events: Vec<&'a Event>) -> (Vec<&'a Event>, usize) {
        let mut watermark = self.watermark.lock().unwrap();
        let cutoff = *watermark - self.allowed_ms;
        let total = events.len();
        let kept: Vec<&Event> = events.into_iter().filter(|e| e.id().ts >= cutoff).collect();
        for e in &kept {
            *watermark = watermark.max(e.id().ts);
        }
        let late = total - kept.len();
        (kept, late)
    }
}
