"""The import worker: a second process that validates a file and hands the writer ready rows.

One interpreter cannot validate and write at once (the GIL serialises them), so a large import
runs its validation here, on the other core, while the importing process only writes. The
worker never touches the database: it reads the job from stdin and writes length-prefixed
pickled messages to stdout, which only its parent reads. If the parent dies, the next write
fails and the worker exits with it.
"""

from __future__ import annotations

import pickle
import struct
import subprocess
import sys
import traceback
from collections.abc import Iterator
from typing import BinaryIO

from .rows import RowBuilder, build_rows
from .validate import RowValidator

_LENGTH = struct.Struct("<Q")


def send(stream: BinaryIO, message: tuple) -> None:
    """Write one message."""
    data = pickle.dumps(message, protocol=pickle.HIGHEST_PROTOCOL)
    stream.write(_LENGTH.pack(len(data)))
    stream.write(data)


def receive(stream: BinaryIO):
    """Read one message, or None at the end of the stream."""
    head = stream.read(_LENGTH.size)
    if len(head) < _LENGTH.size:
        return None
    (size,) = _LENGTH.unpack(head)
    data = stream.read(size)
    if len(data) < size:
        return None
    return pickle.loads(data)  # only from the worker this process started itself


class Worker:
    """A running worker process, given its job; `messages()` yields what it sends."""

    def __init__(self, job: dict):
        self.process = subprocess.Popen([sys.executable, "-m", "mingdan.ingest.worker"],
                                        stdin=subprocess.PIPE, stdout=subprocess.PIPE, bufsize=1 << 20)
        send(self.process.stdin, (job,))
        self.process.stdin.close()

    def messages(self) -> Iterator[tuple]:
        """The worker's messages until it is done; raises what the worker raised."""
        while True:
            message = receive(self.process.stdout)
            if message is None:
                code = self.process.wait()
                raise RuntimeError(f"the import worker stopped without finishing (exit code {code})")
            if message[0] == "failed":
                raise message[1]
            yield message
            if message[0] == "done":
                return

    def stop(self) -> None:
        """End the worker, whatever state it is in."""
        if self.process.poll() is None:
            self.process.kill()
        self.process.stdout.close()
        self.process.wait()


def run(job: dict, out: BinaryIO) -> None:
    """Validate the job's table and send its rows in batches, then the outcome."""
    table = job["table"]
    validator = RowValidator(job["mapping"], table.header, job["file"])
    builder = RowBuilder(**job["builder"])
    rows, rejected = build_rows(
        table, validator, builder, job["write_after_problem"],
        emit=lambda batch: batch and send(out, ("batch", batch)),
        progress=lambda rows: send(out, ("progress", rows)))
    send(out, ("done", {"rows": rows, "rejected": rejected, "counts": builder.counts,
                        "records": len(validator.records), "blank_rows": table.blank_rows,
                        "skipped": table.skipped,
                        "script_doubts": table.script_doubts, "names_kept_whole": table.names_kept_whole,
                        "relations": builder.relations,
                        # Only a failing import needs the file's record ids (to check its relations at once).
                        "record_ids": [*validator.records, *validator.rejected_ids]
                        if rejected and not job["write_after_problem"] and builder.relations else [],
                        # A refused row's relation_of is checked after the import (its record ids, once written,
                        # are in the database; the refused rows' are not).
                        "rejected_ids": list(validator.rejected_ids) if validator.refused_relations else []}))


def main() -> None:
    """Entry point of `python -m mingdan.ingest.worker`."""
    out = sys.stdout.buffer
    (job,) = receive(sys.stdin.buffer)
    try:
        run(job, out)
    except BrokenPipeError:
        sys.exit(1)  # the importing process is gone; nothing to report to
    except BaseException as exc:  # handed to the importing process, which rolls back
        try:
            pickle.dumps(exc)
        except Exception:
            exc = RuntimeError(f"the import worker failed:\n{traceback.format_exc()}")
        send(out, ("failed", exc))
    out.flush()


if __name__ == "__main__":
    main()
