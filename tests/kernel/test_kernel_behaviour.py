"""The tessera kernel as a notebook user meets it: errors keep variables, output streams as it
is produced (partial lines too), engine displays arrive during the cell, arrays print as dask's
repr. Driven through a real jupyter_client against the installed kernelspec."""

import time

from helpers import result_text, run


def test_arrays_print_like_dask(kernel):
    reply, outputs = run(kernel, "let y = random::normal([10000, 10000], [1000, 1000]);")
    assert reply["status"] == "ok"
    reply, outputs = run(kernel, "y")
    assert result_text(outputs) == [
        "tessera.Array<normal, shape=(10000, 10000), dtype=float64, chunksize=(1000, 1000)>"
    ]
    reply, outputs = run(kernel, "y.mean_axis(0)?.slice(s![0..100])?.compute()?.len()")
    assert result_text(outputs) == ["100"]


def test_compile_error_keeps_all_variables(kernel):
    run(kernel, "let kept = 41;")
    reply, outputs = run(kernel, 'let broken: i32 = "text";')
    assert reply["status"] == "error"
    assert reply["ename"] == "CompileError"
    errors = [c for t, c, _ in outputs if t == "error"]
    assert len(errors) == 1
    traceback = "\n".join(errors[0]["traceback"])
    assert "mismatched types" in traceback
    assert 'let broken: i32 = "text";' in traceback  # the cell's own line is shown
    assert "line 1, column 19" in traceback
    reply, outputs = run(kernel, "kept + 1")
    assert result_text(outputs) == ["42"]


def test_panic_fails_the_cell_and_keeps_earlier_variables(kernel):
    run(kernel, "let before = vec![1, 2, 3];")
    reply, outputs = run(kernel, 'let during = 5; panic!("boom {}", 7);')
    assert reply["status"] == "error"
    assert (reply["ename"], reply["evalue"]) == ("Panic", "boom 7")
    reply, outputs = run(kernel, "before.len()")
    assert result_text(outputs) == ["3"]


def test_engine_errors_are_cell_errors_not_crashes(kernel):
    reply, outputs = run(kernel, "(ones([3, 4], 2) + ones([5], 5)).sum()?")
    assert reply["status"] == "error"
    text = "\n".join("\n".join(c["traceback"]) for t, c, _ in outputs if t == "error")
    assert "operands could not be broadcast together with shapes (3, 4) (5,)" in text
    streams = [c["text"] for t, c, _ in outputs if t == "stream"]
    assert not any("broadcast" in s for s in streams), "the error is shown once, as the error"
    reply, outputs = run(kernel, "6 * 7")
    assert result_text(outputs) == ["42"]


def test_stderr_lines_still_stream(kernel):
    reply, outputs = run(kernel, 'eprintln!("first"); std::thread::sleep(std::time::Duration::from_millis(600)); eprintln!("last");')
    stderr = [(c["text"], at) for t, c, at in outputs if t == "stream" and c["name"] == "stderr"]
    assert [text for text, _ in stderr] == ["first\n", "last\n"]
    assert stderr[1][1] - stderr[0][1] > 0.3, "the first line was sent while the cell ran"


def test_partial_lines_stream_as_they_are_flushed(kernel):
    code = (
        'print!("working... "); std::io::Write::flush(&mut std::io::stdout()).unwrap();'
        " std::thread::sleep(std::time::Duration::from_millis(600));"
        ' println!("done");'
    )
    reply, outputs = run(kernel, code)
    streams = [(c["text"], t_) for t, c, t_ in outputs if t == "stream"]
    assert [text for text, _ in streams] == ["working... ", "done\n"]
    # the partial line arrived while the cell was still sleeping
    assert streams[1][1] - streams[0][1] > 0.4


def test_engine_displays_arrive_during_the_cell(kernel):
    code = (
        'tessera::display::display(&tessera::display::MimeBundle::new()'
        '.with("text/plain", "0%").with("text/html", "<b>0%</b>"), Some("bar"));'
        " std::thread::sleep(std::time::Duration::from_millis(300));"
        ' tessera::display::update_display(&tessera::display::MimeBundle::new()'
        '.with("text/plain", "100%"), "bar");'
    )
    reply, outputs = run(kernel, code)
    kinds = [(t, c.get("transient", {}).get("display_id"), c["data"]["text/plain"]) for t, c, _ in outputs]
    assert kinds == [("display_data", "bar", "0%"), ("update_display_data", "bar", "100%")]


def interrupt_after(kc, code, seconds):
    """Starts `code`, interrupts it after `seconds`; returns (reply content, seconds to reply)."""
    msg_id = kc.execute(code)
    time.sleep(seconds)
    start = time.time()
    kc.manager.interrupt_kernel()  # interrupt_mode "message": an interrupt_request on control
    reply = kc.get_shell_msg(timeout=30)
    while reply["parent_header"].get("msg_id") != msg_id:
        reply = kc.get_shell_msg(timeout=30)
    return reply["content"], time.time() - start


def test_interrupting_a_computation_keeps_the_variables(kernel):
    run(kernel, "let survivor = 41;")
    # 320 GB of uniform values: many seconds of work, in chunk tasks of a few ms.
    code = "random::uniform([400000, 100000], [10000, 10000]).mean()?.compute()?"
    reply, seconds = interrupt_after(kernel, code, 2.0)
    # Left alone the computation runs for minutes; stopping within seconds shows the interrupt
    # cut it short (the bound leaves room for a loaded machine: 2.1 s seen at load 8).
    assert seconds < 10.0, f"the computation took {seconds:.2f} s to stop"
    assert (reply["status"], reply["ename"]) == ("error", "KeyboardInterrupt")
    assert "variables are kept" in reply["evalue"]
    reply, outputs = run(kernel, "survivor + 1")
    assert result_text(outputs) == ["42"]


def test_an_interrupt_while_the_cell_compiles_stops_it_as_it_starts(kernel):
    # Sent at once, the interrupt reaches the kernel while the cell is still compiling: it is
    # held until the cell runs, so the loop (which looks at the flag) stops by itself.
    run(kernel, "let kept_through = 41;")
    code = ("let mut turns = 0u64; loop { turns += 1; tessera::runtime::check_interrupt()?; "
            "std::thread::sleep(std::time::Duration::from_millis(10)); }")
    reply, seconds = interrupt_after(kernel, code, 0.0)
    assert (reply["status"], reply["ename"]) == ("error", "KeyboardInterrupt"), reply
    assert "variables are kept" in reply["evalue"]
    reply, outputs = run(kernel, "kept_through + 1")
    assert result_text(outputs) == ["42"]


def test_settings_hold_across_cells(kernel):
    run(kernel, "tessera::config::set_chunk_size(64 << 20);")
    reply, outputs = run(kernel, "tessera::config::chunk_size()")
    assert result_text(outputs) == [str(64 << 20)]
    reply, outputs = run(kernel, "random::normal([10000, 10000], \"auto\").chunksize()")
    assert result_text(outputs) == ["[2896, 2896]"]
    run(kernel, "tessera::config::set_chunk_size(tessera::config::DEFAULT_CHUNK_SIZE);")


def test_interrupt_stops_a_running_cell_and_the_kernel_goes_on(kernel):
    # A plain sleep never looks at the interrupt flag: the process is restarted after the grace.
    reply, seconds = interrupt_after(kernel, "std::thread::sleep(std::time::Duration::from_secs(60));", 1.5)
    assert seconds < 5
    assert reply["status"] == "error"
    assert reply["ename"] == "ProcessRestarted"
    assert "variables were lost" in reply["evalue"]
    # the kernel answers again, and panics are still reported as cell errors
    reply, outputs = run(kernel, "6 * 7")
    assert result_text(outputs) == ["42"]
    reply, outputs = run(kernel, 'panic!("after restart");')
    assert (reply["status"], reply["ename"]) == ("error", "Panic")


THREADS = (
    'std::fs::read_to_string("/proc/self/status").unwrap().lines()'
    '.find(|l| l.starts_with("Threads:")).unwrap().split_whitespace().nth(1).unwrap()'
    ".parse::<usize>().unwrap()"
)


def test_computations_do_not_leave_threads_behind(kernel):
    """evcxr gives every cell its own copy of the engine: computations must not leave a pool of
    worker threads behind per cell."""
    run(kernel, "ones([100, 100], 10).sum()?.compute()?;")
    time.sleep(0.5)
    before = int(result_text(run(kernel, THREADS)[1])[0])
    for _ in range(4):
        reply, _ = run(kernel, "ones([100, 100], 10).sum()?.compute()?;")
        assert reply["status"] == "ok"
    time.sleep(0.5)
    after = int(result_text(run(kernel, THREADS)[1])[0])
    assert after <= before, f"{before} threads before, {after} after four computing cells"


def test_user_expressions_are_evaluated_after_the_cell(kernel):
    msg_id = kernel.execute("let ue = 20;", user_expressions={"double": "ue * 2", "bad": "no_such_name"})
    reply = kernel.get_shell_msg(timeout=120)
    while reply["parent_header"].get("msg_id") != msg_id:
        reply = kernel.get_shell_msg(timeout=120)
    expressions = reply["content"]["user_expressions"]
    assert expressions["double"] == {"status": "ok", "data": {"text/plain": "40"}, "metadata": {}}
    assert expressions["bad"]["status"] == "error" and expressions["bad"]["ename"] == "CompileError"


def test_arrays_built_in_different_cells_combine(kernel):
    """Each cell has its own copy of the engine: plan node ids must still be unique across
    cells, or two arrays from different cells would be taken for one."""
    run(kernel, "let made_first = ones([4], 2) * 3.0;")
    run(kernel, "let made_second = arange(0.0, 4.0, 1.0, 2);")
    reply, outputs = run(kernel, "(&made_first + &made_second).compute()?")
    assert result_text(outputs) == ["[3, 4, 5, 6]"]
