"""Several server processes on one listening socket: one interpreter per core, each restarted if it dies.

A single Python process serves its threads one at a time for everything but database reads and
waits (measured under 50 users: 1.1 of 2 cores busy, the requests queueing). The parent binds
the port, forks the workers after the case is prepared (no thread, no open database connection
is carried across the fork), and replaces a worker that exits; the workers die with the parent,
even one killed with SIGKILL, so no orphan keeps serving a case.
"""

from __future__ import annotations

import ctypes
import os
import signal
import socket
import sys
import time
from collections.abc import Callable

#: A worker that dies sooner than this after its start is not restarted at once (a crash at start-up).
QUICK_DEATH = 5.0


def default_cores() -> int:
    """The cores this process may use."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not Linux
        return os.cpu_count() or 1


def default_workers() -> int:
    """Two workers per core this process may use, at most eight (each keeps its own copy of the case's figures)."""
    # Measured on 2 cores under 50 users (docs/benchmarks.md): 2 processes of 8 threads p95 408 ms, 4 of 4 258 ms;
    # fewer threads per interpreter wait less for its lock, and a process waiting on the database leaves the core.
    return max(1, min(2 * default_cores(), 8))


def listen(host: str, port: int, backlog: int = 1024) -> socket.socket:
    """The listening socket every worker accepts from (the idle one accepts first)."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind((host, port))
    sock.listen(backlog)
    sock.setblocking(False)
    return sock


def supervise(count: int, work: Callable[[], None]) -> None:
    """Run `work` in `count` forked processes until SIGTERM or SIGINT; a worker that exits is replaced."""
    from django.db import connections

    connections.close_all()  # a connection shared across a fork would interleave two processes' traffic
    started: dict[int, float] = {}
    stopping = []

    def stop(signum, _frame) -> None:
        stopping.append(signum)
        raise _Stop  # out of waitpid, which Python would otherwise resume after the handler

    def spawn() -> None:
        # A signal arriving inside fork() ran the handler in the middle of Python's fork hooks and lost the new
        # worker (an outside tester's SIGTERM while 32 workers started left the server serving): held until the
        # worker is on the books.
        held = signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGTERM, signal.SIGINT})
        try:
            pid = _fork(work, held)
            started[pid] = time.monotonic()
        finally:
            signal.pthread_sigmask(signal.SIG_SETMASK, held)

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    try:
        for _ in range(count):
            spawn()
        while not stopping:
            try:
                pid, status = os.waitpid(-1, 0)
            except ChildProcessError:
                break
            if pid not in started or stopping:
                continue
            lived = time.monotonic() - started.pop(pid)
            print(f"mingdan: server worker {pid} exited ({_how(status)}) after {lived:.0f} s; starting another",
                  file=sys.stderr, flush=True)
            if lived < QUICK_DEATH:
                time.sleep(QUICK_DEATH)  # not a tight loop of crashes
            if not stopping:
                spawn()
    except _Stop:
        pass
    finally:
        signal.signal(signal.SIGTERM, signal.SIG_IGN)  # a second signal must not cut the workers' shutdown short
        signal.signal(signal.SIGINT, signal.SIG_IGN)
        for pid in started:
            try:
                os.kill(pid, signal.SIGTERM)
            except ProcessLookupError:
                pass
        for pid in started:
            try:
                os.waitpid(pid, 0)
            except ChildProcessError:
                pass


class _Stop(Exception):
    """SIGTERM or SIGINT reached the parent."""


def _fork(work: Callable[[], None], mask) -> int:
    parent = os.getpid()
    pid = os.fork()
    if pid:
        return pid
    code = 0
    try:
        signal.signal(signal.SIGTERM, signal.SIG_DFL)
        signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C reaches the whole group: the parent stops the workers
        signal.pthread_sigmask(signal.SIG_SETMASK, mask)
        die_with(parent)
        work()
    except BaseException:  # noqa: BLE001 - a worker reports its end and exits, whatever ended it
        import traceback

        traceback.print_exc()
        code = 1
    finally:
        os._exit(code)  # never return into the parent's code


def die_with(parent: int) -> None:
    """Ask the kernel to end this process when its parent ends (Linux; elsewhere the parent's signal handler does)."""
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        return
    if os.getppid() != parent:  # the parent ended before the request took effect
        os._exit(0)


def _how(status: int) -> str:
    if os.WIFSIGNALED(status):
        return f"signal {os.WTERMSIG(status)}"
    return f"status {os.waitstatus_to_exitcode(status)}"
