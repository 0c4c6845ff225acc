// Conversation log store at scale (issue 6, item 5): with 1,000,000 logged
// messages a filtered conversation list page and a text search each answer in
// < 200 ms, and the store grows by a bounded amount per message.
//
// Once per process the benchmark generates a realistic log into a fresh temp
// directory: YORISOI_BENCH_LOG_MESSAGES messages (default 1,000,000) from
// ~20,000 pseudonymous users over 90 days, conversations of 2–12 messages
// (inbound and the bot's reply alternating, as bot/runtime.cpp logs them),
// municipalities kodaira/kunitachi/arida/okayama-shi/kurashiki/"", intents and
// programs from the bot's real ids (児童扶養手当 questions the most frequent),
// Japanese texts from templates with numbers and occasional phone numbers,
// e-mail addresses, postal codes and 12-digit numbers (exercising masking), and
// flags: fallback ~8 %, ambiguous ~3 %, handoff ~1 %, crisis ~0.5 % of turns.
// The generator is deterministic (fixed seed). Generation runs through the
// public Append/Flush path, so it takes a few minutes at the default size; the
// directory is removed at exit (YORISOI_BENCH_LOG_KEEP=1 keeps it and prints
// its path, for inspecting the database with the sqlite3 shell).
//
// Every benchmark reports real time and the counters `messages` (in the store)
// and `bytes_per_msg` ((database file + WAL) / messages). Medians:
//   yorisoi_log_store_bench --benchmark_repetitions=5
//       --benchmark_report_aggregates_only=true
// BM_Append runs last: it appends after the generated period, so it does not
// change what the query benchmarks see.
#include <benchmark/benchmark.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <memory>
#include <random>
#include <string>
#include <string_view>
#include <system_error>
#include <vector>

#include "core/time.h"
#include "store/log_query.h"
#include "store/log_store.h"

namespace yorisoi::bench {
namespace {

namespace fs = std::filesystem;
using store::LogEntry;

constexpr int64_t kMinuteMs = 60LL * 1000;
constexpr int64_t kDayMs = 24 * 60 * kMinuteMs;
constexpr int kUsers = 20000;
constexpr int kDays = 90;
constexpr int64_t kDefaultMessages = 1000000;
constexpr size_t kFlushEvery = 50000;  // the store drops entries beyond 200,000 queued

[[noreturn]] void Die(const std::string& what) {
  std::fprintf(stderr, "log store bench set-up failed: %s\n", what.c_str());
  std::exit(1);
}

// ---------------------------------------------------------------------------
// Vocabulary

struct Municipality {
  const char* id;
  const char* name;    // as parents write it
  const char* window;  // the window the bot refers to
  int weight;          // share of users
};
constexpr std::array<Municipality, 6> kMunicipalities{{
    {"kodaira", "小平市", "子育て支援課 相談支援担当", 24},
    {"kunitachi", "国立市", "子育て支援課 手当・助成係", 22},
    {"arida", "有田市", "こども課 子育て推進係", 9},
    {"okayama-shi", "岡山市", "こども福祉課", 22},
    {"kurashiki", "倉敷市", "子育て支援課", 17},
    {"", "", "お住まいの市区町村の子育て支援の窓口", 6},  // not told yet
}};

struct Program {
  const char* id;
  const char* name;
  int weight;  // share of program conversations
};
constexpr std::array<Program, 16> kPrograms{{
    {"jido_fuyo_teate", "児童扶養手当", 34},
    {"jido_teate", "児童手当", 14},
    {"hitorioya_iryo", "ひとり親家庭医療費助成", 9},
    {"hitorioya_kojo", "ひとり親控除", 6},
    {"boshi_fushi_kafu_shikin", "母子父子寡婦福祉資金", 5},
    {"shugaku_enjo", "就学援助", 5},
    {"kokumin_nenkin_menjo", "国民年金保険料の免除", 4},
    {"koutou_kunren", "高等職業訓練促進給付金", 3},
    {"jiritsu_kyouiku_kunren", "自立支援教育訓練給付金", 3},
    {"tokubetsu_jido_fuyo_teate", "特別児童扶養手当", 3},
    {"jidou_ikusei_teate", "児童育成手当", 3},
    {"ichiji_azukari", "一時預かり", 3},
    {"jr_teiki_waribiki", "JR通勤定期乗車券の割引", 2},
    {"izoku_nenkin", "遺族年金", 2},
    {"kyouiku_loan", "国の教育ローン", 2},
    {"homehelp", "ひとり親家庭ホームヘルプサービス", 2},
}};

struct Template {
  const char* intent;
  int weight;
  std::vector<const char*> in;  // inbound texts
  const char* out;              // the bot's reply
};

// Placeholders: {p} program name, {m} municipality name, {w} window, {n}
// children, {a} a child's age, {y} yearly income (万円), {k} small amount
// (万円), {mo} month, {tel} an office phone number.
const std::vector<Template>& ProgramTemplates() {
  static const std::vector<Template> t = {
      {"program.amount",
       22,
       {"{p}はいくらもらえますか？", "子ども{n}人で{p}は月にいくらになりますか",
        "年収{y}万円、子ども{n}人です。{p}の金額を教えてください",
        "{p}って全額もらえるんでしょうか", "{p}の金額が知りたいです"},
       "{p}の金額は、お子さんの人数と前年の所得によって決まります。「計算」と送っていただくと、"
       "お子さん{n}人の場合の目安を計算できます。正式な金額は{m}{w}で確認できます。"},
      {"program.eligibility",
       12,
       {"離婚調停中でも{p}はもらえますか", "{p}の対象になるか知りたいです",
        "実家で親と同居していても{p}は受けられますか", "子どもが{a}歳ですが{p}の対象ですか"},
       "{p}は、ひとり親家庭などでお子さんを養育している方が対象です。同居しているご家族の所得や"
       "お子さんの年齢によって対象にならない場合があります。くわしい条件は{m}{w}にご相談"
       "ください。"},
      {"program.income_limit",
       12,
       {"{p}の所得制限はいくらですか", "年収{y}万円だと{p}の所得制限にかかりますか",
        "養育費を月{k}万円もらっています。{p}の所得に入りますか"},
       "{p}には所得の制限があり、扶養しているお子さんの人数によって限度額が変わります。"
       "受け取っている養育費の8割が所得に加算されます。年収{y}万円の場合の目安は「計算」で"
       "お調べできます。"},
      {"program.apply",
       10,
       {"{p}の申請方法を教えてください", "{p}はどこで申し込めますか",
        "{p}の手続きはオンラインでできますか"},
       "{p}の申請は{m}{w}で受け付けています。申請した月の翌月分から支給の対象になりますので、"
       "お早めにご相談ください。必要な書類は「書類」と送ると確認できます。"},
      {"program.documents",
       8,
       {"{p}の申請に必要な書類は何ですか", "{p}で戸籍謄本は必要ですか",
        "{p}の書類は何を持って行けばいいですか"},
       "{p}の申請には、戸籍謄本、申請者とお子さんの個人番号が確認できるもの、本人確認書類、"
       "振込先の口座がわかるものなどが必要です。家庭の状況によって追加の書類が必要になる"
       "ことがあります。"},
      {"program.payment_date",
       10,
       {"{p}の支給日はいつですか", "{p}が{mo}月に振り込まれていないのですが",
        "次の{p}の振込はいつですか"},
       "{p}は決められた月に、前の月までの分がまとめて振り込まれます。振込日が土日・祝日の"
       "場合は前の平日になります。{mo}月の振込について気になる場合は{m}{w}にお問い合わせ"
       "ください。"},
      {"program.window",
       6,
       {"{p}の窓口はどこですか", "{m}で{p}の相談ができるところは？"},
       "{p}の窓口は{m}{w}です。電話 {tel}（平日の日中）。窓口に行く前にお電話いただくと"
       "スムーズです。"},
      {"program.overview",
       8,
       {"{p}について教えてください", "{p}ってなんですか", "{p}の制度をざっくり知りたい"},
       "{p}は、ひとり親家庭などの生活の安定と自立を助けるための制度です。金額、対象、申請"
       "方法、支給日について、知りたいことを送ってください。"},
      {"window.phone",
       4,
       {"{m}の子育て支援課の電話番号を教えてください", "ひとり親の相談窓口に電話したいです"},
       "{m}{w}の電話番号は {tel} です。受付は平日の日中です。夜間や休日は、緊急の場合の"
       "相談先をご案内できます。"},
      {"window.hours",
       4,
       {"窓口は何時まで開いていますか", "土曜日も相談できますか", "{p}の窓口の受付時間は？"},
       "{m}{w}の受付は平日の日中です。土日・祝日と年末年始はお休みです。"},
      {"window.open_now",
       3,
       {"今から相談できますか", "今日の夜でも電話できるところはありますか"},
       "いま{m}{w}は受付時間外です。次に開くのは平日の朝です。急ぎのご相談は夜間の相談窓口を"
       "ご案内できますので「夜間」と送ってください。"},
      {"calc",
       6,
       {"子ども{n}人、年収{y}万円で計算してください", "所得{y}万円で{p}の金額を計算して",
        "{p}の計算をお願いします。子どもは{n}人です"},
       "お子さん{n}人、年収{y}万円で計算しました。{p}の目安をお知らせします。実際の金額は"
       "所得の申告内容や控除によって変わりますので、{m}{w}でご確認ください。"},
  };
  return t;
}

// Turns outside a program topic.
const std::vector<Template>& OtherTemplates() {
  static const std::vector<Template> t = {
      {"greeting",
       0,
       {"こんにちは", "はじめまして。相談したいことがあります", "こんばんは",
        "よろしくお願いします"},
       "こんにちは。ひとり親家庭の手当や支援制度についてお答えします。知りたいことを短く"
       "送ってください。"},
      {"thanks",
       0,
       {"ありがとうございました", "わかりました、ありがとう！", "助かりました", "ありがとう"},
       "どういたしまして。ほかにも気になることがあれば、いつでも送ってください。"},
      {"municipality.set",
       0,
       {"{m}に住んでいます", "{m}です", "住まいは{m}です"},
       "{m}ですね。{m}の制度と窓口でご案内します。"},
      {"program.list",
       0,
       {"ひとり親が使える制度を一覧で見たい", "{m}の支援制度を教えて", "どんな手当がありますか"},
       "{m}でひとり親家庭が使える主な制度です。児童扶養手当、児童手当、ひとり親家庭医療費助成、"
       "母子父子寡婦福祉資金など。知りたい制度の名前を送ってください。"},
      {"diagnose",
       0,
       {"使える制度を調べたい", "自分がもらえる手当を知りたいです", "診断してください"},
       "いくつか質問にお答えいただくと、使えそうな制度をご案内します。お子さんは何人ですか？"},
      {"feeling",
       0,
       {"毎日仕事と育児で疲れています", "一人で子育てするのが不安です", "誰にも相談できなくて"},
       "毎日おつかれさまです。お話ししてくださってありがとうございます。{m}{w}では、ひとり親"
       "の方の相談を受け付けています。"},
      {"handoff",
       0,
       {"担当の人と直接話したいです", "職員さんに相談したい", "人と話せますか"},
       "担当の職員に引き継ぎます。{m}{w}から、受付時間内にご連絡します。"},
  };
  return t;
}

// Questions the bot cannot answer (fallback), grouped in the review queue.
constexpr std::array<const char*, 12> kFallbackTexts{
    "近くに子ども食堂はありますか",       "元夫が養育費を払ってくれません",
    "保育園の空き状況を知りたい",         "学童の申し込みはいつからですか",
    "引っ越しの費用の補助はありますか",   "中古の自転車をもらえるところはありますか",
    "子どもの制服のリユースはありますか", "車の税金は安くなりますか",
    "携帯料金の割引はありますか",         "{mo}月の保育料がいくらになるか知りたい",
    "市営住宅の抽選はいつですか",         "家賃を{k}万円くらい補助してもらえますか",
};
// Appears in ~0.02 % of inbound turns: the "rare" search term.
constexpr const char* kRareTerm = "ファイナンシャルプランナー";
constexpr const char* kRareText = "ファイナンシャルプランナーに家計の相談をしたいです";
constexpr std::array<const char*, 6> kAmbiguousTexts{"手当", "申請",         "いくら？",
                                                     "窓口", "給付金のこと", "支給"};
constexpr std::array<const char*, 3> kCrisisTexts{"もう限界です。消えてしまいたい",
                                                  "子どもに手をあげてしまいそうで怖いです",
                                                  "夫から暴力を受けていて逃げたい"};
constexpr const char* kFallbackReply =
    "すみません、そのご質問にはまだお答えできません。{m}{w}にお問い合わせください。"
    "「メニュー」と送ると、お答えできることを表示します。";
constexpr const char* kAmbiguousReply =
    "どちらについて知りたいですか？ 児童扶養手当、児童手当、ひとり親家庭医療費助成の中から"
    "選んでください。";
constexpr const char* kCrisisReply =
    "つらいお気持ちを話してくださって、ありがとうございます。あなたは一人ではありません。"
    "いますぐ話せる相談窓口をご案内します。命の危険があるときは110番・119番に電話して"
    "ください。";

// JST hour weights: parents write after work and at night.
constexpr std::array<int, 24> kHourWeights{3, 2, 1, 1, 1, 2, 4, 5, 5, 6,  6, 6,
                                           8, 6, 5, 5, 5, 5, 6, 7, 9, 10, 9, 6};
// Turns per conversation (1..6, i.e. 2..12 messages).
constexpr std::array<int, 6> kTurnWeights{15, 25, 25, 17, 10, 8};

// ---------------------------------------------------------------------------
// Generator

uint64_t SplitMix(uint64_t x) {
  x += 0x9E3779B97F4A7C15ULL;
  x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9ULL;
  x = (x ^ (x >> 27)) * 0x94D049BB133111EBULL;
  return x ^ (x >> 31);
}

// 64 lowercase hex characters, like adapters/pseudonym.h's HMAC-SHA256 ids.
std::string PseudonymousId(int user) {
  static const char* kHex = "0123456789abcdef";
  std::string id;
  uint64_t x = static_cast<uint64_t>(user) * 4 + 1;
  for (int part = 0; part < 4; ++part) {
    x = SplitMix(x);
    for (int i = 0; i < 16; ++i) id += kHex[(x >> (4 * i)) & 0xF];
  }
  return id;
}

template <size_t N>
std::discrete_distribution<int> Weighted(const std::array<int, N>& w) {
  return std::discrete_distribution<int>(w.begin(), w.end());
}

class Generator {
 public:
  explicit Generator(uint64_t seed)
      : rng_(seed),
        hour_(Weighted(kHourWeights)),
        turns_(Weighted(kTurnWeights)),
        program_(kPrograms.size(), 0, static_cast<double>(kPrograms.size()),
                 [](double i) { return kPrograms[static_cast<size_t>(i)].weight; }),
        intent_(ProgramTemplates().size(), 0, static_cast<double>(ProgramTemplates().size()),
                [](double i) { return ProgramTemplates()[static_cast<size_t>(i)].weight; }) {
    for (int u = 0; u < kUsers; ++u) {
      ids_.push_back(PseudonymousId(u));
      // The user's municipality, stable (derived from the id).
      int r = static_cast<int>(SplitMix(static_cast<uint64_t>(u) + 77) % 100);
      size_t m = 0;
      while (r >= kMunicipalities[m].weight) r -= kMunicipalities[m++].weight;
      muni_.push_back(m);
    }
  }

  // Messages in a conversation: 2..12, even.
  int Messages() { return 2 * (turns_(rng_) + 1); }

  // A conversation start: uniform day in [begin, begin + kDays), weighted hour.
  int64_t StartTime(int64_t begin_ms) {
    const int64_t day = Uniform(0, kDays - 1);
    return begin_ms + day * kDayMs + hour_(rng_) * 60 * kMinuteMs + Uniform(0, 60 * kMinuteMs - 1);
  }

  // Appends one conversation of `messages` messages to `out` (inbound and the
  // reply alternating, the reply logged at the same instant and with the same
  // metadata, as bot/runtime.cpp does).
  void Conversation(int64_t start_ms, int messages, std::vector<LogEntry>& out) {
    const int user = PickUser();
    const Municipality& muni = kMunicipalities[muni_[static_cast<size_t>(user)]];
    const Program& topic = kPrograms[static_cast<size_t>(program_(rng_))];
    const int turns = (messages + 1) / 2;
    int64_t at = start_ms;
    for (int turn = 0; turn < turns; ++turn) {
      Turn t = MakeTurn(turn, turns, muni, topic);
      LogEntry in;
      in.at_ms = at;
      in.user = ids_[static_cast<size_t>(user)];
      in.direction = "in";
      in.text = std::move(t.in_text);
      in.municipality = muni.id;
      in.intent = t.intent;
      in.confidence = t.confidence;
      in.flow = t.flow;
      in.programs = t.programs;
      in.answered = t.answered;
      in.fallback = t.fallback;
      in.ambiguous = t.ambiguous;
      in.handoff = t.handoff;
      in.crisis = t.crisis;
      if (2 * turn + 1 < messages) {
        LogEntry reply = in;
        reply.direction = "out";
        reply.text = std::move(t.out_text);
        out.push_back(std::move(in));
        out.push_back(std::move(reply));
      } else {
        out.push_back(std::move(in));
      }
      at += Uniform(15, 180) * 1000;  // the parent reads and types
    }
  }

 private:
  struct Turn {
    std::string in_text, out_text, intent, flow;
    std::vector<std::string> programs;
    double confidence = 0;
    bool answered = false, fallback = false, ambiguous = false, handoff = false, crisis = false;
  };

  int64_t Uniform(int64_t lo, int64_t hi) {
    return std::uniform_int_distribution<int64_t>(lo, hi)(rng_);
  }
  bool Chance(double p) { return std::uniform_real_distribution<double>(0, 1)(rng_) < p; }
  template <typename C>
  const auto& Pick(const C& c) {
    return c[static_cast<size_t>(Uniform(0, static_cast<int64_t>(c.size()) - 1))];
  }

  // Skewed: a few users write often, most write a few times.
  int PickUser() {
    const double u = std::uniform_real_distribution<double>(0, 1)(rng_);
    return std::min(kUsers - 1, static_cast<int>(kUsers * std::pow(u, 1.6)));
  }

  std::string Digits(int n) {
    std::string s;
    for (int i = 0; i < n; ++i) s += static_cast<char>('0' + Uniform(0, 9));
    return s;
  }

  // ASCII digits and hyphens as their full-width forms (typed on a phone).
  static std::string FullWidth(const std::string& s) {
    std::string out;
    for (char c : s) {
      if (c == '-') {
        out += "－";
      } else {
        const char32_t cp = 0xFF10 + static_cast<char32_t>(c - '0');
        out += static_cast<char>(0xE0 | (cp >> 12));
        out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
        out += static_cast<char>(0x80 | (cp & 0x3F));
      }
    }
    return out;
  }

  std::string Phone() {
    switch (Uniform(0, 4)) {
      case 0:
        return "090-" + Digits(4) + "-" + Digits(4);
      case 1:
        return "080" + Digits(8);
      case 2:
        return FullWidth("070-" + Digits(4) + "-" + Digits(4));
      case 3:
        return "042-" + Digits(3) + "-" + Digits(4);
      default:
        return "(086)" + Digits(3) + "-" + Digits(4);
    }
  }

  // Occasional personal data in what parents write.
  std::string PersonalData() {
    const double r = std::uniform_real_distribution<double>(0, 1)(rng_);
    if (r < 0.020) return "。折り返しは" + Phone() + "にお願いします";
    if (r < 0.026)
      return "。連絡はhanako." + std::to_string(Uniform(1, 999)) + "@example.jp までお願いします";
    if (r < 0.029) return "。住所は〒186-" + Digits(4) + "です";
    if (r < 0.030) return "。マイナンバーは" + Digits(12) + "です";
    return "";
  }

  std::string Fill(std::string_view tmpl, const Municipality& m, const Program& p, int children,
                   int income) {
    std::string out;
    size_t i = 0;
    while (i < tmpl.size()) {
      if (tmpl[i] != '{') {
        out += tmpl[i++];
        continue;
      }
      const size_t close = tmpl.find('}', i);
      const std::string_view key = tmpl.substr(i + 1, close - i - 1);
      i = close + 1;
      if (key == "p") out += p.name;
      if (key == "m") out += m.name;
      if (key == "w") out += m.window;
      if (key == "n") out += std::to_string(children);
      if (key == "a") out += std::to_string(Uniform(0, 17));
      if (key == "y") out += std::to_string(income);
      if (key == "k") out += std::to_string(Uniform(1, 8));
      if (key == "mo") out += std::to_string(Uniform(1, 12));
      if (key == "tel") out += "0" + Digits(2) + "-" + Digits(3) + "-" + Digits(4);
    }
    return out;
  }

  Turn MakeTurn(int turn, int turns, const Municipality& m, const Program& topic) {
    Turn t;
    const int children = static_cast<int>(Uniform(1, 3));
    const int income = static_cast<int>(Uniform(8, 45)) * 10;
    const double r = std::uniform_real_distribution<double>(0, 1)(rng_);
    if (r < 0.005) {
      t.crisis = t.answered = true;
      t.in_text = Pick(kCrisisTexts);
      t.out_text = kCrisisReply;
      t.intent = "feeling";
      t.flow = "safety";
      t.confidence = 0.9;
      return t;
    }
    if (r < 0.015) {
      const Template& h = OtherTemplates()[6];
      t.handoff = t.answered = true;
      t.in_text = Fill(Pick(h.in), m, topic, children, income) + PersonalData();
      t.out_text = Fill(h.out, m, topic, children, income);
      t.intent = "handoff";
      t.flow = "handoff";
      t.confidence = 0.85;
      return t;
    }
    if (r < 0.045) {
      t.ambiguous = true;
      t.in_text = Pick(kAmbiguousTexts);
      t.out_text = kAmbiguousReply;
      t.intent = "program.overview";
      t.flow = "clarify";
      t.confidence = 0.45;
      return t;
    }
    if (r < 0.125) {
      t.fallback = true;
      t.in_text = Chance(0.0025) ? std::string(kRareText)
                                 : Fill(Pick(kFallbackTexts), m, topic, children, income);
      t.in_text += PersonalData();
      t.out_text = Fill(kFallbackReply, m, topic, children, income);
      t.intent = Chance(0.5) ? "out_of_scope" : "";
      t.flow = "fallback";
      t.confidence = 0.1 + 0.3 * std::uniform_real_distribution<double>(0, 1)(rng_);
      return t;
    }
    t.answered = true;
    t.confidence = 0.6 + 0.38 * std::uniform_real_distribution<double>(0, 1)(rng_);
    const Template* tmpl = nullptr;
    const auto& other = OtherTemplates();
    if (turn == 0 && Chance(0.2)) {
      tmpl = &other[0];  // greeting
    } else if (turn == 0 && m.id[0] != '\0' && Chance(0.08)) {
      tmpl = &other[2];  // municipality
    } else if (turn > 0 && turn == turns - 1 && Chance(0.3)) {
      tmpl = &other[1];  // thanks
    } else if (Chance(0.08)) {
      tmpl = &other[static_cast<size_t>(Uniform(3, 5))];  // list, diagnose, feeling
    } else {
      tmpl = &ProgramTemplates()[static_cast<size_t>(intent_(rng_))];
    }
    t.intent = tmpl->intent;
    t.in_text = Fill(Pick(tmpl->in), m, topic, children, income) + PersonalData();
    t.out_text = Fill(tmpl->out, m, topic, children, income);
    const std::string_view intent = t.intent;
    if (intent.starts_with("program.") && intent != "program.list") {
      t.flow = "program";
      t.programs = {topic.id};
    } else if (intent.starts_with("window.")) {
      t.flow = "windows";
    } else if (intent == "calc") {
      t.flow = "calc";
      t.programs = {topic.id};
    } else if (intent == "program.list" || intent == "diagnose") {
      t.flow = intent == "diagnose" ? "diagnose" : "program";
      t.programs = {"jido_fuyo_teate", "jido_teate", "hitorioya_iryo"};
    } else if (intent == "municipality.set") {
      t.flow = "municipality";
    } else if (intent == "feeling") {
      t.flow = "feeling";
    } else {
      t.flow = "housekeeping";
    }
    return t;
  }

  std::mt19937_64 rng_;
  std::discrete_distribution<int> hour_, turns_, program_, intent_;
  std::vector<std::string> ids_;
  std::vector<size_t> muni_;
};

// ---------------------------------------------------------------------------
// The shared data set

int64_t MessagesWanted() {
  const char* v = std::getenv("YORISOI_BENCH_LOG_MESSAGES");
  if (v == nullptr || *v == '\0') return kDefaultMessages;
  char* end = nullptr;
  const long long n = std::strtoll(v, &end, 10);
  if (*end != '\0' || n < 100) Die("YORISOI_BENCH_LOG_MESSAGES must be a number >= 100");
  return n;
}

class Dataset {
 public:
  Dataset() {
    const int64_t wanted = MessagesWanted();
    end_ms_ = FromJst(Date{2026, 12, 1}, 0);  // 90 JST days up to 2026-11-30
    begin_ms_ = end_ms_ - kDays * kDayMs;
    dir_ = fs::temp_directory_path() / ("yorisoi_log_bench_" + std::to_string(::getpid()));
    std::error_code ec;
    fs::remove_all(dir_, ec);
    fs::create_directories(dir_, ec);
    if (ec) Die(dir_.string() + ": " + ec.message());
    db_ = (dir_ / "log.sqlite").string();
    // Retention 0: the generated period is fixed, not relative to today.
    auto s = store::OpenSqliteLogStore(db_, 0, clock_);
    if (!s.ok()) Die(s.status().message());
    store_ = std::move(s).value();
    query_ = &store_->query();
    if (query_ == nullptr) Die("the SQLite log store has no query interface");

    // Conversation sizes first (so that the last one ends exactly at
    // `wanted`), then their start times in order.
    Generator gen(20261201);
    std::vector<int> sizes;
    for (int64_t total = 0; total < wanted;) {
      const int n = static_cast<int>(std::min<int64_t>(gen.Messages(), wanted - total));
      sizes.push_back(n);
      total += n;
    }
    std::vector<int64_t> starts;
    starts.reserve(sizes.size());
    for (size_t i = 0; i < sizes.size(); ++i) starts.push_back(gen.StartTime(begin_ms_));
    std::sort(starts.begin(), starts.end());

    std::fprintf(stderr, "generating %lld messages (%zu conversations) into %s …\n",
                 static_cast<long long>(wanted), sizes.size(), db_.c_str());
    const auto t0 = std::chrono::steady_clock::now();
    std::vector<LogEntry> batch;
    size_t since_flush = 0;
    for (size_t i = 0; i < sizes.size(); ++i) {
      batch.clear();
      gen.Conversation(starts[i], sizes[i], batch);
      for (LogEntry& e : batch) store_->writer().Append(std::move(e));
      messages_ += static_cast<int64_t>(batch.size());
      since_flush += batch.size();
      if (since_flush >= kFlushEvery || i + 1 == sizes.size()) {
        Status st = store_->writer().Flush();
        if (!st.ok()) Die(st.message());
        since_flush = 0;
      }
    }
    const double secs =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    std::fprintf(stderr,
                 "generated %lld messages in %.1f s (%.0f messages/s); db + WAL %.1f MB, "
                 "%.0f bytes/message\n",
                 static_cast<long long>(messages_), secs, messages_ / secs, Bytes() / 1e6,
                 BytesPerMessage());
    next_append_ms_ = end_ms_;
    append_gen_ = std::make_unique<Generator>(1);
  }

  ~Dataset() {
    store_.reset();
    const char* keep = std::getenv("YORISOI_BENCH_LOG_KEEP");
    if (keep != nullptr && std::string(keep) == "1") {
      std::fprintf(stderr, "kept the generated log store: %s\n", db_.c_str());
      return;
    }
    std::error_code ec;
    fs::remove_all(dir_, ec);
  }

  store::LogWriter& Writer() { return store_->writer(); }
  store::LogQuery& Query() { return *query_; }
  int64_t Messages() const { return messages_; }
  int64_t BeginMs() const { return begin_ms_; }
  int64_t EndMs() const { return end_ms_; }

  // Database file + WAL.
  int64_t Bytes() const {
    int64_t total = 0;
    for (const std::string& p : {db_, db_ + "-wal"}) {
      std::error_code ec;
      const auto n = fs::file_size(p, ec);
      if (!ec) total += static_cast<int64_t>(n);
    }
    return total;
  }
  double BytesPerMessage() const { return static_cast<double>(Bytes()) / messages_; }

  // Builds `n` new messages after everything stored so far.
  std::vector<LogEntry> NewMessages(int64_t n) {
    std::vector<LogEntry> out;
    out.reserve(static_cast<size_t>(n) + 12);
    while (static_cast<int64_t>(out.size()) < n) {
      const int size = static_cast<int>(std::min<int64_t>(append_gen_->Messages(), n - out.size()));
      append_gen_->Conversation(next_append_ms_, size, out);
      next_append_ms_ += 2000;
    }
    return out;
  }
  void Added(int64_t n) { messages_ += n; }

 private:
  fs::path dir_;
  FakeClock clock_{FromJst(Date{2026, 12, 1}, 0)};  // unused: retention is off
  std::string db_;
  std::unique_ptr<store::LogStore> store_;
  store::LogQuery* query_ = nullptr;
  int64_t messages_ = 0, begin_ms_ = 0, end_ms_ = 0, next_append_ms_ = 0;
  std::unique_ptr<Generator> append_gen_;
};

Dataset& Data() {
  static Dataset data;
  return data;
}

void Report(benchmark::State& state) {
  Dataset& d = Data();
  state.counters["messages"] = static_cast<double>(d.Messages());
  state.counters["bytes_per_msg"] = d.BytesPerMessage();
}

// The console's "last 7 days" (the last 7 JST days of the generated period).
store::ConversationFilter LastWeek() {
  store::ConversationFilter f;
  f.from_ms = Data().EndMs() - 7 * kDayMs;
  f.to_ms = Data().EndMs() - 1;
  return f;
}

store::ConversationPage List(const store::ConversationFilter& f) {
  auto r = Data().Query().ListConversations(f);
  if (!r.ok()) Die(r.status().message());
  return std::move(r).value();
}

// Runs `f` (its last page when `last_page`) and reports the matches.
void RunList(benchmark::State& state, store::ConversationFilter f, bool last_page) {
  if (last_page) {
    const int64_t total = List(f).total;
    f.page = static_cast<int>(std::max<int64_t>(1, (total + f.page_size - 1) / f.page_size));
  }
  int64_t total = 0;
  size_t items = 0;
  for (auto _ : state) {
    store::ConversationPage page = List(f);
    total = page.total;
    items = page.items.size();
    benchmark::DoNotOptimize(page);
  }
  Report(state);
  state.counters["matches"] = static_cast<double>(total);
  state.counters["page"] = f.page;
  state.counters["items"] = static_cast<double>(items);
}

// ---------------------------------------------------------------------------
// Benchmarks

// (a) The staff's typical list: 国立市, one intent, the last 7 days, 50 per
// page. Arg 0 = page 1, 1 = the last page. Target < 200 ms.
void BM_ListFiltered(benchmark::State& state) {
  store::ConversationFilter f = LastWeek();
  f.municipality = "kunitachi";
  f.intent = "program.amount";
  RunList(state, f, state.range(0) == 1);
  state.SetLabel("kunitachi + program.amount + 7 days; target < 200 ms");
}
BENCHMARK(BM_ListFiltered)->Arg(0)->Arg(1)->Unit(benchmark::kMillisecond)->UseRealTime();

// Wider lists: one municipality over the whole 90 days (arg 1: its last page,
// the deepest OFFSET), and the fallback flag over 7 days.
void BM_ListMunicipality90Days(benchmark::State& state) {
  store::ConversationFilter f;
  f.from_ms = Data().BeginMs();
  f.to_ms = Data().EndMs() - 1;
  f.municipality = "kunitachi";
  RunList(state, f, state.range(0) == 1);
  state.SetLabel("kunitachi, 90 days");
}
BENCHMARK(BM_ListMunicipality90Days)->Arg(0)->Arg(1)->Unit(benchmark::kMillisecond)->UseRealTime();

void BM_ListFallback7Days(benchmark::State& state) {
  store::ConversationFilter f = LastWeek();
  f.flag = "fallback";
  RunList(state, f, state.range(0) == 1);
  state.SetLabel("flag=fallback, 7 days");
}
BENCHMARK(BM_ListFallback7Days)->Arg(0)->Arg(1)->Unit(benchmark::kMillisecond)->UseRealTime();

// (b) Text search, page 1. Target < 200 ms.
//   0: 児童扶養手当 over all 90 days (the most frequent program: worst case)
//   1: 児童扶養手当 + 国立市 + the last 7 days (the "done when" search)
//   2: a rare term (~0.02 % of inbound turns)
//   3: a two-character term (expanded through the trigram vocabulary)
void BM_Search(benchmark::State& state) {
  store::ConversationFilter f;
  std::string label;
  switch (state.range(0)) {
    case 0:
      f.q = "児童扶養手当";
      label = "児童扶養手当, 90 days";
      break;
    case 1:
      f = LastWeek();
      f.municipality = "kunitachi";
      f.q = "児童扶養手当";
      label = "児童扶養手当 + kunitachi + 7 days";
      break;
    case 2:
      f.q = kRareTerm;
      label = std::string(kRareTerm) + " (rare), 90 days";
      break;
    default:
      f.q = "保育";
      label = "保育 (2 characters), 90 days";
      break;
  }
  RunList(state, f, false);
  state.SetLabel(label + "; target < 200 ms");
}
BENCHMARK(BM_Search)->DenseRange(0, 3)->Unit(benchmark::kMillisecond)->UseRealTime();

// (c) Statistics for the last 7 days (all municipalities, arg 0; 国立市, arg 1).
void BM_Stats7Days(benchmark::State& state) {
  const std::string muni = state.range(0) ? "kunitachi" : "";
  int64_t messages = 0;
  for (auto _ : state) {
    auto r = Data().Query().Stats(Data().EndMs() - 7 * kDayMs, Data().EndMs() - 1, muni);
    if (!r.ok()) Die(r.status().message());
    messages = 0;
    for (const store::DayStats& d : *r) messages += d.messages;
    benchmark::DoNotOptimize(r);
  }
  Report(state);
  state.counters["week_messages"] = static_cast<double>(messages);
  state.SetLabel(muni.empty() ? "all municipalities" : "kunitachi");
}
BENCHMARK(BM_Stats7Days)->Arg(0)->Arg(1)->Unit(benchmark::kMillisecond)->UseRealTime();

// Opening one conversation (the transcript view) and the review queue.
void BM_GetConversation(benchmark::State& state) {
  std::vector<int64_t> ids;
  for (const auto& s : List(LastWeek()).items) ids.push_back(s.id);
  size_t i = 0;
  for (auto _ : state) {
    auto r = Data().Query().GetConversation(ids[i++ % ids.size()]);
    if (!r.ok() || !r->has_value()) Die("conversation not found");
    benchmark::DoNotOptimize(r);
  }
  Report(state);
}
BENCHMARK(BM_GetConversation)->Unit(benchmark::kMillisecond)->UseRealTime();

void BM_ReviewPending(benchmark::State& state) {
  int64_t groups = 0;
  for (auto _ : state) {
    auto r = Data().Query().ListReview("pending", 1, 50);
    if (!r.ok()) Die(r.status().message());
    groups = r->total;
    benchmark::DoNotOptimize(r);
  }
  Report(state);
  state.counters["groups"] = static_cast<double>(groups);
}
BENCHMARK(BM_ReviewPending)->Unit(benchmark::kMillisecond)->UseRealTime();

// (d) Append throughput into the full store: 5,000 new messages per
// iteration, Append + Flush (items_per_second = messages/s). growth_per_msg is
// the increase of database + WAL over all iterations / messages appended.
void BM_Append(benchmark::State& state) {
  constexpr int64_t kBatch = 5000;
  Dataset& d = Data();
  const int64_t before = d.Bytes();
  int64_t appended = 0;
  for (auto _ : state) {
    state.PauseTiming();
    std::vector<LogEntry> batch = d.NewMessages(kBatch);
    state.ResumeTiming();
    for (LogEntry& e : batch) d.Writer().Append(std::move(e));
    Status st = d.Writer().Flush();
    if (!st.ok()) Die(st.message());
    appended += kBatch;
  }
  d.Added(appended);
  state.SetItemsProcessed(appended);
  Report(state);
  state.counters["growth_per_msg"] = static_cast<double>(d.Bytes() - before) / appended;
}
BENCHMARK(BM_Append)->Unit(benchmark::kMillisecond)->UseRealTime();

}  // namespace
}  // namespace yorisoi::bench

BENCHMARK_MAIN();
