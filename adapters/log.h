// One-line server logs on stderr: "2026-11-24T10:00:00.123+09:00 WARN line: …".
// Callers never pass secrets (tokens, channel secret) or user text; user ids
// are pseudonyms. Thread-safe (one write per line).
#pragma once

#include <cstdint>
#include <string>

#include "core/time.h"

namespace yorisoi::adapters {

enum class LogLevel { kInfo, kWarn, kError };

void Log(LogLevel level, const std::string& component, const std::string& message);

// A warning that may repeat (unsigned requests, storage errors): logged at
// most once per `interval` per key; the next line says how many were
// suppressed in between ("… (37 more since the last line)"). Thread-safe.
// `now_ms` is the caller's clock (tests pass their own).
void LogLimited(LogLevel level, const std::string& component, const std::string& key,
                const std::string& message, int64_t now_ms, int64_t interval_ms = 60'000);
// Suppresses kInfo lines (tests, benchmarks).
void SetQuietLogs(bool quiet);
// The clock for the line's timestamp (borrowed; the app wires the system
// clock). Without one, lines carry no timestamp.
void SetLogClock(const Clock* clock);

}  // namespace yorisoi::adapters
