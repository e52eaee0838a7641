#include "lockstep/gen/ExceptionStack.h"

#include <cxxabi.h>

namespace lockstep::gen {

ExceptionStack::EhGlobals* ExceptionStack::fetchThreadGlobals() noexcept
{
    return reinterpret_cast<EhGlobals*>(abi::__cxa_get_globals());
}

} // namespace lockstep::gen
