// Per-user conversation state (Rasa's "tracker"), stored as JSON text in the
// state store between messages. Plain value; FromJson() never throws (a
// broken or foreign document gives a fresh tracker).
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

namespace yorisoi::dialogs {

// Slots of the calculation dialog. Absent = not given yet.
struct CalcSlots {
  std::optional<int> child_count;
  std::vector<int> child_ages;             // as given (may be fewer than the count)
  std::optional<long long> salary;         // 給与収入 yen/year
  std::optional<long long> income;         // 所得 yen/year (given directly)
  std::optional<long long> child_support;  // 養育費 yen/year
  std::optional<long long> rent;           // 家賃 yen/month (国立市 住宅費助成)
  bool ages_skipped = false;               // the user did not want to give ages
  bool take_home = false;                  // the salary given was 手取り (after tax)
  std::string program;                     // calculator id asked about ("" = all)
};

// A question the bot asked and is waiting for.
struct Pending {
  std::string kind;    // "municipality" | "program" | "intent" | "calc" | "diagnose"
  std::string intent;  // the intent to answer once the question is settled
  std::string program;
  std::string window;
  std::string slot;                  // calc: which slot was asked; diagnose: question id
  std::vector<std::string> options;  // ids offered (programs, intents)
};

struct Tracker {
  std::string municipality;  // remembered municipality id ("" = unknown)
  std::string prefecture;    // when only a prefecture was given
  // A place the user lives in that the knowledge base does not cover
  // ("札幌市"); "" when none. Cleared when a known region is named.
  std::string other_place;
  std::string flow;          // "" | "calc" | "diagnose"
  std::optional<Pending> pending;
  CalcSlots calc;
  std::map<std::string, bool> diagnose;  // question id → answer
  std::string last_program;              // the program talked about last (follow-up questions)
  std::string last_window;
  std::string last_intent;
  int turns = 0;
  int misses = 0;  // consecutive fallbacks (two offer a person)

  std::string ToJson() const;
  static Tracker FromJson(const std::string& json);
  // Forget the conversation but keep nothing else ("最初から").
  void Reset() { *this = Tracker(); }
  void EndFlow() {
    flow.clear();
    pending.reset();
    calc = CalcSlots();
    diagnose.clear();
  }
};

}  // namespace yorisoi::dialogs
