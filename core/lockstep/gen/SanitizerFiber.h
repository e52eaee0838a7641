#pragma once

// Stack-switch annotations for AddressSanitizer and ThreadSanitizer. Both tools keep per-stack
// bookkeeping (ASan: the stack's bounds and fake stack; TSan: the shadow call stack and the
// happens-before clock), so every switch between a caller and a generator stack must tell them.
// Without a sanitizer these compile to nothing.

#include <cstddef>

#if defined(__SANITIZE_ADDRESS__)
#define LOCKSTEP_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define LOCKSTEP_ASAN 1
#endif
#endif

#if defined(__SANITIZE_THREAD__)
#define LOCKSTEP_TSAN 1
#elif defined(__has_feature)
#if __has_feature(thread_sanitizer)
#define LOCKSTEP_TSAN 1
#endif
#endif

#if defined(LOCKSTEP_ASAN)
#include <sanitizer/asan_interface.h>
#include <sanitizer/common_interface_defs.h>
#endif

#if defined(LOCKSTEP_TSAN)
// Exported by libtsan (GCC 12's tsan_interface.h does not declare the fiber API yet).
extern "C" {
void* __tsan_get_current_fiber(void);
void* __tsan_create_fiber(unsigned flags);
void __tsan_destroy_fiber(void* fiber);
void __tsan_switch_to_fiber(void* fiber, unsigned flags);
void __tsan_set_fiber_name(void* fiber, const char* name);
}
#endif

namespace lockstep::gen::sanitizer {

// ASan: about to leave the current stack for [bottom, bottom + size). `fakeStackSave` nullptr means
// the current stack is left for good (its fake frames are released).
inline void startSwitch([[maybe_unused]] void** fakeStackSave, [[maybe_unused]] const void* bottom,
                        [[maybe_unused]] std::size_t size)
{
#if defined(LOCKSTEP_ASAN)
    __sanitizer_start_switch_fiber(fakeStackSave, bottom, size);
#endif
}

// ASan: arrived on the new stack; reports the bounds of the stack we came from.
inline void finishSwitch([[maybe_unused]] void* fakeStack, [[maybe_unused]] const void** fromBottom,
                         [[maybe_unused]] std::size_t* fromSize)
{
#if defined(LOCKSTEP_ASAN)
    __sanitizer_finish_switch_fiber(fakeStack, fromBottom, fromSize);
#endif
}

// ASan: forget the poisoned redzones of frames that never returned, before a stack's memory is freed.
inline void unpoison([[maybe_unused]] void* p, [[maybe_unused]] std::size_t n)
{
#if defined(LOCKSTEP_ASAN)
    __asan_unpoison_memory_region(p, n);
#endif
}

inline void* currentFiber()
{
#if defined(LOCKSTEP_TSAN)
    return __tsan_get_current_fiber();
#else
    return nullptr;
#endif
}

inline void* createFiber([[maybe_unused]] const char* name)
{
#if defined(LOCKSTEP_TSAN)
    void* fiber = __tsan_create_fiber(0);
    __tsan_set_fiber_name(fiber, name);
    return fiber;
#else
    return nullptr;
#endif
}

inline void destroyFiber([[maybe_unused]] void* fiber)
{
#if defined(LOCKSTEP_TSAN)
    if (fiber) __tsan_destroy_fiber(fiber);
#endif
}

// TSan: the code that runs from now on belongs to `fiber` (flags 0: the switch synchronises, as
// a hand-over between two stacks of one thread does).
inline void switchToFiber([[maybe_unused]] void* fiber)
{
#if defined(LOCKSTEP_TSAN)
    if (fiber) __tsan_switch_to_fiber(fiber, 0);
#endif
}

} // namespace lockstep::gen::sanitizer
