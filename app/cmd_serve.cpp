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
#include "adapters/line_channel.h"
#include "adapters/log.h"
#include "adapters/messaging_client.h"
#include "adapters/line_api.h"
#include "adapters/line_loading.h"
#include "adapters/metrics.h"
#include "adapters/pseudonym.h"
#include "adapters/reminder_scheduler.h"
#include "adapters/router.h"
#include "app/commands.h"
#include "app/config.h"
#include "app/edits_backend.h"
#include "bot/runtime.h"
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
  if (ec) return Status::InvalidArgument("data directory " + dir + ": cannot create: " + ec.message());
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
    for (const char* suffix : {".sqlite", ".sqlite-wal", ".sqlite-shm", ".sqlite-journal", ".key"}) {
      const std::string sfx = suffix;
      if (name.size() > sfx.size() && name.compare(name.size() - sfx.size(), sfx.size(), sfx) == 0) {
        ::chmod(entry.path().c_str(), 0600);
        break;
      }
    }
  }
  const std::string probe = dir + "/.write-probe-" + std::to_string(::getpid());
  int fd = ::open(probe.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
  if (fd < 0) {
    return Status::InvalidArgument("data directory " + dir + " is not writable: " + std::strerror(errno));
  }
  const bool ok = ::write(fd, "ok", 2) == 2;
  const int err = errno;
  ::close(fd);
  ::unlink(probe.c_str());
  if (!ok)
    return Status::InvalidArgument("data directory " + dir + " is not writable: " + std::strerror(err));
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
        thread_([this] { Loop(); }) {}
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

}  // namespace

int CmdServe(const Args& in_args) {
  Args args = in_args;
  Result<Config> loaded = ConfigFromArgs(args);  // prints its own error line
  if (!loaded.ok()) return 2;
  if (!args.empty()) return Fail(2, "unexpected argument '" + args.front() + "'");
  const Config& cfg = *loaded;

  const bool has_secret = !cfg.line_channel_secret.empty();
  const bool has_token = !cfg.line_channel_access_token.empty();
  if (has_secret != has_token) {
    return Fail(2, has_secret ? "LINE_CHANNEL_SECRET is set but LINE_CHANNEL_ACCESS_TOKEN is not"
                              : "LINE_CHANNEL_ACCESS_TOKEN is set but LINE_CHANNEL_SECRET is not");
  }
  ::umask(077);  // data files 0600, directories 0700
  if (Status s = CheckDataDir(cfg.data_dir); !s.ok()) return Fail(1, s.message());
  std::signal(SIGPIPE, SIG_IGN);
  // A file size limit (RLIMIT_FSIZE) must fail the write (EFBIG → a storage
  // error answered 500), not kill the server.
  std::signal(SIGXFSZ, SIG_IGN);
  RaiseFileLimit();

  ad::SetLogClock(&WallClock());
  bot::RuntimeOptions ro;
  ro.data_dir = cfg.data_dir;
  ro.kb_path = cfg.KbPath();
  ro.knowledge_source_dir = cfg.knowledge_source_dir;
  ro.lexicon_dir = cfg.lexicon_dir;
  ro.state_ttl_minutes = cfg.state_ttl_minutes;
  ro.log_retention_days = cfg.log_retention_days;
  ro.clock = &WallClock();
  // Staff answer parents in LINE: handoffs, takeovers, the console's queue.
  ro.staff_chat = cfg.staff_chat && cfg.LineEnabled();
  ro.staff_hours = dialogs::DefaultStaffHours();
  ro.staff_hours.rules.front().open_minute = *kb::ParseClock(cfg.staff_hours_open);
  ro.staff_hours.rules.front().close_minute = *kb::ParseClock(cfg.staff_hours_close);
  ro.staff_hours.text = "平日 " + StripLeadingZero(cfg.staff_hours_open) + "〜" +
                        StripLeadingZero(cfg.staff_hours_close);
  std::unique_ptr<ad::HandoffNotifier> notifier;  // set once the KB is open; outlives the runtime
  ro.on_handoff = [&notifier](const store::Handoff& h) {
    if (notifier) notifier->Notify(h);
  };
  auto runtime = bot::Runtime::Open(ro);
  if (!runtime.ok()) return Fail(1, runtime.error());
  bot::Runtime& rt = **runtime;
  if (!cfg.handoff_notify_url.empty()) {
    ad::HandoffNotifierOptions no;
    no.url = cfg.handoff_notify_url;
    no.secret = cfg.handoff_notify_secret;
    for (const auto& m : rt.kb().municipalities()) no.municipality_names[m.id] = m.name;
    auto n = ad::HandoffNotifier::Create(std::move(no));
    if (!n.ok()) return Fail(2, n.error());
    notifier = std::move(n).value();
  }

  auto inbox = store::Inbox::Open(cfg.data_dir + "/inbox.sqlite", cfg.dedupe_ttl_hours);
  if (!inbox.ok()) return Fail(1, inbox.error());
  auto pseudonyms = ad::Pseudonymizer::OpenOrCreate(cfg.data_dir);
  if (!pseudonyms.ok()) return Fail(1, pseudonyms.error());

  ad::Metrics metrics;
  ad::Router router;

  // --- LINE
  std::unique_ptr<ad::MessagingClient> client;
  std::unique_ptr<ad::LineApi> line_api;
  std::unique_ptr<ad::LoadingIndicator> loading;  // outlives the dispatcher
  std::unique_ptr<ad::Dispatcher> dispatcher;
  std::unique_ptr<ad::LineWebhook> webhook;
  if (cfg.LineEnabled()) {
    ad::MessagingOptions mo;
    mo.api_base = cfg.line_api_base;
    mo.access_token = cfg.line_channel_access_token;
    mo.reply_token_max_age = std::chrono::seconds(cfg.reply_token_max_age_s);
    mo.queue_capacity = static_cast<std::size_t>(cfg.line_send_queue);
    mo.max_connections = static_cast<std::size_t>(cfg.line_max_connections);
    mo.now_ms = [] { return WallClock().NowMillis(); };
    auto c = ad::MessagingClient::Create(std::move(mo), &metrics);
    if (!c.ok()) return Fail(2, c.error());
    client = std::move(c).value();
    auto api = ad::LineApi::Create(ad::LineApiOptionsFor(cfg.line_api_base,
                                                         cfg.line_channel_access_token));
    if (!api.ok()) return Fail(2, api.error());
    line_api = std::move(api).value();
    // Answers not sent within about 1 s: LINE's loading animation (1:1 only).
    loading = std::make_unique<ad::LoadingIndicator>(
        std::chrono::milliseconds(1000), [api = line_api.get()](const std::string& user) {
          ad::ApiResponse r = api->StartLoading(user, 20);
          if (!r.ok())
            ad::Log(ad::LogLevel::kWarn, "line",
                    "loading indicator: " + (r.error.empty() ? std::to_string(r.status) : r.error));
        });
    ad::DispatcherOptions dopt;
    dopt.workers = cfg.worker_threads;
    dopt.delivery_window = std::chrono::seconds(cfg.delivery_window_s);
    dopt.retry_initial = std::chrono::milliseconds(cfg.delivery_retry_initial_ms);
    dopt.retry_max = std::chrono::seconds(cfg.delivery_retry_max_s);
    dopt.max_in_flight = static_cast<std::size_t>(cfg.line_send_queue);
    // An answer given up for good is in the conversation log as 「未送信」
    // with the reason, where staff see it next to the question.
    if (store::LogStore* log = rt.log_store()) {
      dopt.on_undelivered = [log](const ad::Undelivered& u) {
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
    dopt.loading = loading.get();
    // Reminders: after consent in a one-to-one chat, keep where to push
    // them; count opt-outs (「通知をやめる」, unfollow).
    dopt.on_answered = [reminders = rt.reminder_store(), handoffs = rt.handoff_store(), &metrics](
                           const std::string& user, const std::string& chat,
                           const std::string& push_to, const Meta& meta) {
      // Where a staff answer can reach this parent (one-to-one chats only).
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
    dispatcher = std::make_unique<ad::Dispatcher>(
        dopt, inbox->get(), [&rt](const Incoming& m) { return rt.Handle(m); }, client.get(),
        &metrics);
    webhook = std::make_unique<ad::LineWebhook>(cfg.line_channel_secret, inbox->get(), &*pseudonyms,
                                                dispatcher.get(), &metrics,
                                                [] { return WallClock().NowMillis(); });
    router.Add(ad::http::verb::post, "/callback", webhook->AsHandler());
  } else {
    router.Add(ad::http::verb::post, "/callback",
               [](const ad::Request& req, const ad::RequestContext&) {
                 return ad::JsonResponse(
                     req, ad::http::status::service_unavailable,
                     R"({"error":"LINE channel not configured: /callback is disabled"})");
               });
  }

  // --- Staff console: everything under /admin. Without its log or admin
  // store it says so (503 naming the file) instead of disappearing.
  std::unique_ptr<ad::admin::Console> console;
  std::unique_ptr<ad::admin::EditsBackend> edits_backend = NewRuntimeEditsBackend(rt);
  std::vector<std::string> degraded = rt.degraded();
  for (const std::string& d : degraded) ad::Log(ad::LogLevel::kError, "serve", "degraded: " + d);
  {
    ad::admin::ConsoleOptions co;
    co.ui_dir = cfg.admin_ui_dir;
    co.admin_db_path = store::AdminStorePath(cfg.data_dir);
    co.admin_token = cfg.admin_token;
    co.trusted_proxies = cfg.trusted_proxies;
    co.clock = [] { return WallClock().NowMillis(); };
    co.handoffs = rt.handoff_store();
    co.edits = edits_backend.get();
    co.takeover_minutes = cfg.takeover_minutes;
    if (line_api) co.push = PushWithRetries(line_api.get());
    // Staff read names, not ids ("国立市", "児童扶養手当").
    for (const auto& m : rt.kb().municipalities()) co.municipality_names[m.id] = m.name;
    for (const auto& p : rt.kb().programs()) co.program_names[p.id] = p.name;
    auto c = rt.log_store() != nullptr
                 ? ad::admin::Console::Open(co, rt.log_store())
                 : Status::InvalidArgument(
                       "the conversation log is unavailable (" + cfg.data_dir + "/log.sqlite)");
    if (c.ok()) {
      console = std::move(c).value();
      ad::admin::Console* raw = console.get();
      // Password hashing, CSV export and searches run on the server's
      // bounded worker pool, never on the I/O threads the webhook needs.
      router.MountHeavy("/admin", [raw](const ad::Request& req, const ad::RequestContext& ctx) {
        return raw->Handle(req, ctx);
      });
    } else {
      std::cerr << "yorisoi serve: staff console unavailable: " << c.error() << "\n";
      if (rt.log_store() != nullptr) {
        degraded.push_back("admin " + c.error());
      } else if (auto a = store::OpenSqliteAdminStore(co.admin_db_path, 1); !a.ok()) {
        degraded.push_back("admin " + a.error());  // unusable as well, say so
      }
      const std::string body =
          json{{"error", "staff console unavailable: " + c.error()}}.dump();
      router.Mount("/admin", [body](const ad::Request& req, const ad::RequestContext&) {
        return ad::JsonResponse(req, ad::http::status::service_unavailable, body);
      });
    }
  }

  // --- Status, metrics, calculator
  const std::string version = YORISOI_VERSION;
  const bool line_enabled = cfg.LineEnabled();
  store::Inbox* inbox_ptr = inbox->get();
  router.Add(
      ad::http::verb::get, "/healthz",
      [&rt, version, line_enabled, inbox_ptr, degraded](const ad::Request& req,
                                                        const ad::RequestContext&) {
        json j = {{"status", "ok"},
                  {"version", version},
                  {"kb", KbStatus(rt.kb())},
                  {"line", line_enabled ? "enabled" : "disabled"}};
        if (auto n = inbox_ptr->CountUnfinished(); n.ok()) j["inbox_unfinished"] = *n;
        // Up but degraded while events cannot be stored (disk full, I/O
        // error): webhooks get 500 and LINE redelivers them.
        if (Status w = inbox_ptr->LastWriteStatus(); !w.ok()) {
          j["status"] = "degraded";
          j["storage"] = {{"status", "error"}, {"error", w.message()}};
        } else {
          j["storage"] = {{"status", "ok"}};
        }
        // A corrupt or unreadable store: the bot answers, without it.
        if (!degraded.empty()) {
          j["status"] = "degraded";
          j["degraded"] = degraded;
        }
        return ad::JsonResponse(req, ad::http::status::ok, j.dump());
      });
  router.Add(ad::http::verb::get, "/metrics", ad::MetricsHandler(metrics));
  router.Add(ad::http::verb::post, "/api/v1/calc", ad::CalcApiHandler(rt.kb(), WallClock()));

  // --- Server
  ad::ServerOptions so;
  so.bind = cfg.bind;
  so.port = cfg.port;
  so.io_threads = cfg.io_threads;
  so.body_limit = cfg.body_limit;
  so.header_timeout = std::chrono::seconds(cfg.header_timeout_s);
  so.body_timeout = std::chrono::seconds(cfg.body_timeout_s);
  so.idle_timeout = std::chrono::seconds(cfg.idle_timeout_s);
  so.write_timeout = std::chrono::seconds(std::max(cfg.body_timeout_s, 1));
  ad::HttpServer server(so, router, &metrics);
  if (Status s = server.Listen(); !s.ok()) return Fail(1, "cannot listen on " + s.message());

  metrics.SetGauge("yorisoi_open_connections", "Open HTTP connections.",
                   [&server] { return static_cast<double>(server.open_connections()); });
  if (dispatcher) {
    ad::Dispatcher* d = dispatcher.get();
    ad::MessagingClient* cl = client.get();
    metrics.SetGauge("yorisoi_line_backlog", "LINE events acknowledged and not yet answered.",
                     [d] { return static_cast<double>(d->backlog()); });
    metrics.SetGauge("yorisoi_line_send_queue", "Messaging API sends queued or in flight.",
                     [cl] { return static_cast<double>(cl->outstanding()); });
    // Finish what the previous run acknowledged but did not answer.
    if (auto left = inbox_ptr->Unfinished(); left.ok()) {
      if (!left->empty()) {
        ad::Log(ad::LogLevel::kInfo, "line",
                "resuming " + std::to_string(left->size()) + " unfinished event(s)");
      }
      for (auto& ev : *left) dispatcher->Submit(std::move(ev));
    } else {
      ad::Log(ad::LogLevel::kError, "inbox", left.error());
    }
  }
  Purger purger(inbox_ptr, rt.handoff_store(), cfg.log_retention_days);
  // Reminders parents opted into, by multicast between the configured hours.
  std::unique_ptr<ad::ReminderScheduler> reminders;
  if (line_api && rt.reminder_store()) {
    ad::ReminderSchedulerOptions ro;
    ro.clock = &WallClock();
    ro.window_start_minute = cfg.reminder_window_start_hour * 60;
    ro.window_end_minute = cfg.reminder_window_end_hour * 60;
    ro.poll = std::chrono::seconds(cfg.reminder_poll_s);
    reminders = std::make_unique<ad::ReminderScheduler>(
        ro, rt.kb(), *rt.reminder_store(),
        [api = line_api.get()](const std::vector<std::string>& to, const std::string& messages,
                               const std::string& retry_key) {
          return api->Multicast(to, messages, retry_key);
        },
        &metrics);
    reminders->Start();
  }

  std::cout << "yorisoi " << version << " listening on http://" << cfg.bind << ":" << server.port()
            << " (io_threads " << cfg.io_threads << ", workers " << cfg.worker_threads << ")"
            << std::endl;
  if (!cfg.LineEnabled()) {
    std::cout << "LINE_CHANNEL_SECRET / LINE_CHANNEL_ACCESS_TOKEN not set: /callback is disabled "
                 "(local use: yorisoi chat, /api/v1/calc, /admin)"
              << std::endl;
  }
  server.OnShutdown(
      [] { ad::Log(ad::LogLevel::kInfo, "serve", "signal received: shutting down"); });
  server.Run();

  if (reminders) reminders->Stop();  // a multicast in flight finishes first
  if (dispatcher) {
    if (!dispatcher->WaitIdle(kDrainTime)) {
      ad::Log(ad::LogLevel::kWarn, "serve",
              std::to_string(dispatcher->backlog()) +
                  " event(s) not finished: they are kept and completed at the next start");
    }
    dispatcher->Stop();
    client->Shutdown();
  }
  ad::Log(ad::LogLevel::kInfo, "serve", "stopped");
  return 0;
}

}  // namespace yorisoi::app
