// Server metrics in the Prometheus text exposition format (GET /metrics).
//
//   yorisoi_http_requests_total{route,status}      requests by route and status
//   yorisoi_line_events_total{type}                webhook events by type
//   yorisoi_line_duplicates_total                  redeliveries skipped by dedupe
//   yorisoi_line_replies_sent_total{method}        reply | push
//   yorisoi_line_replies_failed_total{reason}      client_error | rate_limited |
//                                                  exhausted | queue_full | aborted
//   yorisoi_line_replies_retried_total             retry attempts (5xx, timeouts)
//   yorisoi_line_push_fallback_total               reply token too old or rejected
//   yorisoi_line_rate_limited_total                429 answers
//   yorisoi_reminders_sent_total                   reminders accepted (per user)
//   yorisoi_reminders_failed_total{reason}         reminders given up (per user)
//   yorisoi_reminders_opted_out_total              subscriptions stopped
//   yorisoi_event_processing_seconds (histogram)   engine time per event
//   yorisoi_event_delivery_seconds (histogram)     ack → reply accepted by LINE
//   yorisoi_webhook_ack_seconds (histogram)        /callback handler time
//   gauges registered with SetGauge (open connections, queue depths, …)
//
// Thread-safe; counters are cheap (one mutex, no allocation for known keys).
#pragma once

#include <array>
#include <atomic>
#include <cstdint>
#include <functional>
#include <map>
#include <mutex>
#include <string>
#include <vector>

#include "adapters/http_types.h"

namespace yorisoi::adapters {

class Histogram {
 public:
  explicit Histogram(std::vector<double> bounds);
  void Observe(double seconds);
  void Render(const std::string& name, const std::string& help, std::string& out) const;

 private:
  mutable std::mutex mu_;
  std::vector<double> bounds_;
  std::vector<uint64_t> counts_;  // per bucket (non-cumulative), last = +Inf
  double sum_ = 0;
  uint64_t count_ = 0;
};

class Metrics {
 public:
  Metrics();

  void CountRequest(const std::string& route, int status);
  void CountEvent(const std::string& type);
  void CountDuplicate();
  void ReplySent(const std::string& method);
  void ReplyFailed(const std::string& reason);
  void ReplyRetried();
  void DeliveryRescheduled();  // a send given up for now, tried again later from the inbox
  void PushFallback();
  void RateLimited();
  void RemindersSent(uint64_t users);  // one multicast accepted for `users` recipients
  void RemindersFailed(const std::string& reason, uint64_t users);
  void ReminderOptedOut();
  void ObserveProcessing(double seconds) { processing_.Observe(seconds); }
  void ObserveDelivery(double seconds) { delivery_.Observe(seconds); }
  void ObserveAck(double seconds) { ack_.Observe(seconds); }
  // A gauge read at render time (e.g. the inbox backlog). `read` must be
  // thread-safe and cheap.
  void SetGauge(const std::string& name, const std::string& help, std::function<double()> read);

  // Values for tests and logs.
  uint64_t Counter(const std::string& name, const std::string& labels = "") const;

  std::string Render() const;

 private:
  void Add(const std::string& name, const std::string& labels, uint64_t n = 1);

  mutable std::mutex mu_;
  // name → (label set "{a=\"b\"}" → value)
  std::map<std::string, std::map<std::string, uint64_t>> counters_;
  struct Gauge {
    std::string help;
    std::function<double()> read;
  };
  std::map<std::string, Gauge> gauges_;
  Histogram processing_, delivery_, ack_;
};

// GET /metrics.
Handler MetricsHandler(const Metrics& metrics);

}  // namespace yorisoi::adapters
