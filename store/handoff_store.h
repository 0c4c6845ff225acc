// Handoffs from the bot to a member of staff (issue 17), and where to reach a
// parent for a staff reply.
//
// A handoff is "waiting" (the parent asked for a person; it is in the
// console's 対応待ち queue), "active" (a member of staff took the
// conversation over: the bot is quiet for that user except for crisis
// messages) or "released" (by staff, by the parent leaving, or by itself
// after its time ran out). A user has at most one open (waiting or active)
// handoff; staff may also take over a user who did not ask.
//
// Contacts: the LINE user id to push a staff reply to, keyed by the
// pseudonymous user id the logs use. Stored encrypted (AES-256-GCM, a
// random key in `<data_dir>/contacts.key`, 0600), never logged, and purged
// with the conversation log's retention.
//
// Thread-safety: every method may be called from any thread (one
// connection behind a mutex). Errors are returned as Status and never
// contain a LINE id.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "core/status.h"

namespace yorisoi::store {

struct Handoff {
  int64_t id = 0;
  std::string user;            // pseudonymous id
  std::string municipality;    // id or "" when unknown
  std::string state;           // "waiting" | "active" | "released"
  bool during_hours = false;   // asked for within staff hours
  bool requested = false;      // the parent asked (false: staff took over unasked)
  int64_t requested_ms = 0;    // asked, or taken over unasked
  int64_t taken_ms = 0;        // 0 until taken over
  std::string taken_by;        // staff name
  int64_t expires_ms = 0;      // active: released by itself at this instant
  int64_t first_reply_ms = 0;  // first staff reply to the parent (0: none yet)
  int64_t released_ms = 0;
  std::string released_by;  // staff name, "timeout" or "user"
};

// Figures for the console's statistics over [from_ms, to_ms] (by requested_ms).
struct HandoffSummary {
  int64_t requested = 0;              // asked for by parents
  int64_t taken_unasked = 0;          // staff took over without a request
  int64_t answered = 0;               // with a staff reply
  int64_t median_first_reply_s = -1;  // request → first staff reply; -1 when none
  std::vector<std::string> users;     // users with a handoff (to count containment)
};

class HandoffStore {
 public:
  virtual ~HandoffStore() = default;

  // Opens a waiting handoff for `user`, or returns the open one (waiting or
  // active) unchanged. `created` (optional) says whether a new one was made.
  virtual Result<Handoff> Request(const std::string& user, const std::string& municipality,
                                  bool during_hours, int64_t now_ms, bool* created = nullptr) = 0;
  // Staff takes `user` over until now + ttl: the open handoff becomes
  // active (a new active one when there is none). Error kAlreadyExists when
  // another member of staff holds it.
  virtual Result<Handoff> TakeOver(const std::string& user, const std::string& staff,
                                   int64_t now_ms, int64_t ttl_ms) = 0;
  // Releases the open handoff of `user`; kNotFound when there is none.
  virtual Result<Handoff> Release(const std::string& user, const std::string& by,
                                  int64_t now_ms) = 0;
  // The open handoff of `user` at now_ms. An active one whose time ran out
  // is released ("timeout") on the way and returned with state "released"
  // and `expired` set, once; after that nullopt.
  struct Current {
    std::optional<Handoff> handoff;
    bool expired = false;
  };
  virtual Result<Current> Find(const std::string& user, int64_t now_ms) = 0;
  // Records a staff reply on the open handoff of `user` (the first sets
  // first_reply_ms). No error when there is none.
  virtual Status RecordStaffReply(const std::string& user, int64_t now_ms) = 0;
  // Newest first; `state` "" = waiting and active, else one state.
  virtual Result<std::vector<Handoff>> List(const std::string& state, int limit) = 0;
  virtual Result<int64_t> CountWaiting() = 0;
  virtual Result<HandoffSummary> Summarize(int64_t from_ms, int64_t to_ms,
                                           const std::string& municipality) = 0;

  // Remembers where to reach `user`. Called for every answered one-to-one
  // message, so it writes only when the contact is new, changed, purged, or
  // last written kContactRefreshMs or more ago (its updated_ms, which
  // retention purges by, then lags by at most that).
  virtual Status SetContact(const std::string& user, const std::string& line_id,
                            int64_t now_ms) = 0;
  static constexpr int64_t kContactRefreshMs = 60LL * 60 * 1000;
  // nullopt when unknown (never wrote in a one-to-one chat, or purged).
  virtual Result<std::optional<std::string>> Contact(const std::string& user) = 0;
  // Drops contacts not updated since `before_ms` and handoffs released
  // before it.
  virtual Status Purge(int64_t before_ms) = 0;
};

// Opens (creating) `<data_dir>/handoff.sqlite` and the key file beside it;
// ":memory:" as data_dir keeps both in memory (tests). Errors name the file.
Result<std::unique_ptr<HandoffStore>> OpenHandoffStore(const std::string& data_dir);

}  // namespace yorisoi::store
