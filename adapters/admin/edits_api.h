// Staff console: improving the bot from the review queue (issue 17) — the
// JSON API under /admin/api/edits.
//
// The console registers these endpoints on its Endpoints table under
// "/api/edits" (AddRoutes; endpoints.h authenticates, checks CSRF and
// roles: writes need store::Permission::kEdit, i.e. editor or admin —
// 403 otherwise). Handle() serves the same endpoints for a caller
// authenticated elsewhere: `actor` is the staff name, `can_write` whether
// it may write, `remote` the client address for the audit.
//
// Endpoints (JSON bodies and answers; errors {"error": "<field>: <what>"}):
//   GET  /targets                    {"intents":[{id,label}],"programs":[{id,label}]}
//   GET  /examples[?all=1]           {"items":[Example]}  (all=1: removed ones too)
//   POST /examples                   {"text","target_kind":"intent"|"program","target"}
//                                    → 201 Example
//   POST /examples/{id}/rollback     removes the example → Example
//   GET  /faqs[?all=1]               {"items":[Faq]}
//   POST /faqs                       {"id"?: n (absent or 0 = new), "phrasings": [..] |
//                                     "one per line", "answer", "municipality", "source_name",
//                                     "source_url", "valid_from", "valid_to"} → 201 Faq (new
//                                     version)
//   GET  /faqs/{id}                  Faq with "history" (every version, oldest first)
//   POST /faqs/{id}/rollback         previous version, or removed from version 1 → Faq
//   POST /preview                    {"text", "municipality"?, "at"? (ISO instant),
//                                     "draft_faq"? (as POST /faqs), "draft_faq_id"?,
//                                     "draft_example"? (as POST /examples)}
//                                    → {"texts":[…],"quick_replies":[…],"intent","flow",…}
//                                    (a draft needs the editor or admin role, 403
//                                    otherwise: the one permission that depends on
//                                    the body, so the handler checks it)
// Every write is appended to the admin audit (actor, action, "example:ID" /
// "faq:ID", a detail without personal data) and makes the runtime reload
// its edits (EditsBackend::Reload), so the bot uses them without a restart.
// Example texts are masked (store::MaskPersonalData) before they are kept.
// Unknown paths 404, wrong methods 405 with Allow, like the console.
//
// Without a backend every endpoint answers 503, without its store the
// examples and FAQ endpoints do.
//
// Thread-safety: Handle() and the handlers may run concurrently; they never
// throw.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "adapters/admin/endpoints.h"
#include "adapters/http_types.h"
#include "core/status.h"
#include "store/admin_store.h"
#include "store/edits_store.h"

namespace yorisoi::adapters::admin {

struct EditTargetInfo {
  std::string kind;  // "intent" | "program"
  std::string id;
  std::string label;  // Japanese
};

struct PreviewInput {
  std::string text;
  std::string municipality;  // "" = none
  int64_t at_ms = 0;         // 0 = now
  std::optional<store::FaqContent> draft_faq;
  int64_t draft_faq_id = 0;  // the FAQ the draft replaces (0 = a new one)
  std::optional<store::ExampleInput> draft_example;
};

struct PreviewOutput {
  std::vector<std::string> texts;
  std::vector<std::string> quick_replies;
  std::string intent, flow;
  bool answered = false, fallback = false, crisis = false;
};

// The runtime side, so the console does not depend on bot/ (the app wires
// bot::Runtime to it: app/edits_backend.h).
class EditsBackend {
 public:
  virtual ~EditsBackend() = default;
  // null when the edits database is unavailable (the API answers 503).
  virtual store::EditsStore* store() = 0;
  virtual std::vector<EditTargetInfo> Targets() = 0;
  // InvalidArgument naming the field (unknown target, municipality, …).
  virtual Status CheckExample(const store::ExampleInput& in) = 0;
  virtual Status CheckFaq(const store::FaqContent& c) = 0;
  // What the bot would answer now (nothing logged, no stored state touched).
  virtual Result<PreviewOutput> Preview(const PreviewInput& in) = 0;
  // Makes the bot use the stored edits (asynchronous).
  virtual void Reload() = 0;
};

class EditsApi {
 public:
  // Borrows all three; `clock` gives epoch ms (the app's clock).
  EditsApi(EditsBackend* backend, store::AdminStore* admin, std::function<int64_t()> clock);
  ~EditsApi();

  // Registers the endpoints above with `prefix` before each path
  // ("/api/edits" → "/api/edits/faqs/{id}").
  void AddRoutes(Endpoints& endpoints, const std::string& prefix);

  // `path` is the part after "/admin/api/edits" ("" or "/examples", …;
  // a query string and trailing slashes are ignored); the query is read
  // from req.target().
  Response Handle(std::string_view path, const Request& req, const std::string& actor,
                  bool can_write, const std::string& remote);

 private:
  int64_t Now() const { return clock_ ? clock_() : 0; }
  std::map<std::string, std::string> Labels() const;
  Response Targets(const ApiCall& call);
  Response Preview(const ApiCall& call);
  Response ListExamples(const ApiCall& call);
  Response AddExample(const ApiCall& call);
  Response RollbackExample(const ApiCall& call);
  Response ListFaqs(const ApiCall& call);
  Response SaveFaq(const ApiCall& call);
  Response GetFaq(const ApiCall& call);
  Response RollbackFaq(const ApiCall& call);

  EditsBackend* backend_;
  store::AdminStore* admin_;
  std::function<int64_t()> clock_;
  std::unique_ptr<Endpoints> own_;  // for Handle()
};

}  // namespace yorisoi::adapters::admin
