// Thread names, so that `top -H`, /proc/PID/task/*/comm, perf and gdb show
// which part of the server a thread belongs to ("io", "dispatch",
// "log-writer", …) and bench/compare.sh can split CPU time by role; and
// thread priorities, so that background work (answering, the log) yields
// the CPU to acknowledging webhooks when both want it.
#pragma once

namespace yorisoi {

// Names the calling thread. Linux shows at most 15 bytes; longer names are
// cut. Best effort: never fails, never throws. Thread-safe.
void NameThisThread(const char* name) noexcept;

// Lowers the calling thread's scheduling priority to `nice` (1–19; Linux
// keeps a nice value per thread). Only when the CPU is contended does it
// matter: then the thread gets a smaller share (nice 10 ≈ a tenth of a
// nice-0 thread's). Best effort: never fails, never throws. 0 or less does
// nothing.
void LowerThisThreadPriority(int nice) noexcept;

}  // namespace yorisoi
