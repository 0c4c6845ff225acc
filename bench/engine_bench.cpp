// One full message step (issue 5 target: normalization + matching + dialog
// step + state write < 1 ms median per message): Runtime::Handle with the
// state in a file-backed SQLite store in a temp data dir and the
// conversation log on, over a rotating set of users and realistic messages
// (calculation slot filling, hours at a holiday night, region changes,
// crisis). The per-message median and 90th percentile are counters.
#include <benchmark/benchmark.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "bench_util.h"
#include "bot/runtime.h"
#include "store/log_store.h"
#include "yorisoi_source_dir.h"

namespace yorisoi::bench {
namespace {

namespace fs = std::filesystem;

// Conversations, one per user, replayed in turn: message k goes to user
// k % users, so each user's state is read, changed and written every time.
const std::vector<std::vector<std::string>>& Conversations() {
  static const std::vector<std::vector<std::string>> kConversations = {
      {"シンママです。医療費の助成ってある？国立市", "所得制限は？", "申請に必要なものは",
       "ありがとう"},
      {"年収200万で子ども2人だと？", "国立市です", "計算の内訳", "養育費は月2万円"},
      {"手当の計算", "年収230万円", "2人", "3歳と8歳", "養育費はもらっていません"},
      {"小平市の窓口は今日やってる？", "電話番号は", "やっぱり国立市です", "今あいてる？"},
      {"ｼﾞﾄﾞｳﾌﾖｳﾃｱﾃいくら", "支給日はいつ", "小平市です", "窓口は"},
      {"今から相談できるところある？", "もう疲れた", "人と話したい"},
      {"倉敷市に住んでます", "高等職業訓練促進給付金の対象は", "金額は"},
      {"使える制度を知りたい", "小平市です", "はい", "いいえ", "はい", "結果を見る"},
      {"有田市のひとり親家庭医療費助成について", "所得制限", "申請方法"},
      {"夫が家に来て暴れています", "国立市です", "DVの相談窓口"},
  };
  return kConversations;
}

struct TempDir {
  fs::path path;
  TempDir() {
    path = fs::temp_directory_path() / ("yorisoi-engine-bench-" + std::to_string(::getpid()));
    fs::create_directories(path);
  }
  ~TempDir() {
    std::error_code ec;
    fs::remove_all(path, ec);
  }
};

std::unique_ptr<bot::Runtime> OpenRuntime(const TempDir& dir) {
  bot::RuntimeOptions o;
  o.data_dir = dir.path.string();
  o.kb_path = CompiledKbPath();
  o.knowledge_source_dir = YORISOI_SOURCE_DIR "/knowledge/data";
  o.lexicon_dir = YORISOI_SOURCE_DIR "/text/data";
  o.in_memory = false;  // state.sqlite and log.sqlite on disk
  // The events are dated 2026 and later (one a second); a clock far ahead keeps
  // them all plausible.
  static const FakeClock clock(FromJst(Date{2100, 1, 1}, 0));
  o.clock = &clock;
  auto r = bot::Runtime::Open(o);
  if (!r.ok()) {
    std::fprintf(stderr, "Runtime::Open: %s\n", r.error().c_str());
    std::exit(1);
  }
  return std::move(r).value();
}

void BM_RuntimeHandle(benchmark::State& state) {
  TempDir dir;
  auto rt = OpenRuntime(dir);
  const auto& convs = Conversations();
  const int users = static_cast<int>(state.range(0));
  std::vector<size_t> next(users, 0);  // each user's position in their conversation
  std::vector<double> ns;
  ns.reserve(1 << 16);
  const int64_t t0 = state.range(1) ? HolidayNight() : WeekdayMorning();
  int64_t k = 0;
  int64_t empty = 0;  // replies without a message (would be a bug)
  for (auto _ : state) {
    const int u = static_cast<int>(k % users);
    const auto& conv = convs[u % convs.size()];
    Incoming in;
    in.user = "bench-user-" + std::to_string(u);
    in.text = conv[next[u]];
    in.timestamp_ms = t0 + k * 1000;
    next[u] = (next[u] + 1) % conv.size();
    const auto a = std::chrono::steady_clock::now();
    Reply r = rt->Handle(in);
    const auto b = std::chrono::steady_clock::now();
    benchmark::DoNotOptimize(r);
    if (r.messages.empty()) ++empty;
    if (ns.size() < ns.capacity())
      ns.push_back(std::chrono::duration<double, std::nano>(b - a).count());
    ++k;
  }
  // After the timed loop: write the batched log and close the stores.
  if (store::LogStore* log = rt->log_store()) (void)log->writer().Flush();
  rt.reset();
  if (ns.empty()) return;
  std::sort(ns.begin(), ns.end());
  state.counters["p50_us"] = ns[ns.size() / 2] / 1000.0;
  state.counters["p90_us"] = ns[ns.size() * 9 / 10] / 1000.0;
  state.counters["p99_us"] = ns[ns.size() * 99 / 100] / 1000.0;
  state.counters["empty"] = static_cast<double>(empty);
  state.SetLabel(std::to_string(users) + " users, " +
                 (state.range(1) ? "holiday night" : "weekday morning") +
                 ", file-backed state, log on; target: median < 1 ms");
}
BENCHMARK(BM_RuntimeHandle)
    ->Args({10, 0})
    ->Args({10, 1})
    ->Args({200, 0})
    ->Unit(benchmark::kMicrosecond);

}  // namespace
}  // namespace yorisoi::bench

BENCHMARK_MAIN();
