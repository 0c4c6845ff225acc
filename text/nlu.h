// Japanese understanding: normalization + keyword intents + entities.
// Knows nothing of the knowledge base: the caller passes the lexicons
// (municipalities, programs) as plain data. Thread-safe after construction.
#pragma once

#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/status.h"
#include "core/time.h"

namespace yorisoi::text {

// NFKC + case folding; one long-vowel mark "ー" for ー/ｰ/－/〜 variants and
// runs; hyphen/tilde variants unified; spaces between Japanese words removed;
// katakana folded to hiragana (ー kept). Pure, thread-safe.
std::string Normalize(std::string_view utf8);

struct Scored {
  std::string id;
  double score = 0;
};

// Money amounts found in text, in yen.
struct Money {
  // kAsked: an amount the parent asks about (「6000円ですか」「3万円ってもらえる？」),
  // never an income.
  enum class Kind { kUnknown, kSalary, kIncome, kChildSupport, kRent, kCourseFee, kAsked };
  enum class Period { kUnknown, kYear, kMonth };
  Kind kind = Kind::kUnknown;
  Period period = Period::kUnknown;
  long long yen = 0;
};

struct Entities {
  std::vector<Money> money;
  std::optional<int> child_count;     // 子ども2人 / 二人 / ふたり
  std::vector<int> child_ages;        // 3歳, 小3 → 8, 中学生 → 13, 高校生 → 16
  std::optional<Date> date;           // 今日/明日/土曜 resolved against `today`
  std::optional<int> number;          // a bare number ("2", "２人" when nothing else)
  bool yes = false;                   // はい/うん/そう
  bool no = false;                    // いいえ/いない/ない
  std::optional<int> years_received;  // 「受給して5年」: years the allowance has been received
};

// What the parent asks about time, resolved against the message timestamp.
struct TimeQuery {
  enum class Kind {
    kNone,
    kNow,        // 今, 今から, 今日電話つながる？
    kUntilWhen,  // 何時まで
    kNext,       // 次はいつ, 次の月曜
    kOnDate,     // 明日, 年末, 12月28日
  };
  Kind kind = Kind::kNone;
  int64_t at_ms = 0;  // the instant asked about (JST-based epoch ms); 0 for kNone
};

struct Understanding {
  std::string raw;
  std::string normalized;
  std::string intent;                     // best intent id, "" when nothing matched
  double confidence = 0;                  // 0..1
  std::vector<Scored> intents;            // best first
  bool ambiguous = false;                 // top two intents too close to choose
  std::vector<std::string> crisis_kinds;  // "suicide", "dv", "abuse", "danger"; non-empty = crisis
  std::vector<std::string> municipalities;  // municipality ids mentioned, best first
  std::vector<std::string> prefectures;     // prefecture ids mentioned
  std::vector<Scored> programs;             // program ids mentioned, best first
  bool programs_ambiguous = false;          // top two programs too close to choose
  std::vector<std::string> categories;      // categories mentioned (医療, 住まい, …)
  Entities entities;
  TimeQuery time;
  // A place the parent names that is not in the lexicon ("札幌市", "大阪府"),
  // any name ending in 都/道/府/県/市/区/町/村; "" when none.
  std::string unknown_place;
  // The language the message is written in: "ja", "romaji" or "en".
  std::string language = "ja";
};

struct LexiconEntry {
  std::string id;
  std::vector<std::string> names;  // surface forms (normalized internally)
  double weight = 1.0;
  std::string group;  // e.g. prefecture id, program category
};

struct Lexicon {
  std::vector<LexiconEntry> municipalities;
  std::vector<LexiconEntry> prefectures;
  std::vector<LexiconEntry> programs;
};

// What `yorisoi eval --nlu` reports: the question-type classifier on the
// held-out part of text/data/train/, cross-validation on the training part, and
// the crisis cases (every class in ja/romaji/en).
struct NluEvaluation {
  struct PerIntent {
    std::string intent;
    int total = 0;
    int correct = 0;
  };
  std::vector<PerIntent> per_intent;  // held-out, by intent id
  int heldout_total = 0;
  int heldout_correct = 0;
  int heldout_hand_total = 0;  // the hand-written part of the held-out set
  int heldout_hand_correct = 0;
  struct Confusion {
    std::string expected;
    std::string got;  // "" = no intent (fallback)
    int count = 0;
    std::vector<std::string> examples;
  };
  std::vector<Confusion> confusions;  // most frequent first
  struct FileScore {
    std::string file;  // train/FILE.jsonl
    int total = 0;
    int correct = 0;
  };
  std::vector<FileScore> heldout_by_file;  // the held-out part by corpus file
  // Cross-validation on the training part only (tune against these, never
  // the held-out figures): each fold's messages go through the whole
  // decision (crisis, keywords, rules and the fold's model), like Understand.
  std::vector<double> cv_folds;  // accuracy of each fold
  double cv_mean = 0;
  double cv_hand = 0;   // … on the hand-written messages only
  double cv_model = 0;  // the fold models alone (top class at min_probability)
  std::vector<PerIntent> cv_per_intent;
  std::vector<Confusion> cv_confusions;    // most frequent first
  std::map<std::string, int> corpus_size;  // examples per intent (both splits)
  int train_size = 0;
  struct CrisisRow {
    std::string text, language, kind;
    std::string got_language;
    std::vector<std::string> got;
    bool ok = false;
  };
  std::vector<CrisisRow> crisis;
};

// A phrasing an editor added from the review queue (kept by
// store/edits_store.h). With `intent`, it joins the question-type
// classifier's training corpus (weighing kEditWeight corpus examples); with
// `program`, a message whose canonical text is close to it
// (TextSimilarity >= kCloseMatch) is read as naming that program, first
// among the programs found.
struct ExtraExample {
  std::string text;
  std::string intent;   // an intent id of intents.json, or ""
  std::string program;  // a program id of the lexicon, or ""
};
inline constexpr int kEditWeight = 3;

// How alike two texts are, 0..1: the Dice coefficient of their character
// bigrams after removing punctuation and spaces (one character: equality).
// Callers compare canonical text (Nlu::Canonical). Pure, thread-safe.
double TextSimilarity(std::string_view a, std::string_view b);
// Texts at least this similar are "the same question" (FAQ phrasings,
// program examples).
inline constexpr double kCloseMatch = 0.75;

class Nlu {
 public:
  // `data_dir` holds intents.json and synonyms.json (text/data) and, when
  // present, the labelled corpus train/*.jsonl: the question-type classifier
  // is trained from its training split here (deterministic, well under a
  // second). Errors name the file and field (or line).
  static Result<std::unique_ptr<Nlu>> Create(const std::string& data_dir, const Lexicon& lexicon);
  // The same, plus the editors' examples (see ExtraExample). Each needs a
  // text and exactly one of a known intent or a lexicon program; errors name
  // it ("extra[2].intent: unknown intent 'x'"). Deterministic: the same
  // files and examples give the same model. With `model_cache_dir`, the
  // trained classifier is kept there (a file named by the SHA-256 of its
  // training data and settings) and loaded instead of trained at the next
  // start with the same data; a cache that cannot be used only costs the
  // training.
  static Result<std::unique_ptr<Nlu>> Create(const std::string& data_dir, const Lexicon& lexicon,
                                             const std::vector<ExtraExample>& extra,
                                             const std::string& model_cache_dir = "");
  ~Nlu();
  // `now_ms`: the message timestamp (epoch ms); time questions
  // (Understanding.time) are resolved against it. The first overload takes
  // noon JST of `today` as the message time.
  Understanding Understand(std::string_view text, const Date& today) const;
  Understanding Understand(std::string_view text, const Date& today, int64_t now_ms) const;
  // Held-out accuracy, confusions, `folds`-fold cross-validation and the
  // crisis cases; an error when the data directory has no corpus.
  Result<NluEvaluation> Evaluate(int folds = 5) const;
  // Normalize() + synonym canonicalization (シンママ → ひとり親 …).
  std::string Canonical(std::string_view text) const;
  // The intent ids of intents.json, in file order.
  std::vector<std::string> IntentIds() const;

 private:
  Nlu();
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace yorisoi::text
