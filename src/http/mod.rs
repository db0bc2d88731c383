//! The daemon's HTTP side: the public listener of `[http] listen` (one-click unsubscribe,
//! tracked clicks; see [`public`]) and the click recorder behind it ([`clicks`]).
//!
//! The listener is axum routes served by a loop of our own over hyper, so that hostile
//! clients meet limits at every stage: at most [`MAX_CONNECTIONS`] connections (the accept
//! waits for a free slot), request headers within [`HEADER_TIMEOUT`] and at most
//! [`MAX_HEADER_BYTES`], bodies of at most [`MAX_BODY_BYTES`], a whole request answered
//! within [`REQUEST_TIMEOUT`] (else 408). Handlers never panic on input: every token goes
//! through `domain::link`, which answers `None` for anything it does not recognise.
//!
//! On SIGTERM the daemon's token fires: the loop stops accepting, every open connection
//! finishes the request it is serving and closes (hyper's graceful shutdown), within the
//! daemon's drain deadline. Each connection is a task of the daemon's `TaskTracker`.
//!
//! The public routes call the store's verbs (`Store::unsubscribe`, `Store::record_click`).
//! The operator listener (`[http] admin_listen`, [`admin`]) is a second router served by the
//! same loop ([`serve`] takes any router) on its own address, never the public port, behind
//! API tokens, calling `ops`, the operations the CLI calls.

use std::sync::Arc;
use std::time::Duration;

use hyper_util::rt::{TokioIo, TokioTimer};
use hyper_util::service::TowerToHyperService;
use tokio::net::TcpListener;
use tokio::sync::Semaphore;
use tokio_util::task::TaskTracker;
use tracing::{debug, info, warn};

use crate::context::Context;

pub mod admin;
pub mod clicks;
pub mod console;
pub mod public;

/// Connections served at once; further clients wait in the kernel's accept queue.
pub const MAX_CONNECTIONS: usize = 1024;
/// Longest time a client may take to send a request's headers (slow-loris guard).
pub const HEADER_TIMEOUT: Duration = Duration::from_secs(5);
/// Longest time a request may take to be answered; then 408.
pub const REQUEST_TIMEOUT: Duration = Duration::from_secs(10);
/// The largest request body read (a one-click POST carries 26 bytes).
pub const MAX_BODY_BYTES: usize = 16 * 1024;
/// The largest buffer hyper keeps for a request's head (request line and headers); a
/// click token carries its URL, so this is well above `domain::link::MAX_TOKEN`.
pub const MAX_HEADER_BYTES: usize = 64 * 1024;
/// How long an open connection may take to finish its request once the daemon is stopping.
const CONNECTION_DRAIN: Duration = Duration::from_secs(10);

/// Binds the public listener and spawns it (and the click recorder) on `tracker`; returns
/// the bound address (a port of 0 in the config picks a free one, for tests). Nothing is
/// spawned without `[http]`.
///
/// # Errors
/// When the address cannot be bound (in use, not ours): at start that is fatal.
pub async fn start(ctx: &Context, tracker: &TaskTracker) -> Result<Option<std::net::SocketAddr>, String> {
    let (Some(http), Some(links)) = (&ctx.cfg.http, &ctx.links) else {
        return Ok(None);
    };
    let listener = TcpListener::bind(http.listen)
        .await
        .map_err(|e| format!("http.listen {}: {e}", http.listen))?;
    let addr = listener
        .local_addr()
        .map_err(|e| format!("http.listen {}: {e}", http.listen))?;
    let clicks = clicks::spawn(ctx, tracker);
    let router = public::router(public::State {
        store: ctx.store.clone(),
        clock: ctx.clock.clone(),
        links: links.clone(),
        clicks,
        db_health: ctx.db_health.clone(),
    });
    tracker.spawn(serve(listener, router, ctx.token.clone(), tracker.clone()));
    info!(%addr, public_url = %links.public_url, "Public HTTP listener started.");
    if let Some(admin_listen) = http.admin_listen {
        let listener = TcpListener::bind(admin_listen)
            .await
            .map_err(|e| format!("http.admin_listen {admin_listen}: {e}"))?;
        let admin_addr = listener
            .local_addr()
            .map_err(|e| format!("http.admin_listen {admin_listen}: {e}"))?;
        let router = admin::router(admin::State {
            store: ctx.store.clone(),
            clock: ctx.clock.clone(),
            cfg: ctx.cfg.clone(),
            db_health: ctx.db_health.clone(),
            failures: Default::default(),
        });
        tracker.spawn(serve(listener, router, ctx.token.clone(), tracker.clone()));
        info!(addr = %admin_addr, "Operator HTTP listener started.");
    }
    Ok(Some(addr))
}

/// Serves `router` on `listener` until `token` fires, each connection a task on `tracker`,
/// within the limits of this module.
pub async fn serve(
    listener: TcpListener,
    router: axum::Router,
    token: tokio_util::sync::CancellationToken,
    tracker: TaskTracker,
) {
    let slots = Arc::new(Semaphore::new(MAX_CONNECTIONS));
    loop {
        let slot = tokio::select! {
            s = slots.clone().acquire_owned() => match s {
                Ok(s) => s,
                Err(_) => return,
            },
            _ = token.cancelled() => return,
        };
        let (stream, peer) = tokio::select! {
            r = listener.accept() => match r {
                Ok(c) => c,
                Err(e) => {
                    // Out of descriptors and the like: say so, breathe, go on.
                    warn!(error = %e, "Cannot accept an HTTP connection; retrying.");
                    tokio::time::sleep(Duration::from_millis(100)).await;
                    continue;
                }
            },
            _ = token.cancelled() => return,
        };
        let service = TowerToHyperService::new(router.clone());
        let token = token.clone();
        tracker.spawn(async move {
            let _slot = slot;
            let mut builder = hyper::server::conn::http1::Builder::new();
            builder
                .timer(TokioTimer::new())
                .header_read_timeout(HEADER_TIMEOUT)
                .max_buf_size(MAX_HEADER_BYTES);
            let conn = builder.serve_connection(TokioIo::new(stream), service);
            let mut conn = std::pin::pin!(conn);
            tokio::select! {
                r = conn.as_mut() => {
                    if let Err(e) = r {
                        debug!(%peer, error = %e, "HTTP connection ended with an error.");
                    }
                }
                _ = token.cancelled() => {
                    conn.as_mut().graceful_shutdown();
                    if let Ok(Err(e)) = tokio::time::timeout(CONNECTION_DRAIN, conn).await {
                        debug!(%peer, error = %e, "HTTP connection ended with an error while draining.");
                    }
                }
            }
        });
    }
}
