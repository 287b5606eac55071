//! The kernel's side of [`client::bridge`](crate::client::bridge): cells' requests run on this
//! copy's [`DaskClient`]s and futures, kept here by handle.

use std::collections::HashMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, OnceLock, PoisonError};
use std::time::Duration;

use serde_json::{json, Value};

use super::DaskClient;
use crate::error::{Error, Result};
use crate::future::Work;

#[derive(Default)]
struct Held {
    clients: HashMap<u64, Arc<DaskClient>>,
    futures: HashMap<u64, Arc<dyn Work>>,
}

fn held() -> std::sync::MutexGuard<'static, Held> {
    static HELD: OnceLock<Mutex<Held>> = OnceLock::new();
    HELD.get_or_init(Mutex::default)
        .lock()
        .unwrap_or_else(PoisonError::into_inner)
}

fn next_handle() -> u64 {
    static NEXT: AtomicU64 = AtomicU64::new(1);
    NEXT.fetch_add(1, Ordering::Relaxed)
}

fn client(request: &Value) -> Result<Arc<DaskClient>> {
    let id = request["client"].as_u64().unwrap_or(0);
    held()
        .clients
        .get(&id)
        .cloned()
        .ok_or_else(|| Error::Cluster {
            reason: format!("no client {id}"),
        })
}

fn future(request: &Value) -> Result<Arc<dyn Work>> {
    let id = request["future"].as_u64().unwrap_or(0);
    held()
        .futures
        .get(&id)
        .cloned()
        .ok_or_else(|| Error::Cluster {
            reason: format!("no future {id}"),
        })
}

fn keep_client(client: DaskClient) -> Value {
    let id = next_handle();
    held().clients.insert(id, Arc::new(client));
    json!({"handle": id})
}

/// Runs a cell's request (see [`host`](crate::host)).
pub(crate) fn answer(request: &Value) -> Result<Value> {
    match request["op"].as_str().unwrap_or_default() {
        "connect" => Ok(keep_client(DaskClient::connect(
            request["address"].as_str().unwrap_or_default(),
        )?)),
        "local_cluster" => Ok(keep_client(DaskClient::local_cluster(
            request["workers"].as_u64().unwrap_or(1) as usize,
        )?)),
        "info" => {
            let info = client(request)?.info();
            Ok(json!({
                "scheduler": info.scheduler,
                "workers": info.workers,
                "threads": info.threads,
                "memory": info.memory,
                "dashboard": info.dashboard
            }))
        }
        "compute" => {
            let node: crate::expr::Node =
                serde_json::from_value(request["plan"].clone()).map_err(|e| Error::Cluster {
                    reason: format!("unreadable plan: {e}"),
                })?;
            let array = crate::Array::from_node(Arc::new(node));
            let work =
                client(request)?.compute(request["key"].as_str().unwrap_or("compute"), &array);
            let id = next_handle();
            held().futures.insert(id, work);
            Ok(json!({"handle": id}))
        }
        "status" => Ok(json!({"status": future(request)?.status().as_str()})),
        "wait" => {
            let timeout = Duration::from_millis(request["timeout_ms"].as_u64().unwrap_or(0));
            match future(request)?.wait(timeout) {
                None => Ok(Value::Null),
                Some(outcome) => {
                    serde_json::to_value(outcome?.into_data()).map_err(|e| Error::Cluster {
                        reason: e.to_string(),
                    })
                }
            }
        }
        "cancel" => {
            future(request)?.cancel();
            Ok(Value::Null)
        }
        "forget" => {
            held()
                .futures
                .remove(&request["future"].as_u64().unwrap_or(0));
            Ok(Value::Null)
        }
        "close" => {
            held()
                .clients
                .remove(&request["client"].as_u64().unwrap_or(0));
            Ok(Value::Null)
        }
        other => Err(Error::Cluster {
            reason: format!("unknown request {other:?}"),
        }),
    }
}
