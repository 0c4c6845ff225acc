#include "app/config.h"

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <nlohmann/json.hpp>
#include <stdexcept>
#include <type_traits>

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
    } else {
      if (!it->is_number_integer() && !it->is_number_unsigned())
        throw std::runtime_error("expected an integer");
      auto v = it->get<long long>();
      if (v < 0) throw std::runtime_error("must not be negative");
      out = static_cast<T>(v);
    }
  } catch (const std::exception& e) {
    return Status::Error(file + ": field \"" + key + "\": " + e.what());
  }
  return Status::Ok();
}

Status EnvInt(const char* name, int& out) {
  const char* v = std::getenv(name);
  if (v == nullptr || *v == '\0') return Status::Ok();
  char* end = nullptr;
  long n = std::strtol(v, &end, 10);
  if (*end != '\0' || n < 0 || n > 65535)
    return Status::Error(std::string("environment ") + name + ": not a valid port");
  out = static_cast<int>(n);
  return Status::Ok();
}

void EnvStr(const char* name, std::string& out) {
  const char* v = std::getenv(name);
  if (v != nullptr && *v != '\0') out = v;
}

}  // namespace

Result<Config> LoadConfig(const std::string& path) {
  Config c;
  std::string file = path;
  if (file.empty() && std::filesystem::exists("config/yorisoi.json")) file = "config/yorisoi.json";
  if (!file.empty()) {
    std::ifstream in(file);
    if (!in) return Result<Config>::Error(file + ": cannot read config file");
    json j;
    try {
      j = json::parse(in);
    } catch (const std::exception& e) {
      return Result<Config>::Error(file + ": invalid JSON: " + e.what());
    }
    if (!j.is_object()) return Result<Config>::Error(file + ": top level must be an object");
    c.config_path = file;
    for (Status s : {ReadKey(j, file, "bind", c.bind), ReadKey(j, file, "port", c.port),
                     ReadKey(j, file, "io_threads", c.io_threads),
                     ReadKey(j, file, "worker_threads", c.worker_threads),
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
                     ReadKey(j, file, "log_retention_days", c.log_retention_days)}) {
      if (!s.ok()) return s;
    }
    if (c.port > 65535) return Result<Config>::Error(file + ": field \"port\": out of range");
    if (c.io_threads < 1)
      return Result<Config>::Error(file + ": field \"io_threads\": must be >= 1");
    if (c.worker_threads < 1)
      return Result<Config>::Error(file + ": field \"worker_threads\": must be >= 1");
  }
  EnvStr("YORISOI_BIND", c.bind);
  if (Status s = EnvInt("YORISOI_PORT", c.port); !s.ok()) return s;
  EnvStr("YORISOI_DATA_DIR", c.data_dir);
  EnvStr("LINE_CHANNEL_SECRET", c.line_channel_secret);
  EnvStr("LINE_CHANNEL_ACCESS_TOKEN", c.line_channel_access_token);
  EnvStr("YORISOI_LINE_API_BASE", c.line_api_base);
  EnvStr("YORISOI_ADMIN_TOKEN", c.admin_token);
  return c;
}

Result<Config> ConfigFromArgs(Args& args) {
  std::string path;
  for (std::size_t i = 0; i < args.size(); ++i) {
    if (args[i] == "--config") {
      if (i + 1 >= args.size()) {
        std::cerr << "yorisoi: --config needs a PATH\n";
        return Result<Config>::Error("--config needs a PATH");
      }
      path = args[i + 1];
      args.erase(args.begin() + i, args.begin() + i + 2);
      break;
    }
  }
  Result<Config> r = LoadConfig(path);
  if (!r.ok()) std::cerr << "yorisoi: config error: " << r.error() << "\n";
  return r;
}

}  // namespace yorisoi::app
