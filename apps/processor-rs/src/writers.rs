//! How a batch reaches PostgreSQL, as apps/processor/writers.ts does it, in one transaction per batch:
//!   naive      one INSERT ... ON CONFLICT DO NOTHING per event
//!   optimized  one COPY per kind straight into its table; only when that hits a stored key (a resend), the
//!              batch is copied into staging tables and merged with ON CONFLICT DO NOTHING instead
//! In the same transaction, new on-time events fold into the aggregates, so each counts exactly once.

use bytes::Bytes;
use deadpool_postgres::Pool;
use futures_util::SinkExt;
use std::collections::HashSet;
use std::pin::pin;
use std::sync::LazyLock;
use tokio_postgres::error::SqlState;
use tokio_postgres::types::ToSql;
use tokio_postgres::Transaction;

use crate::aggregates::{fold, Lateness};
use crate::copy_rows::{encode_row, payload_bytes, timestamp_text};
use crate::database_errors::WriteError;
use crate::events::Event;

#[derive(Clone, Copy, PartialEq, Eq, Debug, clap::ValueEnum)]
pub enum Strategy {
    Naive,
    Optimized,
}

const TABLES: [(&str, &str); 3] = [
    ("market_events", "(source, seq, generated_at, symbol, price, volume, exchange)"),
    ("iot_events", "(source, seq, generated_at, device, temperature, humidity, readings, payload)"),
    ("log_events", "(source, seq, generated_at, level, service, message)"),
];

pub struct Writer {
    pub pool: Pool,
    pub strategy: Strategy,
    pub lateness: Lateness,
    pub alert_celsius: f64,
    /// Counts new events too late to change their window (processor_events_late_total).
    pub on_late: Box<dyn Fn(usize) + Send + Sync>,
    /// Times each write and commit (processor_batch_commit_seconds).
    pub commit_seconds: prometheus::Histogram,
}

/// The batch split by kind, in the batch's order within a kind, kinds always market, IoT, log: every
/// transaction then takes its window locks in one order (writers.ts byKind: the mixed scenario's deadlock).
fn by_kind<'a>(events: &[&'a Event]) -> [Vec<&'a Event>; 3] {
    let mut groups: [Vec<&Event>; 3] = Default::default();
    for e in events {
        groups[e.kind_index()].push(e);
    }
    groups
}

impl Writer {
    /// Writes and commits `events`; says which of them were new (a stored key keeps its first contents).
    pub async fn write(&self, events: &[&Event]) -> Result<Vec<bool>, WriteError> {
        let timer = self.commit_seconds.start_timer();
        let written = self.write_batch(events).await;
        timer.observe_duration();
        written
    }

    async fn write_batch(&self, events: &[&Event]) -> Result<Vec<bool>, WriteError> {
        let mut client = self.pool.get().await?;
        let groups = by_kind(events);
        if self.strategy == Strategy::Naive {
            let tx = client.transaction().await?;
            let mut is_new = vec![false; events.len()];
            // By kind, for the lock order; each answer goes back to the event's place in the batch.
            for kind in 0..TABLES.len() {
                for (i, e) in events.iter().enumerate().filter(|(_, e)| e.kind_index() == kind) {
                    is_new[i] = insert_one(&tx, kind, e).await? == 1;
                }
            }
            self.fold_new(&tx, events, &is_new).await?;
            tx.commit().await?;
            return Ok(is_new);
        }
        let first = async {
            let tx = client.transaction().await?;
            for (kind, group) in groups.iter().enumerate() {
                if !group.is_empty() {
                    copy_rows(&tx, &format!("COPY {} {} FROM STDIN", TABLES[kind].0, TABLES[kind].1), group).await?;
                }
            }
            let every = vec![true; events.len()];
            self.fold_new(&tx, events, &every).await?;
            tx.commit().await?;
            Ok::<_, tokio_postgres::Error>(every)
        }
        .await;
        match first {
            Err(error) if error.code() == Some(&SqlState::UNIQUE_VIOLATION) => {}
            other => return Ok(other?),
        }
        let tx = client.transaction().await?;
        let mut inserted = HashSet::new();
        for (kind, group) in groups.iter().enumerate() {
            if group.is_empty() {
                continue;
            }
            let (table, columns) = TABLES[kind];
            // ON COMMIT DELETE ROWS empties it at every commit, so each merge starts from an empty staging table.
            tx.batch_execute(&format!("CREATE TEMP TABLE IF NOT EXISTS {table}_staging (LIKE {table}) ON COMMIT DELETE ROWS")).await?;
            copy_rows(&tx, &format!("COPY {table}_staging {columns} FROM STDIN"), group).await?;
            let merge = format!("INSERT INTO {table} SELECT * FROM {table}_staging ON CONFLICT (source, seq) DO NOTHING RETURNING source, seq");
            for row in tx.query(&merge, &[]).await? {
                inserted.insert((row.get::<_, String>(0), row.get::<_, i64>(1)));
            }
        }
        // The first event of each inserted key, in the batch's order, is the one stored (COPY keeps order).
        let is_new: Vec<bool> = events.iter().map(|e| inserted.remove(&(e.id().source.clone(), e.id().seq))).collect();
        self.fold_new(&tx, events, &is_new).await?;
        tx.commit().await?;
        Ok(is_new)
    }

    async fn fold_new(&self, tx: &Transaction<'_>, events: &[&Event], is_new: &[bool]) -> Result<(), tokio_postgres::Error> {
        let fresh: Vec<&Event> = events.iter().zip(is_new).filter(|(_, new)| **new).map(|(e, _)| *e).collect();
        let (on_time, late) = self.lateness.on_time(fresh);
        if late > 0 {
            (self.on_late)(late);
        }
        let [market, iot, log] = by_kind(&on_time);
        let ordered: Vec<&Event> = market.into_iter().chain(iot).chain(log).collect();
        fold(tx, &ordered, self.alert_celsius).await
    }
}

async fn copy_rows(tx: &Transaction<'_>, statement: &str, events: &[&Event]) -> Result<(), tokio_postgres::Error> {
    let mut rows = String::with_capacity(events.len() * 96);
    for e in events {
        encode_row(&mut rows, e);
    }
    let mut sink = pin!(tx.copy_in::<_, Bytes>(statement).await?);
    sink.send(Bytes::from(rows)).await?;
    sink.as_mut().finish().await?;
    Ok(())
}

/// The naive strategy's statement per kind, built once: the time is sent as text, as the COPY rows send it.
static INSERT_SQL: LazyLock<[String; 3]> = LazyLock::new(|| {
    TABLES.map(|(table, columns)| {
        let arity = columns.split(',').count();
        let values: Vec<String> = (1..=arity).map(|i| if i == 3 { "$3::text::timestamptz".into() } else { format!("${i}") }).collect();
        format!("INSERT INTO {table} {columns} VALUES ({}) ON CONFLICT (source, seq) DO NOTHING", values.join(", "))
    })
});

async fn insert_one(tx: &Transaction<'_>, kind: usize, event: &Event) -> Result<u64, tokio_postgres::Error> {
    let sql = &INSERT_SQL[kind];
    let id = event.id();
    let at = timestamp_text(id.ts);
    match event {
        Event::Market { symbol, price, volume, exchange, .. } => {
            let params: [&(dyn ToSql + Sync); 7] = [&id.source, &id.seq, &at, symbol, price, volume, exchange];
            tx.execute(sql, &params).await
        }
        Event::Iot { device, temperature, humidity, readings, payload, .. } => {
            let payload = payload.as_deref().map(payload_bytes);
            let params: [&(dyn ToSql + Sync); 8] = [&id.source, &id.seq, &at, device, temperature, humidity, readings, &payload];
            tx.execute(sql, &params).await
        }
        Event::Log { level, service, message, .. } => {
            let params: [&(dyn ToSql + Sync); 6] = [&id.source, &id.seq, &at, level, service, message];
            tx.execute(sql, &params).await
        }
    }
}
