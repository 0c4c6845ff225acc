// Prometheus text exposition (adapters/metrics.h).
#include "adapters/metrics.h"

#include <cstdio>
#include <utility>

namespace yorisoi::adapters {
namespace {

constexpr std::size_t kMaxLabelSets = 64;  // per counter: bounds untrusted label values

// Label values that come from outside (event types) are restricted to
// [A-Za-z0-9_/.-], at most 40 characters; anything else reads "other".
std::string SafeLabel(const std::string& v) {
  if (v.empty()) return "none";
  if (v.size() > 40) return "other";
  for (char c : v) {
    bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
              c == '_' || c == '/' || c == '.' || c == '-';
    if (!ok) return "other";
  }
  return v;
}

std::string Num(double v) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.9g", v);
  return buf;
}

struct CounterHelp {
  const char* name;
  const char* help;
};

constexpr CounterHelp kCounters[] = {
    {"yorisoi_http_requests_total", "HTTP requests by route and status."},
    {"yorisoi_line_events_total", "LINE webhook events received, by type."},
    {"yorisoi_line_duplicates_total", "LINE webhook events skipped as redeliveries."},
    {"yorisoi_line_replies_sent_total", "Replies accepted by the Messaging API, by method."},
    {"yorisoi_line_replies_failed_total",
     "Answers given up for good (shown as 未送信 in the console), by reason."},
    {"yorisoi_line_delivery_rescheduled_total",
     "Sends given up for now and tried again later from the inbox."},
    {"yorisoi_line_replies_retried_total", "Messaging API retries after 5xx or timeouts."},
    {"yorisoi_line_push_fallback_total",
     "Replies sent by push because the token was too old or rejected."},
    {"yorisoi_line_rate_limited_total", "Messaging API 429 answers."},
    {"yorisoi_reminders_sent_total", "Reminders accepted by the Messaging API (one per user)."},
    {"yorisoi_reminders_failed_total", "Reminders given up for good (one per user), by reason."},
    {"yorisoi_reminders_opted_out_total", "Reminder subscriptions stopped (通知をやめる, unfollow)."},
};

const std::vector<double> kLatencyBounds = {0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05,
                                            0.1,    0.25,  0.5,    1,     2.5,  5,     10};
const std::vector<double> kDeliveryBounds = {0.01, 0.025, 0.05, 0.1, 0.25, 0.5,
                                             1,    2.5,   5,    10,  30,   60};

}  // namespace

Histogram::Histogram(std::vector<double> bounds)
    : bounds_(std::move(bounds)), counts_(bounds_.size() + 1, 0) {}

void Histogram::Observe(double seconds) {
  std::lock_guard<std::mutex> lock(mu_);
  std::size_t i = 0;
  while (i < bounds_.size() && seconds > bounds_[i]) ++i;
  ++counts_[i];
  sum_ += seconds;
  ++count_;
}

void Histogram::Render(const std::string& name, const std::string& help, std::string& out) const {
  std::lock_guard<std::mutex> lock(mu_);
  out += "# HELP " + name + " " + help + "\n# TYPE " + name + " histogram\n";
  uint64_t cumulative = 0;
  for (std::size_t i = 0; i < bounds_.size(); ++i) {
    cumulative += counts_[i];
    out += name + "_bucket{le=\"" + Num(bounds_[i]) + "\"} " + std::to_string(cumulative) + "\n";
  }
  cumulative += counts_.back();
  out += name + "_bucket{le=\"+Inf\"} " + std::to_string(cumulative) + "\n";
  out += name + "_sum " + Num(sum_) + "\n";
  out += name + "_count " + std::to_string(count_) + "\n";
}

Metrics::Metrics() : processing_(kLatencyBounds), delivery_(kDeliveryBounds), ack_(kLatencyBounds) {
  // Known series start at 0 so dashboards see them before the first event.
  std::lock_guard<std::mutex> lock(mu_);
  for (const CounterHelp& c : kCounters) counters_[c.name];
  counters_["yorisoi_line_duplicates_total"][""] = 0;
  counters_["yorisoi_line_replies_retried_total"][""] = 0;
  counters_["yorisoi_line_push_fallback_total"][""] = 0;
  counters_["yorisoi_line_rate_limited_total"][""] = 0;
  counters_["yorisoi_line_delivery_rescheduled_total"][""] = 0;
  counters_["yorisoi_reminders_sent_total"][""] = 0;
  counters_["yorisoi_reminders_opted_out_total"][""] = 0;
  counters_["yorisoi_line_replies_sent_total"]["method=\"reply\""] = 0;
  counters_["yorisoi_line_replies_sent_total"]["method=\"push\""] = 0;
}

void Metrics::Add(const std::string& name, const std::string& labels, uint64_t n) {
  std::lock_guard<std::mutex> lock(mu_);
  auto& series = counters_[name];
  auto it = series.find(labels);
  if (it != series.end()) {
    it->second += n;
  } else if (series.size() < kMaxLabelSets) {
    series.emplace(labels, n);
  }
}

void Metrics::CountRequest(const std::string& route, int status) {
  Add("yorisoi_http_requests_total",
      "route=\"" + SafeLabel(route) + "\",status=\"" + std::to_string(status) + "\"");
}
void Metrics::CountEvent(const std::string& type) {
  Add("yorisoi_line_events_total", "type=\"" + SafeLabel(type) + "\"");
}
void Metrics::CountDuplicate() { Add("yorisoi_line_duplicates_total", ""); }
void Metrics::ReplySent(const std::string& method) {
  Add("yorisoi_line_replies_sent_total", "method=\"" + SafeLabel(method) + "\"");
}
void Metrics::ReplyFailed(const std::string& reason) {
  Add("yorisoi_line_replies_failed_total", "reason=\"" + SafeLabel(reason) + "\"");
}
void Metrics::ReplyRetried() { Add("yorisoi_line_replies_retried_total", ""); }
void Metrics::DeliveryRescheduled() { Add("yorisoi_line_delivery_rescheduled_total", ""); }
void Metrics::PushFallback() { Add("yorisoi_line_push_fallback_total", ""); }
void Metrics::RateLimited() { Add("yorisoi_line_rate_limited_total", ""); }
void Metrics::RemindersSent(uint64_t users) { Add("yorisoi_reminders_sent_total", "", users); }
void Metrics::RemindersFailed(const std::string& reason, uint64_t users) {
  Add("yorisoi_reminders_failed_total", "reason=\"" + SafeLabel(reason) + "\"", users);
}
void Metrics::ReminderOptedOut() { Add("yorisoi_reminders_opted_out_total", ""); }

void Metrics::SetGauge(const std::string& name, const std::string& help,
                       std::function<double()> read) {
  std::lock_guard<std::mutex> lock(mu_);
  gauges_[name] = Gauge{help, std::move(read)};
}

uint64_t Metrics::Counter(const std::string& name, const std::string& labels) const {
  std::lock_guard<std::mutex> lock(mu_);
  auto it = counters_.find(name);
  if (it == counters_.end()) return 0;
  if (labels == "*") {
    uint64_t total = 0;
    for (const auto& [_, v] : it->second) total += v;
    return total;
  }
  auto jt = it->second.find(labels);
  return jt == it->second.end() ? 0 : jt->second;
}

std::string Metrics::Render() const {
  std::string out;
  std::map<std::string, Gauge> gauges;
  {
    std::lock_guard<std::mutex> lock(mu_);
    for (const CounterHelp& c : kCounters) {
      out += std::string("# HELP ") + c.name + " " + c.help + "\n# TYPE " + c.name + " counter\n";
      auto it = counters_.find(c.name);
      if (it == counters_.end()) continue;
      for (const auto& [labels, v] : it->second) {
        out += c.name;
        if (!labels.empty()) out += "{" + labels + "}";
        out += " " + std::to_string(v) + "\n";
      }
    }
    gauges = gauges_;
  }
  processing_.Render("yorisoi_event_processing_seconds", "Engine time per LINE event (seconds).",
                     out);
  delivery_.Render("yorisoi_event_delivery_seconds",
                   "Time from webhook acknowledgement to the reply accepted by LINE (seconds).",
                   out);
  ack_.Render("yorisoi_webhook_ack_seconds", "Time to verify, store and acknowledge a webhook.",
              out);
  for (const auto& [name, g] : gauges) {
    out += "# HELP " + name + " " + g.help + "\n# TYPE " + name + " gauge\n";
    out += name + " " + Num(g.read ? g.read() : 0) + "\n";
  }
  return out;
}

Handler MetricsHandler(const Metrics& metrics) {
  return [&metrics](const Request& req, const RequestContext&) {
    return TextResponse(req, http::status::ok, "text/plain; version=0.0.4; charset=utf-8",
                        metrics.Render());
  };
}

}  // namespace yorisoi::adapters
