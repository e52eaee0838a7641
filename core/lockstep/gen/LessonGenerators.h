#pragma once

#include "lockstep/gen/Generator.h"

#include <string>
#include <string_view>
#include <vector>

namespace lockstep::gen::lessons {

// The generators of lessons/generator.json, written on the Coroutine API so that each reads like
// its Python, statement by statement (the Python is in the comments). Line numbers passed to
// yield_ / print / reach count from the function's `def` line = 1; the host turns them into lines
// of the lesson's snippet.
PyValue averager(Coroutine& co);
PyValue consumer(Coroutine& co);
PyValue guarded(Coroutine& co);
PyValue stubborn(Coroutine& co);
PyValue delegator(Coroutine& co);

// "averager", "consumer", "guarded", "stubborn", "delegator".
[[nodiscard]] const std::vector<std::string>& generatorNames();
// Calls the generator function `name` (one of generatorNames()); nullopt-like empty Generator if unknown.
[[nodiscard]] Generator call(std::string_view name, GenHost& host, ActorId parent = {});

// The caller's side of the producer-consumer lesson: anything that can send to and close a
// generator on behalf of Python code (e.g. a recording driver).
class GeneratorCaller {
public:
    virtual ~GeneratorCaller() = default;
    virtual PyValue send(PyValue value) = 0; // raises as Python does
    virtual void close() = 0;
};

// def producer(c, n): primes the consumer, sends it 1..n, closes it. Runs on the host's caller
// actor; its prints go to the host's output.
void producer(GenHost& host, GeneratorCaller& c, int n);

} // namespace lockstep::gen::lessons
