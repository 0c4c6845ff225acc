#include "app/config.h"

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <limits>
#include <nlohmann/json.hpp>
#include <stdexcept>
#include <type_traits>

#include "knowledge/hours.h"

namespace yorisoi::app {
namespace {

using nlohmann::json;

// Reads an optional key of the expected JSON type into `out`.
template <typename T>
Status ReadKey(const json& j, const std::string& file, const char* key, T& out) {
  auto it = j.find(key);
  if (it == j.end()) return Status::Ok();
  try {
    if constexpr (std::is_same_v<T, std::string>) {
      if (!it->is_string()) throw std::runtime_error("expected a string");
      out = it->get<std::string>();
    } else if constexpr (std::is_same_v<T, bool>) {
      if (!it->is_boolean()) throw std::runtime_error("expected true or false");
      out = it->get<bool>();
    } else {
      if (!it->is_number_integer() && !it->is_number_unsigned())
        throw std::runtime_error("expected an integer");
      if (it->is_number_unsigned() &&
          it->get<unsigned long long>() > static_cast<unsigned long long>(INT64_MAX))
        throw std::runtime_error(it->dump() + " is out of range");
      auto v = it->get<long long>();
      if (v < 0) throw std::runtime_error("must not be negative");
      if (static_cast<unsigned long long>(v) >
          static_cast<unsigned long long>(std::numeric_limits<T>::max()))
        throw std::runtime_error(it->dump() + " is out of range");
      out = static_cast<T>(v);
    }
  } catch (const std::exception& e) {
    return Status::InvalidArgument(file + ": field \"" + key + "\": " + e.what());
  }
  return Status::Ok();
}

Status EnvInt(const char* name, int& out) {
  const char* v = std::getenv(name);
  if (v == nullptr || *v == '\0') return Status::Ok();
  char* end = nullptr;
  long n = std::strtol(v, &end, 10);
  if (*end != '\0' || n < 0 || n > 65535)
    return Status::InvalidArgument(std::string("environment ") + name +
                                   ": not a valid port (0–65535)");
  out = static_cast<int>(n);
  return Status::Ok();
}

void EnvStr(const char* name, std::string& out) {
  const char* v = std::getenv(name);
  if (v != nullptr && *v != '\0') out = v;
}

struct Range {
  const char* key;
  long long value, min, max;
  const char* unit;
};

}  // namespace

Status CheckRanges(const Config& c, const std::string& file) {
  constexpr long long kNoMax = std::numeric_limits<int>::max();
  const Range kRanges[] = {
      // (YORISOI_PORT=0 asks the system for a free port: tests only.)
      {"port", c.port, 1, 65535, ""},
      {"io_threads", c.io_threads, 1, 256, ""},
      {"worker_threads", c.worker_threads, 1, 256, ""},
      {"worker_nice", c.worker_nice, 0, 19, ""},
      {"body_limit", static_cast<long long>(std::min<std::size_t>(c.body_limit, kNoMax)), 1024,
       kNoMax, " bytes"},
      {"header_timeout_s", c.header_timeout_s, 1, 3600, " s"},
      {"body_timeout_s", c.body_timeout_s, 1, 3600, " s"},
      {"idle_timeout_s", c.idle_timeout_s, 1, 86400, " s"},
      {"reply_token_max_age_s", c.reply_token_max_age_s, 1, 3600, " s"},
      {"state_ttl_minutes", c.state_ttl_minutes, 1, kNoMax, " min"},
      {"dedupe_ttl_hours", c.dedupe_ttl_hours, 1, kNoMax, " h"},
      {"log_retention_days", c.log_retention_days, 1, kNoMax, " days"},
      {"delivery_window_s", c.delivery_window_s, 1, 7 * 86400, " s"},
      {"delivery_retry_initial_ms", c.delivery_retry_initial_ms, 1, 3'600'000, " ms"},
      {"delivery_retry_max_s", c.delivery_retry_max_s, 1, 86400, " s"},
      {"line_send_queue", c.line_send_queue, 1, 1'000'000, ""},
      {"line_max_connections", c.line_max_connections, 1, 256, ""},
      {"reminder_window_start_hour", c.reminder_window_start_hour, 0, 23, " h"},
      {"reminder_window_end_hour", c.reminder_window_end_hour, c.reminder_window_start_hour + 1, 24,
       " h"},
      {"reminder_poll_s", c.reminder_poll_s, 1, 3600, " s"},
      {"takeover_minutes", c.takeover_minutes, 1, 7 * 24 * 60, " min"},
  };
  for (const auto& [key, value] :
       {std::pair<const char*, const std::string&>{"staff_hours_open", c.staff_hours_open},
        {"staff_hours_close", c.staff_hours_close}}) {
    auto m = kb::ParseClock(value);
    if (!m.ok()) return Status::InvalidArgument(file + ": field \"" + key + "\": " + m.error());
  }
  if (!c.handoff_notify_url.empty() && c.handoff_notify_secret.empty())
    return Status::InvalidArgument(file +
                                   ": field \"handoff_notify_secret\": required with "
                                   "handoff_notify_url (the POST is signed)");
  for (const Range& r : kRanges) {
    if (r.value < r.min || r.value > r.max) {
      std::string range =
          std::to_string(r.min) + (r.max == kNoMax ? " or more" : "–" + std::to_string(r.max));
      return Status::InvalidArgument(file + ": field \"" + r.key +
                                     "\": " + std::to_string(r.value) + " is out of range (" +
                                     range + r.unit + ")");
    }
  }
  return Status::Ok();
}

Result<Config> LoadConfig(const std::string& path) {
  Config c;
  std::string file = path;
  if (file.empty() && std::filesystem::exists("config/yorisoi.json")) file = "config/yorisoi.json";
  if (!file.empty()) {
    std::ifstream in(file);
    if (!in) return Status::InvalidArgument(file + ": cannot read config file");
    json j;
    try {
      j = json::parse(in);
    } catch (const std::exception& e) {
      return Status::InvalidArgument(file + ": invalid JSON: " + e.what());
    }
    if (!j.is_object()) return Status::InvalidArgument(file + ": top level must be an object");
    c.config_path = file;
    for (Status s : {ReadKey(j, file, "bind", c.bind),
                     ReadKey(j, file, "port", c.port),
                     ReadKey(j, file, "io_threads", c.io_threads),
                     ReadKey(j, file, "worker_threads", c.worker_threads),
                     ReadKey(j, file, "worker_nice", c.worker_nice),
                     ReadKey(j, file, "data_dir", c.data_dir),
                     ReadKey(j, file, "knowledge_source_dir", c.knowledge_source_dir),
                     ReadKey(j, file, "lexicon_dir", c.lexicon_dir),
                     ReadKey(j, file, "admin_ui_dir", c.admin_ui_dir),
                     ReadKey(j, file, "line_api_base", c.line_api_base),
                     ReadKey(j, file, "body_limit", c.body_limit),
                     ReadKey(j, file, "header_timeout_s", c.header_timeout_s),
                     ReadKey(j, file, "body_timeout_s", c.body_timeout_s),
                     ReadKey(j, file, "idle_timeout_s", c.idle_timeout_s),
                     ReadKey(j, file, "reply_token_max_age_s", c.reply_token_max_age_s),
                     ReadKey(j, file, "state_ttl_minutes", c.state_ttl_minutes),
                     ReadKey(j, file, "dedupe_ttl_hours", c.dedupe_ttl_hours),
                     ReadKey(j, file, "log_retention_days", c.log_retention_days),
                     ReadKey(j, file, "delivery_window_s", c.delivery_window_s),
                     ReadKey(j, file, "delivery_retry_initial_ms", c.delivery_retry_initial_ms),
                     ReadKey(j, file, "delivery_retry_max_s", c.delivery_retry_max_s),
                     ReadKey(j, file, "line_send_queue", c.line_send_queue),
                     ReadKey(j, file, "line_max_connections", c.line_max_connections),
                     ReadKey(j, file, "reminder_window_start_hour", c.reminder_window_start_hour),
                     ReadKey(j, file, "reminder_window_end_hour", c.reminder_window_end_hour),
                     ReadKey(j, file, "reminder_poll_s", c.reminder_poll_s),
                     ReadKey(j, file, "staff_chat", c.staff_chat),
                     ReadKey(j, file, "staff_hours_open", c.staff_hours_open),
                     ReadKey(j, file, "staff_hours_close", c.staff_hours_close),
                     ReadKey(j, file, "takeover_minutes", c.takeover_minutes),
                     ReadKey(j, file, "handoff_notify_url", c.handoff_notify_url),
                     ReadKey(j, file, "handoff_notify_secret", c.handoff_notify_secret)}) {
      if (!s.ok()) return s;
    }
    if (auto it = j.find("trusted_proxies"); it != j.end()) {
      if (!it->is_array())
        return Status::InvalidArgument(
            file + ": field \"trusted_proxies\": expected an array of addresses");
      for (const json& a : *it) {
        if (!a.is_string())
          return Status::InvalidArgument(file +
                                         ": field \"trusted_proxies\": expected address strings");
        c.trusted_proxies.push_back(a.get<std::string>());
      }
    }
    if (Status s = CheckRanges(c, file); !s.ok()) return s;
  }
  EnvStr("YORISOI_BIND", c.bind);
  if (Status s = EnvInt("YORISOI_PORT", c.port); !s.ok()) return s;
  EnvStr("YORISOI_DATA_DIR", c.data_dir);
  EnvStr("LINE_CHANNEL_SECRET", c.line_channel_secret);
  EnvStr("LINE_CHANNEL_ACCESS_TOKEN", c.line_channel_access_token);
  EnvStr("YORISOI_LINE_API_BASE", c.line_api_base);
  EnvStr("YORISOI_ADMIN_TOKEN", c.admin_token);
  EnvStr("YORISOI_HANDOFF_NOTIFY_URL", c.handoff_notify_url);
  EnvStr("YORISOI_HANDOFF_NOTIFY_SECRET", c.handoff_notify_secret);
  if (!c.handoff_notify_url.empty() && c.handoff_notify_secret.empty())
    return Status::InvalidArgument(
        "YORISOI_HANDOFF_NOTIFY_SECRET is required with a handoff notification URL");
  return c;
}

bot::RuntimeOptions RuntimeOptionsFrom(const Config& cfg, const Clock* clock) {
  bot::RuntimeOptions o;
  o.data_dir = cfg.data_dir;
  o.kb_path = cfg.KbPath();
  o.knowledge_source_dir = cfg.knowledge_source_dir;
  o.lexicon_dir = cfg.lexicon_dir;
  o.state_ttl_minutes = cfg.state_ttl_minutes;
  o.log_retention_days = cfg.log_retention_days;
  o.clock = clock;
  return o;
}

Result<Config> LoadConfigOrReport(const std::string& path) {
  Result<Config> r = LoadConfig(path);
  if (!r.ok()) std::cerr << "yorisoi: config error: " << r.error() << "\n";
  return r;
}

}  // namespace yorisoi::app
