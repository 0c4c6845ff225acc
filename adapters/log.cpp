// stderr logging (adapters/log.h).
#include "adapters/log.h"

#include <atomic>
#include <chrono>
#include <cstdio>

#include "knowledge/time.h"

namespace yorisoi::adapters {
namespace {
std::atomic<bool> g_quiet{false};
std::atomic<const Clock*> g_clock{nullptr};
}  // namespace

void SetQuietLogs(bool quiet) { g_quiet = quiet; }
void SetLogClock(const Clock* clock) { g_clock = clock; }

void Log(LogLevel level, const std::string& component, const std::string& message) {
  if (level == LogLevel::kInfo && g_quiet) return;
  const char* name = level == LogLevel::kInfo   ? "INFO"
                     : level == LogLevel::kWarn ? "WARN"
                                                : "ERROR";
  std::string line = std::string(name) + " " + component + ": " + message + "\n";
  if (const Clock* clock = g_clock.load()) {
    const int64_t now = clock->NowMillis();
    std::string iso = FormatJstIso(now);  // "2026-11-24T10:00:00+09:00"
    char ms[8];
    std::snprintf(ms, sizeof ms, ".%03d", static_cast<int>(now % 1000));
    if (iso.size() > 19) iso.insert(19, ms);
    line = iso + " " + line;
  }
  std::fwrite(line.data(), 1, line.size(), stderr);
}

}  // namespace yorisoi::adapters
