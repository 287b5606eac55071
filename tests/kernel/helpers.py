"""Running cells through jupyter_client and reading what came back."""

import time


def run(kc, code, timeout=120):
    """Executes `code`; returns (reply content, [(msg_type, content, seconds since sent)])."""
    outputs = []
    start = time.time()

    def hook(msg):
        if msg["msg_type"] not in ("status", "execute_input"):
            outputs.append((msg["msg_type"], msg["content"], time.time() - start))

    reply = kc.execute_interactive(code, timeout=timeout, output_hook=hook)
    return reply["content"], outputs


def result_text(outputs):
    """The text/plain of every execute_result."""
    return [c["data"]["text/plain"] for t, c, _ in outputs if t == "execute_result"]


def stdout(outputs):
    """Everything the cell wrote to stdout, joined."""
    return "".join(c["text"] for t, c, _ in outputs if t == "stream" and c["name"] == "stdout")


def error_text(outputs):
    """The tracebacks of every error output, joined."""
    return "\n".join("\n".join(c["traceback"]) for t, c, _ in outputs if t == "error")
