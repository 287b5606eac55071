"""Run inside a network namespace with only loopback by test_start.py: starts a kernel, runs the
recipe's first cells and prints, as one JSON line, each cell's status and MIME types."""

import json
import sys

from kernels import recipe_cells, started
from helpers import error_text, run


def main():
    cells = []
    with started() as kc:
        for code in recipe_cells(int(sys.argv[1])):
            reply, outputs = run(kc, code, timeout=300)
            types = [sorted(c["data"]) for t, c, _ in outputs if t == "execute_result"]
            cells.append({"code": code, "status": reply["status"], "types": types,
                          "error": error_text(outputs)})
    print(json.dumps(cells))


if __name__ == "__main__":
    main()
