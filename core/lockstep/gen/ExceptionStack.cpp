#include "lockstep/gen/ExceptionStack.h"

#include <cxxabi.h>

#include <utility>

namespace lockstep::gen {

namespace {
// Layout fixed by the Itanium C++ ABI (section 2.2.2), used by libstdc++ and libc++ on x86-64 and
// AArch64 alike; ARM EHABI adds a field after these two, which we leave alone.
struct EhGlobals {
    void* caughtExceptions;
    unsigned int uncaughtExceptions;
};
} // namespace

void ExceptionStack::swapWithThread() noexcept
{
    auto* globals = reinterpret_cast<EhGlobals*>(abi::__cxa_get_globals());
    std::swap(globals->caughtExceptions, m_caught);
    std::swap(globals->uncaughtExceptions, m_uncaught);
}

} // namespace lockstep::gen
