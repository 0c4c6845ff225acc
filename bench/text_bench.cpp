// Japanese understanding (issue 5 target, with the dialog step and the state
// write: < 1 ms median per message). Normalize, Canonical and Understand on
// messages the way parents type them; one benchmark per message and one over
// the rotating set, whose per-message median is reported as a counter.
#include <benchmark/benchmark.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "bench_util.h"
#include "dialogs/lexicon.h"
#include "knowledge/kb.h"
#include "text/nlu.h"
#include "yorisoi_source_dir.h"

namespace yorisoi::bench {
namespace {

const std::vector<std::string>& Messages() {
  static const std::vector<std::string> kMessages = {
      "ｼﾞﾄﾞｳﾌﾖｳﾃｱﾃいくら",
      "シンママです。医療費の助成ってある？国立市",
      "年収200万で子ども2人だと？",
      "今から相談できるところある？",
      "もう疲れた",
      "小平市の窓口は今日やってる？",
      "児童扶養手当の必要書類を教えてください",
      "やっぱり小平市です",
      "離婚前後の法律相談はどこでできますか。東京都です",
      "有田市のひとり親家庭医療費助成の所得制限は？",
      "倉敷市に住んでます 高等職業訓練促進給付金の対象は",
      "給与収入２５０万 養育費 月３万円 子供３人 １８歳と１０歳と２歳",
      "夫が家に来て暴れています",
      "人と話したい",
  };
  return kMessages;
}

// The NLU over text/data with the knowledge base's lexicon, as the runtime
// builds it.
const text::Nlu& Nlu() {
  static const std::unique_ptr<text::Nlu> nlu = [] {
    auto r = text::Nlu::Create(YORISOI_SOURCE_DIR "/text/data", dialogs::BuildLexicon(SharedKb()));
    if (!r.ok()) {
      std::fprintf(stderr, "nlu: %s\n", r.error().c_str());
      std::exit(1);
    }
    return std::move(r).value();
  }();
  return *nlu;
}

const Date kToday{2026, 11, 24};

// Times each call and reports the median and 90th percentile per message.
template <typename F>
void Rotating(benchmark::State& state, F&& step) {
  const auto& msgs = Messages();
  std::vector<double> ns;
  ns.reserve(1 << 16);
  size_t i = 0;
  for (auto _ : state) {
    const auto t0 = std::chrono::steady_clock::now();
    step(msgs[i]);
    const auto t1 = std::chrono::steady_clock::now();
    if (ns.size() < ns.capacity())
      ns.push_back(std::chrono::duration<double, std::nano>(t1 - t0).count());
    i = (i + 1) % msgs.size();
  }
  if (ns.empty()) return;
  std::sort(ns.begin(), ns.end());
  state.counters["p50_us"] = ns[ns.size() / 2] / 1000.0;
  state.counters["p90_us"] = ns[ns.size() * 9 / 10] / 1000.0;
}

void BM_Normalize(benchmark::State& state) {
  Rotating(state, [](const std::string& m) { benchmark::DoNotOptimize(text::Normalize(m)); });
  state.SetLabel("ICU NFKC_Casefold + long vowels + kana folding, rotating messages");
}
BENCHMARK(BM_Normalize)->Unit(benchmark::kMicrosecond);

void BM_Canonical(benchmark::State& state) {
  const text::Nlu& nlu = Nlu();
  Rotating(state, [&](const std::string& m) { benchmark::DoNotOptimize(nlu.Canonical(m)); });
  state.SetLabel("Normalize + synonyms, rotating messages");
}
BENCHMARK(BM_Canonical)->Unit(benchmark::kMicrosecond);

void BM_Understand(benchmark::State& state) {
  const text::Nlu& nlu = Nlu();
  Rotating(state,
           [&](const std::string& m) { benchmark::DoNotOptimize(nlu.Understand(m, kToday)); });
  state.SetLabel("normalize + synonyms + intents + entities + regions/programs, rotating");
}
BENCHMARK(BM_Understand)->Unit(benchmark::kMicrosecond);

// Startup (issue 13 target: knowledge base plus model < 1 s): open the
// compiled knowledge base, build its lexicon, and create the NLU, which
// featurizes the corpus and either trains the classifier (arg 0) or loads
// it from the model cache the server keeps under data/models (arg 1).
void BM_KbAndModelLoad(benchmark::State& state) {
  const bool cached = state.range(0) == 1;
  std::string cache;
  if (cached) {
    char tmpl[] = "/tmp/yorisoi-bench-models-XXXXXX";
    cache = ::mkdtemp(tmpl);
    // Trained once here, outside the timing.
    (void)text::Nlu::Create(YORISOI_SOURCE_DIR "/text/data", dialogs::BuildLexicon(SharedKb()), {},
                            cache);
  }
  for (auto _ : state) {
    auto kb = kb::KnowledgeBase::Open(CompiledKbPath());
    if (!kb.ok()) {
      state.SkipWithError(kb.error().c_str());
      return;
    }
    auto nlu = text::Nlu::Create(YORISOI_SOURCE_DIR "/text/data",
                                 dialogs::BuildLexicon(*kb.value()), {}, cache);
    benchmark::DoNotOptimize(nlu.ok());
  }
  if (cached) std::filesystem::remove_all(cache);
  state.SetLabel(cached
                     ? "KB open + lexicon + corpus featurized + model from the cache; target < 1 s"
                     : "KB open + lexicon + corpus featurized + classifier trained");
}
BENCHMARK(BM_KbAndModelLoad)->Arg(0)->Iterations(3)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_KbAndModelLoad)->Arg(1)->Iterations(10)->Unit(benchmark::kMillisecond);

// One message at a time (argument = index into Messages()).
void BM_UnderstandEach(benchmark::State& state) {
  const text::Nlu& nlu = Nlu();
  const std::string& m = Messages()[static_cast<size_t>(state.range(0))];
  for (auto _ : state) benchmark::DoNotOptimize(nlu.Understand(m, kToday));
  state.SetLabel(m);
}
BENCHMARK(BM_UnderstandEach)->DenseRange(0, 13)->Unit(benchmark::kMicrosecond);

}  // namespace
}  // namespace yorisoi::bench

BENCHMARK_MAIN();
