"""CPython oracle for Lockstep's Condition (tests/core/test_sync_condition.cpp runs the same steps
on the engine and compares the printed lines).

Only deterministic facts are printed: which waiters a notify() picks, return values, error
messages, waiter counts. Where this script must wait for another thread to reach a point, it polls
CPython's own state (len(cond._waiters), ...); the C++ side waits on the engine's state instead.
"""
import re
import threading
import time


def wait_until(pred, limit=10.0):
    end = time.monotonic() + limit
    while not pred():
        if time.monotonic() > end:
            raise SystemExit("oracle: gave up waiting")
        time.sleep(0.001)


def outcome(fn):
    try:
        result = fn()
    except Exception as e:  # noqa: BLE001 - the message is the point
        return f"{type(e).__name__}: {e}"
    return "ok" if result is None else str(result)


def rlock_level(rlock):
    return int(re.search(r"count=(\d+)", repr(rlock)).group(1))


# --- errors: wait/notify need the underlying lock ---------------------------------------------
c = threading.Condition()
print("wait unowned:", outcome(lambda: c.wait()))
print("notify unowned:", outcome(lambda: c.notify()))
print("notify_all unowned:", outcome(lambda: c.notify_all()))
print("wait_for true unowned:", outcome(lambda: c.wait_for(lambda: True)))
print("wait_for false unowned:", outcome(lambda: c.wait_for(lambda: False, 0)))

held, done = threading.Event(), threading.Event()


def hold(cond):
    with cond:
        held.set()
        done.wait()


t = threading.Thread(target=hold, args=(c,))
t.start()
held.wait()
print("rlock held elsewhere, notify:", outcome(lambda: c.notify()))
done.set()
t.join()

held.clear()
done.clear()
plain = threading.Condition(threading.Lock())
t = threading.Thread(target=hold, args=(plain,))
t.start()
held.wait()
print("lock held elsewhere, notify:", outcome(lambda: plain.notify()))
done.set()
t.join()

print("lock release unlocked:", outcome(lambda: threading.Lock().release()))
print("rlock release unowned:", outcome(lambda: threading.RLock().release()))

# --- notify order: FIFO ------------------------------------------------------------------------
c = threading.Condition()
woke = []


def waiter(name):
    with c:
        c.wait()
        woke.append(name)


threads = []
for i in range(5):
    th = threading.Thread(target=waiter, args=(f"W{i}",))
    th.start()
    threads.append(th)
    wait_until(lambda: len(c._waiters) == i + 1)


def woken_count():
    with c:
        return len(woke)


with c:
    c.notify()
wait_until(lambda: woken_count() == 1)
print("notify(1) woke:", " ".join(woke[0:1]))
with c:
    c.notify(2)
wait_until(lambda: woken_count() == 3)
print("notify(2) woke:", " ".join(sorted(woke[1:3])))
with c:
    c.notify_all()
wait_until(lambda: woken_count() == 5)
print("notify_all woke:", " ".join(sorted(woke[3:5])))
for th in threads:
    th.join()
print("waiters left:", len(c._waiters))
with c:
    print("notify without waiters:", outcome(lambda: c.notify(3)))

# --- timeouts --------------------------------------------------------------------------------
with c:
    print("wait(0.05):", c.wait(0.05))
    print("wait(0):", c.wait(0))
    print("waiters after timeouts:", len(c._waiters))

# --- wait_for --------------------------------------------------------------------------------
with c:
    print("wait_for(true, 0):", c.wait_for(lambda: True, 0))
    print("wait_for(false, 0.05):", c.wait_for(lambda: False, 0.05))

value = 0


def producer():
    global value
    for i in range(1, 4):
        with c:
            value = i
            c.notify_all()


with c:
    t = threading.Thread(target=producer)
    t.start()
    print("wait_for notified:", c.wait_for(lambda: value == 3), value)
t.join()

# --- wait() releases every RLock level and restores them -----------------------------------------
rl = threading.RLock()
c = threading.Condition(rl)


def notifier():
    with c:
        c.notify()


c.acquire()
c.acquire()
c.acquire()
t = threading.Thread(target=notifier)
t.start()
got = c.wait()
print("rlock wait:", got, "level after:", rlock_level(rl))
c.release()
c.release()
c.release()
t.join()

# --- a notify() spent on a waiter that already timed out -------------------------------------------
c = threading.Condition()
results = {}


def timed_waiter():
    with c:
        results["timed"] = c.wait(0.05)


def patient_waiter():
    with c:
        results["patient"] = c.wait()


t1 = threading.Thread(target=timed_waiter)
t1.start()
wait_until(lambda: len(c._waiters) == 1)
t2 = threading.Thread(target=patient_waiter)
t2.start()
wait_until(lambda: len(c._waiters) == 2)
with c:
    # The timed waiter's timeout passes while this thread holds the lock: it is then stuck in
    # wait()'s _acquire_restore with its waiter lock still in the deque.
    time.sleep(0.3)
    c.notify()
t1.join()
print("timed-out waiter result:", results["timed"])
print("waiters after spent notify:", len(c._waiters))
with c:
    c.notify()
t2.join()
print("second waiter result:", results["patient"])

# --- Condition over a plain Lock ----------------------------------------------------------------
lk = threading.Lock()
c = threading.Condition(lk)
c.acquire()
t = threading.Thread(target=notifier)
t.start()
got = c.wait()
print("plain lock wait:", got, "locked after:", lk.locked())
c.release()
t.join()
