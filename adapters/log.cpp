// stderr logging (adapters/log.h).
#include "adapters/log.h"

#include <atomic>
#include <chrono>
#include <cstdio>
#include <mutex>
#include <unordered_map>

#include "core/time.h"

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

void LogLimited(LogLevel level, const std::string& component, const std::string& key,
                const std::string& message, int64_t now_ms, int64_t interval_ms) {
  struct Slot {
    int64_t last_ms = 0;
    int64_t suppressed = 0;
    bool logged = false;
  };
  static std::mutex mu;
  static std::unordered_map<std::string, Slot> slots;
  int64_t suppressed = 0;
  {
    std::lock_guard<std::mutex> lock(mu);
    if (slots.size() > 1000) slots.clear();  // keys are fixed strings; a bound all the same
    Slot& s = slots[component + "\n" + key];
    if (s.logged && now_ms - s.last_ms < interval_ms) {
      ++s.suppressed;
      return;
    }
    suppressed = s.suppressed;
    s = Slot{now_ms, 0, true};
  }
  Log(level, component,
      suppressed > 0 ? message + " (" + std::to_string(suppressed) + " more since the last line)"
                     : message);
}

}  // namespace yorisoi::adapters
