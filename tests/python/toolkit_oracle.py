#!/usr/bin/env python3
"""CPython side of ToolkitPython.*: runs a "script" engine variant with real threading and queue.

    toolkit_oracle.py LESSON.json VARIANT LANG [name=value ...]

reads the lesson file, resolves the parameters as Lockstep does (default, the variant's params,
then the overrides; "$name" strings replaced, "$$" a literal "$"), interprets the variant's config
with threading.Lock/Semaphore/BoundedSemaphore/Event and queue.Queue/LifoQueue/PriorityQueue on
real threads, and prints JSON: transcript, order, max_inside, wait_results, max_size_seen, errors.
Only the ops the event, semaphore and queue lessons use are interpreted; anything else fails
loudly, so a lesson cannot drift away from what this oracle checks.
"""
import json
import queue
import sys
import threading
import time


def resolve(lesson, variant, overrides):
    values = {p["name"]: p["default"] for p in lesson.get("parameters", [])}
    values.update(variant.get("params", {}))
    types = {p["name"]: p["type"] for p in lesson.get("parameters", [])}
    for name, text in overrides.items():
        kind = types[name]
        values[name] = ([int(x) for x in text.split(",")] if kind == "int-list"
                        else int(text) if kind == "int" else float(text) if kind == "float" else text)

    def subst(v):
        if isinstance(v, str) and v.startswith("$$"):
            return v[1:]
        if isinstance(v, str) and v.startswith("$"):
            return values[v[1:]]
        if isinstance(v, list):
            return [subst(x) for x in v]
        if isinstance(v, dict):
            return {k: subst(x) for k, x in v.items()}
        return v
    return subst(variant.get("config", {}))


class Break(Exception):
    pass


class RecordingQueue:
    """Wraps a queue class so that every _put records qsize() under the queue's own mutex."""

    @staticmethod
    def make(kind, maxsize, world):
        base = {"Queue": queue.Queue, "LifoQueue": queue.LifoQueue, "PriorityQueue": queue.PriorityQueue}[kind]

        class Recording(base):
            def _put(self, item):
                super()._put(item)
                world.max_size_seen = max(world.max_size_seen, self._qsize())
        return Recording(maxsize)


class World:
    def __init__(self, config, lang):
        self.lang = lang
        self.mutex = threading.Lock()
        self.phase_cv = threading.Condition()
        self.phase = {}
        self.vars = dict(config.get("vars", {}))
        self.locks = {l["name"]: threading.RLock() if l.get("kind") == "RLock" else threading.Lock()
                      for l in config.get("locks", [])}
        self.sems = {s["name"]: (threading.BoundedSemaphore if s.get("kind") == "BoundedSemaphore"
                                 else threading.Semaphore)(s.get("value", 1))
                     for s in config.get("semaphores", [])}
        self.events = {e["name"]: threading.Event() for e in config.get("events", [])}
        self.max_size_seen = 0
        self.queues = {q["name"]: RecordingQueue.make(q.get("kind", "Queue"), q.get("maxsize", 0), self)
                       for q in config.get("queues", [])}
        self.transcript, self.order, self.errors = [], [], []
        self.inside, self.max_inside = {}, {}
        self.wait_results = {}

    def set_phase(self, thread, phase):
        with self.phase_cv:
            self.phase[thread] = max(self.phase.get(thread, 0), phase)
            self.phase_cv.notify_all()


def text(t, lang):
    if isinstance(t, str):
        return t
    return t.get(lang) or t["en"] if lang == "zh" else t["en"]


def py_str(v):
    return str(v)


class Interp:
    def __init__(self, world, name, speaker, copy):
        self.w, self.name, self.speaker, self.copy = world, name, speaker, copy
        self.locals = {}

    def blocking(self):
        self.w.set_phase(self.name, 1)

    def value(self, name):
        if name in self.locals:
            return self.locals[name]
        with self.w.mutex:
            return self.w.vars.get(name)

    def bind(self, op, v):
        if "as" in op:
            self.locals[op["as"]] = v

    def run(self, ops):
        for op in ops:
            self.exec(op)

    def loop(self, body, items=None, count=None, as_name=None):
        try:
            if items is not None:
                for item in items:
                    self.locals[as_name] = item
                    self.run(body)
            elif count is not None:
                for _ in range(count):
                    self.run(body)
            else:
                while True:
                    self.run(body)
        except Break:
            pass

    def exec(self, op):
        w, kind = self.w, op["op"]
        timeout = op["timeout_ms"] / 1000.0 if "timeout_ms" in op else None
        if kind == "sleep":
            time.sleep((op["ms"] + op.get("step_ms", 0) * self.copy) / 1000.0)
        elif kind == "say":
            line = self.speaker + ": " + self.format(text(op["text"], w.lang))
            with w.mutex:
                w.transcript.append(line)
        elif kind == "set":
            with w.mutex:
                w.vars[op["var"]] = op["value"]
        elif kind == "with":
            if "semaphore" in op:
                res = w.sems[op["semaphore"]]
                if res._value == 0:
                    self.blocking()
            else:
                res = w.locks[op["lock"]]
                if res.locked():
                    self.blocking()
            with res:
                self.run(op["ops"])
        elif kind == "repeat":
            self.loop(op["ops"], count=op["count"])
        elif kind == "for":
            self.loop(op["ops"], items=op["in"], as_name=op["as"])
        elif kind == "loop":
            self.loop(op["ops"])
        elif kind == "if":
            if self.value(op["var"]) == op["equals"]:
                self.run(op["ops"])
        elif kind == "break":
            raise Break()
        elif kind == "inside":
            sec = op["section"]
            with w.mutex:
                w.inside[sec] = w.inside.get(sec, 0) + 1
                w.max_inside[sec] = max(w.max_inside.get(sec, 0), w.inside[sec])
            try:
                self.run(op["ops"])
            finally:
                with w.mutex:
                    w.inside[sec] -= 1
        elif kind == "event_set":
            w.events[op["event"]].set()
        elif kind == "event_clear":
            w.events[op["event"]].clear()
        elif kind == "is_set":
            self.bind(op, w.events[op["event"]].is_set())
        elif kind == "event_wait":
            ev = w.events[op["event"]]
            if not ev.is_set():
                self.blocking()
            ok = ev.wait(timeout)
            self.bind(op, ok)
            with w.mutex:
                w.wait_results.setdefault(self.name, []).append(ok)
        elif kind == "sem_acquire":
            sem = w.sems[op["semaphore"]]
            if sem._value == 0:
                self.blocking()
            self.bind(op, sem.acquire(True, timeout))
        elif kind == "sem_release":
            w.sems[op["semaphore"]].release(op.get("n", 1))
        elif kind == "put":
            q = w.queues[op["queue"]]
            if q.full():
                self.blocking()
            q.put(op["item"] if "item" in op else self.value(op["var"]), True, timeout)
        elif kind == "get":
            q = w.queues[op["queue"]]
            if q.empty():
                self.blocking()
            item = q.get(True, timeout)
            with w.mutex:
                w.order.append(item)
            self.bind(op, item)
        elif kind == "task_done":
            w.queues[op["queue"]].task_done()
        elif kind == "join":
            q = w.queues[op["queue"]]
            if q.unfinished_tasks > 0:
                self.blocking()
            q.join()
        else:
            raise SystemExit("toolkit_oracle: op '%s' is not interpreted here" % kind)

    def format(self, s):
        out = s
        for name in set(self.locals) | set(self.w.vars):
            key = "{" + name + "}"
            if key in out:
                out = out.replace(key, py_str(self.value(name)))
        return out


def main():
    path, variant_id, lang = sys.argv[1], sys.argv[2], sys.argv[3]
    overrides = dict(a.split("=", 1) for a in sys.argv[4:])
    with open(path, encoding="utf-8") as f:
        lesson = json.load(f)
    variant = next(v for v in lesson["variants"] if v["id"] == variant_id)
    config = resolve(lesson, variant, overrides)
    world = World(config, lang)

    def hook(args):
        # CPython prints the traceback and the thread ends; Lockstep records "name: Type: message".
        with world.mutex:
            world.errors.append("%s: %s: %s" % (args.thread.name, args.exc_type.__name__, args.exc_value))
    threading.excepthook = hook

    threads = []
    for spec in config["threads"]:
        count = spec.get("count")
        for c in range(1, (count or 1) + 1):
            suffix = "-%d" % c if count else ""
            speaker = text(spec.get("speaker", spec["name"]), lang) + suffix
            name = spec["name"] + suffix
            if spec.get("start_after"):
                with world.phase_cv:
                    world.phase_cv.wait_for(lambda: world.phase.get(spec["start_after"], 0) >= 1)

            def body(name=name, speaker=speaker, c=c, ops=spec["ops"]):
                try:
                    Interp(world, name, speaker, c).run(ops)
                finally:
                    world.set_phase(name, 2)
            t = threading.Thread(target=body, name=name)
            t.start()
            threads.append(t)
    for t in threads:
        t.join()

    out = {"transcript": world.transcript, "errors": world.errors}
    if world.max_inside:
        out["max_inside"] = max(world.max_inside.values())
    if world.events:
        out["wait_results"] = world.wait_results
    if world.queues:
        out["order"] = world.order
        out["max_size_seen"] = world.max_size_seen
    print(json.dumps(out, ensure_ascii=False))


if __name__ == "__main__":
    main()
