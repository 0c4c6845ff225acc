// adapters/handoff_notifier.h
#include "adapters/handoff_notifier.h"

#include <nlohmann/json.hpp>

#include "adapters/line_api.h"
#include "adapters/line_signature.h"
#include "adapters/log.h"
#include "adapters/service_url.h"
#include "core/thread_name.h"
#include "core/time.h"

namespace yorisoi::adapters {

Result<std::unique_ptr<HandoffNotifier>> HandoffNotifier::Create(HandoffNotifierOptions options) {
  if (options.secret.empty())
    return Status::InvalidArgument("handoff_notify_secret: required to sign the notification");
  auto url = ParseServiceUrl(options.url, "handoff_notify_url");
  if (!url.ok()) return url.status();
  const std::string base = url->origin;
  std::string path = url->path.empty() ? "/" : url->path;
  LineApiOptions lo;
  lo.api_base = base;
  lo.data_base = base;
  lo.access_token = "";  // no LINE token to anyone else
  lo.timeout = std::chrono::milliseconds(10'000);
  auto api = LineApi::Create(lo);
  if (!api.ok()) return Status::InvalidArgument("handoff_notify_url: " + api.error());
  return std::unique_ptr<HandoffNotifier>(
      new HandoffNotifier(std::move(options), std::move(api).value(), std::move(path)));
}

HandoffNotifier::HandoffNotifier(HandoffNotifierOptions options, std::unique_ptr<LineApi> api,
                                 std::string path)
    : options_(std::move(options)), api_(std::move(api)), path_(std::move(path)) {
  thread_ = std::thread([this] {
    NameThisThread("handoff-notify");
    Loop();
  });
}

HandoffNotifier::~HandoffNotifier() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    stop_ = true;
  }
  cv_.notify_all();
  if (thread_.joinable()) thread_.join();
}

std::string HandoffNotifier::Body(const store::Handoff& h) const {
  nlohmann::json j{{"type", "handoff.waiting"},      {"id", h.id},
                   {"municipality", h.municipality}, {"requested_at", FormatJstIso(h.requested_ms)},
                   {"during_hours", h.during_hours}, {"console", "/admin/#handoffs"}};
  if (auto it = options_.municipality_names.find(h.municipality);
      it != options_.municipality_names.end())
    j["municipality_name"] = it->second;
  return j.dump();
}

void HandoffNotifier::Notify(const store::Handoff& handoff) {
  std::string body = Body(handoff);
  {
    std::lock_guard<std::mutex> lock(mu_);
    queue_.push_back(std::move(body));
  }
  cv_.notify_all();
}

void HandoffNotifier::Loop() {
  std::unique_lock<std::mutex> lock(mu_);
  for (;;) {
    cv_.wait(lock, [&] { return stop_ || !queue_.empty(); });
    if (queue_.empty()) return;  // stopping with nothing left
    std::string body = std::move(queue_.front());
    queue_.pop_front();
    const bool stopping = stop_;
    lock.unlock();
    const std::string signature = LineSignature(options_.secret, body);
    std::string last;
    auto delay = options_.first_retry;
    const int attempts = stopping ? 1 : 3;
    bool sent = false;
    for (int i = 0; i < attempts && !sent; ++i) {
      if (i > 0) {
        std::unique_lock<std::mutex> wait(mu_);
        cv_.wait_for(wait, delay, [&] { return stop_; });
        delay *= 4;
      }
      ApiResponse r = api_->Call("POST", path_, body, "application/json", false,
                                 {{"X-Yorisoi-Signature", signature}});
      sent = r.ok();
      last = r.error.empty() ? "HTTP " + std::to_string(r.status) : r.error;
    }
    if (!sent) Log(LogLevel::kError, "handoff", "notification not delivered: " + last);
    lock.lock();
  }
}

}  // namespace yorisoi::adapters
