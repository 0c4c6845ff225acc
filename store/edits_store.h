// Editors' improvements from the review queue (issue 17): phrasings added as
// examples of an intent or a program, and the city's FAQ answers.
//
// Kept in SQLite (data_dir/edits.sqlite, WAL) with authors, versions and an
// audit trail of its own:
//   - an example is added once and can be removed (its rollback); removed
//     examples stay listed with who removed them and when;
//   - every save of a FAQ makes a new version (1, 2, …); rollback makes the
//     version before the active one active again, or removes the FAQ when
//     the active one is its first; versions are never deleted, so the
//     history shows every text that was ever live;
//   - every change appends an EditAudit row (actor, action, kind, id,
//     version) in the same transaction.
// The store checks the shape of what it is given (errors name the field:
// "valid_to: before valid_from"); whether an intent or program id exists is
// the caller's check (the store knows no understanding).
//
// Thread-safety: every method may be called from any thread (one connection
// behind a mutex). Errors are returned as Status, never thrown.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "core/status.h"

namespace yorisoi::store {

inline std::string EditsStorePath(const std::string& data_dir) {
  return data_dir + "/edits.sqlite";
}

// What an editor submits as an example.
struct ExampleInput {
  std::string text;         // the phrasing, as the parent wrote it (1–500 characters)
  std::string target_kind;  // "intent" | "program"
  std::string target;       // intent id ("program.payment_date") or program id
};

struct Example {
  int64_t id = 0;
  ExampleInput input;
  std::string author;
  int64_t created_ms = 0;
  bool active = true;
  std::string removed_by;  // "" while active
  int64_t removed_ms = 0;
};

// One version of a FAQ answer.
struct FaqContent {
  std::vector<std::string> phrasings;  // 1–20 questions it answers, each 1–200 characters
  std::string answer;                  // 1–2000 characters
  std::string municipality;            // municipality id; "" = everywhere
  std::string source_name;             // who says so ("小平市 子育て支援課"), required
  std::string source_url;              // "" or http(s)://…
  std::string valid_from;              // "YYYY-MM-DD" (JST day, inclusive), required
  std::string valid_to;                // "YYYY-MM-DD" (inclusive) or "" = open-ended
};

struct FaqVersion {
  int version = 0;
  FaqContent content;
  std::string author;
  int64_t saved_ms = 0;
};

struct Faq {
  int64_t id = 0;
  int active_version = 0;  // 0 = removed (rolled back past its first version)
  FaqContent content;      // the active version's (the latest one's when removed)
  std::string created_by;
  int64_t created_ms = 0;
  std::string updated_by;
  int64_t updated_ms = 0;
  std::vector<FaqVersion> history;  // oldest first; filled by GetFaq only
};

struct EditAudit {
  int64_t id = 0;
  int64_t at_ms = 0;
  std::string actor;
  std::string action;  // "add_example", "remove_example", "save_faq", "rollback_faq", "remove_faq"
  std::string kind;    // "example" | "faq"
  int64_t target_id = 0;
  int version = 0;  // FAQ version made active (0: none / removed)
};

// Shape checks shared with the console (messages name the field).
Status ValidateExample(const ExampleInput& in);
Status ValidateFaq(const FaqContent& c);

class EditsStore {
 public:
  // Opens (creating) the database; ":memory:" for tests and in-memory runtimes.
  static Result<std::unique_ptr<EditsStore>> Open(const std::string& path);
  virtual ~EditsStore() = default;

  virtual Result<Example> AddExample(const ExampleInput& in, const std::string& author,
                                     int64_t now_ms) = 0;
  // Removes an active example. NotFound when there is no such example;
  // InvalidArgument when it is already removed.
  virtual Result<Example> RemoveExample(int64_t id, const std::string& author, int64_t now_ms) = 0;
  virtual Result<std::vector<Example>> ListExamples(bool include_removed) = 0;

  // id 0: a new FAQ (version 1); otherwise a new version of FAQ `id`
  // (NotFound when unknown; saving a removed FAQ makes it live again).
  virtual Result<Faq> SaveFaq(int64_t id, const FaqContent& content, const std::string& author,
                              int64_t now_ms) = 0;
  // The version before the active one becomes active; from version 1 the
  // FAQ is removed. NotFound when unknown; InvalidArgument when removed.
  virtual Result<Faq> RollbackFaq(int64_t id, const std::string& author, int64_t now_ms) = 0;
  // With its history; nullopt when unknown.
  virtual Result<std::optional<Faq>> GetFaq(int64_t id) = 0;
  // Newest first, without history.
  virtual Result<std::vector<Faq>> ListFaqs(bool include_removed) = 0;

  // Newest first; entries with id < before_id (0 = from the newest).
  virtual Result<std::vector<EditAudit>> ListAudit(int64_t before_id, int limit) = 0;
};

// Writes the active edits in the repository's formats, for review into it:
//   DIR/train/edits.jsonl   intent examples, text/data/train/hand.jsonl fields
//                           ({"text","intent","source":"edit","split":"train"})
//   DIR/knowledge/edits.json  {"faqs":[…], "program_examples":[…]}
//                           (format in knowledge/data/README.md)
// Creates the directories; returns how many examples and FAQs were written.
struct ExportCounts {
  int intent_examples = 0;
  int program_examples = 0;
  int faqs = 0;
};
Result<ExportCounts> ExportEdits(EditsStore& store, const std::string& dir);

}  // namespace yorisoi::store
