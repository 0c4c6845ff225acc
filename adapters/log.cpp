// stderr logging (adapters/log.h).
#include "adapters/log.h"

#include <atomic>
#include <chrono>
#include <cstdio>

#include "knowledge/time.h"

namespace yorisoi::adapters {
namespace {
std::atomic<bool> g_quiet{false};
}

void SetQuietLogs(bool quiet) { g_quiet = quiet; }

void Log(LogLevel level, const std::string& component, const std::string& message) {
  if (level == LogLevel::kInfo && g_quiet) return;
  const int64_t now = NowMillis();
  const char* name = level == LogLevel::kInfo   ? "INFO"
                     : level == LogLevel::kWarn ? "WARN"
                                                : "ERROR";
  std::string iso = FormatJstIso(now);  // "2026-11-24T10:00:00+09:00"
  char ms[8];
  std::snprintf(ms, sizeof ms, ".%03d", static_cast<int>(now % 1000));
  if (iso.size() > 19) iso.insert(19, ms);
  std::string line = iso + " " + name + " " + component + ": " + message + "\n";
  std::fwrite(line.data(), 1, line.size(), stderr);
}

}  // namespace yorisoi::adapters
