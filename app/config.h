// Server/CLI configuration: config/yorisoi.json (or --config PATH), then
// environment overrides (YORISOI_BIND, YORISOI_PORT, YORISOI_DATA_DIR,
// LINE_CHANNEL_SECRET, LINE_CHANNEL_ACCESS_TOKEN, YORISOI_LINE_API_BASE,
// YORISOI_ADMIN_TOKEN). Errors name the file and the field.
#pragma once

#include <cstddef>
#include <string>
#include <vector>

#include "bot/runtime.h"
#include "core/status.h"
#include "core/time.h"
#include "yorisoi_source_dir.h"

namespace yorisoi::app {

struct Config {
  std::string config_path;  // the file actually read ("" if none)
  std::string bind = "127.0.0.1";
  int port = 8080;
  int io_threads = 8;  // the webhook handler waits for the inbox commit (fsync)
  int worker_threads = 2;
  // The answering threads' nice value (0 = the server's own). On a host of
  // its own, 10 lets acknowledging webhooks (LINE waits for the 200) get the
  // CPU first when they arrive faster than they are answered; the answers
  // follow from the durable inbox. On a shared host it would also put the
  // answers behind every other program's work, so it is not the default.
  int worker_nice = 0;
  std::string data_dir = "./data";
  std::string knowledge_source_dir = YORISOI_SOURCE_DIR "/knowledge/data";
  std::string lexicon_dir = YORISOI_SOURCE_DIR "/text/data";
  std::string admin_ui_dir = YORISOI_SOURCE_DIR "/adapters/admin/ui";
  std::string line_channel_secret;        // secret: never logged
  std::string line_channel_access_token;  // secret: never logged
  std::string line_api_base = "https://api.line.me";
  std::string admin_token;           // secret: never logged
  std::size_t body_limit = 1 << 20;  // bytes; larger → 413
  int header_timeout_s = 10;
  int body_timeout_s = 10;
  int idle_timeout_s = 60;  // keep-alive idle
  int reply_token_max_age_s = 50;
  int state_ttl_minutes = 60 * 24 * 7;  // dialog state expiry
  int dedupe_ttl_hours = 72;
  int log_retention_days = 365;
  // Delivery (adapters/dispatcher.h): an acknowledged answer is sent again
  // after passing failures until this long after it was received.
  int delivery_window_s = 24 * 3600;
  int delivery_retry_initial_ms = 2000;
  int delivery_retry_max_s = 300;
  int line_send_queue = 10'000;  // sends queued or in flight at most
  int line_max_connections = 8;  // to the Messaging API
  // Reminders (adapters/reminder_scheduler.h): sent between these JST hours
  // [start, end), looked for every reminder_poll_s.
  int reminder_window_start_hour = 9;
  int reminder_window_end_hour = 20;
  int reminder_poll_s = 60;
  // Reverse proxies whose X-Forwarded-For names the console's client
  // (login throttling and audit); empty: the peer address is the client.
  std::vector<std::string> trusted_proxies;
  // Staff answer parents in LINE (issue 17): handoffs to the console's
  // 対応待ち queue during staff hours (weekdays open–close, closed on
  // national holidays and 12/29–1/3); a takeover ends by itself after
  // takeover_minutes. A new waiting handoff is POSTed (JSON, no personal
  // data, X-Yorisoi-Signature: base64 HMAC-SHA256 of the body with
  // handoff_notify_secret) to handoff_notify_url when set.
  bool staff_chat = true;  // with the LINE channel only
  std::string staff_hours_open = "08:30";
  std::string staff_hours_close = "17:15";
  int takeover_minutes = 24 * 60;
  std::string handoff_notify_url;
  std::string handoff_notify_secret;  // secret: never logged

  std::string KbPath() const { return data_dir + "/knowledge.sqlite"; }
  bool LineEnabled() const { return !line_channel_secret.empty(); }
};

// Loads `path` (when empty: config/yorisoi.json if it exists, else
// defaults), then applies environment overrides.
Result<Config> LoadConfig(const std::string& path);

// Every numeric key within its range (port 0–65535, threads 1–256, body
// limit >= 1 KiB, timeouts > 0, …); the error names the file, the key, the
// value and the range.
Status CheckRanges(const Config& c, const std::string& file);

// The runtime's options from the config (data directory, knowledge base and
// its sources, lexicons, state TTL, log retention) with `clock` (borrowed);
// serve adds the staff chat, eval and chat --memory keep it in memory.
bot::RuntimeOptions RuntimeOptionsFrom(const Config& cfg, const Clock* clock);

// LoadConfig(path) for a command (`--config PATH`, "" when not given); on
// error prints one line to stderr ("yorisoi: config error: …").
Result<Config> LoadConfigOrReport(const std::string& path);

}  // namespace yorisoi::app
