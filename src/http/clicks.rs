//! The click recorder: the task between a redirect and the database.
//!
//! The click route answers from the signed token alone and puts the click on a bounded
//! queue ([`QUEUE`]); this task records it (`Store::record_click`) and, [`JUDGE_AFTER`]
//! later, judges it (`ops::judge_click`): by then the other clicks a scanner makes on the
//! same mail in the same second are recorded too, whichever daemon behind the proxy took
//! them. A click recorded but not judged when the daemon stops is judged at the next start.
//!
//! A full queue drops clicks (counted in `cadenced_clicks_dropped_total`), never delays a
//! redirect; a database that cannot be written is reported once by `health`, and the
//! clicks of that moment are lost, not retried forever.

use std::collections::VecDeque;
use std::time::Duration;

use tokio::sync::mpsc;
use tokio::time::Instant;
use tokio_util::task::TaskTracker;
use tracing::{debug, warn};

use crate::context::Context;
use crate::db::recipient::NewClick;

/// Clicks waiting to be recorded, at most.
pub const QUEUE: usize = 10_000;
/// How long after its arrival a click is judged.
pub const JUDGE_AFTER: Duration = Duration::from_millis(1500);
/// Unjudged clicks judged per batch at start.
const LEFTOVER_BATCH: i64 = 1000;

/// Spawns the recorder on `tracker`; returns its queue.
pub fn spawn(ctx: &Context, tracker: &TaskTracker) -> mpsc::Sender<NewClick> {
    let (tx, rx) = mpsc::channel(QUEUE);
    tracker.spawn(run(ctx.clone(), rx));
    tx
}

async fn run(ctx: Context, mut rx: mpsc::Receiver<NewClick>) {
    // Left over by a stop within a second of a click.
    let mut pending: VecDeque<(Instant, i64)> = match ctx.store.unjudged_clicks(LEFTOVER_BATCH).await {
        Ok(ids) => ids.into_iter().map(|id| (Instant::now(), id)).collect(),
        Err(e) => {
            warn!(error = %e, "Cannot read the clicks left unjudged; they wait for the next start.");
            VecDeque::new()
        }
    };
    loop {
        let next = pending.front().map(|(at, _)| *at);
        tokio::select! {
            click = rx.recv() => {
                let Some(click) = click else { return };
                match ctx.store.record_click(&click).await {
                    Ok(id) => pending.push_back((Instant::now() + JUDGE_AFTER, id)),
                    Err(crate::db::StoreError::NotFound(_)) => {
                        debug!(enrollment = click.link.enrollment_id, "Click on a link of an enrollment that no longer exists; ignored.");
                    }
                    Err(e) if ctx.db_health.failed(&e) => {}
                    Err(e) => warn!(error = %e, "Cannot record a click; it is lost."),
                }
            }
            _ = async { tokio::time::sleep_until(next.unwrap_or_else(Instant::now)).await }, if next.is_some() => {
                let Some((_, id)) = pending.pop_front() else { continue };
                match crate::ops::judge_click(&ctx.store, id, ctx.clock.now()).await {
                    Ok(Some(judged)) => {
                        debug!(click = id, verdict = judged.verdict.as_str(), applied = ?judged.applied, "Click judged.");
                        if judged.applied.is_some() {
                            ctx.wake.notify_one();
                        }
                    }
                    Ok(None) => {}
                    Err(e) if ctx.db_health.failed(&e) => {}
                    Err(e) => warn!(click = id, error = %e, "Cannot judge a click; it is judged at the next start."),
                }
            }
            _ = ctx.token.cancelled() => {
                // Whatever is queued is recorded (judged at the next start); the rest of the
                // queue's senders are the routes, which stop with the listener.
                rx.close();
                while let Ok(click) = rx.try_recv() {
                    if let Err(e) = ctx.store.record_click(&click).await {
                        debug!(error = %e, "Cannot record a click while stopping.");
                    }
                }
                return;
            }
        }
    }
}
