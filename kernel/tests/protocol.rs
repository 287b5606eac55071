//! The protocol layer against the Jupyter messaging spec 5.3: an in-process server with a mock
//! interpreter, driven by a ZeroMQ client that signs and parses messages on its own.

mod common;

use std::time::{Duration, Instant};

use serde_json::json;
use tessera_kernel::protocol::{serve, ConnectionInfo};

use common::mock::MockInterpreter;
use common::{kinds, options, temp_history, Ch, Client, Harness, Msg};

const QUIET: Duration = Duration::from_millis(300);

fn by_type<'a>(messages: &'a [Msg], msg_type: &str) -> Vec<&'a Msg> {
    messages
        .iter()
        .filter(|m| m.msg_type() == msg_type)
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn kernel_info_reply_fields_with_busy_idle_on_shell_and_control() {
    let mut h = Harness::start(None).await;
    for ch in [Ch::Shell, Ch::Control] {
        let (reply, iopub) = h.client.request(ch, "kernel_info_request", json!({})).await;
        assert_eq!(reply.msg_type(), "kernel_info_reply");
        let c = &reply.content;
        assert_eq!(c["status"], "ok");
        assert_eq!(c["protocol_version"], "5.3");
        assert_eq!(c["implementation"], "mock");
        assert_eq!(c["implementation_version"], "0.0.1");
        assert_eq!(c["language_info"]["name"], "mock");
        assert_eq!(c["language_info"]["file_extension"], ".mock");
        assert_eq!(c["banner"], "Mock kernel");
        assert_eq!(
            c["help_links"],
            json!([{"text": "Docs", "url": "https://example.org/docs"}])
        );
        // Header of the reply: new id, our session, version, date with offset.
        assert_eq!(reply.header["version"], "5.3");
        assert_eq!(reply.header["session"], h.client.session.as_str());
        assert_ne!(reply.header["msg_id"], reply.parent_header["msg_id"]);
        assert!(reply.header["date"].as_str().unwrap().ends_with("+00:00"));
        assert_eq!(reply.parent_header["msg_type"], "kernel_info_request");
        assert_eq!(kinds(&iopub), ["status:busy", "status:idle"]);
        assert!(iopub
            .iter()
            .all(|m| m.header["username"] == "kernel" && m.header["version"] == "5.3"));
    }
    h.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn execute_publishes_input_stream_result_and_counts_up() {
    let mut h = Harness::start(None).await;
    let (reply, iopub) = h.client.execute("print(hello)", json!({})).await;
    assert_eq!(
        kinds(&iopub),
        ["status:busy", "execute_input", "stream", "status:idle"]
    );
    assert_eq!(
        iopub[1].content,
        json!({"code": "print(hello)", "execution_count": 1})
    );
    assert_eq!(
        iopub[2].content,
        json!({"name": "stdout", "text": "hello\n"})
    );
    assert_eq!(
        reply.content,
        json!({"status": "ok", "execution_count": 1, "user_expressions": {}, "payload": []})
    );

    let (reply, iopub) = h.client.execute("1 + 2", json!({})).await;
    let msg_id = reply.parent_id().to_owned();
    assert!(
        iopub.iter().all(|m| m.parent_id() == msg_id),
        "every iopub message has the request as parent"
    );
    assert_eq!(
        kinds(&iopub),
        [
            "status:busy",
            "execute_input",
            "execute_result",
            "status:idle"
        ]
    );
    assert_eq!(
        iopub[2].content,
        json!({"execution_count": 2, "data": {"text/plain": "3"}, "metadata": {}})
    );
    assert_eq!(reply.content["execution_count"], 2);

    let (_, iopub) = h.client.execute("eprint(oops)", json!({})).await;
    assert_eq!(
        by_type(&iopub, "stream")[0].content,
        json!({"name": "stderr", "text": "oops\n"})
    );

    // store_history false: runs, but does not take a new count.
    let (reply, iopub) = h
        .client
        .execute("4 + 4", json!({"store_history": false}))
        .await;
    assert_eq!(reply.content["execution_count"], 3);
    assert_eq!(
        by_type(&iopub, "execute_result")[0].content["execution_count"],
        3
    );

    // silent: nothing but busy/idle on iopub, count unchanged.
    let (reply, iopub) = h
        .client
        .execute("print(quiet)", json!({"silent": true}))
        .await;
    assert_eq!(kinds(&iopub), ["status:busy", "status:idle"]);
    assert_eq!(reply.content["status"], "ok");
    assert_eq!(reply.content["execution_count"], 3);

    let (reply, _) = h.client.execute("5 + 5", json!({})).await;
    assert_eq!(reply.content["execution_count"], 4);
    let log = h.shutdown().await;
    assert_eq!(log.executed.lock().unwrap().len(), 6);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn error_publishes_one_error_and_aborts_queued_executes() {
    let mut h = Harness::start(None).await;
    let (reply, iopub) = h.client.execute("error", json!({})).await;
    assert_eq!(
        kinds(&iopub),
        ["status:busy", "execute_input", "error", "status:idle"]
    );
    let traceback = json!(["in cell line 1", "MockError: it failed"]);
    assert_eq!(
        iopub[2].content,
        json!({"ename": "MockError", "evalue": "it failed", "traceback": traceback})
    );
    assert_eq!(
        reply.content,
        json!({"status": "error", "execution_count": 1, "ename": "MockError", "evalue": "it failed",
               "traceback": traceback, "user_expressions": {}, "payload": []})
    );

    // A failing cell with stop_on_error aborts the execute requests queued behind it, but not
    // other requests, and not requests sent after.
    let failing = h
        .client
        .send(Ch::Shell, "execute_request", json!({"code": "sleep"}))
        .await;
    tokio::time::sleep(Duration::from_millis(100)).await;
    let queued = h
        .client
        .send(
            Ch::Shell,
            "execute_request",
            json!({"code": "print(never)"}),
        )
        .await;
    let info = h
        .client
        .send(Ch::Shell, "kernel_info_request", json!({}))
        .await;
    tokio::time::sleep(Duration::from_millis(100)).await;
    h.client
        .request(Ch::Control, "interrupt_request", json!({}))
        .await;
    let replies: Vec<Msg> = [
        h.client.recv(Ch::Shell).await,
        h.client.recv(Ch::Shell).await,
        h.client.recv(Ch::Shell).await,
    ]
    .into();
    assert_eq!(replies[0].parent_id(), failing);
    assert_eq!(replies[0].content["ename"], "KeyboardInterrupt");
    assert_eq!(replies[1].parent_id(), queued);
    assert_eq!(replies[1].msg_type(), "execute_reply");
    assert_eq!(replies[1].content, json!({"status": "aborted"}));
    assert_eq!(replies[2].parent_id(), info);
    assert_eq!(replies[2].content["status"], "ok");
    assert_eq!(
        kinds(&h.client.iopub_for(&queued).await),
        ["status:busy", "status:idle"]
    );
    let (reply, _) = h.client.execute("print(after)", json!({})).await;
    assert_eq!(reply.content["status"], "ok");

    // stop_on_error false: the next queued cell runs.
    h.client
        .send(
            Ch::Shell,
            "execute_request",
            json!({"code": "error", "stop_on_error": false}),
        )
        .await;
    h.client
        .send(Ch::Shell, "execute_request", json!({"code": "print(runs)"}))
        .await;
    assert_eq!(h.client.recv(Ch::Shell).await.content["status"], "error");
    assert_eq!(h.client.recv(Ch::Shell).await.content["status"], "ok");
    let log = h.shutdown().await;
    assert!(!log
        .executed
        .lock()
        .unwrap()
        .contains(&"print(never)".to_owned()));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn display_update_clear_and_page_payload() {
    let mut h = Harness::start(None).await;
    let (reply, iopub) = h.client.execute("display", json!({})).await;
    assert_eq!(
        kinds(&iopub),
        [
            "status:busy",
            "execute_input",
            "display_data",
            "update_display_data",
            "status:idle"
        ]
    );
    assert_eq!(
        iopub[2].content,
        json!({"data": {"text/plain": "first"}, "metadata": {}, "transient": {"display_id": "d1"}})
    );
    assert_eq!(
        iopub[3].content,
        json!({"data": {"text/plain": "second"}, "metadata": {}, "transient": {"display_id": "d1"}})
    );
    assert_eq!(reply.content["status"], "ok");
    let (_, iopub) = h.client.execute("clear", json!({})).await;
    assert_eq!(
        by_type(&iopub, "clear_output")[0].content,
        json!({"wait": true})
    );
    // A page is not an output: it is the execute reply's payload.
    let (reply, iopub) = h.client.execute("page", json!({})).await;
    assert_eq!(
        kinds(&iopub),
        ["status:busy", "execute_input", "status:idle"]
    );
    assert_eq!(
        reply.content["payload"],
        json!([{"source": "page", "data": {"text/plain": "print(x): writes x"}, "start": 0}])
    );
    h.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn control_heartbeat_and_interrupt_work_while_a_cell_runs() {
    let mut h = Harness::start(None).await;
    let cell = h
        .client
        .send(Ch::Shell, "execute_request", json!({"code": "sleep"}))
        .await;
    // Wait until the cell is running (it streams "sleeping").
    loop {
        let message = h
            .client
            .try_iopub(common::TIMEOUT)
            .await
            .expect("cell output");
        if message.msg_type() == "stream" {
            assert_eq!(message.content["text"], "sleeping\n");
            break;
        }
    }
    let started = Instant::now();
    let (info, _) = h
        .client
        .request(Ch::Control, "kernel_info_request", json!({}))
        .await;
    assert_eq!(info.content["protocol_version"], "5.3");
    assert_eq!(h.client.ping(b"ping-1").await, b"ping-1");
    assert!(
        h.client
            .try_recv(Ch::Shell, Duration::from_millis(50))
            .await
            .is_none(),
        "cell still running"
    );

    let (reply, iopub) = h
        .client
        .request(Ch::Control, "interrupt_request", json!({}))
        .await;
    assert_eq!(reply.msg_type(), "interrupt_reply");
    assert_eq!(reply.content, json!({"status": "ok"}));
    assert_eq!(kinds(&iopub), ["status:busy", "status:idle"]);
    let executed = h.client.recv(Ch::Shell).await;
    assert_eq!(executed.parent_id(), cell);
    assert_eq!(executed.content["status"], "error");
    assert_eq!(executed.content["ename"], "KeyboardInterrupt");
    assert!(
        started.elapsed() < Duration::from_secs(10),
        "the interrupt stopped the 20 s cell"
    );
    let rest = h.client.iopub_for(&cell).await;
    assert_eq!(kinds(&rest), ["error", "status:idle"]);
    h.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn input_request_round_trip_not_allowed_and_interrupted() {
    let mut h = Harness::start(None).await;
    let cell = h
        .client
        .send(
            Ch::Shell,
            "execute_request",
            json!({"code": "input", "allow_stdin": true}),
        )
        .await;
    let request = h.client.recv(Ch::Stdin).await;
    assert_eq!(request.msg_type(), "input_request");
    assert_eq!(request.parent_id(), cell);
    assert_eq!(
        request.content,
        json!({"prompt": "name: ", "password": false})
    );
    let reply_header = h.client.header("input_reply");
    let frames = h
        .client
        .frames(&reply_header, &request.header, &json!({"value": "tessera"}));
    h.client.send_frames(Ch::Stdin, frames).await;
    let executed = h.client.recv(Ch::Shell).await;
    assert_eq!(executed.content["status"], "ok");
    let iopub = h.client.iopub_for(&cell).await;
    assert_eq!(
        by_type(&iopub, "stream")[0].content["text"],
        "hello tessera\n"
    );

    // allow_stdin false: the backend gets InputError::NotAllowed, no input_request is sent.
    let (reply, _) = h
        .client
        .execute("input", json!({"allow_stdin": false}))
        .await;
    assert_eq!(reply.content["ename"], "InputError");
    assert_eq!(
        reply.content["evalue"],
        "the frontend does not support input requests"
    );
    assert!(h
        .client
        .try_recv(Ch::Stdin, Duration::from_millis(100))
        .await
        .is_none());

    // An interrupt ends a pending input request.
    let cell = h
        .client
        .send(
            Ch::Shell,
            "execute_request",
            json!({"code": "input", "allow_stdin": true}),
        )
        .await;
    let request = h.client.recv(Ch::Stdin).await;
    assert_eq!(request.parent_id(), cell);
    h.client
        .request(Ch::Control, "interrupt_request", json!({}))
        .await;
    let executed = h.client.recv(Ch::Shell).await;
    assert_eq!(executed.content["ename"], "InputError");
    assert_eq!(executed.content["evalue"], "input request interrupted");
    h.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn is_complete_complete_and_inspect_replies() {
    let mut h = Harness::start(None).await;
    let cases = [
        (
            "fn main() {",
            json!({"status": "incomplete", "indent": "    "}),
        ),
        ("let x = 1;", json!({"status": "complete"})),
        ("} nope", json!({"status": "invalid"})),
        ("?", json!({"status": "unknown"})),
    ];
    for (code, expected) in cases {
        let (reply, iopub) = h
            .client
            .request(Ch::Shell, "is_complete_request", json!({"code": code}))
            .await;
        assert_eq!(reply.msg_type(), "is_complete_reply");
        assert_eq!(reply.content, expected, "{code}");
        assert_eq!(kinds(&iopub), ["status:busy", "status:idle"]);
    }

    // Cursor positions are code points: "é" counts as one.
    let (reply, _) = h
        .client
        .request(
            Ch::Shell,
            "complete_request",
            json!({"code": "é = pri", "cursor_pos": 7}),
        )
        .await;
    assert_eq!(
        reply.content,
        json!({"status": "ok", "matches": ["print", "println"], "cursor_start": 4, "cursor_end": 7, "metadata": {}})
    );

    let (reply, _) = h
        .client
        .request(
            Ch::Shell,
            "inspect_request",
            json!({"code": "print(1)", "cursor_pos": 5, "detail_level": 1}),
        )
        .await;
    assert_eq!(
        reply.content,
        json!({"status": "ok", "found": true, "data": {"text/plain": "print(x): writes x (detail 1)"}, "metadata": {}})
    );
    let (reply, _) = h
        .client
        .request(
            Ch::Shell,
            "inspect_request",
            json!({"code": "zzz", "cursor_pos": 3, "detail_level": 0}),
        )
        .await;
    assert_eq!(
        reply.content,
        json!({"status": "ok", "found": false, "data": {}, "metadata": {}})
    );
    h.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn history_tail_range_search_and_sessions_across_restarts() {
    let path = temp_history();
    let mut h = Harness::start(Some(path.clone())).await;
    for code in ["1 + 1", "print(a)", "1 + 1", "2 + 3"] {
        h.client.execute(code, json!({})).await;
    }
    h.client
        .execute("print(hidden)", json!({"store_history": false}))
        .await;
    let history = |reply: &Msg| reply.content["history"].clone();

    let (reply, iopub) = h
        .client
        .request(
            Ch::Shell,
            "history_request",
            json!({"hist_access_type": "tail", "n": 2, "output": false, "raw": true}),
        )
        .await;
    assert_eq!(reply.msg_type(), "history_reply");
    assert_eq!(reply.content["status"], "ok");
    assert_eq!(history(&reply), json!([[1, 3, "1 + 1"], [1, 4, "2 + 3"]]));
    assert_eq!(kinds(&iopub), ["status:busy", "status:idle"]);

    let (reply, _) = h
        .client
        .request(
            Ch::Shell,
            "history_request",
            json!({"hist_access_type": "tail", "n": 4, "output": true, "raw": true}),
        )
        .await;
    assert_eq!(
        history(&reply),
        json!([
            [1, 1, ["1 + 1", "2"]],
            [1, 2, ["print(a)", null]],
            [1, 3, ["1 + 1", "2"]],
            [1, 4, ["2 + 3", "5"]]
        ])
    );

    let (reply, _) = h
        .client
        .request(Ch::Shell, "history_request", json!({"hist_access_type": "range", "session": 1, "start": 2, "stop": 4, "output": false, "raw": true}))
        .await;
    assert_eq!(
        history(&reply),
        json!([[1, 2, "print(a)"], [1, 3, "1 + 1"]])
    );

    let search = |pattern: &str, unique: bool, n: Option<u64>| json!({"hist_access_type": "search", "pattern": pattern, "unique": unique, "n": n, "output": false, "raw": true});
    let (reply, _) = h
        .client
        .request(Ch::Shell, "history_request", search("1 ?*", false, None))
        .await;
    assert_eq!(history(&reply), json!([[1, 1, "1 + 1"], [1, 3, "1 + 1"]]));
    let (reply, _) = h
        .client
        .request(Ch::Shell, "history_request", search("1 ?*", true, None))
        .await;
    assert_eq!(history(&reply), json!([[1, 3, "1 + 1"]]));
    let (reply, _) = h
        .client
        .request(Ch::Shell, "history_request", search("*", false, Some(3)))
        .await;
    assert_eq!(history(&reply).as_array().unwrap().len(), 3);
    h.shutdown().await;

    // A new kernel on the same file: session 2, earlier entries still visible.
    let mut h = Harness::start(Some(path.clone())).await;
    let (reply, _) = h.client.execute("print(second)", json!({})).await;
    assert_eq!(
        reply.content["execution_count"], 1,
        "counts restart per session"
    );
    let (reply, _) = h
        .client
        .request(
            Ch::Shell,
            "history_request",
            json!({"hist_access_type": "tail", "n": 2, "output": false, "raw": true}),
        )
        .await;
    assert_eq!(
        history(&reply),
        json!([[1, 4, "2 + 3"], [2, 1, "print(second)"]])
    );
    let (reply, _) = h
        .client
        .request(
            Ch::Shell,
            "history_request",
            search("print(*)", false, None),
        )
        .await;
    assert_eq!(
        history(&reply),
        json!([[1, 2, "print(a)"], [2, 1, "print(second)"]])
    );
    let (reply, _) = h
        .client
        .request(Ch::Shell, "history_request", json!({"hist_access_type": "range", "session": -1, "start": 4, "output": false, "raw": true}))
        .await;
    assert_eq!(
        history(&reply),
        json!([[1, 4, "2 + 3"]]),
        "session -1 is the previous one"
    );
    h.shutdown().await;
    std::fs::remove_dir_all(path.parent().unwrap()).unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn bad_signature_malformed_json_and_unknown_types_do_not_run_or_crash() {
    let mut h = Harness::start(None).await;
    // Bad signature: not executed, no reply, no busy.
    let header = h.client.header("execute_request");
    let mut frames = h
        .client
        .frames(&header, &json!({}), &json!({"code": "print(forged)"}));
    frames[1] = "0".repeat(64).into_bytes();
    h.client.send_frames(Ch::Shell, frames).await;
    // Signed with another key.
    let other = h.client.header("kernel_info_request");
    let mut frames = h.client.frames(&other, &json!({}), &json!({}));
    frames[5] = br#"{"tampered": true}"#.to_vec();
    h.client.send_frames(Ch::Control, frames).await;
    assert!(h.client.try_recv(Ch::Shell, QUIET).await.is_none());
    assert!(h
        .client
        .try_recv(Ch::Control, Duration::from_millis(50))
        .await
        .is_none());
    assert!(
        h.client
            .try_iopub(Duration::from_millis(50))
            .await
            .is_none(),
        "no busy for a forged message"
    );

    // Correctly signed but malformed JSON, too few frames, no delimiter.
    let signature = h.client.sign([b"{not json", b"{}", b"{}", b"{}"]);
    let malformed = vec![
        b"<IDS|MSG>".to_vec(),
        signature.into_bytes(),
        b"{not json".to_vec(),
        b"{}".to_vec(),
        b"{}".to_vec(),
        b"{}".to_vec(),
    ];
    h.client.send_frames(Ch::Shell, malformed).await;
    h.client
        .send_frames(Ch::Shell, vec![b"<IDS|MSG>".to_vec(), b"sig".to_vec()])
        .await;
    h.client
        .send_frames(Ch::Control, vec![b"just one frame".to_vec()])
        .await;
    // A well-formed request with a mistyped field gets an error reply.
    let (reply, _) = h
        .client
        .request(Ch::Shell, "execute_request", json!({"code": 42}))
        .await;
    assert_eq!(reply.msg_type(), "execute_reply");
    assert_eq!(reply.content["status"], "error");
    assert_eq!(reply.content["ename"], "BadRequest");
    // Unknown message types: busy/idle, no reply.
    let unknown = h
        .client
        .send(Ch::Shell, "frobnicate_request", json!({}))
        .await;
    assert_eq!(
        kinds(&h.client.iopub_for(&unknown).await),
        ["status:busy", "status:idle"]
    );
    let unknown = h
        .client
        .send(
            Ch::Control,
            "debug_request",
            json!({"command": "initialize"}),
        )
        .await;
    assert_eq!(
        kinds(&h.client.iopub_for(&unknown).await),
        ["status:busy", "status:idle"]
    );
    assert!(h.client.try_recv(Ch::Shell, QUIET).await.is_none());
    assert!(h
        .client
        .try_recv(Ch::Control, Duration::from_millis(50))
        .await
        .is_none());

    // Still alive and serving; the forged cell never ran.
    let (reply, _) = h.client.execute("print(alive)", json!({})).await;
    assert_eq!(reply.content["status"], "ok");
    assert_eq!(
        reply.content["execution_count"], 1,
        "no forged or malformed cell took a count"
    );
    let log = h.shutdown().await;
    assert_eq!(*log.executed.lock().unwrap(), ["print(alive)"]);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_20_mb_message_is_handled() {
    let mut h = Harness::start(None).await;
    let code = "x".repeat(20 * 1024 * 1024);
    let (reply, iopub) = h.client.execute(&code, json!({})).await;
    assert_eq!(reply.content["status"], "ok");
    let input = by_type(&iopub, "execute_input");
    assert_eq!(input[0].content["code"].as_str().unwrap().len(), code.len());
    let result = by_type(&iopub, "execute_result");
    assert_eq!(
        result[0].content["data"]["text/plain"],
        format!("{} chars", code.len())
    );
    let (reply, _) = h
        .client
        .request(Ch::Shell, "is_complete_request", json!({"code": code}))
        .await;
    assert_eq!(reply.content["status"], "complete");
    h.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn heartbeat_echoes_every_ping() {
    let mut h = Harness::start(None).await;
    for payload in [&b"ping"[..], b"", &[0u8, 255, 7][..]] {
        assert_eq!(h.client.ping(payload).await, payload);
    }
    h.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn comm_open_to_unknown_target_is_closed_and_comm_info_stays_empty() {
    let mut h = Harness::start(None).await;
    let (reply, _) = h
        .client
        .request(Ch::Shell, "comm_info_request", json!({}))
        .await;
    assert_eq!(reply.content, json!({"status": "ok", "comms": {}}));
    let open = h
        .client
        .send(
            Ch::Shell,
            "comm_open",
            json!({"comm_id": "c-1", "target_name": "jupyter.widget", "data": {}}),
        )
        .await;
    let iopub = h.client.iopub_for(&open).await;
    assert_eq!(kinds(&iopub), ["status:busy", "comm_close", "status:idle"]);
    assert_eq!(iopub[1].content, json!({"comm_id": "c-1", "data": {}}));
    let (reply, _) = h
        .client
        .request(
            Ch::Shell,
            "comm_info_request",
            json!({"target_name": "jupyter.widget"}),
        )
        .await;
    assert_eq!(reply.content, json!({"status": "ok", "comms": {}}));
    let msg = h
        .client
        .send(
            Ch::Shell,
            "comm_msg",
            json!({"comm_id": "c-1", "data": {"x": 1}}),
        )
        .await;
    assert_eq!(
        kinds(&h.client.iopub_for(&msg).await),
        ["status:busy", "status:idle"]
    );
    let close = h
        .client
        .send(
            Ch::Shell,
            "comm_close",
            json!({"comm_id": "c-1", "data": {}}),
        )
        .await;
    assert_eq!(
        kinds(&h.client.iopub_for(&close).await),
        ["status:busy", "status:idle"]
    );
    assert!(
        h.client.try_recv(Ch::Shell, QUIET).await.is_none(),
        "comm messages get no reply"
    );
    h.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_panicking_interpreter_fails_the_cell_not_the_kernel() {
    let mut h = Harness::start(None).await;
    let (reply, iopub) = h.client.execute("panic", json!({})).await;
    assert_eq!(reply.content["status"], "error");
    assert_eq!(reply.content["ename"], "InterpreterError");
    assert_eq!(by_type(&iopub, "error").len(), 1);
    let (reply, _) = h.client.execute("1 + 1", json!({})).await;
    assert_eq!(reply.content["status"], "ok");
    assert_eq!(reply.content["execution_count"], 2);
    h.shutdown().await;
}

/// Free loopback ports for `serve`, which binds the ports it is given.
fn free_ports() -> Vec<u16> {
    let listeners: Vec<_> = (0..5)
        .map(|_| std::net::TcpListener::bind("127.0.0.1:0").unwrap())
        .collect();
    listeners
        .iter()
        .map(|l| l.local_addr().unwrap().port())
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn shutdown_request_makes_serve_return() {
    for (channel, restart) in [(Ch::Control, true), (Ch::Shell, false)] {
        let ports = free_ports();
        let connection = ConnectionInfo::from_json(
            &json!({
                "ip": "127.0.0.1", "transport": "tcp", "shell_port": ports[0], "iopub_port": ports[1],
                "stdin_port": ports[2], "control_port": ports[3], "hb_port": ports[4],
                "key": "shutdown-key", "signature_scheme": "hmac-sha256", "kernel_name": "mock"
            })
            .to_string(),
        )
        .unwrap();
        let (interpreter, log) = MockInterpreter::new();
        let server = tokio::spawn(serve(
            connection.clone(),
            Box::new(interpreter),
            options(None),
        ));
        let mut client = Client::connect(&connection).await;
        client.wait_ready().await;
        let (reply, iopub) = client
            .request(channel, "shutdown_request", json!({"restart": restart}))
            .await;
        assert_eq!(reply.msg_type(), "shutdown_reply");
        assert_eq!(reply.content, json!({"status": "ok", "restart": restart}));
        assert_eq!(kinds(&iopub), ["status:busy", "status:idle"]);
        let ended = tokio::time::timeout(common::TIMEOUT, server)
            .await
            .expect("serve returned");
        ended.unwrap().unwrap();
        assert_eq!(*log.shutdowns.lock().unwrap(), [restart]);
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn shutdown_while_a_cell_runs_interrupts_it() {
    let h = Harness::start(None).await;
    let mut h = h;
    h.client
        .send(Ch::Shell, "execute_request", json!({"code": "sleep"}))
        .await;
    loop {
        let message = h
            .client
            .try_iopub(common::TIMEOUT)
            .await
            .expect("cell output");
        if message.msg_type() == "stream" {
            break;
        }
    }
    let started = Instant::now();
    let log = h.shutdown().await;
    assert!(
        started.elapsed() < Duration::from_secs(4),
        "did not wait for the 20 s cell"
    );
    assert_eq!(*log.shutdowns.lock().unwrap(), [false]);
}

/// Not run by default: serves the mock interpreter on the connection file named on the command
/// line, so real Jupyter clients (jupyter_client, jupyter_kernel_test) can drive the protocol
/// layer without evcxr. A kernelspec for it:
///
/// ```text
/// {"argv": ["<target>/release/deps/protocol-<hash>", "--ignored", "--exact", "--nocapture",
///           "mock_kernel_for_python_clients", "{connection_file}"],
///  "display_name": "mock", "language": "mock"}
/// ```
///
/// (libtest takes the connection file as one more name filter, which matches no test.)
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "serves a mock kernel for Python clients; started by a kernelspec"]
async fn mock_kernel_for_python_clients() {
    let Some(file) = std::env::args().skip(1).find(|arg| arg.ends_with(".json")) else {
        return eprintln!("mock_kernel_for_python_clients: no connection file argument");
    };
    let connection = ConnectionInfo::from_file(&file).unwrap();
    let (interpreter, _) = MockInterpreter::new();
    let history = std::env::var_os("MOCK_KERNEL_HISTORY")
        .map(Into::into)
        .unwrap_or_else(temp_history);
    serve(connection, Box::new(interpreter), options(Some(history)))
        .await
        .unwrap();
}
