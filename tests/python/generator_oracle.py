#!/usr/bin/env python3
"""CPython oracle for the `generator` lesson.

Runs the lesson's generators (the exact Python the lesson shows) on the real interpreter and prints
what each operation did, in the transcript format of the C++ engine (core/lockstep/gen/GenDriver):

    stdin:  [{"gen": "averager", "script": "next;send:5;close"}, {"producer": 5}, ...]
    stdout: [{"transcript": [...], "finalizer_output": [...]}, {"transcript": [...], "output": [...]}, ...]
            (or {"error": "..."} for a script this harness cannot parse)

`generator_oracle.py --source` prints the Python source the lesson's snippet must contain.
"""
import contextlib
import inspect
import io
import json
import sys

SOURCE = '''\
def averager():
    total, count, avg = 0, 0, None
    while True:
        x = yield avg
        if x is None:
            return [count, avg]
        total += x
        count += 1
        avg = total / count

def consumer():
    r = ''
    while True:
        n = yield r
        if not n:
            return 'done'
        print('[CONSUMER] consuming %s' % n)
        r = '200 OK'

def guarded():
    try:
        while True:
            try:
                yield 'ready'
            except ValueError:
                yield 'caught ValueError'
    finally:
        print('cleanup')

def stubborn():
    while True:
        try:
            yield 'tick'
        except GeneratorExit:
            yield 'refuse'

def delegator():
    result = yield from averager()
    yield ['averaged', result]
    return 'finished'

def producer(c, n):
    c.send(None)
    for i in range(1, n + 1):
        print('[PRODUCER] Producing %s' % i)
        r = c.send(i)
        print('[PRODUCER] Consumer return: %s' % r)
    c.close()
'''

NAMESPACE = {}
exec(compile(SOURCE, '<lesson>', 'exec'), NAMESPACE)
GENERATORS = ('averager', 'consumer', 'guarded', 'stubborn', 'delegator')
EXCEPTIONS = {e.__name__: e for e in (ValueError, KeyError, TypeError, RuntimeError, StopIteration, GeneratorExit)}


def split_ops(script):
    """Splits at ';' outside JSON strings (same rule as the C++ parser)."""
    ops, start, in_string, i = [], 0, False, 0
    while i < len(script):
        c = script[i]
        if in_string:
            if c == '\\':
                i += 1
            elif c == '"':
                in_string = False
        elif c == '"':
            in_string = True
        elif c == ';':
            ops.append(script[start:i])
            start = i + 1
        i += 1
    ops.append(script[start:])
    return ops


def parse_script(script):
    ops = []
    for n, text in enumerate(split_ops(script), 1):
        text = text.strip(' \t\r\n')
        name, colon, arg = text.partition(':')
        name, arg = name.strip(' \t\r\n'), arg.strip(' \t\r\n')
        if name in ('next', 'close') and not colon:
            ops.append((name, None))
        elif name == 'send' and colon:
            ops.append((name, json.loads(arg)))
        elif name == 'throw' and arg in EXCEPTIONS:
            ops.append((name, arg))
        else:
            raise ValueError('operation %d: cannot parse %r' % (n, text))
    return ops


def lines(text):
    return text.split('\n')[:-1] if text else []


class Recorder:
    """Performs operations on one generator and records each as the C++ GenDriver does."""

    def __init__(self, gen):
        self.gen = gen
        self.transcript = []
        self.output = io.StringIO()   # everything printed, in order

    def perform(self, op, arg):
        entry = {'op': op}
        if op in ('send', 'throw'):
            entry['arg'] = arg
        captured = io.StringIO()
        failure = None
        try:
            with contextlib.redirect_stdout(captured):
                if op == 'next':
                    result = next(self.gen)
                elif op == 'send':
                    result = self.gen.send(arg)
                elif op == 'throw':
                    result = self.gen.throw(EXCEPTIONS[arg])
                else:
                    result = self.gen.close()
            entry['result'] = result
        except BaseException as e:  # noqa: B902 -- GeneratorExit and StopIteration are the point
            failure = e
            entry['raised'] = type(e).__name__
            if isinstance(e, StopIteration):
                entry['value'] = e.value
            if str(e):
                entry['message'] = str(e)
        entry['state'] = inspect.getgeneratorstate(self.gen)
        entry['output'] = lines(captured.getvalue())
        self.output.write(captured.getvalue())
        self.transcript.append(entry)
        return entry, failure

    # The generator interface the producer uses: record, then behave like the generator.
    def send(self, value):
        entry, failure = self.perform('send', value)
        if failure is not None:
            raise failure
        return entry['result']

    def close(self):
        entry, failure = self.perform('close', None)
        if failure is not None:
            raise failure


def finalize(gen):
    """Drops the last reference: CPython's finaliser close()s a suspended generator."""
    captured = io.StringIO()
    with contextlib.redirect_stdout(captured), contextlib.redirect_stderr(io.StringIO()):
        del gen[:]
    return lines(captured.getvalue())


def run_script(name, script):
    if name not in GENERATORS:
        return {'error': 'unknown generator %r' % name}
    try:
        ops = parse_script(script)
    except ValueError as e:
        return {'error': str(e)}
    holder = [NAMESPACE[name]()]
    recorder = Recorder(holder[0])
    for op, arg in ops:
        recorder.perform(op, arg)
    recorder.gen = None
    return {'transcript': recorder.transcript, 'finalizer_output': finalize(holder)}


def run_producer(n):
    holder = [NAMESPACE['consumer']()]
    recorder = Recorder(holder[0])
    with contextlib.redirect_stdout(recorder.output):
        NAMESPACE['producer'](recorder, n)
    recorder.gen = None
    return {'transcript': recorder.transcript, 'output': lines(recorder.output.getvalue()),
            'finalizer_output': finalize(holder)}


def main():
    if sys.argv[1:] == ['--source']:
        sys.stdout.write(SOURCE)
        return
    if sys.argv[1:] == ['--printable']:
        import unicodedata
        ranges, start = [], None
        for c in range(0x80, 0x110000):
            np = not chr(c).isprintable()
            if np and start is None:
                start = c
            if not np and start is not None:
                ranges.append([start, c - 1])
                start = None
        if start is not None:
            ranges.append([start, 0x10FFFF])
        json.dump({'unicode': unicodedata.unidata_version, 'nonprintable': ranges}, sys.stdout)
        return
    jobs = json.load(sys.stdin)
    results = []
    for job in jobs:
        if 'producer' in job:
            results.append(run_producer(job['producer']))
        else:
            results.append(run_script(job['gen'], job['script']))
    json.dump(results, sys.stdout)


if __name__ == '__main__':
    main()
