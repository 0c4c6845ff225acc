// Conversation test cases (format: shared/eval/README.md) run through the
// engine: `yorisoi eval FILE.jsonl` and the CTest suite tests/eval share it.
//
// A case's turns are sent as one fresh user at the case's `at` instant; only
// the replies to the last turn are graded. Grading compares after
// normalization (text::Normalize: NFKC with case and kana folding) with
// commas and white space removed on both sides, and with the question itself
// removed from the reply.
#pragma once

#include <string>
#include <vector>

#include "bot/runtime.h"
#include "core/status.h"

namespace yorisoi::bot::eval {

struct Turn {
  enum class Kind { kText, kPostback, kEvent };
  Kind kind = Kind::kText;
  std::string value;  // text, postback data, or event name ("follow")
};

struct Case {
  std::string id;
  std::string file;  // where it came from (for messages)
  int line = 0;
  int64_t at_ms = 0;
  std::vector<Turn> turns;
  std::vector<std::vector<std::string>> expect;  // every group: one alternative present
  std::vector<std::string> forbid;
};

struct CaseResult {
  bool passed = false;
  std::string reply;                   // the graded reply texts, joined
  std::vector<std::string> missing;    // expect groups not met ("a|b")
  std::vector<std::string> forbidden;  // forbid strings found
};

// Reads one JSONL file; errors name the file and line.
Result<std::vector<Case>> LoadCases(const std::string& path);

// Runs one case as user `user` (give each case its own user).
CaseResult RunCase(Runtime& runtime, const Case& c, const std::string& user);

// Grades the reply texts to a case's last turn (joined by newlines), however
// they were obtained: through the engine (RunCase) or through the LINE
// webhook and a fake Messaging API (tests/adapters).
CaseResult Grade(const Case& c, std::string reply);

// The matching form of a text (normalized, commas and white space removed).
std::string MatchForm(const std::string& text);

}  // namespace yorisoi::bot::eval
