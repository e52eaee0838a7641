#!/usr/bin/env python3
"""CPython oracle for the `condition` lesson: the TianMao / XiaoAi dialogue on a real
threading.Condition. Prints {"transcript": [...], "stalled": bool, "errors": [...]} as JSON.

usage: condition_pingpong.py VARIANT LANG
  VARIANT: correct | wrong-start | no-with | wait-for | wait-for-xiaoai-first
  LANG:    en | zh

The start order is made deterministic the way the lesson does it: the second thread starts once
the first is waiting (or has ended)."""
import json
import sys
import threading
import time

TIANMAO = [("小爱同学", "Hey XiaoAi"), ("我们来对古诗吧", "Let's trade lines of a classical poem"),
           ("我住长江头", "I live at the Yangtze's head"),
           ("日日思君不见君", "Day after day I long for you, yet never see you"),
           ("此水几时休", "When will this river cease to flow")]
XIAOAI = [("在", "I'm here"), ("好啊", "Sure"), ("君住长江尾", "You live at the Yangtze's tail"),
          ("共饮长江水", "Yet we drink from the same river"), ("此恨何时已", "When will this longing end")]
NAMES = {"tianmao": ("天猫精灵", "TianMao"), "xiaoai": ("小爱", "XiaoAi")}

variant, lang = sys.argv[1], sys.argv[2]
pick = 0 if lang == "zh" else 1
cond = threading.Condition()
transcript, errors = [], []
turn = "tianmao"


def say(who, line):
    transcript.append(f"{NAMES[who][pick]}: {line[pick]}")


def xiaoai(use_with=True):
    if use_with:
        with cond:
            for line in XIAOAI:
                cond.wait()
                say("xiaoai", line)
                cond.notify()
    else:
        for line in XIAOAI:
            cond.wait()
            say("xiaoai", line)
            cond.notify()


def tianmao(use_with=True):
    if use_with:
        with cond:
            for line in TIANMAO:
                say("tianmao", line)
                cond.notify()
                cond.wait()
    else:
        for line in TIANMAO:
            say("tianmao", line)
            cond.notify()
            cond.wait()


def speak(me, other, lines):
    global turn
    with cond:
        for line in lines:
            cond.wait_for(lambda: turn == me)
            say(me, line)
            turn = other
            cond.notify()


def guarded(fn, *args):
    def run():
        try:
            fn(*args)
        except RuntimeError as e:
            errors.append(f"RuntimeError: {e}")
    return run


def waiting_or_done(thread):
    # The first thread is waiting once the condition holds its waiter (CPython's _waiters deque).
    while thread.is_alive() and not cond._waiters:
        time.sleep(0.001)


if variant == "correct":
    order = [guarded(xiaoai), guarded(tianmao)]
elif variant == "wrong-start":
    order = [guarded(tianmao), guarded(xiaoai)]
elif variant == "no-with":
    order = [guarded(xiaoai, False), guarded(tianmao, False)]
elif variant == "wait-for":
    order = [guarded(speak, "tianmao", "xiaoai", TIANMAO), guarded(speak, "xiaoai", "tianmao", XIAOAI)]
elif variant == "wait-for-xiaoai-first":
    order = [guarded(speak, "xiaoai", "tianmao", XIAOAI), guarded(speak, "tianmao", "xiaoai", TIANMAO)]
else:
    sys.exit(f"unknown variant {variant}")

first = threading.Thread(target=order[0], daemon=True)
second = threading.Thread(target=order[1], daemon=True)
first.start()
if variant.startswith("wait-for"):
    time.sleep(0.01)  # order does not matter here; give the first a head start anyway
else:
    waiting_or_done(first)
second.start()
first.join(1)
second.join(1)
stalled = first.is_alive() and second.is_alive()
print(json.dumps({"transcript": transcript, "stalled": stalled, "errors": errors}, ensure_ascii=False))
