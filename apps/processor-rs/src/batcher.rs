//! Groups the events of many ingest requests into few commits (apps/processor/commit-batcher.ts). A
//! request is answered only after the commit that holds its events; the queue is bounded, and past
//! `queue_max` events a request is refused at once. When PostgreSQL refuses one request's data, the
//! commit is retried in halves down to that request, so every other request is committed.

use std::collections::VecDeque;
use std::future::Future;
use std::pin::Pin;
use std::sync::{Arc, Mutex};
use std::time::Duration;
use tokio::sync::{oneshot, Notify};

use crate::database_errors::WriteError;
use crate::events::Event;
use crate::writers::Writer;

pub struct Options {
    pub batch_max: usize,
    pub linger: Duration,
    pub queue_max: usize,
    pub max_concurrent_commits: usize,
}

/// A request's outcome: which of its events were new, or why its commit failed.
pub type Outcome = Result<Vec<bool>, Arc<WriteError>>;

struct Waiting {
    events: Arc<Vec<Event>>,
    answer: oneshot::Sender<Outcome>,
}

#[derive(Default)]
struct State {
    waiting: VecDeque<Waiting>,
    waiting_events: usize,
    committing_events: usize,
    commits: usize,
    /// The linger timer armed, by its flush generation: a flush disarms it (TS clearTimeout).
    timer: Option<u64>,
    flushes: u64,
}

pub struct Batcher {
    options: Options,
    writer: Arc<Writer>,
    state: Mutex<State>,
    idle: Notify,
}

pub struct QueueFull {
    pub queued: usize,
    pub limit: usize,
}

impl Batcher {
    pub fn new(options: Options, writer: Arc<Writer>) -> Arc<Self> {
        Arc::new(Batcher { options, writer, state: Mutex::new(State::default()), idle: Notify::new() })
    }

    /// Events accepted but not yet committed.
    pub fn queued(&self) -> usize {
        let state = self.state.lock().unwrap();
        state.waiting_events + state.committing_events
    }

    pub async fn submit(self: &Arc<Self>, events: Arc<Vec<Event>>) -> Result<Outcome, QueueFull> {
        let (answer, outcome) = oneshot::channel();
        {
            let mut state = self.state.lock().unwrap();
            let queued = state.waiting_events + state.committing_events;
            if queued + events.len() > self.options.queue_max {
                return Err(QueueFull { queued, limit: self.options.queue_max });
            }
            state.waiting_events += events.len();
            state.waiting.push_back(Waiting { events, answer });
            if state.waiting_events >= self.options.batch_max {
                self.flush(&mut state);
            } else if state.timer.is_none() {
                let armed = state.flushes;
                state.timer = Some(armed);
                let this = Arc::clone(self);
                tokio::spawn(async move {
                    tokio::time::sleep(this.options.linger).await;
                    let mut state = this.state.lock().unwrap();
                    if state.timer == Some(armed) {
                        this.flush(&mut state);
                    }
                });
            }
        }
        Ok(outcome.await.unwrap_or_else(|_| Err(Arc::new(WriteError::Pool(deadpool_postgres::PoolError::Closed)))))
    }

    /// Resolves once everything submitted so far is committed (or failed).
    pub async fn drain(self: &Arc<Self>) {
        loop {
            // Registered before the check: a commit that ends between the check and the wait still wakes us.
            let notified = self.idle.notified();
            tokio::pin!(notified);
            notified.as_mut().enable();
            {
                let mut state = self.state.lock().unwrap();
                if state.waiting_events + state.committing_events == 0 {
                    return;
                }
                self.flush(&mut state);
            }
            notified.await;
        }
    }

    fn flush(self: &Arc<Self>, state: &mut State) {
        state.timer = None;
        state.flushes += 1;
        while !state.waiting.is_empty() && state.commits < self.options.max_concurrent_commits {
            // Requests are never split, so one request is committed (and answered) whole.
            let mut taken = Vec::new();
            let mut count = 0;
            while !state.waiting.is_empty() && count < self.options.batch_max {
                let next = state.waiting.pop_front().expect("checked non-empty");
                count += next.events.len();
                taken.push(next);
            }
            state.waiting_events -= count;
            state.committing_events += count;
            state.commits += 1;
            let this = Arc::clone(self);
            tokio::spawn(async move {
                let groups: Vec<Arc<Vec<Event>>> = taken.iter().map(|w| Arc::clone(&w.events)).collect();
                let outcomes = commit_group(&this.writer, &groups).await;
                let mut state = this.state.lock().unwrap();
                state.commits -= 1;
                state.committing_events -= count;
                for (waiting, outcome) in taken.into_iter().zip(outcomes) {
                    let _ = waiting.answer.send(outcome);
                }
                // Whatever arrived while we were committing has waited long enough: send it now.
                if !state.waiting.is_empty() {
                    this.flush(&mut state);
                }
                if state.waiting_events + state.committing_events == 0 {
                    this.idle.notify_waiters();
                }
            });
        }
    }
}

/// Commits the requests together; where PostgreSQL refused the data, again in halves: each request's outcome.
fn commit_group<'a>(writer: &'a Writer, group: &'a [Arc<Vec<Event>>]) -> Pin<Box<dyn Future<Output = Vec<Outcome>> + Send + 'a>> {
    Box::pin(async move {
        let events: Vec<&Event> = group.iter().flat_map(|r| r.iter()).collect();
        match writer.write(&events).await {
            Ok(is_new) => {
                let mut offset = 0;
                group
                    .iter()
                    .map(|r| {
                        offset += r.len();
                        Ok(is_new[offset - r.len()..offset].to_vec())
                    })
                    .collect()
            }
            Err(error) if group.len() > 1 && error.is_data_refusal() => {
                // A commit is one transaction: nothing of the failed one is stored, so its halves can go again.
                let half = group.len().div_ceil(2);
                let mut outcomes = commit_group(writer, &group[..half]).await;
                outcomes.extend(commit_group(writer, &group[half..]).await);
                outcomes
            }
            Err(error) => {
                let error = Arc::new(error);
                group.iter().map(|_| Err(Arc::clone(&error))).collect()
            }
        }
    })
}
