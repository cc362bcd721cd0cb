"""Execute myonn's notebooks headlessly with Deno's Jupyter kernel, cell by cell.

Run by `deno task notebooks` (notebooks/run.ts) with Debian's python3 and its
jupyter-client and nbformat packages. Written with jupyter_client directly rather than
`nbconvert --execute`: the Deno kernel sometimes reports "idle" before a cell's last
output arrives, and nbconvert then drops outputs; here each cell's messages are read
until idle and then for a short quiet period after it.

    python3 notebooks/run_notebooks.py NOTEBOOK... [--out DIR] [--timeout SECONDS]

Exits 1 on the first cell error (naming the notebook and cell); prints one JSON line per
notebook: its name, cells, seconds, and the slowest cell's seconds.
"""
import json
import os
import queue
import sys
import time

import nbformat
from jupyter_client.manager import KernelManager

QUIET = 0.5  # seconds of silence after "idle" before a cell's outputs are taken as complete


def outputs_of(client, msg_id, timeout):
    outputs, idle_at = [], None
    deadline = time.time() + timeout
    while True:
        if time.time() > deadline:
            raise TimeoutError(f"the cell took more than {timeout} s")
        try:
            msg = client.get_iopub_msg(timeout=QUIET if idle_at else 1)
        except queue.Empty:
            if idle_at:
                return outputs
            continue
        if msg["parent_header"].get("msg_id") != msg_id:
            continue
        kind, content = msg["msg_type"], msg["content"]
        if kind == "status" and content["execution_state"] == "idle":
            idle_at = time.time()
        elif kind == "stream":
            if outputs and outputs[-1].get("output_type") == "stream" and outputs[-1]["name"] == content["name"]:
                outputs[-1]["text"] += content["text"]
            else:
                outputs.append(nbformat.v4.new_output("stream", name=content["name"], text=content["text"]))
        elif kind in ("display_data", "execute_result"):
            output = nbformat.v4.new_output(kind, data=content["data"], metadata=content.get("metadata", {}))
            if kind == "execute_result":
                output["execution_count"] = content.get("execution_count")
            outputs.append(output)
        elif kind == "error":
            outputs.append(nbformat.v4.new_output("error", ename=content["ename"], evalue=content["evalue"],
                                                  traceback=content["traceback"]))


def run(path, out_dir, timeout):
    notebook = nbformat.read(path, as_version=4)
    manager = KernelManager(kernel_name="deno")
    manager.start_kernel(cwd=os.path.dirname(os.path.abspath(path)), env={**os.environ, "NO_COLOR": "1"})
    client = manager.client()
    client.start_channels()
    client.wait_for_ready(timeout=60)
    started, slowest, count = time.time(), 0.0, 0
    try:
        for index, cell in enumerate(notebook.cells):
            if cell.cell_type != "code":
                continue
            count += 1
            cell_started = time.time()
            msg_id = client.execute(cell.source)
            cell.outputs = outputs_of(client, msg_id, timeout)
            cell.execution_count = count
            slowest = max(slowest, time.time() - cell_started)
            for output in cell.outputs:
                if output.output_type == "error":
                    print(f"{path}: cell {index + 1} failed: {output.ename}: {output.evalue}", file=sys.stderr)
                    sys.exit(1)
    finally:
        client.stop_channels()
        manager.shutdown_kernel(now=True)
    target = os.path.join(out_dir, os.path.basename(path)) if out_dir else path
    nbformat.write(notebook, target)
    print(json.dumps({"notebook": os.path.basename(path), "cells": count,
                      "seconds": round(time.time() - started, 1), "slowestCell": round(slowest, 1)}))


def main(args):
    out_dir, timeout, paths = None, 60, []
    while args:
        arg = args.pop(0)
        if arg == "--out":
            out_dir = args.pop(0)
        elif arg == "--timeout":
            timeout = float(args.pop(0))
        else:
            paths.append(arg)
    for path in paths:
        run(path, out_dir, timeout)


if __name__ == "__main__":
    main(sys.argv[1:])
