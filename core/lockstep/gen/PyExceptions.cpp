#include "lockstep/gen/PyExceptions.h"

#include <functional>
#include <utility>

namespace lockstep::gen {

StopIteration::StopIteration(PyValue value)
    : Exception("StopIteration", py::isNone(value) ? std::string() : py::str(value)), m_value(std::move(value))
{
}

ExceptionInfo describeException(const std::exception_ptr& error)
{
    ExceptionInfo info;
    if (!error) return info;
    try {
        std::rethrow_exception(error);
    } catch (const StopIteration& e) {
        info = {true, e.type(), e.message(), e.value()};
    } catch (const PyError& e) {
        info = {true, e.type(), e.message(), std::nullopt};
    } catch (const std::exception& e) {
        info.message = e.what();
    } catch (...) {
        info.message = "unknown C++ exception";
    }
    return info;
}

bool isStopIteration(const std::exception_ptr& error)
{
    if (!error) return false;
    try {
        std::rethrow_exception(error);
    } catch (const StopIteration&) {
        return true;
    } catch (...) {
        return false;
    }
}

bool isGeneratorExit(const std::exception_ptr& error)
{
    if (!error) return false;
    try {
        std::rethrow_exception(error);
    } catch (const GeneratorExit&) {
        return true;
    } catch (...) {
        return false;
    }
}

namespace {

using Factory = std::function<std::exception_ptr(std::string)>;

template <typename E>
std::pair<std::string, Factory> entry(std::string name)
{
    return {std::move(name), [](std::string message) { return std::make_exception_ptr(E(std::move(message))); }};
}

const std::vector<std::pair<std::string, Factory>>& factories()
{
    static const std::vector<std::pair<std::string, Factory>> s_factories = {
        entry<ValueError>("ValueError"),
        entry<KeyError>("KeyError"),
        entry<TypeError>("TypeError"),
        entry<RuntimeError>("RuntimeError"),
        {"StopIteration",
         [](std::string message) {
             return std::make_exception_ptr(StopIteration(message.empty() ? PyValue() : PyValue(message)));
         }},
        entry<GeneratorExit>("GeneratorExit"),
        entry<Exception>("Exception"),
        entry<BaseException>("BaseException"),
        entry<IndexError>("IndexError"),
        entry<LookupError>("LookupError"),
        entry<ZeroDivisionError>("ZeroDivisionError"),
        entry<OverflowError>("OverflowError"),
        entry<ArithmeticError>("ArithmeticError"),
    };
    return s_factories;
}

} // namespace

std::exception_ptr makeException(std::string_view type, std::string message)
{
    for (const auto& [name, factory] : factories())
        if (name == type) return factory(std::move(message));
    return nullptr;
}

const std::vector<std::string>& exceptionNames()
{
    static const std::vector<std::string> s_names = [] {
        std::vector<std::string> names;
        for (const auto& f : factories()) names.push_back(f.first);
        return names;
    }();
    return s_names;
}

} // namespace lockstep::gen
