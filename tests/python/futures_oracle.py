#!/usr/bin/env python3
"""CPython oracle for the futures lesson's `script` variant (the transcript contract).

    futures_oracle.py TASKS WORKERS MODE CANCEL [EXECUTOR [WORK]]
                                                     e.g. futures_oracle.py "100,50!,200" 2 as_completed 1

TASKS: comma-separated durations in ms; a duration ending in "!" raises ValueError(f"task {i}") after
sleeping. Task i sleeps its duration and returns i * 10. MODE: as_completed | map | wait_first | shutdown
(shutdown(wait=False, cancel_futures=True), then every result in submission order).
CANCEL: index of a task to cancel right after all were submitted, or -1. EXECUTOR: threads
(ThreadPoolExecutor, the default) | processes (ProcessPoolExecutor, fork start method). WORK: sleep (the
default) | cpu (the task computes for its duration of CPU time instead of sleeping).
Prints {"transcript": [...]}.
"""
import json
import sys
import time
import multiprocessing
import threading
from concurrent.futures import (FIRST_COMPLETED, CancelledError, ProcessPoolExecutor, ThreadPoolExecutor,
                                as_completed, wait)


def task(i, ms, raises, cpu=False):
    if cpu:
        end = time.thread_time() + ms / 1000
        while time.thread_time() < end:
            pass
    else:
        time.sleep(ms / 1000)
    if raises:
        raise ValueError(f"task {i}")
    return i * 10


def outcome(f):
    try:
        return str(f.result())
    except CancelledError:
        return "cancelled"
    except ValueError:
        return "ValueError"


def main():
    specs = [s.strip() for s in sys.argv[1].split(",")]
    workers, mode, cancel = int(sys.argv[2]), sys.argv[3], int(sys.argv[4])
    executor = sys.argv[5] if len(sys.argv) > 5 else "threads"
    cpu = len(sys.argv) > 6 and sys.argv[6] == "cpu"
    out = []
    if executor == "processes":
        pool = ProcessPoolExecutor(max_workers=workers, mp_context=multiprocessing.get_context("fork"))
    else:
        pool = ThreadPoolExecutor(max_workers=workers)
    with pool as ex:
        fs = [ex.submit(task, i, int(s.rstrip("!")), s.endswith("!"), cpu) for i, s in enumerate(specs)]
        if cancel >= 0:
            out.append(f"cancel {cancel}: {fs[cancel].cancel()}")
        index = {f: i for i, f in enumerate(fs)}
        if mode == "as_completed":
            for f in as_completed(fs):
                out.append(f"{index[f]}: {outcome(f)}")
        elif mode == "map":
            # Executor.map's iterator over these futures: in order, ended by the first exception,
            # the rest cancelled when it closes.
            for i, f in enumerate(fs):
                r = outcome(f)
                f.cancel()
                out.append(f"{i}: {r}")
                if r in ("ValueError", "cancelled"):
                    for g in fs[i + 1:]:
                        g.cancel()
                    break
        elif mode == "shutdown":
            ex.shutdown(wait=False, cancel_futures=True)
            out.append("shutdown returned")
            for i, f in enumerate(fs):
                out.append(f"{i}: {outcome(f)}")
        else:
            done, pending = wait(fs, return_when=FIRST_COMPLETED)
            out.append("done: [" + ", ".join(str(index[f]) for f in sorted(done, key=index.get)) + "]")
            out.append(f"pending: {len(pending)}")
    print(json.dumps({"transcript": out}))


if __name__ == "__main__":
    main()
