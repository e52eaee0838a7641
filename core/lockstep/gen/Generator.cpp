#include "lockstep/gen/Generator.h"

#include "lockstep/gen/PyExceptions.h"

#include <stdexcept>
#include <utility>

namespace lockstep::gen {

Generator::Generator(GenHost& host, std::string name, Coroutine::Body body, ActorId parent)
    : m_co(std::make_unique<Coroutine>(host, std::move(name), std::move(body), parent))
{
}

PyValue Generator::unwrap(Outcome out)
{
    switch (out.kind) {
    case Outcome::Kind::Yielded: return std::move(out.value);
    case Outcome::Kind::Returned: throw StopIteration(std::move(out.value));
    case Outcome::Kind::Raised: std::rethrow_exception(out.error);
    }
    return nullptr;
}

PyValue Generator::next()
{
    return send(nullptr);
}

PyValue Generator::throw_(std::exception_ptr error) { return unwrap(m_co->throwIn(std::move(error))); }

PyValue Generator::throw_(std::string_view exceptionType)
{
    std::exception_ptr error = makeException(exceptionType);
    if (!error) throw std::invalid_argument("unknown Python exception class '" + std::string(exceptionType) + "'");
    return throw_(std::move(error));
}

void Generator::close()
{
    Outcome out = m_co->close();
    if (out.kind == Outcome::Kind::Raised) std::rethrow_exception(out.error);
}

} // namespace lockstep::gen
