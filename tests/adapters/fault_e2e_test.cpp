// Fault tests (issue 7, item 4) against the real `yorisoi serve`
// (YORISOI_BINARY) and an in-test emulation of the LINE Messaging API:
//
//   FaultApi          the API answers 500 or 429, hangs, or refuses
//                     connections for a while, then recovers (by push when
//                     the outage outlives the reply tokens); a flood of
//                     events while it is down stays bounded;
//   FaultDisk         the data directory fills up while running
//                     (RLIMIT_FSIZE on the server: root ignores chmod), or
//                     is read-only at start-up;
//   FaultConnections  10,000 idle connections and slowloris clients;
//   FaultKill         kill -9 under load, then a restart on the same data.
//
// "Answered exactly once" is counted the way LINE counts it: the emulator
// accepts a reply token once (a second use is rejected with "Invalid reply
// token", as LINE does) and a push retry key once (then 409), and records
// every accepted answer. No timing assertion on speed: waits poll with
// generous deadlines; the only time check is a lower bound (Retry-After).
#include <fcntl.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <signal.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <chrono>
#include <condition_variable>
#include <cstdio>
#include <cstring>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <set>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "e2e_util.h"
#include "fake_http_server.h"

namespace yorisoi {
namespace {

using namespace e2e;  // TempDir, ServerProcess, Client, PostWebhook, … (e2e_util.h)
using testing::FakeHttpServer;
using testing::FakeResponse;
using testing::RecordedRequest;
using Clock = std::chrono::steady_clock;

// Sanitizer builds (scripts/sanitize.sh runs the whole suite with ASan)
// need more memory and time: the bounds below are for normal builds.
#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_THREAD__)
constexpr bool kSanitized = true;
#elif defined(__has_feature)
#if __has_feature(address_sanitizer) || __has_feature(thread_sanitizer)
constexpr bool kSanitized = true;
#else
constexpr bool kSanitized = false;
#endif
#else
constexpr bool kSanitized = false;
#endif
constexpr double kRssLimitMiB = kSanitized ? 1024 : 200;

// Polls `pred` every 20 ms until it holds or kWait passed.
bool WaitUntil(const std::function<bool()>& pred, std::chrono::milliseconds limit = kWait) {
  const auto deadline = Clock::now() + limit;
  while (Clock::now() < deadline) {
    if (pred()) return true;
    std::this_thread::sleep_for(20ms);
  }
  return pred();
}

// A sample of the /metrics text: "name{labels} value" (-1 when absent).
double Metric(const std::string& text, const std::string& series) {
  std::istringstream in(text);
  std::string line;
  while (std::getline(in, line)) {
    if (line.size() > series.size() && line.compare(0, series.size(), series) == 0 &&
        line[series.size()] == ' ') {
      return std::stod(line.substr(series.size() + 1));
    }
  }
  return -1;
}

// The sum over every label set of a counter ("name{…} value" lines).
double MetricSum(const std::string& text, const std::string& name) {
  std::istringstream in(text);
  std::string line;
  double sum = 0;
  while (std::getline(in, line)) {
    if (line.rfind(name + "{", 0) == 0 || line.rfind(name + " ", 0) == 0) {
      sum += std::stod(line.substr(line.rfind(' ') + 1));
    }
  }
  return sum;
}

// Resident memory of a process in MiB (VmRSS), -1 when unknown.
double RssMiB(pid_t pid) {
  std::istringstream in(ReadFile("/proc/" + std::to_string(pid) + "/status"));
  std::string line;
  while (std::getline(in, line)) {
    if (line.rfind("VmRSS:", 0) == 0) return std::stod(line.substr(6)) / 1024.0;
  }
  return -1;
}

std::string UserId(const std::string& tag, int i) {
  char buf[40];
  std::snprintf(buf, sizeof buf, "U%08zx%024d", std::hash<std::string>{}(tag)&0xffffffffu, i);
  return buf;
}

// The LINE platform as the server sees it: a reply token is accepted once,
// a push retry key once; faults are injected for the next requests.
class LineEmulator {
 public:
  // Listens on an ephemeral port; with `listen` false, on nothing until
  // Start(port).
  explicit LineEmulator(bool listen = true) {
    if (listen) Start(0);
  }
  ~LineEmulator() { Stop(); }

  void Start(unsigned short port) {
    // The responder is in place before the port listens: the server under
    // test may be retrying against this port already.
    server_ = std::make_unique<FakeHttpServer>(
        port, [this](const RecordedRequest& r) { return Respond(r); });
    port_ = server_->port();
  }
  // Releases hanging requests and stops listening.
  void Stop() {
    Release();
    server_.reset();
  }
  unsigned short port() const { return port_; }
  std::string base() const { return "http://127.0.0.1:" + std::to_string(port_); }

  // The next `n` requests are answered `status` (with Retry-After when
  // given) and not executed.
  void FailNext(int n, int status, std::string retry_after = "") {
    std::lock_guard<std::mutex> lock(mu_);
    fail_left_ = n;
    fail_status_ = status;
    retry_after_ = std::move(retry_after);
  }
  // Every request is answered `status` (not executed) for `d` from now: an
  // outage by time, as seen from outside.
  void FailFor(std::chrono::milliseconds d, int status) {
    std::lock_guard<std::mutex> lock(mu_);
    fail_until_ = Clock::now() + d;
    fail_status_ = status;
  }
  bool failing() const {
    std::lock_guard<std::mutex> lock(mu_);
    return Clock::now() < fail_until_;
  }
  // The next `n` requests are read and never answered (until Release():
  // then 500, not executed).
  void HangNext(int n) {
    std::lock_guard<std::mutex> lock(mu_);
    hang_left_ = n;
  }
  void Release() {
    {
      std::lock_guard<std::mutex> lock(mu_);
      released_ = true;
      hang_left_ = 0;
    }
    cv_.notify_all();
  }
  // Every executed request takes this long (a slow API).
  void SetDelay(std::chrono::milliseconds d) {
    std::lock_guard<std::mutex> lock(mu_);
    delay_ = d;
  }

  // Accepted replies for a token (0 or 1: LINE accepts a token once).
  int Replies(const std::string& token) const {
    std::lock_guard<std::mutex> lock(mu_);
    auto it = replies_.find(token);
    return it == replies_.end() ? 0 : it->second;
  }
  std::size_t pushes() const {
    std::lock_guard<std::mutex> lock(mu_);
    return pushes_;
  }
  // Accepted pushes to a user.
  int PushesTo(const std::string& to) const {
    std::lock_guard<std::mutex> lock(mu_);
    auto it = pushes_to_.find(to);
    return it == pushes_to_.end() ? 0 : it->second;
  }
  std::size_t accepted() const {
    std::lock_guard<std::mutex> lock(mu_);
    return replies_.size() + pushes_;
  }
  // Requests refused because the token was used or the retry key accepted.
  std::size_t duplicates() const {
    std::lock_guard<std::mutex> lock(mu_);
    return duplicates_;
  }
  std::size_t hanging() const {
    std::lock_guard<std::mutex> lock(mu_);
    return hanging_;
  }
  std::size_t faults() const {
    std::lock_guard<std::mutex> lock(mu_);
    return faults_;
  }
  // Arrival times of the reply requests for a token.
  std::vector<Clock::time_point> Attempts(const std::string& token) const {
    std::lock_guard<std::mutex> lock(mu_);
    auto it = attempts_.find(token);
    return it == attempts_.end() ? std::vector<Clock::time_point>{} : it->second;
  }
  bool AllAnswered(const std::vector<std::string>& tokens) const {
    std::lock_guard<std::mutex> lock(mu_);
    for (const auto& t : tokens) {
      if (replies_.find(t) == replies_.end()) return false;
    }
    return true;
  }

 private:
  FakeResponse Respond(const RecordedRequest& r) {
    json b = json::parse(r.body, nullptr, false);
    if (!b.is_object()) return {400, R"x({"message":"The request body has 1 error(s)"})x"};
    const bool reply = r.target == "/v2/bot/message/reply";
    const std::string token = reply ? b.value("replyToken", "") : "";
    std::unique_lock<std::mutex> lock(mu_);
    if (reply) attempts_[token].push_back(Clock::now());
    if (hang_left_ > 0 && !released_) {
      --hang_left_;
      ++hanging_;
      cv_.wait(lock, [this] { return released_; });
      --hanging_;
      return {500, R"({"message":"Internal error"})"};
    }
    if (fail_left_ > 0 || Clock::now() < fail_until_) {
      if (fail_left_ > 0) --fail_left_;
      ++faults_;
      FakeResponse f{fail_status_, fail_status_ == 429 ? R"({"message":"Too Many Requests"})"
                                                       : R"({"message":"Internal error"})"};
      if (!retry_after_.empty()) f.headers = {{"Retry-After", retry_after_}};
      return f;
    }
    if (delay_.count() > 0) {
      const auto d = delay_;
      lock.unlock();
      std::this_thread::sleep_for(d);
      lock.lock();
    }
    if (reply) {
      if (token.empty() || !used_.insert(token).second) {
        ++duplicates_;
        return {400, R"({"message":"Invalid reply token"})"};
      }
      ++replies_[token];
      return {200, "{}"};
    }
    if (r.target == "/v2/bot/message/push") {
      if (!r.retry_key.empty() && !keys_.insert(r.retry_key).second) {
        ++duplicates_;
        return {409, R"({"message":"The retry key is already accepted"})"};
      }
      ++pushes_;
      ++pushes_to_[b.value("to", "")];
      return {200, "{}"};
    }
    return {404, R"({"message":"Not found"})"};
  }

  std::unique_ptr<FakeHttpServer> server_;
  unsigned short port_ = 0;
  mutable std::mutex mu_;
  std::condition_variable cv_;
  int fail_left_ = 0, fail_status_ = 500, hang_left_ = 0;
  Clock::time_point fail_until_{};
  std::string retry_after_;
  bool released_ = false;
  std::chrono::milliseconds delay_{0};
  std::set<std::string> used_, keys_;
  std::map<std::string, int> replies_, pushes_to_;
  std::map<std::string, std::vector<Clock::time_point>> attempts_;
  std::size_t pushes_ = 0, duplicates_ = 0, hanging_ = 0, faults_ = 0;
};

// Polls /healthz every 50 ms in the background and counts answers that
// are not 200 (or no answer at all).
class HealthProbe {
 public:
  explicit HealthProbe(int port) : port_(port), thread_([this] { Loop(); }) {}
  ~HealthProbe() { Stop(); }
  void Stop() {
    stop_ = true;
    if (thread_.joinable()) thread_.join();
  }
  int polls() const { return polls_; }
  int failures() const { return failures_; }

 private:
  void Loop() {
    while (!stop_) {
      int status = 0;
      try {
        status = Get(port_, "/healthz").status;
      } catch (const std::exception&) {
      }
      ++polls_;
      if (status != 200) ++failures_;
      std::this_thread::sleep_for(50ms);
    }
  }
  int port_;
  std::atomic<bool> stop_{false};
  std::atomic<int> polls_{0}, failures_{0};
  std::thread thread_;
};

// One webhook per event, each event from its own user; every webhook must
// be acknowledged. Returns the reply tokens.
std::vector<std::string> SendEvents(int port, const std::string& tag, int n,
                                    int events_per_webhook = 1) {
  std::vector<std::string> tokens;
  Client c(port);
  for (int i = 0; i < n; i += events_per_webhook) {
    std::vector<json> events;
    for (int k = i; k < std::min(n, i + events_per_webhook); ++k) {
      const std::string id = tag + "-" + std::to_string(k);
      tokens.push_back("tok-" + id);
      events.push_back(TextEvent("ev-" + id, UserId(tag, k), "tok-" + id, "児童扶養手当について"));
    }
    const std::string body = Payload(events);
    EXPECT_EQ(c.Request(http::verb::post, "/callback", body,
                        {{"X-Line-Signature", adapters::LineSignature(kSecret, body)}})
                  .status,
              200)
        << "webhook " << i;
  }
  return tokens;
}

// The server and the emulated API of one FaultApi test.
class FaultApi : public ::testing::Test {
 protected:
  void StartServer(const std::string& api_base, std::vector<std::string> args = {}) {
    server_ = std::make_unique<ServerProcess>(dir_.path(), LineEnv(dir_.path() + "/data", api_base),
                                              std::move(args));
    port_ = server_->WaitListening();
    ASSERT_NE(port_, 0) << server_->stderr_text() << "\n" << server_->Threads();
    probe_ = std::make_unique<HealthProbe>(port_);
  }
  std::string metrics() { return Get(port_, "/metrics").body; }
  // The metrics once every token is answered (so every retry is counted).
  std::string MetricsWhenAnswered(const std::vector<std::string>& tokens) {
    EXPECT_TRUE(WaitUntil([&] { return line_->AllAnswered(tokens); }));
    return metrics();
  }

  // Every token answered once; then the server still healthy, stopped with
  // SIGTERM (exit 0), nothing answered twice, no secret in the logs.
  void ExpectAnsweredOnceAndStop(const std::vector<std::string>& tokens) {
    EXPECT_TRUE(WaitUntil([&] { return line_->AllAnswered(tokens); }))
        << line_->accepted() << " of " << tokens.size() << " answered\n"
        << server_->stderr_text();
    probe_->Stop();
    EXPECT_GT(probe_->polls(), 0);
    EXPECT_EQ(probe_->failures(), 0) << "of " << probe_->polls() << " /healthz polls";
    EXPECT_TRUE(server_->running());
    EXPECT_EQ(Get(port_, "/healthz").status, 200);
    EXPECT_EQ(server_->Signal(SIGTERM), 0) << server_->stderr_text();
    for (const auto& t : tokens) EXPECT_EQ(line_->Replies(t), 1) << t;
    EXPECT_EQ(line_->pushes(), 0u);      // young tokens: never the push fallback
    EXPECT_EQ(line_->duplicates(), 0u);  // no second attempt after an accepted answer
    const std::string err = server_->stderr_text();
    EXPECT_EQ(err.find(kSecret), std::string::npos);
    EXPECT_EQ(err.find(kAccessToken), std::string::npos);
    EXPECT_EQ(err.find("児童扶養手当について"), std::string::npos);
  }

  TempDir dir_;
  std::unique_ptr<LineEmulator> line_ = std::make_unique<LineEmulator>();
  std::unique_ptr<ServerProcess> server_;
  std::unique_ptr<HealthProbe> probe_;
  int port_ = 0;
};

TEST_F(FaultApi, Http500ForAWhile) {
  constexpr int kEvents = 6, kFailures = 2 * kEvents;
  line_->FailNext(kFailures, 500);
  StartServer(line_->base());
  const auto tokens = SendEvents(port_, "e500", kEvents);
  const std::string m = MetricsWhenAnswered(tokens);
  ExpectAnsweredOnceAndStop(tokens);
  EXPECT_EQ(line_->faults(), static_cast<std::size_t>(kFailures));
  EXPECT_EQ(Metric(m, "yorisoi_line_replies_retried_total"), kFailures) << m;
  EXPECT_EQ(MetricSum(m, "yorisoi_line_replies_failed_total"), 0) << m;
}

TEST_F(FaultApi, Http429ForAWhile) {
  struct Case {
    const char* name;
    std::string retry_after;  // "" → none: exponential backoff
  };
  for (const Case& c :
       {Case{"429 with Retry-After: 2", "2"}, Case{"429 without Retry-After", ""}}) {
    SCOPED_TRACE(c.name);
    constexpr int kEvents = 4;
    line_ = std::make_unique<LineEmulator>();
    line_->FailNext(kEvents, 429, c.retry_after);
    StartServer(line_->base());
    const auto tokens = SendEvents(port_, c.retry_after.empty() ? "e429" : "e429ra", kEvents);
    const std::string m = MetricsWhenAnswered(tokens);
    ExpectAnsweredOnceAndStop(tokens);
    EXPECT_EQ(Metric(m, "yorisoi_line_rate_limited_total"), kEvents) << m;
    EXPECT_EQ(Metric(m, "yorisoi_line_replies_retried_total"), kEvents) << m;
    EXPECT_EQ(MetricSum(m, "yorisoi_line_replies_failed_total"), 0) << m;
    if (!c.retry_after.empty()) {
      // Not retried before Retry-After (a lower bound, never a speed check).
      for (const auto& t : tokens) {
        auto at = line_->Attempts(t);
        ASSERT_GE(at.size(), 2u) << t;
        EXPECT_GE(std::chrono::duration_cast<std::chrono::milliseconds>(at[1] - at[0]).count(),
                  1950)
            << t;
      }
    }
  }
}

TEST_F(FaultApi, HangingApiTimesOutAndIsRetried) {
  constexpr int kHung = 3;
  line_->HangNext(kHung);
  StartServer(line_->base());
  auto tokens = SendEvents(port_, "hang", kHung);
  ASSERT_TRUE(WaitUntil([&] { return line_->hanging() == kHung; }));
  // Acknowledging and answering do not wait for the stuck connections.
  const auto more = SendEvents(port_, "hang-more", 1);
  ASSERT_TRUE(WaitUntil([&] { return line_->AllAnswered(more); }));
  EXPECT_EQ(line_->hanging(), static_cast<std::size_t>(kHung));
  // The client's request timeout fires, and the retries are answered.
  tokens.insert(tokens.end(), more.begin(), more.end());
  const std::string m = MetricsWhenAnswered(tokens);
  line_->Release();  // the stuck requests end with 500 (never executed)
  ExpectAnsweredOnceAndStop(tokens);
  EXPECT_EQ(Metric(m, "yorisoi_line_replies_retried_total"), kHung) << m;
  EXPECT_NE(server_->stderr_text().find("timeout"), std::string::npos) << server_->stderr_text();
}

// Nothing listens on the API's port, then the API starts on that port.
TEST_F(FaultApi, ConnectionRefusedThenListening) {
  constexpr int kEvents = 4;
  unsigned short port;
  {
    FakeHttpServer taken;  // a free port, closed again: connections are refused
    port = taken.port();
  }
  line_ = std::make_unique<LineEmulator>(/*listen=*/false);
  StartServer("http://127.0.0.1:" + std::to_string(port));
  const auto tokens = SendEvents(port_, "refused", kEvents);
  // Two refused attempts per event, then the API comes up.
  ASSERT_TRUE(WaitUntil(
      [&] { return Metric(metrics(), "yorisoi_line_replies_retried_total") >= 2 * kEvents; }));
  EXPECT_EQ(Get(port_, "/healthz").status, 200);
  line_->Start(port);
  const std::string m = MetricsWhenAnswered(tokens);
  ExpectAnsweredOnceAndStop(tokens);
  EXPECT_EQ(MetricSum(m, "yorisoi_line_replies_failed_total"), 0) << m;
  EXPECT_EQ(Metric(m, "yorisoi_line_replies_sent_total{method=\"reply\"}"), kEvents) << m;
  EXPECT_NE(server_->stderr_text().find("Connection refused"), std::string::npos);
}

// Down for longer than a reply token lives: the answers go out by push
// (with a retry key), once each, when the API is back.
TEST_F(FaultApi, OutageLongerThanReplyTokenFallsBackToPush) {
  constexpr int kEvents = 3;
  unsigned short port;
  {
    FakeHttpServer taken;
    port = taken.port();
  }
  const std::string config = dir_.path() + "/short-token.json";
  std::ofstream(config) << R"({"reply_token_max_age_s": 2})";
  line_ = std::make_unique<LineEmulator>(/*listen=*/false);
  StartServer("http://127.0.0.1:" + std::to_string(port), {"--config", config});
  SendEvents(port_, "push", kEvents);
  ASSERT_TRUE(
      WaitUntil([&] { return Metric(metrics(), "yorisoi_line_push_fallback_total") >= kEvents; }));
  line_->Start(port);
  std::string m;
  ASSERT_TRUE(WaitUntil([&] {
    m = metrics();
    return Metric(m, "yorisoi_line_replies_sent_total{method=\"push\"}") >= kEvents;
  }));
  probe_->Stop();
  EXPECT_EQ(probe_->failures(), 0);
  EXPECT_EQ(server_->Signal(SIGTERM), 0) << server_->stderr_text();
  for (int i = 0; i < kEvents; ++i) {
    EXPECT_EQ(line_->PushesTo(UserId("push", i)), 1) << i;
    EXPECT_EQ(line_->Replies("tok-push-" + std::to_string(i)), 0) << i;
  }
  EXPECT_EQ(line_->pushes(), static_cast<std::size_t>(kEvents));
  EXPECT_EQ(line_->duplicates(), 0u);
  EXPECT_EQ(Metric(m, "yorisoi_line_replies_sent_total{method=\"push\"}"), kEvents) << m;
  EXPECT_EQ(MetricSum(m, "yorisoi_line_replies_failed_total"), 0) << m;
}

// A flood of events from many users while the API refuses connections:
// memory and the send queue stay bounded, every event is either answered
// once after the API recovers or counted as failed, none twice.
TEST_F(FaultApi, FloodWhileDownIsBounded) {
  constexpr int kEvents = 1000, kPerWebhook = 25;
  unsigned short port;
  {
    FakeHttpServer taken;
    port = taken.port();
  }
  line_ = std::make_unique<LineEmulator>(/*listen=*/false);
  // Sends that failed are tried again from the inbox (issue 15): short
  // waits between rounds, so that the recovery is seen within the test.
  const std::string config = dir_.path() + "/retry.json";
  std::ofstream(config) << R"({"delivery_retry_initial_ms": 500, "delivery_retry_max_s": 2})";
  StartServer("http://127.0.0.1:" + std::to_string(port), {"--config", config});
  const auto t0 = Clock::now();
  const auto tokens = SendEvents(port_, "flood", kEvents, kPerWebhook);
  const double ack_s = std::chrono::duration<double>(Clock::now() - t0).count();
  double peak_rss = 0, peak_queue = 0;
  // Every event tried at least once against the dead API.
  ASSERT_TRUE(WaitUntil([&] {
    const std::string m = metrics();
    peak_rss = std::max(peak_rss, RssMiB(server_->pid()));
    peak_queue = std::max(peak_queue, Metric(m, "yorisoi_line_send_queue"));
    return Metric(m, "yorisoi_line_replies_retried_total") >= kEvents;
  }));
  line_->Start(port);
  ASSERT_TRUE(WaitUntil([&] {
    const std::string m = metrics();
    peak_rss = std::max(peak_rss, RssMiB(server_->pid()));
    return Metric(m, "yorisoi_line_backlog") == 0;
  }));
  const std::string m = metrics();
  const double failed = MetricSum(m, "yorisoi_line_replies_failed_total");
  const std::size_t answered = line_->accepted();
  std::printf(
      "flood of %d events acknowledged in %.1f s; peak RSS %.0f MiB, peak send queue %.0f;"
      " answered %zu, failed %.0f\n",
      kEvents, ack_s, peak_rss, peak_queue, answered, failed);
  EXPECT_LT(peak_rss, kRssLimitMiB);
  EXPECT_LE(peak_queue, 10'000);  // MessagingOptions::queue_capacity
  EXPECT_GT(answered, 0u);
  EXPECT_EQ(answered + static_cast<std::size_t>(failed), static_cast<std::size_t>(kEvents)) << m;
  EXPECT_EQ(Metric(m, "yorisoi_line_replies_sent_total{method=\"reply\"}"), answered) << m;
  EXPECT_EQ(line_->duplicates(), 0u);
  EXPECT_EQ(line_->pushes(), 0u);
  probe_->Stop();
  EXPECT_EQ(probe_->failures(), 0);
  EXPECT_EQ(server_->Signal(SIGTERM), 0) << server_->stderr_text();
}

// --- Disk

rlim_t FileSizeLimit(pid_t pid) {
  rlimit lim{};
  ::prlimit(pid, RLIMIT_FSIZE, nullptr, &lim);
  return lim.rlim_cur;
}

// Sets the soft RLIMIT_FSIZE of `pid` (the hard limit stays, so that it can
// be lifted again without CAP_SYS_RESOURCE).
bool SetFileSizeLimit(pid_t pid, rlim_t soft) {
  rlimit lim{};
  if (::prlimit(pid, RLIMIT_FSIZE, nullptr, &lim) != 0) return false;
  lim.rlim_cur = soft;
  return ::prlimit(pid, RLIMIT_FSIZE, &lim, nullptr) == 0;
}

std::size_t CountLines(const std::string& text, const std::string& needle) {
  std::size_t n = 0;
  std::istringstream in(text);
  std::string line;
  while (std::getline(in, line)) n += line.find(needle) != std::string::npos;
  return n;
}

// The disk fills up while the server runs: no file may grow (RLIMIT_FSIZE
// at the inbox's current size; root is not stopped by permissions).
TEST(FaultDisk, FullWhileRunning) {
  TempDir dir;
  const std::string data = dir.path() + "/data";
  LineEmulator line;
  // Output through pipes: the file size limit must not stop the logs.
  ServerProcess server(dir.path(), LineEnv(data, line.base()), {}, /*pipe_output=*/true);
  const int port = server.WaitListening();
  ASSERT_NE(port, 0) << server.stderr_text();
  const std::string user = UserId("disk", 1);
  ASSERT_EQ(
      PostWebhook(port, Payload({TextEvent("ev-disk-a", user, "tok-disk-a", "こんにちは")})).status,
      200);
  ASSERT_TRUE(WaitUntil([&] { return line.Replies("tok-disk-a") == 1; }));
  ASSERT_TRUE(WaitUntil(
      [&] { return json::parse(Get(port, "/healthz").body).value("inbox_unfinished", -1) == 0; }));

  const auto wal = fs::file_size(data + "/inbox.sqlite-wal");
  ASSERT_TRUE(SetFileSizeLimit(server.pid(), wal)) << std::strerror(errno);
  const std::string b = Payload({TextEvent("ev-disk-b", user, "tok-disk-b", "秘密の相談です")});
  const std::string b_again =
      Payload({TextEvent("ev-disk-b", user, "tok-disk-b", "秘密の相談です", true)});
  // Not stored durably → not acknowledged: LINE redelivers.
  EXPECT_EQ(PostWebhook(port, b).status, 500);
  EXPECT_EQ(PostWebhook(port, b_again).status, 500);
  ASSERT_TRUE(server.running()) << server.stderr_text();
  auto health = Get(port, "/healthz");
  EXPECT_EQ(health.status, 200);
  json h = json::parse(health.body, nullptr, false);
  ASSERT_TRUE(h.is_object()) << health.body;
  EXPECT_EQ(h["status"], "degraded") << health.body;
  EXPECT_EQ(h["storage"]["status"], "error") << health.body;
  EXPECT_NE(h["storage"].value("error", "").find("inbox.sqlite"), std::string::npos) << health.body;
  // One clear line naming the file and the problem, for the whole outage.
  const std::string marker = "cannot store webhook events";
  ASSERT_TRUE(WaitUntil([&] { return CountLines(server.stderr_text(), marker) >= 1; }))
      << server.stderr_text();
  {
    const std::string err = server.stderr_text();
    EXPECT_EQ(CountLines(err, marker), 1u) << err;
    const auto at = err.find(marker);
    const std::string line_text = err.substr(at, err.find('\n', at) - at);
    EXPECT_NE(line_text.find(data + "/inbox.sqlite"), std::string::npos) << line_text;
    EXPECT_TRUE(line_text.find("disk I/O error") != std::string::npos ||
                line_text.find("disk is full") != std::string::npos)
        << line_text;
  }

  // Space again: the redelivery is stored, acknowledged and answered once.
  ASSERT_TRUE(SetFileSizeLimit(server.pid(), RLIM_INFINITY));
  EXPECT_EQ(FileSizeLimit(server.pid()), RLIM_INFINITY);
  EXPECT_EQ(PostWebhook(port, b_again).status, 200);
  EXPECT_EQ(
      PostWebhook(port, Payload({TextEvent("ev-disk-c", user, "tok-disk-c", "メニュー")})).status,
      200);
  ASSERT_TRUE(WaitUntil([&] { return line.Replies("tok-disk-c") == 1; }));
  EXPECT_EQ(line.Replies("tok-disk-b"), 1);
  EXPECT_EQ(json::parse(Get(port, "/healthz").body)["status"], "ok");
  const std::string m = Get(port, "/metrics").body;
  EXPECT_EQ(Metric(m, "yorisoi_http_requests_total{route=\"/callback\",status=\"500\"}"), 2) << m;
  EXPECT_EQ(server.Signal(SIGTERM), 0) << server.stderr_text();
  const std::string err = server.stderr_text();
  EXPECT_NE(err.find("storing webhook events works again"), std::string::npos) << err;
  EXPECT_EQ(err.find("秘密の相談"), std::string::npos);
  EXPECT_EQ(err.find(kSecret), std::string::npos);
  EXPECT_EQ(err.find(kAccessToken), std::string::npos);
  EXPECT_EQ(line.duplicates(), 0u);
  EXPECT_EQ(line.pushes(), 0u);
}

// An existing directory that nobody can write, not even root (/proc):
// (ServeStartup covers a data directory that cannot be created.)
TEST(FaultDisk, ReadOnlyDataDirAtStartup) {
  TempDir dir;
  ServerProcess p(dir.path(), {{"YORISOI_PORT", "0"}, {"YORISOI_DATA_DIR", "/proc/self"}});
  EXPECT_EQ(p.WaitListening(), 0) << p.stdout_text();
  EXPECT_NE(p.Wait(), 0);
  const std::string err = p.stderr_text();
  EXPECT_EQ(std::count(err.begin(), err.end(), '\n'), 1) << err;
  EXPECT_NE(err.find("data directory /proc/self is not writable"), std::string::npos) << err;
}

// --- Connections

// A non-blocking TCP connection to the server, owned.
class Socket {
 public:
  explicit Socket(int port) {
    fd_ = ::socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    if (fd_ < 0) return;
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_port = htons(static_cast<uint16_t>(port));
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (::connect(fd_, reinterpret_cast<sockaddr*>(&a), sizeof a) != 0 && errno != EINPROGRESS) {
      ::close(fd_);
      fd_ = -1;
    }
  }
  ~Socket() {
    if (fd_ >= 0) ::close(fd_);
  }
  Socket(Socket&& o) noexcept : fd_(o.fd_) { o.fd_ = -1; }
  Socket(const Socket&) = delete;
  int fd() const { return fd_; }

 private:
  int fd_ = -1;
};

// Waits until every socket is connected (true) or one failed (false).
bool WaitConnected(const std::vector<Socket>& socks, std::size_t from) {
  std::vector<pollfd> pending;
  for (std::size_t i = from; i < socks.size(); ++i) pending.push_back({socks[i].fd(), POLLOUT, 0});
  const auto deadline = Clock::now() + kWait;
  while (!pending.empty() && Clock::now() < deadline) {
    if (::poll(pending.data(), pending.size(), 100) < 0 && errno != EINTR) return false;
    std::vector<pollfd> left;
    for (const pollfd& p : pending) {
      if (p.revents == 0) {
        left.push_back({p.fd, POLLOUT, 0});
        continue;
      }
      int err = 0;
      socklen_t len = sizeof err;
      ::getsockopt(p.fd, SOL_SOCKET, SO_ERROR, &err, &len);
      if (err != 0) return false;
    }
    pending.swap(left);
  }
  return pending.empty();
}

// Whether the peer closed: EOF or reset (the server sends nothing else to
// a client that never completed a request).
bool ClosedByPeer(int fd) {
  char c;
  ssize_t n = ::recv(fd, &c, 1, MSG_DONTWAIT);
  return n == 0 || (n < 0 && errno != EAGAIN && errno != EWOULDBLOCK);
}

TEST(FaultConnections, IdleAndSlowClientsAreBoundedAndClosed) {
  constexpr std::size_t kIdle = 10'000, kSlow = 50;
  // Both this process and the server hold one descriptor per connection.
  rlimit lim{};
  ASSERT_EQ(::getrlimit(RLIMIT_NOFILE, &lim), 0);
  const rlim_t need = kIdle + kSlow + 1'000;
  if (lim.rlim_max < need) {
    GTEST_SKIP() << "RLIMIT_NOFILE hard limit " << lim.rlim_max << " < " << need
                 << ": cannot hold 10,000 connections (raise it, e.g. ulimit -Hn 65536)";
  }
  const rlimit saved = lim;
  lim.rlim_cur = lim.rlim_max;  // the server inherits it (and raises its own)
  ASSERT_EQ(::setrlimit(RLIMIT_NOFILE, &lim), 0);
  struct Restore {
    rlimit l;
    ~Restore() { ::setrlimit(RLIMIT_NOFILE, &l); }
  } restore{saved};

  TempDir dir;
  LineEmulator line;
  const std::string config = dir.path() + "/short-timeouts.json";
  // Idle connections must all be open before the first times out.
  const int idle_timeout_s = kSanitized ? 30 : 10;
  std::ofstream(config) << R"({"idle_timeout_s": )" << idle_timeout_s
                        << R"(, "header_timeout_s": 2, "body_timeout_s": 2})";
  ServerProcess server(dir.path(), LineEnv(dir.path() + "/data", line.base()),
                       {"--config", config});
  const int port = server.WaitListening();
  ASSERT_NE(port, 0) << server.stderr_text();

  // 10,000 connections that never send a byte, opened in batches.
  const auto t0 = Clock::now();
  std::vector<Socket> idle;
  idle.reserve(kIdle);
  for (std::size_t batch = 0; batch < kIdle; batch += 500) {
    for (std::size_t i = batch; i < std::min(kIdle, batch + 500); ++i) {
      idle.emplace_back(port);
      ASSERT_GE(idle.back().fd(), 0) << "socket " << i << ": " << std::strerror(errno);
    }
    ASSERT_TRUE(WaitConnected(idle, batch)) << "batch at " << batch;
  }
  const double connect_s = std::chrono::duration<double>(Clock::now() - t0).count();

  // Slowloris: a request header, one byte every 500 ms.
  const std::string header = "GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: 1\r\n\r\n";
  std::vector<Socket> slow;
  for (std::size_t i = 0; i < kSlow; ++i) slow.emplace_back(port);
  ASSERT_TRUE(WaitConnected(slow, 0));
  std::vector<std::size_t> sent(kSlow, 0);
  std::vector<bool> slow_closed(kSlow, false);
  std::atomic<bool> stop_slow{false};
  std::thread slowloris([&] {
    while (!stop_slow) {
      for (std::size_t i = 0; i < kSlow; ++i) {
        if (slow_closed[i]) continue;
        if (ClosedByPeer(slow[i].fd()) ||
            ::send(slow[i].fd(), &header[sent[i] % header.size()], 1, MSG_NOSIGNAL) != 1) {
          slow_closed[i] = true;
          continue;
        }
        ++sent[i];
      }
      std::this_thread::sleep_for(500ms);
    }
  });

  // Meanwhile a normal client is served, and memory stays bounded.
  double open_peak = 0, rss_peak = 0;
  EXPECT_EQ(Get(port, "/healthz").status, 200);
  const std::string user = UserId("conn", 1);
  EXPECT_EQ(
      PostWebhook(port, Payload({TextEvent("ev-conn", user, "tok-conn", "こんにちは")})).status,
      200);
  EXPECT_TRUE(WaitUntil([&] { return line.Replies("tok-conn") == 1; }));
  {
    const std::string m = Get(port, "/metrics").body;
    open_peak = Metric(m, "yorisoi_open_connections");
    rss_peak = RssMiB(server.pid());
  }

  // Every idle and slow connection is closed by the server's timeouts.
  std::vector<bool> idle_closed(kIdle, false);
  std::size_t idle_left = kIdle;
  const bool all_closed = WaitUntil([&] {
    rss_peak = std::max(rss_peak, RssMiB(server.pid()));
    std::vector<pollfd> fds;
    std::vector<std::size_t> which;
    for (std::size_t i = 0; i < kIdle; ++i) {
      if (!idle_closed[i]) {
        fds.push_back({idle[i].fd(), POLLIN | POLLRDHUP, 0});
        which.push_back(i);
      }
    }
    ::poll(fds.data(), fds.size(), 0);
    for (std::size_t k = 0; k < fds.size(); ++k) {
      if (fds[k].revents != 0 && ClosedByPeer(fds[k].fd)) {
        idle_closed[which[k]] = true;
        --idle_left;
      }
    }
    return idle_left == 0 &&
           std::count(slow_closed.begin(), slow_closed.end(), true) == static_cast<long>(kSlow);
  });
  stop_slow = true;
  slowloris.join();
  std::printf(
      "%zu idle connections opened in %.1f s; server: %.0f open at once, peak RSS %.0f MiB\n",
      kIdle, connect_s, open_peak, rss_peak);
  EXPECT_TRUE(all_closed) << idle_left << " idle and "
                          << std::count(slow_closed.begin(), slow_closed.end(), false)
                          << " slow connections still open";
  for (std::size_t i = 0; i < kSlow; ++i) {
    EXPECT_LT(sent[i], header.size()) << "slow client " << i << " completed its header";
  }
  EXPECT_GE(open_peak, static_cast<double>(kIdle));  // all held at once, within the idle timeout
  EXPECT_LT(rss_peak, kRssLimitMiB);
  // Still serving, and no connection left behind.
  EXPECT_EQ(Get(port, "/healthz").status, 200);
  EXPECT_TRUE(WaitUntil(
      [&] { return Metric(Get(port, "/metrics").body, "yorisoi_open_connections") <= 2; }));
  EXPECT_EQ(server.Signal(SIGTERM), 0) << server.stderr_text();
}

// --- kill -9

// Several clients send distinct signed webhooks while the API is slow; the
// server is killed mid-stream and restarted on the same data directory.
// Every webhook acknowledged with 200 is answered exactly once across both
// runs (reply, or push), none twice; unacknowledged ones may be missing.
TEST(FaultKill, UnderLoad) {
  constexpr int kThreads = 4, kPerThread = 200, kUsers = 8;
  constexpr std::size_t kKillAfter = 120;  // acknowledged webhooks
  TempDir dir;
  const std::string data = dir.path() + "/data";
  LineEmulator line;
  line.SetDelay(100ms);  // at most 8 users × 10 answers/s: the backlog grows
  auto a = std::make_unique<ServerProcess>(dir.path(), LineEnv(data, line.base()));
  const int port = a->WaitListening();
  ASSERT_NE(port, 0) << a->stderr_text();

  std::mutex mu;
  std::vector<std::string> acked, unacked;  // reply tokens
  std::atomic<bool> dead{false};
  std::vector<std::thread> clients;
  for (int t = 0; t < kThreads; ++t) {
    clients.emplace_back([&, t] {
      std::unique_ptr<Client> c;
      for (int i = 0; i < kPerThread && !dead; ++i) {
        const std::string id = "kill-" + std::to_string(t) + "-" + std::to_string(i);
        const std::string user = UserId("kill", (t * kPerThread + i) % kUsers);
        const std::string body =
            Payload({TextEvent("ev-" + id, user, "tok-" + id, "児童扶養手当について")});
        int status = 0;
        try {
          if (!c) c = std::make_unique<Client>(port);
          status = c->Request(http::verb::post, "/callback", body,
                              {{"X-Line-Signature", adapters::LineSignature(kSecret, body)}})
                       .status;
        } catch (const std::exception&) {
        }
        std::lock_guard<std::mutex> lock(mu);
        (status == 200 ? acked : unacked).push_back("tok-" + id);
        if (status == 0) c.reset();
      }
    });
  }
  // Mid-stream: many acknowledged, some answered, many not yet.
  const bool enough = WaitUntil([&] {
    std::lock_guard<std::mutex> lock(mu);
    const std::size_t answered = line.accepted();
    return acked.size() >= kKillAfter && answered >= 10 && acked.size() >= answered + 50;
  });
  const std::size_t answered_before = line.accepted();
  EXPECT_EQ(a->Signal(SIGKILL), 128 + SIGKILL);
  dead = true;
  for (auto& th : clients) th.join();
  ASSERT_TRUE(enough);
  std::size_t answered_run1;
  {
    // Requests the dead server had already written still reach the API.
    std::this_thread::sleep_for(200ms);
    answered_run1 = line.accepted();
  }

  line.SetDelay(0ms);
  ServerProcess b(dir.path(), LineEnv(data, line.base()));
  const int port_b = b.WaitListening();
  ASSERT_NE(port_b, 0) << b.stderr_text();
  std::lock_guard<std::mutex> lock(mu);
  EXPECT_TRUE(WaitUntil([&] { return line.AllAnswered(acked); }))
      << line.accepted() << " answered, " << acked.size() << " acknowledged\n"
      << b.stderr_text();
  EXPECT_TRUE(WaitUntil([&] {
    return json::parse(Get(port_b, "/healthz").body).value("inbox_unfinished", -1) == 0;
  }));
  EXPECT_EQ(b.Signal(SIGTERM), 0) << b.stderr_text();
  std::printf(
      "kill -9 after %zu acknowledged (%zu not): %zu answered before the kill, %zu by run 1,"
      " %zu in all; %zu second attempts refused by the API\n",
      acked.size(), unacked.size(), answered_before, answered_run1, line.accepted(),
      line.duplicates());
  for (const auto& t : acked) EXPECT_EQ(line.Replies(t), 1) << t;
  // Exactly once: a reply token is accepted once (LINE's rule), and no
  // answer went out a second time by push.
  EXPECT_EQ(line.pushes(), 0u);
  EXPECT_GT(answered_before, 0u);
  EXPECT_GE(line.accepted(), acked.size());
  EXPECT_LE(line.accepted(), acked.size() + unacked.size());
  EXPECT_NE(b.stderr_text().find("resuming"), std::string::npos) << b.stderr_text();
}

// --- Reliability (issue 15): acknowledged ⇒ answered or visibly failed.

// An outage of the Messaging API (every call answered 500) for `outage`:
// each acknowledged event is answered exactly once after the recovery — by
// reply while its token is young, else by push under its retry key.
struct OutageFigures {
  std::size_t answered = 0, replies = 0, pushes = 0, twice = 0, failed = 0;
  double rescheduled = 0;  // sends given up for now and tried again from the inbox
};

OutageFigures RunOutage(const std::string& tag, int events, std::chrono::milliseconds outage,
                        const std::string& extra_config) {
  OutageFigures f;
  TempDir dir;
  LineEmulator line;
  const std::string config = dir.path() + "/outage.json";
  std::ofstream(config) << R"({"delivery_retry_initial_ms": 500, "delivery_retry_max_s": 3)"
                        << extra_config << "}";
  line.FailFor(outage, 500);
  ServerProcess p(dir.path(), LineEnv(dir.path() + "/data", line.base()), {"--config", config});
  const int port = p.WaitListening();
  EXPECT_NE(port, 0) << p.stderr_text();
  if (port == 0) return f;
  const auto tokens = SendEvents(port, tag, events, 10);
  EXPECT_TRUE(WaitUntil([&] { return !line.failing(); }, outage + kWait));
  auto answered_once = [&](int i) {
    return line.Replies(tokens[i]) + line.PushesTo(UserId(tag, i));
  };
  EXPECT_TRUE(WaitUntil([&] {
    for (int i = 0; i < events; ++i) {
      if (answered_once(i) == 0) return false;
    }
    return true;
  })) << line.accepted()
      << " of " << events << " answered\n"
      << p.stderr_text();
  const std::string m = Get(port, "/metrics").body;
  EXPECT_EQ(p.Signal(SIGTERM), 0) << p.stderr_text();
  for (int i = 0; i < events; ++i) {
    const int n = answered_once(i);
    if (n > 0) ++f.answered;
    if (n > 1) ++f.twice;
    f.replies += line.Replies(tokens[i]);
    f.pushes += line.PushesTo(UserId(tag, i));
  }
  f.failed = static_cast<std::size_t>(MetricSum(m, "yorisoi_line_replies_failed_total"));
  f.rescheduled = Metric(m, "yorisoi_line_delivery_rescheduled_total");
  EXPECT_EQ(line.duplicates(), 0u);
  std::printf(
      "%s: %d events acknowledged during a %.0f s outage: %zu answered after recovery "
      "(%zu by reply, %zu by push), %zu twice, %zu failed\n",
      tag.c_str(), events, std::chrono::duration<double>(outage).count(), f.answered, f.replies,
      f.pushes, f.twice, f.failed);
  return f;
}

// The outage of the security test: 200 events, 500 for 60 s (longer than a
// reply token lives: the answers go out by push).
TEST(Reliability, SixtySecondOutageEveryAnswerDeliveredOnce) {
  constexpr int kEvents = 200;
  const OutageFigures f = RunOutage("out60", kEvents, 60s, "");
  EXPECT_EQ(f.answered, static_cast<std::size_t>(kEvents));
  EXPECT_EQ(f.twice, 0u);
  EXPECT_EQ(f.failed, 0u);
  EXPECT_GT(f.pushes, 0u);
  EXPECT_GT(f.rescheduled, 0);  // longer than the sender's own retries: from the inbox
}

// The same, shorter, with short-lived reply tokens: some answers by reply,
// the rest by push.
TEST(Reliability, ShortOutageWithShortTokensDeliveredOnce) {
  constexpr int kEvents = 50;
  const OutageFigures f = RunOutage("out6", kEvents, 6s, R"(, "reply_token_max_age_s": 3)");
  EXPECT_EQ(f.answered, static_cast<std::size_t>(kEvents));
  EXPECT_EQ(f.twice, 0u);
  EXPECT_EQ(f.failed, 0u);
}

// Acknowledged during an outage, the server stopped (kill -9) before the
// API recovers, restarted on the same data: every answer still goes out once.
TEST(Reliability, OutageAcrossARestart) {
  constexpr int kEvents = 20;
  TempDir dir;
  const std::string data = dir.path() + "/data";
  const std::string config = dir.path() + "/c.json";
  std::ofstream(config)
      << R"({"delivery_retry_initial_ms": 200, "delivery_retry_max_s": 1, "reply_token_max_age_s": 1})";
  LineEmulator line;
  line.FailFor(3600s, 500);
  std::vector<std::string> tokens;
  {
    ServerProcess a(dir.path(), LineEnv(data, line.base()), {"--config", config});
    const int port = a.WaitListening();
    ASSERT_NE(port, 0) << a.stderr_text();
    tokens = SendEvents(port, "restart", kEvents, 5);
    ASSERT_TRUE(WaitUntil([&] {
      return Metric(Get(port, "/metrics").body, "yorisoi_line_delivery_rescheduled_total") >=
             kEvents;
    }));
    EXPECT_EQ(a.Signal(SIGKILL), 128 + SIGKILL);
  }
  EXPECT_EQ(line.accepted(), 0u);
  line.FailFor(0ms, 500);
  ServerProcess b(dir.path(), LineEnv(data, line.base()), {"--config", config});
  const int port_b = b.WaitListening();
  ASSERT_NE(port_b, 0) << b.stderr_text();
  EXPECT_TRUE(WaitUntil([&] { return line.accepted() >= static_cast<std::size_t>(kEvents); }))
      << b.stderr_text();
  EXPECT_TRUE(WaitUntil([&] {
    return json::parse(Get(port_b, "/healthz").body).value("inbox_unfinished", -1) == 0;
  }));
  EXPECT_EQ(b.Signal(SIGTERM), 0) << b.stderr_text();
  for (int i = 0; i < kEvents; ++i) {
    EXPECT_EQ(line.Replies(tokens[i]) + line.PushesTo(UserId("restart", i)), 1) << i;
  }
  EXPECT_NE(b.stderr_text().find("resuming"), std::string::npos);
}

// A 4xx other than 429 ends the attempt at once: counted, and the
// conversation log (the console's transcript) shows 未送信 with the reason.
TEST(Reliability, RejectedAnswerIsVisiblyUndelivered) {
  TempDir dir;
  LineEmulator line;
  line.FailFor(3600s, 403);
  auto env = LineEnv(dir.path() + "/data", line.base());
  env["YORISOI_ADMIN_TOKEN"] = "e2e-admin-token-0123456789abcdef";
  ServerProcess p(dir.path(), env);
  const int port = p.WaitListening();
  ASSERT_NE(port, 0) << p.stderr_text() << "\n" << p.Threads();
  SendEvents(port, "rejected", 1);
  std::string m;
  ASSERT_TRUE(WaitUntil([&] {
    m = Get(port, "/metrics").body;
    return Metric(m, "yorisoi_line_replies_failed_total{reason=\"client_error\"}") == 1;
  })) << m;
  EXPECT_EQ(Metric(m, "yorisoi_line_backlog"), 0) << m;
  bool shown = false;
  WaitUntil([&] {
    Client c(port);
    auto list = c.Request(http::verb::get, "/admin/api/conversations", "",
                          {{"Authorization", "Bearer e2e-admin-token-0123456789abcdef"}});
    json j = json::parse(list.body, nullptr, false);
    if (!j.is_object() || !j.contains("items")) return false;
    for (const json& item : j["items"]) {
      auto t = c.Request(http::verb::get,
                         "/admin/api/conversations/" + std::to_string(item.value("id", 0)), "",
                         {{"Authorization", "Bearer e2e-admin-token-0123456789abcdef"}});
      if (t.body.find("未送信") != std::string::npos &&
          t.body.find("client_error (HTTP 403)") != std::string::npos)
        shown = true;
    }
    return shown;
  });
  EXPECT_TRUE(shown);
  EXPECT_EQ(p.Signal(SIGTERM), 0) << p.stderr_text();
  EXPECT_NE(p.stderr_text().find("未送信"), std::string::npos) << p.stderr_text();
}

// Events against a slow API and a small send queue (the security test: 2 s
// per call, 12,000 events, 1,976 answers dropped). Nothing is dropped: the
// queue fills, the rest waits in the inbox, every event is answered once.
// Two runs: all 12,000 events at 20 ms per call, and 1,200 events at the
// reported 2 s per call (12,000 at 2 s would take CI 25 minutes; the queue
// is full either way, which is what used to drop answers).
struct SlowApiRun {
  int events;
  std::chrono::milliseconds delay;
  int connections;
};

void RunSlowApi(const SlowApiRun& run) {
  constexpr int kPerWebhook = 100;
  TempDir dir;
  LineEmulator line;
  line.SetDelay(run.delay);
  const std::string config = dir.path() + "/c.json";
  std::ofstream(config) << R"({"line_send_queue": 100, "line_max_connections": )" << run.connections
                        << ","
                        << R"( "reply_token_max_age_s": 3600, "delivery_retry_initial_ms": 200,)"
                        << R"( "delivery_retry_max_s": 2})";
  ServerProcess p(dir.path(), LineEnv(dir.path() + "/data", line.base()), {"--config", config});
  const int port = p.WaitListening();
  ASSERT_NE(port, 0) << p.stderr_text() << "\n" << p.Threads();
  const auto t0 = Clock::now();
  const auto tokens = SendEvents(port, "slow", run.events, kPerWebhook);
  double peak_queue = 0;
  EXPECT_TRUE(WaitUntil(
      [&] {
        peak_queue =
            std::max(peak_queue, Metric(Get(port, "/metrics").body, "yorisoi_line_send_queue"));
        return line.AllAnswered(tokens);
      },
      5min))
      << line.accepted() << " of " << run.events << " answered";
  const double s = std::chrono::duration<double>(Clock::now() - t0).count();
  const std::string m = Get(port, "/metrics").body;
  EXPECT_EQ(p.Signal(SIGTERM), 0);
  std::size_t twice = 0;
  for (const auto& t : tokens) twice += line.Replies(t) > 1;
  std::printf(
      "%d events, slow API (%lld ms per call, %d connections), send queue 100: %zu "
      "answered in %.0f s, peak send queue %.0f, %zu twice\n",
      run.events, static_cast<long long>(run.delay.count()), run.connections, line.accepted(), s,
      peak_queue, twice);
  EXPECT_EQ(line.accepted(), static_cast<std::size_t>(run.events));
  EXPECT_EQ(twice, 0u);
  EXPECT_LE(peak_queue, 100);
  EXPECT_EQ(MetricSum(m, "yorisoi_line_replies_failed_total"), 0) << m;
  EXPECT_EQ(p.stderr_text().find("dropped"), std::string::npos);
}

TEST(Reliability, TwelveThousandEventsSlowApiAllAnswered) { RunSlowApi({12'000, 20ms, 16}); }

TEST(Reliability, TwoSecondsPerCallQueueFullNothingDropped) { RunSlowApi({1'200, 2000ms, 64}); }

// A login flood (unauthenticated, PBKDF2 for every attempt) from 100
// loopback addresses, 4 attempts each (under the per-address throttle):
// signed webhooks are still acknowledged quickly, because password hashing
// runs on the console's own low-priority worker pool, never on the I/O
// threads. The security test measured 30 s without an answer. (Six clients
// keep the pool busy; each attempt costs a full PBKDF2 hash.)
std::vector<double> WebhookLatenciesMs(int port, const std::string& tag, int n) {
  std::vector<double> ms;
  Client c(port);
  for (int i = 0; i < n; ++i) {
    const std::string id = tag + "-" + std::to_string(i);
    const std::string body =
        Payload({TextEvent("ev-" + id, UserId(tag, i), "tok-" + id, "こんにちは")});
    const auto t0 = Clock::now();
    const int status = c.Request(http::verb::post, "/callback", body,
                                 {{"X-Line-Signature", adapters::LineSignature(kSecret, body)}})
                           .status;
    ms.push_back(std::chrono::duration<double, std::milli>(Clock::now() - t0).count());
    EXPECT_EQ(status, 200) << i;
    std::this_thread::sleep_for(20ms);
  }
  std::sort(ms.begin(), ms.end());
  return ms;
}

double P99(const std::vector<double>& sorted) {
  return sorted.empty() ? 0 : sorted[std::min(sorted.size() - 1, sorted.size() * 99 / 100)];
}

// One login attempt from a given loopback source address; the status.
int LoginFrom(int port, const std::string& from, const std::string& name) {
  try {
    net::io_context ioc;
    tcp::socket s(ioc);
    s.open(tcp::v4());
    s.bind({net::ip::make_address(from), 0});
    s.connect({net::ip::make_address("127.0.0.1"), static_cast<unsigned short>(port)});
    http::request<http::string_body> req{http::verb::post, "/admin/api/login", 11};
    req.set(http::field::host, "127.0.0.1");
    req.set(http::field::content_type, "application/json");
    req.body() = json{{"name", name}, {"password", "wrong password"}}.dump();
    req.prepare_payload();
    http::write(s, req);
    beast::flat_buffer buf;
    http::response<http::string_body> res;
    http::read(s, buf, res);
    return res.result_int();
  } catch (const std::exception&) {
    return 0;
  }
}

TEST(Reliability, WebhookAcknowledgedQuicklyUnderALoginFlood) {
  TempDir dir;
  LineEmulator line;
  ServerProcess p(dir.path(), LineEnv(dir.path() + "/data", line.base()));
  const int port = p.WaitListening();
  ASSERT_NE(port, 0) << p.stderr_text() << "\n" << p.Threads();
  WebhookLatenciesMs(port, "warm", 10);
  const std::vector<double> base = WebhookLatenciesMs(port, "base", 100);

  std::atomic<bool> stop{false};
  std::atomic<int> logins{0}, refused{0}, unexpected{0};
  std::vector<std::thread> flood;
  constexpr int kFloodThreads = 6;
  for (int t = 0; t < kFloodThreads; ++t) {
    flood.emplace_back([&, t] {
      for (int k = t; !stop && k < 400; k += kFloodThreads) {
        const int address = 2 + k % 100;  // 127.0.0.2 … 127.0.0.101, 4 attempts each
        const int status =
            LoginFrom(port, "127.0.0." + std::to_string(address), "staff" + std::to_string(k % 7));
        ++logins;
        if (status == 503 || status == 0) {
          ++refused;  // the pool's queue is full (or the server is stopping)
        } else if (status != 401) {
          ++unexpected;
        }
      }
    });
  }
  // The flood is on: hashing has started.
  EXPECT_TRUE(WaitUntil([&] { return logins >= 2; }));
  const std::vector<double> under = WebhookLatenciesMs(port, "flood", 200);
  stop = true;
  for (auto& th : flood) th.join();
  const std::string m = Get(port, "/metrics").body;
  EXPECT_EQ(p.Signal(SIGTERM), 0) << p.stderr_text();
  std::printf(
      "webhook ack p50/p99: %.1f/%.1f ms alone, %.1f/%.1f ms during a login flood "
      "(%d logins from 100 addresses, %d refused 503)\n",
      base[base.size() / 2], P99(base), under[under.size() / 2], P99(under), logins.load(),
      refused.load());
  EXPECT_EQ(unexpected, 0);
  EXPECT_GE(logins, 2);
  // The property: the flood does not hold the webhook up. (A machine
  // already too slow without any flood cannot show it; then the flood must
  // at least not make it worse than 3×.)
  if (P99(base) < 15) {
    EXPECT_LT(P99(under), 50) << "p99 alone " << P99(base);
  } else {
    EXPECT_LT(P99(under), 3 * P99(base) + 50) << "p99 alone " << P99(base);
  }
}

// Degrade, don't die: a corrupt log, state and admin store — the bot still
// answers, /healthz says "degraded" naming each file, the console says it
// is unavailable; data files are private (0600, directory 0700); repeated
// unsigned requests are logged once with a count.
TEST(Reliability, CorruptStoresDegradeAndFilesArePrivate) {
  struct Case {
    const char* name;
    std::vector<std::string> corrupt;  // files filled with garbage before the start
  };
  const Case kCases[] = {
      {"all three", {"log.sqlite", "state.sqlite", "admin.sqlite"}},
      {"admin only", {"admin.sqlite"}},
      {"none", {}},
  };
  for (const Case& c : kCases) {
    SCOPED_TRACE(c.name);
    TempDir dir;
    const std::string data = dir.path() + "/data";
    fs::create_directories(data);
    ::chmod(data.c_str(), 0755);
    for (const std::string& f : c.corrupt) {
      std::ofstream(data + "/" + f) << std::string(8192, 'x') << "this is not a database";
    }
    LineEmulator line;
    ServerProcess p(dir.path(), LineEnv(data, line.base()));
    const int port = p.WaitListening();
    ASSERT_NE(port, 0) << p.stderr_text() << "\n" << p.Threads();
    const auto tokens = SendEvents(port, std::string("degrade-") + c.name, 2);
    EXPECT_TRUE(WaitUntil([&] { return line.AllAnswered(tokens); })) << p.stderr_text();
    json h = json::parse(Get(port, "/healthz").body, nullptr, false);
    ASSERT_TRUE(h.is_object());
    EXPECT_EQ(h.value("status", ""), c.corrupt.empty() ? "ok" : "degraded") << h.dump();
    for (const std::string& f : c.corrupt) {
      EXPECT_NE(h.dump().find(f), std::string::npos) << f << " not named: " << h.dump();
    }
    const HttpResult admin = Get(port, "/admin/api/me");
    if (c.corrupt.empty()) {
      EXPECT_EQ(admin.status, 401);
    } else {
      EXPECT_EQ(admin.status, 503);
      EXPECT_NE(admin.body.find("unavailable"), std::string::npos) << admin.body;
    }
    for (int i = 0; i < 50; ++i) {
      Client u(port);
      EXPECT_EQ(u.Request(http::verb::post, "/callback", Payload({})).status, 401);
    }
    EXPECT_EQ(p.Signal(SIGTERM), 0) << p.stderr_text();
    const std::string err = p.stderr_text();
    std::size_t lines = 0;
    for (std::size_t at = 0; (at = err.find("without x-line-signature", at)) != std::string::npos;
         ++at)
      ++lines;
    EXPECT_EQ(lines, 1u) << err;
    struct stat st {};
    ASSERT_EQ(::stat(data.c_str(), &st), 0);
    EXPECT_EQ(st.st_mode & 0777, 0700u);
    for (const auto& e : fs::directory_iterator(data)) {
      if (!e.is_regular_file()) continue;
      ASSERT_EQ(::stat(e.path().c_str(), &st), 0);
      EXPECT_EQ(st.st_mode & 0777, 0600u) << e.path();
    }
  }
}

}  // namespace
}  // namespace yorisoi
