//! The processor's Prometheus metrics, under the names and buckets of apps/processor/metrics.ts, plus the
//! process's CPU seconds and resident memory under prom-client's default names. Read with getrusage and
//! /proc: the prometheus crate's process collector counts CPU in whole seconds, too coarse for a 3 s step.

use prometheus::{Encoder, Gauge, Histogram, HistogramOpts, IntCounter, IntCounterVec, Opts, Registry, TextEncoder};

pub struct Metrics {
    registry: Registry,
    pub received: IntCounter,
    pub committed: IntCounter,
    pub late: IntCounter,
    pub rejected: IntCounterVec,
    pub commit_seconds: Histogram,
    pub event_latency: Histogram,
    queue: Gauge,
    max_rss: Gauge,
    cpu_seconds: Gauge,
    rss: Gauge,
}

impl Metrics {
    pub fn new() -> Metrics {
        let registry = Registry::new();
        let counter = |name: &str, help: &str| {
            let c = IntCounter::new(name, help).expect("valid metric");
            registry.register(Box::new(c.clone())).expect("registered once");
            c
        };
        let histogram = |name: &str, help: &str, buckets: &[f64]| {
            let h = Histogram::with_opts(HistogramOpts::new(name, help).buckets(buckets.to_vec())).expect("valid metric");
            registry.register(Box::new(h.clone())).expect("registered once");
            h
        };
        let gauge = |name: &str, help: &str| {
            let g = Gauge::new(name, help).expect("valid metric");
            registry.register(Box::new(g.clone())).expect("registered once");
            g
        };
        let rejected = IntCounterVec::new(Opts::new("processor_events_rejected_total", "Ingest requests refused, by reason"), &["reason"])
            .expect("valid metric");
        registry.register(Box::new(rejected.clone())).expect("registered once");
        Metrics {
            received: counter("processor_events_received_total", "Events in valid ingest requests"),
            committed: counter("processor_events_committed_total", "Events acknowledged after commit"),
            late: counter(
                "processor_events_late_total",
                "New events stored raw but too late (beyond the allowed lateness) to change their OHLC window",
            ),
            rejected,
            commit_seconds: histogram(
                "processor_batch_commit_seconds",
                "Time to write and commit one batch",
                &[0.001, 0.002, 0.005, 0.01, 0.02, 0.05, 0.1, 0.2, 0.5, 1.0, 2.0],
            ),
            event_latency: histogram(
                "processor_event_latency_seconds",
                "Time from an event timestamp (ts) to its acknowledgement after commit",
                &[0.0005, 0.001, 0.002, 0.005, 0.01, 0.02, 0.05, 0.1, 0.2, 0.5, 1.0, 2.0, 5.0, 10.0],
            ),
            queue: gauge("processor_queue_events", "Events accepted but not yet committed"),
            max_rss: gauge("processor_max_resident_memory_bytes", "Peak resident set size of this process"),
            // A counter by meaning; set from the kernel's own total, so a gauge in this library's terms.
            cpu_seconds: gauge("process_cpu_seconds_total", "Total user and system CPU time spent in seconds."),
            rss: gauge("process_resident_memory_bytes", "Resident memory size in bytes."),
            registry,
        }
    }

    pub fn reject(&self, reason: &str) {
        self.rejected.with_label_values(&[reason]).inc();
    }

    /// The exposition text, with the queue depth and the peak resident memory read now.
    pub fn render(&self, queued: usize) -> String {
        self.queue.set(queued as f64);
        let usage = resource_usage();
        self.max_rss.set(usage.max_rss_bytes);
        self.cpu_seconds.set(usage.cpu_seconds);
        self.rss.set(resident_bytes());
        let mut out = Vec::new();
        TextEncoder::new().encode(&self.registry.gather(), &mut out).expect("text encoding cannot fail");
        String::from_utf8(out).expect("the text format is UTF-8")
    }
}

struct Usage {
    cpu_seconds: f64,
    /// The kernel's high-water mark of resident memory: the peak, not a sample that may miss it.
    max_rss_bytes: f64,
}

fn resource_usage() -> Usage {
    // SAFETY: getrusage writes only into the zeroed struct it is given.
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    if unsafe { libc::getrusage(libc::RUSAGE_SELF, &mut usage) } != 0 {
        return Usage { cpu_seconds: 0.0, max_rss_bytes: 0.0 };
    }
    let seconds = |t: libc::timeval| t.tv_sec as f64 + t.tv_usec as f64 / 1e6;
    Usage { cpu_seconds: seconds(usage.ru_utime) + seconds(usage.ru_stime), max_rss_bytes: usage.ru_maxrss as f64 * 1024.0 }
}

/// Resident memory now (VmRSS), as prom-client reports it.
fn resident_bytes() -> f64 {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    let kib = status.lines().find_map(|l| l.strip_prefix("VmRSS:")).and_then(|v| v.trim().trim_end_matches("kB").trim().parse::<f64>().ok());
    kib.unwrap_or(0.0) * 1024.0
}
