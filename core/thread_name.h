// Thread names, so that `top -H`, /proc/PID/task/*/comm, perf and gdb show
// which part of the server a thread belongs to ("io", "dispatch",
// "log-writer", …) and bench/compare.sh can split CPU time by role.
#pragma once

namespace yorisoi {

// Names the calling thread. Linux shows at most 15 bytes; longer names are
// cut. Best effort: never fails, never throws. Thread-safe.
void NameThisThread(const char* name) noexcept;

}  // namespace yorisoi
