// The webhook path before the engine (issue 7): the x-line-signature check on
// the raw body, the tolerant event parser and the conversion into inbox tasks
// (pseudonymous user id + the JSON the inbox stores).
#include <benchmark/benchmark.h>

#include <string>

#include "adapters/line_signature.h"
#include "adapters/line_webhook.h"
#include "adapters/pseudonym.h"

namespace yorisoi::bench {
namespace {

namespace ad = adapters;

const std::string kSecret = "8c5f7a4b2e1d9c0f3a6b5e4d7c8f9a0b";

// A webhook as LINE sends it: `n` text message events from different users.
std::string Body(int n) {
  std::string events;
  for (int i = 0; i < n; ++i) {
    if (i) events += ",";
    events += R"({"type":"message","mode":"active","timestamp":1795759200000,)"
              R"("source":{"type":"user","userId":"U4af4980629)" +
              std::to_string(100000 + i) + R"(a1b2c3d4e5f6a7b8c9d0"},"webhookEventId":"01JD8Z)" +
              std::to_string(100000 + i) +
              R"(QWERTYASDFGH","deliveryContext":{"isRedelivery":false},)"
              R"("replyToken":"b60d432864f44d079f6d8efe86cf404b)" +
              std::to_string(i) + R"(","message":{"id":"4440918979)" + std::to_string(i) +
              R"(","type":"text","quoteToken":"q3Plxr4AgKd",)"
              R"("text":"年収200万円、子ども2人だと児童扶養手当はいくらもらえますか？"}})";
  }
  return R"({"destination":"U0123456789abcdef0123456789abcdef","events":[)" + events + "]}";
}

void BM_VerifySignature(benchmark::State& state) {
  const std::string body = Body(static_cast<int>(state.range(0)));
  const std::string sig = ad::LineSignature(kSecret, body);
  for (auto _ : state) benchmark::DoNotOptimize(ad::VerifyLineSignature(kSecret, body, sig));
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * body.size()));
  state.SetLabel("HMAC-SHA256 + base64 + constant-time compare, " + std::to_string(body.size()) +
                 " byte body");
}
BENCHMARK(BM_VerifySignature)->Arg(1)->Arg(10)->Unit(benchmark::kMicrosecond);

void BM_ParseWebhook(benchmark::State& state) {
  const std::string body = Body(static_cast<int>(state.range(0)));
  for (auto _ : state) {
    auto payload = ad::ParseWebhook(body);
    if (!payload.ok()) state.SkipWithError("the sample webhook does not parse");
    benchmark::DoNotOptimize(payload);
  }
  state.SetItemsProcessed(state.iterations() * state.range(0));
  state.SetLabel("events per webhook: " + std::to_string(state.range(0)));
}
BENCHMARK(BM_ParseWebhook)->Arg(1)->Arg(10)->Unit(benchmark::kMicrosecond);

void BM_ParseToInboxTasks(benchmark::State& state) {
  const std::string body = Body(static_cast<int>(state.range(0)));
  const ad::Pseudonymizer pseudonyms(std::string(32, 'k'));
  for (auto _ : state) {
    auto payload = ad::ParseWebhook(body);
    for (const auto& event : payload->events)
      if (auto task = ad::ToTask(event, pseudonyms))
        benchmark::DoNotOptimize(ad::ToJson(*task).size());
  }
  state.SetItemsProcessed(state.iterations() * state.range(0));
  state.SetLabel("parse + pseudonymize + inbox JSON, events: " + std::to_string(state.range(0)));
}
BENCHMARK(BM_ParseToInboxTasks)->Arg(1)->Arg(10)->Unit(benchmark::kMicrosecond);

}  // namespace
}  // namespace yorisoi::bench

BENCHMARK_MAIN();
