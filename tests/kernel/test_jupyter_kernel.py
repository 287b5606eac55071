"""The tessera kernel against jupyter_kernel_test: a real jupyter_client drives the installed
kernelspec `tessera` over ZeroMQ and checks every reply against the messaging spec."""

import unittest

import jupyter_kernel_test as jkt


class TesseraKernelTests(jkt.KernelTests):
    kernel_name = "tessera"
    language_name = "rust"
    file_extension = ".rs"

    code_hello_world = 'println!("hello, world");'
    code_stderr = 'eprintln!("to stderr");'

    completion_samples = [
        {"text": "let numbers: Vec<i32> = vec![1]; numbers.is_emp", "matches": {"is_empty()"}},
    ]
    complete_code_samples = ["let x = 1;", "fn f() -> i32 { 1 }", "let s = \"}\";"]
    incomplete_code_samples = ["fn f() {", "let v = vec![1,", "let s = \"open"]
    invalid_code_samples = ["let v = (1, 2];", "}"]

    code_page_something = "Vec?"
    code_generate_error = 'let x: i32 = "not a number";'
    code_execute_result = [
        {"code": "6 * 7", "result": "42"},
        {"code": "ones([4, 6], [2, 3]).npartitions()", "result": "4"},
    ]
    code_display_data = [
        {"code": 'tessera::display::display(&tessera::display::MimeBundle::new().with("text/html", "<b>hi</b>"), None);', "mime": "text/html"},
    ]
    code_history_pattern = "6 * ?"
    supported_history_operations = ("tail", "range", "search")
    code_inspect_sample = "Vec::new"
    code_clear_output = "tessera::display::clear_output(false);"

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # jupyter_kernel_test gives each execution 15 s; the first one waits for evcxr to start
        # in the background, which takes longer than that on a loaded machine. Wait for it here
        # (the protocol checks are about replies, not start-up time).
        cls.kc.execute_interactive("()", timeout=300, output_hook=lambda msg: None)


if __name__ == "__main__":
    unittest.main()
