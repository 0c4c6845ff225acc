// `yorisoi serve`: wires the configuration, the runtime (KB + engine +
// stores), the LINE adapter, the calculator API and the staff console onto
// the HTTP server, and shuts everything down in order on SIGINT/SIGTERM:
//   1. the server stops accepting and finishes the requests in flight
//      (every acknowledged event is already in the inbox);
//   2. the dispatcher finishes queued events for up to kDrainTime;
//   3. the Messaging API client aborts what is left (those events stay
//      unfinished in the inbox and are completed at the next start);
//   4. the runtime flushes the conversation log.
#include <fcntl.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <chrono>
#include <condition_variable>
#include <csignal>
#include <cstring>
#include <filesystem>
#include <iostream>
#include <memory>
#include <mutex>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "adapters/admin/console.h"
#include "adapters/calc_api.h"
#include "adapters/dispatcher.h"
#include "adapters/handoff_notifier.h"
#include "adapters/http_server.h"
#include "adapters/line_api.h"
#include "adapters/line_channel.h"
#include "adapters/line_loading.h"
#include "adapters/log.h"
#include "adapters/messaging_client.h"
#include "adapters/metrics.h"
#include "adapters/pseudonym.h"
#include "adapters/reminder_scheduler.h"
#include "adapters/router.h"
#include "app/commands.h"
#include "app/config.h"
#include "app/edits_backend.h"
#include "bot/runtime.h"
#include "core/thread_name.h"
#include "core/time.h"
#include "knowledge/hours.h"
#include "store/admin_store.h"
#include "store/handoff_store.h"
#include "store/inbox.h"
#include "store/log_store.h"
#include "store/reminder_store.h"

namespace yorisoi::app {
namespace {

namespace ad = yorisoi::adapters;
using nlohmann::json;

constexpr auto kDrainTime = std::chrono::seconds(10);
constexpr auto kPurgeEvery = std::chrono::hours(1);

int Fail(int code, const std::string& message) {
  std::cerr << "yorisoi serve: " << message << "\n";
  return code;
}

// Creates the data directory and proves it writable with a probe file.
Status CheckDataDir(const std::string& dir) {
  std::error_code ec;
  std::filesystem::create_directories(dir, ec);
  if (ec)
    return Status::InvalidArgument("data directory " + dir + ": cannot create: " + ec.message());
  // Private: the directory 0700, every file in it 0600 (also files an
  // earlier version created 0644); files created later get 0600 from the
  // umask set by the caller.
  // Only our own files (never through a symlink: a data directory such as
  // /proc/self must not change the mode of what it points to).
  ::chmod(dir.c_str(), 0700);
  for (const auto& entry : std::filesystem::directory_iterator(dir, ec)) {
    std::error_code ignored;
    if (entry.is_symlink(ignored) || !entry.is_regular_file(ignored)) continue;
    const std::string name = entry.path().filename().string();
    for (const char* suffix :
         {".sqlite", ".sqlite-wal", ".sqlite-shm", ".sqlite-journal", ".key"}) {
      const std::string sfx = suffix;
      if (name.size() > sfx.size() &&
          name.compare(name.size() - sfx.size(), sfx.size(), sfx) == 0) {
        ::chmod(entry.path().c_str(), 0600);
        break;
      }
    }
  }
  const std::string probe = dir + "/.write-probe-" + std::to_string(::getpid());
  int fd = ::open(probe.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
  if (fd < 0) {
    return Status::InvalidArgument("data directory " + dir +
                                   " is not writable: " + std::strerror(errno));
  }
  const bool ok = ::write(fd, "ok", 2) == 2;
  const int err = errno;
  ::close(fd);
  ::unlink(probe.c_str());
  if (!ok)
    return Status::InvalidArgument("data directory " + dir +
                                   " is not writable: " + std::strerror(err));
  return Status::Ok();
}

// Many keep-alive connections need descriptors: raise the soft limit.
void RaiseFileLimit() {
  rlimit lim{};
  if (::getrlimit(RLIMIT_NOFILE, &lim) == 0 && lim.rlim_cur < lim.rlim_max) {
    lim.rlim_cur = lim.rlim_max;
    ::setrlimit(RLIMIT_NOFILE, &lim);
  }
}

// Deletes expired dedupe rows hourly until stopped.
// Hourly: the inbox's finished events; parents' contacts and released
// handoffs older than the log retention.
class Purger {
 public:
  Purger(store::Inbox* inbox, store::HandoffStore* handoffs, int retention_days)
      : inbox_(inbox),
        handoffs_(handoffs),
        retention_ms_(static_cast<int64_t>(retention_days) * 24 * 3600 * 1000),
        thread_([this] {
          NameThisThread("purger");
          Loop();
        }) {}
  ~Purger() {
    {
      std::lock_guard<std::mutex> lock(mu_);
      stop_ = true;
    }
    cv_.notify_all();
    thread_.join();
  }

 private:
  void Loop() {
    std::unique_lock<std::mutex> lock(mu_);
    do {
      lock.unlock();
      if (auto r = inbox_->Purge(WallClock().NowMillis()); !r.ok()) {
        ad::Log(ad::LogLevel::kWarn, "inbox", r.error());
      }
      if (handoffs_) {
        if (Status s = handoffs_->Purge(WallClock().NowMillis() - retention_ms_); !s.ok())
          ad::Log(ad::LogLevel::kWarn, "handoff", s.message());
      }
      lock.lock();
    } while (!cv_.wait_for(lock, kPurgeEvery, [this] { return stop_; }));
  }

  store::Inbox* inbox_;
  store::HandoffStore* handoffs_;
  int64_t retention_ms_;
  std::mutex mu_;
  std::condition_variable cv_;
  bool stop_ = false;
  std::thread thread_;
};

std::string StripLeadingZero(const std::string& hhmm) {
  return hhmm.size() > 1 && hhmm[0] == '0' ? hhmm.substr(1) : hhmm;
}

// A staff answer by push, tried 3 times (1 s, 3 s apart) with the same
// X-Line-Retry-Key while LINE answers 429/5xx or nothing; 409 with the key
// means LINE accepted it before.
ad::admin::PushFn PushWithRetries(ad::LineApi* api) {
  return [api](const std::string& to, const std::vector<std::string>& texts,
               const std::string& retry_key) -> Status {
    json messages = json::array();
    for (const std::string& t : texts) messages.push_back({{"type", "text"}, {"text", t}});
    const std::string body = messages.dump();
    std::string last;
    for (int attempt = 0; attempt < 3; ++attempt) {
      if (attempt > 0) std::this_thread::sleep_for(std::chrono::seconds(attempt == 1 ? 1 : 3));
      ad::ApiResponse r = api->Push(to, body, retry_key);
      if (r.ok() || r.status == 409) return Status::Ok();
      last = r.error.empty() ? "LINE answered HTTP " + std::to_string(r.status) : r.error;
      if (r.status != 0 && r.status != 429 && r.status < 500) break;  // will not change
    }
    return Status::Unavailable(last);
  };
}

json KbStatus(const kb::KnowledgeBase& kb) {
  const kb::KbStats s = kb.stats();
  return {{"status", s.programs > 0 ? "ok" : "empty"},
          {"programs", s.programs},
          {"municipalities", s.municipalities},
          {"prefectures", s.prefectures},
          {"windows", s.windows},
          {"facts", s.facts},
          {"safety_lines", s.safety_lines},
          {"content_hash", s.content_hash}};
}

// Why serve cannot start: exit code 2 (configuration) or 1 (runtime).
struct StartError {
  int code;
  std::string message;
};
using Step = std::optional<StartError>;

// Everything serve runs, in the order it is built, so that it is destroyed
// in reverse: background tasks, the server, the console, the LINE parts, the
// stores and last the runtime (which flushes the conversation log).
struct Wiring {
  std::unique_ptr<ad::HandoffNotifier> notifier;  // set once the KB is open; outlives the runtime
  std::unique_ptr<bot::Runtime> runtime;
  std::unique_ptr<store::Inbox> inbox;
  std::optional<ad::Pseudonymizer> pseudonyms;
  ad::Metrics metrics;
  ad::Router router;
  std::unique_ptr<ad::MessagingClient> client;
  std::unique_ptr<ad::LineApi> line_api;
  std::unique_ptr<ad::LoadingIndicator> loading;  // outlives the dispatcher
  std::unique_ptr<ad::Dispatcher> dispatcher;
  std::unique_ptr<ad::LineWebhook> webhook;
  std::unique_ptr<ad::admin::EditsBackend> edits_backend;  // outlives the console
  std::unique_ptr<ad::admin::Console> console;
  std::vector<std::string> degraded;  // unusable stores, shown by /healthz
  std::unique_ptr<ad::HttpServer> server;
  std::unique_ptr<Purger> purger;
  std::unique_ptr<ad::ReminderScheduler> reminders;
};

// Checks the LINE credentials pair and the data directory; sets the process
// up for a server (umask, signals, descriptor limit).
Step PrepareProcess(const Config& cfg) {
  const bool has_secret = !cfg.line_channel_secret.empty();
  const bool has_token = !cfg.line_channel_access_token.empty();
  if (has_secret != has_token) {
    return StartError{2, has_secret
                             ? "LINE_CHANNEL_SECRET is set but LINE_CHANNEL_ACCESS_TOKEN is not"
                             : "LINE_CHANNEL_ACCESS_TOKEN is set but LINE_CHANNEL_SECRET is not"};
  }
  ::umask(077);  // data files 0600, directories 0700
  if (Status s = CheckDataDir(cfg.data_dir); !s.ok()) return StartError{1, s.message()};
  std::signal(SIGPIPE, SIG_IGN);
  // A file size limit (RLIMIT_FSIZE) must fail the write (EFBIG → a storage
  // error answered 500), not kill the server.
  std::signal(SIGXFSZ, SIG_IGN);
  RaiseFileLimit();
  return std::nullopt;
}

bot::RuntimeOptions RuntimeOptionsFor(const Config& cfg, Wiring& w) {
  bot::RuntimeOptions ro = RuntimeOptionsFrom(cfg, &WallClock());
  // Staff answer parents in LINE: handoffs, takeovers, the console's queue.
  ro.staff_chat = cfg.staff_chat && cfg.LineEnabled();
  ro.staff_hours = dialogs::DefaultStaffHours();
  ro.staff_hours.rules.front().open_minute = *kb::ParseClock(cfg.staff_hours_open);
  ro.staff_hours.rules.front().close_minute = *kb::ParseClock(cfg.staff_hours_close);
  ro.staff_hours.text = "平日 " + StripLeadingZero(cfg.staff_hours_open) + "〜" +
                        StripLeadingZero(cfg.staff_hours_close);
  ro.on_handoff = [&notifier = w.notifier](const store::Handoff& h) {
    if (notifier) notifier->Notify(h);
  };
  return ro;
}

// The runtime (KB, engine, stores), the handoff notifier, the inbox and the
// pseudonym key.
Step OpenStores(const Config& cfg, Wiring& w) {
  auto runtime = bot::Runtime::Open(RuntimeOptionsFor(cfg, w));
  if (!runtime.ok()) return StartError{1, runtime.error()};
  w.runtime = std::move(runtime).value();
  if (!cfg.handoff_notify_url.empty()) {
    ad::HandoffNotifierOptions no;
    no.url = cfg.handoff_notify_url;
    no.secret = cfg.handoff_notify_secret;
    for (const auto& m : w.runtime->kb().municipalities()) no.municipality_names[m.id] = m.name;
    auto n = ad::HandoffNotifier::Create(std::move(no));
    if (!n.ok()) return StartError{2, n.error()};
    w.notifier = std::move(n).value();
  }
  auto inbox = store::Inbox::Open(cfg.data_dir + "/inbox.sqlite", cfg.dedupe_ttl_hours);
  if (!inbox.ok()) return StartError{1, inbox.error()};
  w.inbox = std::move(inbox).value();
  auto pseudonyms = ad::Pseudonymizer::OpenOrCreate(cfg.data_dir);
  if (!pseudonyms.ok()) return StartError{1, pseudonyms.error()};
  w.pseudonyms = std::move(pseudonyms).value();
  return std::nullopt;
}

// The Messaging API client (replies), the LINE API (push, loading, rich
// menu, multicast) and the loading animation for answers not sent within
// about 1 s (1:1 chats only).
Step OpenLineClients(const Config& cfg, Wiring& w) {
  ad::MessagingOptions mo;
  mo.api_base = cfg.line_api_base;
  mo.access_token = cfg.line_channel_access_token;
  mo.reply_token_max_age = std::chrono::seconds(cfg.reply_token_max_age_s);
  mo.queue_capacity = static_cast<std::size_t>(cfg.line_send_queue);
  mo.max_connections = static_cast<std::size_t>(cfg.line_max_connections);
  mo.now_ms = [] { return WallClock().NowMillis(); };
  auto c = ad::MessagingClient::Create(std::move(mo), &w.metrics);
  if (!c.ok()) return StartError{2, c.error()};
  w.client = std::move(c).value();
  auto api =
      ad::LineApi::Create(ad::LineApiOptionsFor(cfg.line_api_base, cfg.line_channel_access_token));
  if (!api.ok()) return StartError{2, api.error()};
  w.line_api = std::move(api).value();
  // Through the Messaging API client's pooled connections, not blocking the
  // indicator's timer thread.
  w.loading = std::make_unique<ad::LoadingIndicator>(
      std::chrono::milliseconds(1000), std::chrono::seconds(20),
      [client = w.client.get()](const std::string& user, int seconds) {
        client->StartLoading(user, seconds, [](const ad::SendResult& r) {
          if (r.outcome != ad::SendResult::Outcome::kReplied &&
              r.outcome != ad::SendResult::Outcome::kAborted)
            ad::LogLimited(ad::LogLevel::kWarn, "line", "loading",
                           "loading indicator: " +
                               (r.status != 0 ? "HTTP " + std::to_string(r.status) : r.reason),
                           WallClock().NowMillis());
        });
      });
  return std::nullopt;
}

// After the engine answered: where a staff answer can reach this parent
// (one-to-one chats only); reminders after consent keep where to push them,
// opt-outs (「通知をやめる」, unfollow) are counted.
auto OnAnswered(bot::Runtime& rt, ad::Metrics& metrics) {
  return [reminders = rt.reminder_store(), handoffs = rt.handoff_store(), &metrics](
             const std::string& user, const std::string& chat, const std::string& push_to,
             const Meta& meta) {
    if (handoffs && chat == "user" && !push_to.empty()) {
      if (Status s = handoffs->SetContact(user, push_to, WallClock().NowMillis()); !s.ok())
        ad::Log(ad::LogLevel::kError, "handoff", s.message());
    }
    if (meta.reminders == "stopped") metrics.ReminderOptedOut();
    if (meta.reminders != "subscribed" || !reminders) return;
    if (chat == "user" && !push_to.empty()) {
      if (Status s = reminders->SetRecipient(user, push_to); !s.ok())
        ad::Log(ad::LogLevel::kError, "reminders", s.message());
    } else {
      // Reminders go to one person only, never to a group or room.
      (void)reminders->Unsubscribe(user);
    }
  };
}

ad::DispatcherOptions DispatcherOptionsFor(const Config& cfg, Wiring& w) {
  ad::DispatcherOptions dopt;
  dopt.workers = cfg.worker_threads;
  dopt.nice = cfg.worker_nice;
  dopt.delivery_window = std::chrono::seconds(cfg.delivery_window_s);
  dopt.retry_initial = std::chrono::milliseconds(cfg.delivery_retry_initial_ms);
  dopt.retry_max = std::chrono::seconds(cfg.delivery_retry_max_s);
  dopt.max_in_flight = static_cast<std::size_t>(cfg.line_send_queue);
  // An answer given up for good is in the conversation log as 「未送信」
  // with the reason, where staff see it next to the question.
  if (store::LogStore* logs = w.runtime->log_store()) {
    dopt.on_undelivered = [log = &logs->writer()](const ad::Undelivered& u) {
      store::LogEntry e;
      e.at_ms = WallClock().NowMillis();
      e.user = u.user;
      e.direction = "out";
      e.text = "【未送信】この回答はLINEに届けられませんでした（理由: " + u.reason + "）";
      e.flow = "undelivered";
      log->Append(std::move(e));
    };
  }
  dopt.now_ms = [] { return WallClock().NowMillis(); };
  dopt.loading = w.loading.get();
  dopt.on_answered = OnAnswered(*w.runtime, w.metrics);
  return dopt;
}

// POST /callback: the LINE webhook and its dispatcher, or 503 without a
// LINE channel.
Step MountLine(const Config& cfg, Wiring& w) {
  if (!cfg.LineEnabled()) {
    w.router.Add(ad::http::verb::post, "/callback",
                 [](const ad::Request& req, const ad::RequestContext&) {
                   return ad::JsonResponse(
                       req, ad::http::status::service_unavailable,
                       R"({"error":"LINE channel not configured: /callback is disabled"})");
                 });
    return std::nullopt;
  }
  if (Step failed = OpenLineClients(cfg, w)) return failed;
  bot::Runtime& rt = *w.runtime;
  w.dispatcher = std::make_unique<ad::Dispatcher>(
      DispatcherOptionsFor(cfg, w), w.inbox.get(),
      [&rt](const Incoming& m) { return rt.Handle(m); }, w.client.get(), &w.metrics);
  w.webhook = std::make_unique<ad::LineWebhook>(cfg.line_channel_secret, w.inbox.get(),
                                                &*w.pseudonyms, w.dispatcher.get(), &w.metrics,
                                                [] { return WallClock().NowMillis(); });
  w.router.Add(ad::http::verb::post, "/callback", w.webhook->AsHandler());
  return std::nullopt;
}

ad::admin::ConsoleOptions ConsoleOptionsFor(const Config& cfg, Wiring& w) {
  ad::admin::ConsoleOptions co;
  co.ui_dir = cfg.admin_ui_dir;
  co.admin_db_path = store::AdminStorePath(cfg.data_dir);
  co.admin_token = cfg.admin_token;
  co.trusted_proxies = cfg.trusted_proxies;
  co.clock = [] { return WallClock().NowMillis(); };
  co.handoffs = w.runtime->handoff_store();
  co.edits = w.edits_backend.get();
  co.takeover_minutes = cfg.takeover_minutes;
  if (w.line_api) co.push = PushWithRetries(w.line_api.get());
  // Staff read names, not ids ("国立市", "児童扶養手当").
  for (const auto& m : w.runtime->kb().municipalities()) co.municipality_names[m.id] = m.name;
  for (const auto& p : w.runtime->kb().programs()) co.program_names[p.id] = p.name;
  return co;
}

// The staff console: everything under /admin. Without its log or admin
// store it says so (503 naming the file) instead of disappearing.
void MountConsole(const Config& cfg, Wiring& w) {
  bot::Runtime& rt = *w.runtime;
  w.edits_backend = NewRuntimeEditsBackend(rt);
  w.degraded = rt.degraded();
  for (const std::string& d : w.degraded) ad::Log(ad::LogLevel::kError, "serve", "degraded: " + d);
  const ad::admin::ConsoleOptions co = ConsoleOptionsFor(cfg, w);
  auto c = rt.log_store() != nullptr
               ? ad::admin::Console::Open(co, rt.log_store())
               : Status::InvalidArgument("the conversation log is unavailable (" + cfg.data_dir +
                                         "/log.sqlite)");
  if (c.ok()) {
    w.console = std::move(c).value();
    ad::admin::Console* raw = w.console.get();
    // Password hashing, CSV export and searches run on the server's
    // bounded worker pool, never on the I/O threads the webhook needs.
    w.router.MountHeavy("/admin", [raw](const ad::Request& req, const ad::RequestContext& ctx) {
      return raw->Handle(req, ctx);
    });
    return;
  }
  std::cerr << "yorisoi serve: staff console unavailable: " << c.error() << "\n";
  if (rt.log_store() != nullptr) {
    w.degraded.push_back("admin " + c.error());
  } else if (auto a = store::OpenSqliteAdminStore(co.admin_db_path, 1); !a.ok()) {
    w.degraded.push_back("admin " + a.error());  // unusable as well, say so
  }
  const std::string body = json{{"error", "staff console unavailable: " + c.error()}}.dump();
  w.router.Mount("/admin", [body](const ad::Request& req, const ad::RequestContext&) {
    return ad::JsonResponse(req, ad::http::status::service_unavailable, body);
  });
}

// GET /healthz: the version, the KB, the LINE channel, the inbox's backlog
// and storage state, and what is degraded.
ad::Handler HealthHandler(const Config& cfg, Wiring& w) {
  return [&rt = *w.runtime, version = std::string(YORISOI_VERSION),
          line_enabled = cfg.LineEnabled(), inbox = w.inbox.get(),
          degraded = w.degraded](const ad::Request& req, const ad::RequestContext&) {
    json j = {{"status", "ok"},
              {"version", version},
              {"kb", KbStatus(rt.kb())},
              {"line", line_enabled ? "enabled" : "disabled"}};
    if (auto n = inbox->CountUnfinished(); n.ok()) j["inbox_unfinished"] = *n;
    // Up but degraded while events cannot be stored (disk full, I/O
    // error): webhooks get 500 and LINE redelivers them.
    if (Status s = inbox->LastWriteStatus(); !s.ok()) {
      j["status"] = "degraded";
      j["storage"] = {{"status", "error"}, {"error", s.message()}};
    } else {
      j["storage"] = {{"status", "ok"}};
    }
    // A corrupt or unreadable store: the bot answers, without it.
    if (!degraded.empty()) {
      j["status"] = "degraded";
      j["degraded"] = degraded;
    }
    return ad::JsonResponse(req, ad::http::status::ok, j.dump());
  };
}

// Status, metrics and the calculator API.
void MountStatus(const Config& cfg, Wiring& w) {
  w.router.Add(ad::http::verb::get, "/healthz", HealthHandler(cfg, w));
  w.router.Add(ad::http::verb::get, "/metrics", ad::MetricsHandler(w.metrics));
  w.router.Add(ad::http::verb::post, "/api/v1/calc",
               ad::CalcApiHandler(w.runtime->kb(), WallClock()));
}

// Listens, adds the gauges and resumes what the previous run acknowledged
// but did not answer.
Step StartServer(const Config& cfg, Wiring& w) {
  ad::ServerOptions so;
  so.bind = cfg.bind;
  so.port = cfg.port;
  so.io_threads = cfg.io_threads;
  so.body_limit = cfg.body_limit;
  so.header_timeout = std::chrono::seconds(cfg.header_timeout_s);
  so.body_timeout = std::chrono::seconds(cfg.body_timeout_s);
  so.idle_timeout = std::chrono::seconds(cfg.idle_timeout_s);
  so.write_timeout = std::chrono::seconds(std::max(cfg.body_timeout_s, 1));
  w.server = std::make_unique<ad::HttpServer>(so, w.router, &w.metrics);
  if (Status s = w.server->Listen(); !s.ok())
    return StartError{1, "cannot listen on " + s.message()};
  w.metrics.SetGauge("yorisoi_open_connections", "Open HTTP connections.",
                     [s = w.server.get()] { return static_cast<double>(s->open_connections()); });
  if (!w.dispatcher) return std::nullopt;
  ad::Dispatcher* d = w.dispatcher.get();
  ad::MessagingClient* cl = w.client.get();
  w.metrics.SetGauge("yorisoi_line_backlog", "LINE events acknowledged and not yet answered.",
                     [d] { return static_cast<double>(d->backlog()); });
  w.metrics.SetGauge("yorisoi_line_send_queue", "Messaging API sends queued or in flight.",
                     [cl] { return static_cast<double>(cl->outstanding()); });
  if (auto left = w.inbox->Unfinished(); left.ok()) {
    if (!left->empty()) {
      ad::Log(ad::LogLevel::kInfo, "line",
              "resuming " + std::to_string(left->size()) + " unfinished event(s)");
    }
    for (auto& ev : *left) d->Submit(std::move(ev));
  } else {
    ad::Log(ad::LogLevel::kError, "inbox", left.error());
  }
  return std::nullopt;
}

// The hourly purge and the reminders parents opted into (multicast between
// the configured hours).
void StartBackground(const Config& cfg, Wiring& w) {
  bot::Runtime& rt = *w.runtime;
  w.purger = std::make_unique<Purger>(w.inbox.get(), rt.handoff_store(), cfg.log_retention_days);
  if (!w.line_api || !rt.reminder_store()) return;
  ad::ReminderSchedulerOptions ro;
  ro.clock = &WallClock();
  ro.window_start_minute = cfg.reminder_window_start_hour * 60;
  ro.window_end_minute = cfg.reminder_window_end_hour * 60;
  ro.poll = std::chrono::seconds(cfg.reminder_poll_s);
  w.reminders = std::make_unique<ad::ReminderScheduler>(
      ro, rt.kb(), *rt.reminder_store(),
      [api = w.line_api.get()](const std::vector<std::string>& to, const std::string& messages,
                               const std::string& retry_key) {
        return api->Multicast(to, messages, retry_key);
      },
      &w.metrics);
  w.reminders->Start();
}

// Serves until SIGINT/SIGTERM, then stops in the order of the file comment.
int RunUntilSignal(const Config& cfg, Wiring& w) {
  std::cout << "yorisoi " << YORISOI_VERSION << " listening on http://" << cfg.bind << ":"
            << w.server->port() << " (io_threads " << cfg.io_threads << ", workers "
            << cfg.worker_threads << ")" << std::endl;
  if (!cfg.LineEnabled()) {
    std::cout << "LINE_CHANNEL_SECRET / LINE_CHANNEL_ACCESS_TOKEN not set: /callback is disabled "
                 "(local use: yorisoi chat, /api/v1/calc, /admin)"
              << std::endl;
  }
  w.server->OnShutdown(
      [] { ad::Log(ad::LogLevel::kInfo, "serve", "signal received: shutting down"); });
  w.server->Run();

  if (w.reminders) w.reminders->Stop();  // a multicast in flight finishes first
  if (w.dispatcher) {
    if (!w.dispatcher->WaitIdle(kDrainTime)) {
      ad::Log(ad::LogLevel::kWarn, "serve",
              std::to_string(w.dispatcher->backlog()) +
                  " event(s) not finished: they are kept and completed at the next start");
    }
    w.dispatcher->Stop();
    w.client->Shutdown();
  }
  ad::Log(ad::LogLevel::kInfo, "serve", "stopped");
  return 0;
}

}  // namespace

int CmdServe(const ServeOptions& options) {
  Result<Config> loaded = LoadConfigOrReport(options.config);  // prints its own error line
  if (!loaded.ok()) return 2;
  const Config& cfg = *loaded;
  if (Step failed = PrepareProcess(cfg)) return Fail(failed->code, failed->message);
  ad::SetLogClock(&WallClock());
  Wiring w;
  Step failed = OpenStores(cfg, w);
  if (!failed) failed = MountLine(cfg, w);
  if (!failed) {
    MountConsole(cfg, w);
    MountStatus(cfg, w);
    failed = StartServer(cfg, w);
  }
  if (failed) return Fail(failed->code, failed->message);
  StartBackground(cfg, w);
  return RunUntilSignal(cfg, w);
}

}  // namespace yorisoi::app
