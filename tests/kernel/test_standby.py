"""The standby kernel: a warmed kernel process that the next kernel Jupyter launches adopts.
The launched process hands over its connection file, working directory and environment, and
then mirrors the kernel's lifetime. The tests run in order on one chain of standbys (each
adoption starts the next one) and end every standby they caused."""

import os
import pathlib
import signal
import subprocess
import time

import jupyter_client.kernelspec
import pytest

from helpers import error_text, result_text, run, stdout
from kernels import run_ok, started

# conftest.py turns standbys off for every other test; these turn them on.
ENABLED = {"TESSERA_KERNEL_STANDBY": "1", "TESSERA_KERNEL_STANDBY_IDLE": "900"}


def cache_dir():
    return pathlib.Path(os.environ.get("TESSERA_CACHE_DIR") or pathlib.Path(
        os.environ.get("XDG_CACHE_HOME") or pathlib.Path.home() / ".cache") / "tessera")


def kernel_binary():
    return jupyter_client.kernelspec.get_kernel_spec("tessera").argv[0]


def stop_standbys():
    subprocess.run([kernel_binary(), "standby", "--stop"], check=True, capture_output=True,
                   env={**os.environ, **ENABLED})


def waiting_standbys():
    folder = cache_dir() / "standby"
    return sorted(folder.glob("*.sock")) if folder.exists() else []


def wait_for_standby(timeout=900):
    """Waits until a standby kernel is warm and waiting (its socket exists)."""
    deadline = time.time() + timeout
    while time.time() < deadline:
        if waiting_standbys():
            return
        time.sleep(0.5)
    log = cache_dir() / "standby" / "standby.log"
    tail = log.read_text()[-3000:] if log.exists() else "(no log)"
    raise AssertionError(f"no standby kernel was waiting after {timeout} s; its log:\n{tail}")


def kernel_pid(kc):
    """The pid of the kernel process: the parent of the process that runs cells."""
    _, outputs = run_ok(kc, "std::os::unix::process::parent_id()")
    return int(result_text(outputs)[0])


def launched_pid(kc):
    """The pid of the process jupyter_client launched."""
    return kc.manager.provisioner.process.pid


def gone(pid, timeout=30):
    """Whether process `pid` has ended (or is a zombie) within `timeout` seconds."""
    deadline = time.time() + timeout
    while time.time() < deadline:
        try:
            state = pathlib.Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
        except FileNotFoundError:
            return True
        if state in ("Z", "X"):
            return True
        time.sleep(0.2)
    return False


@pytest.fixture(scope="module")
def first_kernel():
    """A kernel started without a standby (none is waiting): once warm, it starts one."""
    stop_standbys()
    try:
        with started(env=ENABLED) as kc:
            run_ok(kc, "let only_in_the_first_kernel = 1;")
            yield kc
    finally:
        stop_standbys()


def test_the_first_kernel_starts_without_a_standby_and_then_starts_one(first_kernel):
    assert kernel_pid(first_kernel) == launched_pid(first_kernel), "no standby to adopt"
    wait_for_standby()


def test_an_adopted_kernel_has_a_fresh_state_and_the_launchers_directory_and_env(
        first_kernel, tmp_path):
    wait_for_standby()
    env = {**ENABLED, "TESSERA_STANDBY_TEST": "set by the launcher"}
    with started(cwd=tmp_path, env=env) as kc:
        assert kernel_pid(kc) != launched_pid(kc), "the standby was adopted"
        _, outputs = run(kc, "%who")
        assert stdout(outputs) == "Interactive namespace is empty.\n"
        reply, outputs = run(kc, "only_in_the_first_kernel")
        assert reply["status"] == "error" and "cannot find value" in error_text(outputs)
        _, outputs = run_ok(kc, "std::env::current_dir().unwrap()")
        assert result_text(outputs) == [repr(str(tmp_path)).replace("'", '"')]
        _, outputs = run_ok(kc, 'std::env::var("TESSERA_STANDBY_TEST").unwrap()')
        assert result_text(outputs) == ['"set by the launcher"']
        run_ok(kc, 'std::fs::write("written-by-a-cell.txt", "x").unwrap();')
        assert (tmp_path / "written-by-a-cell.txt").read_text() == "x"
        run_ok(kc, "let y = random::normal([100, 100], [10, 10]); y.sum()?.compute()?;")


def test_killing_the_launched_process_ends_the_kernel(first_kernel):
    wait_for_standby()
    with started(env=ENABLED) as kc:
        kernel = kernel_pid(kc)
        assert kernel != launched_pid(kc), "the standby was adopted"
        os.kill(launched_pid(kc), signal.SIGKILL)
        assert gone(kernel), "the adopted kernel outlived the process Jupyter launched"


def test_interrupt_and_restart_work_in_an_adopted_kernel(first_kernel):
    wait_for_standby()
    with started(env=ENABLED) as kc:
        assert kernel_pid(kc) != launched_pid(kc), "the standby was adopted"
        run_ok(kc, "let kept = 41;")
        code = ("loop { tessera::runtime::check_interrupt()?; "
                "std::thread::sleep(std::time::Duration::from_millis(10)); }")
        msg_id = kc.execute(code)
        time.sleep(2.0)
        kc.manager.interrupt_kernel()
        reply = kc.get_shell_msg(timeout=60)
        while reply["parent_header"].get("msg_id") != msg_id:
            reply = kc.get_shell_msg(timeout=60)
        assert reply["content"]["ename"] == "KeyboardInterrupt"
        _, outputs = run_ok(kc, "kept + 1")
        assert result_text(outputs) == ["42"]
        old_kernel = kernel_pid(kc)
        wait_for_standby()
        kc.manager.restart_kernel(now=False)
        kc.wait_for_ready(timeout=120)
        assert gone(old_kernel), "the kernel before the restart ended"
        assert kernel_pid(kc) != launched_pid(kc), "the restart adopted the next standby"
        reply, _ = run(kc, "kept")
        assert reply["status"] == "error", "a restart starts from a fresh state"


def test_with_standbys_off_a_waiting_standby_is_not_adopted(first_kernel):
    wait_for_standby()
    waiting = waiting_standbys()
    with started(env={"TESSERA_KERNEL_STANDBY": "0"}) as kc:
        assert kernel_pid(kc) == launched_pid(kc), "TESSERA_KERNEL_STANDBY=0 adopted a standby"
        run_ok(kc, "ones([2], 1).sum()?.compute()?;")
    assert waiting == waiting_standbys(), "the standby is still waiting"


def test_a_stale_standby_is_not_adopted_and_ends(first_kernel):
    wait_for_standby()
    [stale] = waiting_standbys()
    # As a rebuild of the kernel would: the binary's time is part of the key.
    os.utime(kernel_binary())
    with started(env=ENABLED) as kc:
        assert kernel_pid(kc) == launched_pid(kc), "a standby of the binary before was adopted"
        run_ok(kc, "ones([2], 1).sum()?.compute()?;")
    deadline = time.time() + 60
    while stale.exists() and time.time() < deadline:
        time.sleep(0.5)
    assert not stale.exists(), "the stale standby did not end"
