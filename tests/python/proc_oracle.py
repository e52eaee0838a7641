#!/usr/bin/env python3
"""CPython oracle for the processes lesson: the lesson's Python functions, run for real.

    proc_oracle.py VARIANT [key=value ...]      e.g. proc_oracle.py sigchld children=4 loop=0

This script plays Lockstep's part: it makes itself a child subreaper, forks `main`, which runs the
variant exactly as the lesson's snippet writes it (plus report() calls saying what happened), and
watches the tree: every process's STAT letter and PPID from /proc every millisecond, who reaped
whom, what the program printed. It reaps main and every orphan, as Lockstep does. It prints one
JSON object with the keys of the engine's summary (tests/lessons/test_processes.cpp compares).
"""
import ctypes
import json
import os
import select
import signal
import sys
import time
from multiprocessing import Pool

PR_SET_CHILD_SUBREAPER = 36
REPORT_W = -1
TASK_MS = 40


def report(*fields):
    # One line per write, well under PIPE_BUF: lines from different processes never interleave.
    os.write(REPORT_W, (json.dumps(fields) + "\n").encode())


def hello(index):
    report("hello", os.getpid(), os.getppid(), index)


def burn(ms):
    end = time.perf_counter() + ms / 1000
    while time.perf_counter() < end:
        pass


def fork_basics(value=1):
    pid = os.fork()
    if pid == 0:
        hello(1)
        report("child_saw", pid)
        value += 1
        report("value_in_child", value)
        os._exit(0)
    report("parent_saw", pid)
    os.waitpid(pid, 0)
    report("reaped", pid, "main", 0)
    report("value_in_parent", value)


def states(children, rounds, work_ms, sleep_ms):
    for i in range(1, children + 1):
        if os.fork() == 0:
            hello(i)
            for _ in range(rounds):
                burn(work_ms)
                time.sleep(sleep_ms / 1000)
            os._exit(0)
    for _ in range(children):
        pid, status = os.wait()
        report("reaped", pid, "main", os.waitstatus_to_exitcode(status))


def zombie(linger_ms, exit_code=7):
    pid = os.fork()
    if pid == 0:
        hello(1)
        os._exit(exit_code)
    time.sleep(linger_ms / 1000)
    _, status = os.waitpid(pid, 0)
    report("reaped", pid, "main", os.waitstatus_to_exitcode(status))


def orphan(parent_ms, orphan_ms):
    parent = os.getpid()
    if os.fork() == 0:
        hello(1)
        parent_fd = os.pidfd_open(parent)
        select.select([parent_fd], [], [])
        report("orphan_saw_ppid", os.getppid())
        time.sleep(orphan_ms / 1000)
        os._exit(0)
    time.sleep(parent_ms / 1000)
    report("done")
    os._exit(0)


def wait(children, work_ms):
    pids = []
    for i in range(1, children + 1):
        pid = os.fork()
        if pid == 0:
            hello(i)
            time.sleep(i * work_ms / 1000)
            os._exit(i)
        pids.append(pid)
    for pid in pids:
        _, status = os.waitpid(pid, 0)
        report("reaped", pid, "main", os.waitstatus_to_exitcode(status))


LOOP = True


def reap(signum, frame):
    report("handler")
    while True:
        try:
            pid, status = os.waitpid(-1, os.WNOHANG)
        except ChildProcessError:
            break
        if pid == 0:
            break
        report("reaped", pid, "main", os.waitstatus_to_exitcode(status), "handler")
        if not LOOP:
            break


def sigchld(children, linger_ms):
    signal.signal(signal.SIGCHLD, reap)
    signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGCHLD})
    pids = []
    for i in range(1, children + 1):
        pid = os.fork()
        if pid == 0:
            hello(i)
            os._exit(0)
        pids.append(pid)
    for pid in pids:
        os.waitid(os.P_PID, pid, os.WEXITED | os.WNOWAIT)
    signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGCHLD})
    time.sleep(linger_ms / 1000)


def square(x):
    report("task", os.getpid())
    burn(TASK_MS)
    return x * x


def worker_hello():
    hello(0)  # index unknown to a Pool worker: the observer numbers them by pid order


def pool(workers, tasks):
    p = Pool(workers, initializer=worker_hello)
    report("results", p.map(square, range(tasks), chunksize=1))
    p.close()
    p.join()
    for child in p._pool:  # Pool.join() reaped them; say so, as the engine's main does
        report("reaped", child.pid, "main", child.exitcode)


def read_stat(pid):
    try:
        with open(f"/proc/{pid}/stat") as f:
            text = f.read()
    except OSError:
        return None
    fields = text[text.rindex(")") + 2:].split()
    return fields[0], int(fields[1])


def main():
    global REPORT_W, LOOP, TASK_MS
    variant = sys.argv[1]
    args = {}
    for kv in sys.argv[2:]:
        k, v = kv.split("=", 1)
        args[k] = int(v)
    if variant == "sigchld":
        LOOP = bool(args.pop("loop", 1))
    if variant == "pool":
        TASK_MS = args.pop("task_ms", TASK_MS)
    fn = {"fork-basics": fork_basics, "states": states, "zombie": zombie, "orphan": orphan,
          "wait": wait, "sigchld": sigchld, "pool": pool}[variant]

    libc = ctypes.CDLL(None, use_errno=True)
    if libc.prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0) != 0:
        raise OSError(ctypes.get_errno(), "prctl(PR_SET_CHILD_SUBREAPER)")
    me = os.getpid()
    r, w = os.pipe()
    REPORT_W = w
    main_pid = os.fork()
    if main_pid == 0:
        os.close(r)
        os.setpgid(0, 0)
        hello(0)
        try:
            fn(**args)
        finally:
            report("done")
            os._exit(0)
    os.close(w)

    procs = {}  # pid -> record
    order = []
    out = {"zombies_left": None, "max_zombies": 0, "handler_calls": 0, "reaped_in_handler": 0}

    def proc(pid, index=None, ppid=None):
        if pid not in procs:
            procs[pid] = {"pid": pid, "index": index, "ppid_initial": ppid, "ppid_final": ppid,
                          "states_seen": [], "exit_code": None, "reaped_by": None, "gone": False}
            order.append(pid)
        return procs[pid]

    proc(main_pid, 0, me)

    def sample():
        z = 0  # zombies among main's children, counted before this sample reaps any
        for p in procs.values():
            if p["gone"]:
                continue
            s = read_stat(p["pid"])
            # 'X' (dead) is the instant of reaping itself: ps never shows it, the process is gone.
            if s is None or s[0] == "X":
                p["gone"] = True
                continue
            letter, ppid = s
            if not p["states_seen"] or p["states_seen"][-1] != letter:
                p["states_seen"].append(letter)
            p["ppid_final"] = ppid
            if letter == "Z" and p["pid"] != main_pid:
                z += 1
            if letter == "Z" and ppid == me:
                _, status = os.waitpid(p["pid"], 0)
                p["exit_code"] = os.waitstatus_to_exitcode(status)
                p["reaped_by"] = "lockstep"
                p["gone"] = True
        out["max_zombies"] = max(out["max_zombies"], z)
        return z

    buf = b""
    eof = False
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if not eof:
            ready, _, _ = select.select([r], [], [], 0.001)
            if ready:
                chunk = os.read(r, 65536)
                eof = not chunk
                buf += chunk
        else:
            time.sleep(0.001)
        *lines, buf = buf.split(b"\n")
        for line in lines:
            f = json.loads(line)
            kind = f[0]
            if kind == "hello":
                p = proc(f[1], f[3], f[2])
                p["ppid_initial"] = f[2]
            elif kind == "reaped":
                p = proc(f[1])
                p["reaped_by"], p["exit_code"] = f[2], f[3]
                if len(f) > 4:
                    out["reaped_in_handler"] += 1
            elif kind == "handler":
                out["handler_calls"] += 1
            elif kind == "done":
                if out["zombies_left"] is None:
                    out["zombies_left"] = sample()
            elif kind == "task":
                p = proc(f[1])
                p["tasks_done"] = p.get("tasks_done", 0) + 1
            else:
                out[kind] = f[1]
        sample()
        if eof and all(p["gone"] for p in procs.values()):
            break
    names = {}
    workers = sorted(pid for pid in order if pid != main_pid)
    for i, pid in enumerate(workers, 1):
        names[pid] = i
    result = []
    for pid in order:
        p = procs[pid]
        p.pop("gone")
        p["index"] = 0 if pid == main_pid else names[pid]
        result.append(p)
    out["processes"] = result
    out["lockstep_pid"] = me
    print(json.dumps(out))


if __name__ == "__main__":
    main()
