#!/usr/bin/env python3
"""CPython oracle for the ipc lesson: the lesson's functions with os and multiprocessing, measured.

    ipc_oracle.py VARIANT [key=value ...]     e.g. ipc_oracle.py shared-counter workers=2 lock=0

Prints one JSON object with the keys of the engine's summary for that variant: pipe_capacity,
pipe_max_level, bytes_transferred, writer_blocked_ms, eof_seen, broken_pipe (pipes); final_value,
expected_value, lost_updates (shared counter); max_inside (semaphore); items_put, items_got, order,
in_order, put_total_ms, max_put_ms, consumer_blocked_ms, maxsize (queue).
"""
import fcntl
import json
import os
import select
import sys
import termios
import time
from array import array
from multiprocessing import Process, Queue, Semaphore, Value


def level(fd):
    buf = array("i", [0])
    fcntl.ioctl(fd, termios.FIONREAD, buf, True)
    return buf[0]


def pipe_demo(total_kb=256, chunk=4096, reader_delay_ms=300, read_ms=2):
    total = total_kb * 1024
    r, w = os.pipe()
    out = {"pipe_capacity": fcntl.fcntl(w, fcntl.F_GETPIPE_SZ), "broken_pipe": False}
    report_r, report_w = os.pipe()
    if os.fork() == 0:
        os.close(w)
        os.close(report_r)
        time.sleep(reader_delay_ms / 1000)
        got = 0
        while data := os.read(r, chunk):
            got += len(data)
            time.sleep(read_ms / 1000)
        os.write(report_w, json.dumps({"bytes_transferred": got, "eof_seen": True}).encode())
        os._exit(0)
    os.close(r)
    os.close(report_w)
    blocked = 0.0
    max_level = 0
    for _ in range(total // chunk):
        t0 = time.perf_counter()
        os.write(w, bytes(chunk))
        blocked += time.perf_counter() - t0
        max_level = max(max_level, level(w))
    os.close(w)
    os.wait()
    out.update(json.loads(os.read(report_r, 4096)))
    out["writer_blocked_ms"] = blocked * 1000
    out["pipe_max_level"] = max_level
    return out


def pipe_no_close(total_kb=16, hang_ms=1000):
    total = total_kb * 1024
    r, w = os.pipe()
    if os.fork() == 0:
        os.close(r)
        os.write(w, bytes(total))
        os.close(w)
        os._exit(0)
    got = 0
    eof = False
    while True:
        # Python would block in os.read for ever; look for hang_ms once everything has arrived.
        ready, _, _ = select.select([r], [], [], hang_ms / 1000 if got >= total else None)
        if not ready:
            break
        data = os.read(r, 65536)
        if not data:
            eof = True
            break
        got += len(data)
    os.close(w)
    os.close(r)
    os.wait()
    return {"bytes_transferred": got, "eof_seen": eof, "broken_pipe": False}


def broken_pipe():
    r, w = os.pipe()
    if os.fork() == 0:
        os.close(w)
        os.close(r)
        os._exit(0)
    os.close(r)
    os.wait()
    broken = False
    try:
        os.write(w, b"x")
    except BrokenPipeError:
        broken = True
    os.close(w)
    return {"broken_pipe": broken, "eof_seen": False, "bytes_transferred": 0}


def add(v, n, lock):
    for _ in range(n):
        if lock:
            with v.get_lock():
                v.value += 1
        else:
            v.value += 1


def shared_counter(workers=2, increments=200000, lock=0):
    lock = bool(lock)
    v = Value("i", 0, lock=lock)
    ps = [Process(target=add, args=(v, increments, lock)) for _ in range(workers)]
    for p in ps:
        p.start()
    for p in ps:
        p.join()
    expected = workers * increments
    return {"final_value": v.value, "expected_value": expected, "lost_updates": expected - v.value, "lock": lock}


def enter(sem, inside, most, rounds, hold_ms):
    for _ in range(rounds):
        sem.acquire()
        with inside.get_lock():
            inside.value += 1
            with most.get_lock():
                most.value = max(most.value, inside.value)
        time.sleep(hold_ms / 1000)
        with inside.get_lock():
            inside.value -= 1
        sem.release()


def semaphore(workers=5, permits=2, rounds=2, hold_ms=60):
    sem = Semaphore(permits)
    inside, most = Value("i", 0), Value("i", 0)
    ps = [Process(target=enter, args=(sem, inside, most, rounds, hold_ms)) for _ in range(workers)]
    for p in ps:
        p.start()
    for p in ps:
        p.join()
    return {"max_inside": most.value, "permits": permits}


def consume(q, get_ms, report):
    order, blocked = [], 0.0
    while True:
        t0 = time.perf_counter()
        item = q.get()
        blocked += time.perf_counter() - t0
        if item is None:
            break
        order.append(item[0])  # the first byte says which item it is (as the engine's do)
        time.sleep(get_ms / 1000)
    report.put((order, blocked * 1000))


def queue_demo(items=12, item_kb=16, maxsize=0, get_ms=40):
    q, report = Queue(maxsize), Queue()
    c = Process(target=consume, args=(q, get_ms, report))
    c.start()
    puts = []
    for i in range(items):
        data = bytearray(item_kb * 1024)
        data[0] = i
        t0 = time.perf_counter()
        q.put(bytes(data))
        puts.append((time.perf_counter() - t0) * 1000)
    t0 = time.perf_counter()
    q.put(None)
    puts.append((time.perf_counter() - t0) * 1000)
    order, blocked = report.get()
    c.join()
    return {"maxsize": maxsize, "items_put": items, "items_got": len(order), "order": order,
            "in_order": order == list(range(items)), "put_total_ms": sum(puts), "max_put_ms": max(puts),
            "consumer_blocked_ms": blocked}


def main():
    variant = sys.argv[1]
    args = {k: int(v) for k, v in (kv.split("=", 1) for kv in sys.argv[2:])}
    fn = {"pipe": pipe_demo, "pipe-no-close": pipe_no_close, "broken-pipe": broken_pipe,
          "shared-counter": shared_counter, "semaphore": semaphore, "queue": queue_demo}[variant]
    print(json.dumps(fn(**args)))


if __name__ == "__main__":
    main()
