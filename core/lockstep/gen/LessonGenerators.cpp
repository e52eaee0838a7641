#include "lockstep/gen/LessonGenerators.h"

#include "lockstep/gen/Finally.h"
#include "lockstep/gen/PyExceptions.h"

namespace lockstep::gen::lessons {

// def averager():
PyValue averager(Coroutine& co)
{
    co.reach(2);
    PyValue total = 0, count = 0, avg = nullptr;       // total, count, avg = 0, 0, None
    for (;;) {                                         // while True:
        PyValue x = co.yield_(avg, 4);                 //     x = yield avg
        co.reach(5);
        if (py::isNone(x)) {                           //     if x is None:
            co.reach(6);
            return PyValue::array({count, avg});       //         return [count, avg]
        }
        co.reach(7);
        total = py::inplaceAdd(total, x);              //     total += x
        count = py::inplaceAdd(count, 1);              //     count += 1
        avg = py::trueDivide(total, count);            //     avg = total / count
    }
}

// def consumer():
PyValue consumer(Coroutine& co)
{
    co.reach(2);
    PyValue r = "";                                    // r = ''
    for (;;) {                                         // while True:
        PyValue n = co.yield_(r, 4);                   //     n = yield r
        co.reach(5);
        if (!py::truthy(n)) {                          //     if not n:
            co.reach(6);
            return "done";                             //         return 'done'
        }
        co.print("[CONSUMER] consuming " + py::str(n), 7); // print('[CONSUMER] consuming %s' % n)
        r = "200 OK";                                  //     r = '200 OK'
    }
}

// def guarded():
PyValue guarded(Coroutine& co)
{
    co.reach(2);                                       // try:
    const Finally cleanup([&] {                        // finally:
        co.print("cleanup", 9);                        //     print('cleanup')
    });
    for (;;) {                                         //     while True:
        try {                                          //         try:
            co.yield_("ready", 5);                     //             yield 'ready'
        } catch (const ValueError&) {                  //         except ValueError:
            co.yield_("caught ValueError", 7);         //             yield 'caught ValueError'
        }
    }
}

// def stubborn():
PyValue stubborn(Coroutine& co)
{
    co.reach(2);
    for (;;) {                                         // while True:
        try {                                          //     try:
            co.yield_("tick", 4);                      //         yield 'tick'
        } catch (const GeneratorExit&) {               //     except GeneratorExit:
            co.yield_("refuse", 6);                    //         yield 'refuse'
        }
    }
}

// def delegator():
PyValue delegator(Coroutine& co)
{
    co.reach(2);
    Generator sub = co.generator("averager", &averager);
    PyValue result = co.yieldFrom(sub, 2);             // result = yield from averager()
    co.yield_(PyValue::array({"averaged", result}), 3); // yield ['averaged', result]
    co.reach(4);
    return "finished";                                 // return 'finished'
}

const std::vector<std::string>& generatorNames()
{
    static const std::vector<std::string> s_names = {"averager", "consumer", "guarded", "stubborn", "delegator"};
    return s_names;
}

Generator call(std::string_view name, GenHost& host, ActorId parent)
{
    Coroutine::Body body;
    if (name == "averager") body = &averager;
    else if (name == "consumer") body = &consumer;
    else if (name == "guarded") body = &guarded;
    else if (name == "stubborn") body = &stubborn;
    else if (name == "delegator") body = &delegator;
    else return {};
    return Generator(host, std::string(name), std::move(body), parent);
}

// def producer(c, n):
void producer(GenHost& host, GeneratorCaller& c, int n)
{
    const ActorId self = host.caller();
    const int def = host.defLine("producer");
    auto line = [&](int relative) { return def > 0 ? def + relative - 1 : relative; };
    host.reach(self, line(2));
    c.send(nullptr);                                                     // c.send(None)
    for (int i = 1; i <= n; ++i) {                                        // for i in range(1, n + 1):
        host.print(self, "[PRODUCER] Producing " + std::to_string(i), line(4)); // print('[PRODUCER] Producing %s' % i)
        host.reach(self, line(5));
        PyValue r = c.send(i);                                            //     r = c.send(i)
        host.print(self, "[PRODUCER] Consumer return: " + py::str(r), line(6)); // print('[PRODUCER] Consumer return: %s' % r)
    }
    host.reach(self, line(7));
    c.close();                                                            // c.close()
}

} // namespace lockstep::gen::lessons
