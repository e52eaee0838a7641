#!/usr/bin/env python3
"""The oracle for the `gil` lesson: measures on this machine, with the real CPython, what the lesson's
engine models, so tests can check that the engine behaves the same way.

  * ns per turn of `while n > 0: n -= 1`
  * wall time of count(n) twice in one thread, in two threads, in two processes
  * GIL switches per second with two CPU-bound threads, at given sys.setswitchinterval values
  * the convoy effect: latency of a socketpair round trip to an echo process, alone and beside a
    CPU-bound thread, at given switch intervals

Prints one JSON object. Only ratios from one run are meant to be compared: absolute times depend on
the machine and on its load.
"""

import argparse
import json
import multiprocessing
import os
import resource
import socket
import statistics
import sys
import threading
import time


def count(n):
    while n > 0:
        n -= 1


def ns_per_turn(n):
    # The fastest of a few runs, in this thread's CPU time: on a shared machine the thread may
    # lose its core for a while, and that is not what one turn costs.
    best = None
    for _ in range(3):
        t0 = time.thread_time_ns()
        count(n)
        dt = time.thread_time_ns() - t0
        best = dt if best is None else min(best, dt)
    return best / n


# Each of the three returns the CPU time its counting took, in ns: wall times divided by the CPU
# cost of a turn in the same run compare runs made while the core ran at different speeds.
def cpu_sequential(n):
    t0 = time.thread_time_ns()
    count(n)
    count(n)
    return time.thread_time_ns() - t0


def count_timed(n, cpu):
    t0 = time.thread_time_ns()
    count(n)
    cpu.append(time.thread_time_ns() - t0)


def cpu_threads(n, k):
    cpu = []
    ts = [threading.Thread(target=count_timed, args=(n, cpu)) for _ in range(k)]
    for t in ts:
        t.start()
    for t in ts:
        t.join()
    return sum(cpu)


def children_cpu_ns():
    r = resource.getrusage(resource.RUSAGE_CHILDREN)
    return int((r.ru_utime + r.ru_stime) * 1e9)


def cpu_processes(n, k):
    ctx = multiprocessing.get_context("fork")  # what the engine models: fork, one interpreter each
    ps = [ctx.Process(target=count, args=(n,)) for _ in range(k)]
    c0 = children_cpu_ns()
    for p in ps:
        p.start()
    for p in ps:
        p.join()
    return children_cpu_ns() - c0


def timed(fn, *args):
    """(wall ms, what fn returned)"""
    t0 = time.perf_counter()
    result = fn(*args)
    return (time.perf_counter() - t0) * 1e3, result


def count_stamped(n, chunk, stamps):
    # The same loop, with a timestamp every `chunk` turns (tens of µs apart) to see who ran when.
    clock = time.perf_counter_ns
    append = stamps.append
    while n > 0:
        k = chunk
        while k > 0:
            k -= 1
        n -= chunk
        append(clock())


def switches(n, interval_ms, chunk=1000):
    sys.setswitchinterval(interval_ms / 1e3)
    stamps = [[], []]
    ts = [threading.Thread(target=count_stamped, args=(n, chunk, stamps[i])) for i in range(2)]
    t0 = time.perf_counter()
    for t in ts:
        t.start()
    for t in ts:
        t.join()
    wall = time.perf_counter() - t0
    merged = sorted([(s, 0) for s in stamps[0]] + [(s, 1) for s in stamps[1]])
    hand_overs = sum(1 for a, b in zip(merged, merged[1:]) if a[1] != b[1])
    # Only while both threads ran: after the first one ends, nobody is there to switch to.
    both_until = min(stamps[0][-1], stamps[1][-1])
    both_from = max(stamps[0][0], stamps[1][0])
    both_s = max(both_until - both_from, 1) / 1e9
    return {
        "interval_ms": interval_ms,
        "wall_ms": wall * 1e3,
        "switches": hand_overs,
        "switches_per_s": hand_overs / wall,
        "switches_per_s_contended": hand_overs / both_s,
    }


def latency_stats(samples):
    if not samples:
        return {"median": None, "p99": None, "count": 0}
    s = sorted(samples)
    rank = max(1, -(-99 * len(s) // 100))  # nearest rank: ceil(0.99 * n)
    return {
        "median": statistics.median(s) * 1e3,
        "p99": s[rank - 1] * 1e3,
        "mean": statistics.fmean(s) * 1e3,
        "min": s[0] * 1e3,
        "max": s[-1] * 1e3,
        "count": len(s),
    }


done = False


# --pin: the CPU-bound thread and the client on two different cores, as the lesson's pin_cores.
PIN_CORES = []


def pin(which):
    if which < len(PIN_CORES):
        os.sched_setaffinity(0, {PIN_CORES[which]})  # 0: the calling thread


def spin():
    pin(0)
    while not done:
        pass


def client(sock, rounds, latency, which=None):
    global done
    if which is not None:
        pin(which)
    for _ in range(rounds):
        t0 = time.perf_counter()
        sock.send(b"x")
        sock.recv(1)
        latency.append(time.perf_counter() - t0)


def convoy(interval_ms, rounds, baseline_rounds):
    global done
    sys.setswitchinterval(interval_ms / 1e3)
    a, b = socket.socketpair()
    pid = os.fork()
    if pid == 0:  # the echo server: another process, so it never needs our GIL
        try:
            a.close()
            while True:
                data = b.recv(256)
                if not data:
                    break
                b.sendall(data)
        finally:
            os._exit(0)
    b.close()
    try:
        alone = []
        client(a, baseline_rounds, alone)
        done = False
        latency = []
        cpu = threading.Thread(target=spin)
        io = threading.Thread(target=client, args=(a, rounds, latency, 1))
        cpu.start()
        io.start()
        io.join()
        done = True
        cpu.join()
    finally:
        a.shutdown(socket.SHUT_WR)
        a.close()
        os.waitpid(pid, 0)
    return {
        "interval_ms": interval_ms,
        "io_latency_ms": latency_stats(latency),
        "io_latency_alone_ms": latency_stats(alone),
    }


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=20_000_000, help="n of count(n) (default 20000000)")
    parser.add_argument("--turns", type=int, default=0, help="turns for the ns/turn figure (default: count)")
    parser.add_argument("--workers", type=int, default=2, help="threads / processes (default 2)")
    parser.add_argument("--interval-ms", type=float, default=5.0, help="switch interval for the wall times")
    parser.add_argument("--switch-intervals", default="1,5", help="intervals (ms) for switches per second")
    parser.add_argument("--convoy-intervals", default="1,5,20", help="intervals (ms) for the convoy")
    parser.add_argument("--rounds", type=int, default=40, help="convoy round trips beside the CPU thread")
    parser.add_argument("--baseline-rounds", type=int, default=20, help="convoy round trips alone")
    parser.add_argument("--skip", default="", help="comma-separated parts to skip: walls,switches,convoy")
    parser.add_argument("--pin", action="store_true", help="convoy: pin the CPU-bound thread and the client "
                        "to two different cores")
    args = parser.parse_args()
    if args.pin:
        cores = sorted(os.sched_getaffinity(0))
        if len(cores) >= 2:
            PIN_CORES.extend(cores[:2])
    skip = {s for s in args.skip.split(",") if s}

    out = {
        "python": sys.version.split()[0],
        "implementation": sys.implementation.name,
        "cpus": os.cpu_count(),
        "count": args.count,
        "workers": args.workers,
        "ns_per_turn": ns_per_turn(args.turns or args.count),
    }
    if "walls" not in skip:
        sys.setswitchinterval(args.interval_ms / 1e3)
        seq, seq_cpu = timed(cpu_sequential, args.count)
        thr, thr_cpu = timed(cpu_threads, args.count, args.workers)
        prc, prc_cpu = timed(cpu_processes, args.count, args.workers)
        turns = args.count * args.workers
        out.update({
            "sequential_cpu_ns_per_turn": seq_cpu / (2 * args.count),
            "threads_cpu_ns_per_turn": thr_cpu / turns,
            "processes_cpu_ns_per_turn": prc_cpu / turns,
            "switch_interval_ms": args.interval_ms,
            "sequential_ms": seq,
            "threads_ms": thr,
            "processes_ms": prc,
            "threads_ratio": thr / seq,
            "processes_ratio": prc / seq,
        })
    if "switches" not in skip:
        out["switches"] = [switches(args.count, float(i)) for i in args.switch_intervals.split(",") if i]
    if "convoy" not in skip:
        out["pinned_cores"] = PIN_CORES or None
        out["convoy"] = [convoy(float(i), args.rounds, args.baseline_rounds)
                         for i in args.convoy_intervals.split(",") if i]
    json.dump(out, sys.stdout, indent=2)
    print()


if __name__ == "__main__":
    main()
