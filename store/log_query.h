// Read side of the conversation log (staff console): conversation list with
// filters, paging and excerpts, one conversation's transcript, the review
// queue, tags, per-day statistics and export rows.
//
// What a "conversation" is: the messages of one (pseudonymous) user in which
// no two consecutive messages are more than kConversationGapMs (30 minutes)
// apart. A message arriving after 30 minutes of silence starts a new
// conversation. The writer assigns conversation ids as messages arrive, so
// ids grow with time.
//
// Review queue: inbound messages flagged fallback or ambiguous are grouped by
// ReviewKey(text) (width/case folded, spaces and trailing punctuation
// removed). A group is "pending", "resolved" or "ignored" and carries a note.
//
// Days are JST calendar days (the Asia/Tokyo zone, core/time.h). All texts
// returned here are already masked (store/masking.h).
//
// Thread-safety: every method may be called from any thread. Reads run on a
// pool of read-only connections (one per concurrent caller); writes (tags,
// review status) are executed by the store's writer thread and are visible
// when the call returns. Errors are returned as Status (InvalidArgument for
// a bad argument, IOError for a database failure, Unavailable after the
// store is closed); their messages never contain logged text. Ownership:
// belongs to the LogStore that hands it out (store/log_store.h).
#pragma once

#include <cstdint>
#include <functional>
#include <limits>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "core/status.h"

namespace yorisoi::store {

inline constexpr int64_t kConversationGapMs = 30LL * 60 * 1000;

// Message flag bits (LogEntry's booleans).
inline constexpr uint32_t kFlagAnswered = 1;
inline constexpr uint32_t kFlagFallback = 2;
inline constexpr uint32_t kFlagAmbiguous = 4;
inline constexpr uint32_t kFlagHandoff = 8;
inline constexpr uint32_t kFlagCrisis = 16;
// "answered", "fallback", "ambiguous", "handoff", "crisis" → bit; 0 if unknown.
uint32_t FlagFromName(const std::string& name);
// Names of the bits set in `flags`, in the order above.
std::vector<std::string> FlagNames(uint32_t flags);

// The grouping key of the review queue. Pure, thread-safe.
std::string ReviewKey(const std::string& masked_text);

struct ConversationFilter {
  int64_t from_ms = 0;                                  // conversations active at/after
  int64_t to_ms = std::numeric_limits<int64_t>::max();  // … and at/before
  std::string municipality;                             // exact id, "" = any
  std::string intent;                                   // some message has this intent, "" = any
  std::string program;  // some message mentions this program id, "" = any
  std::string tag;      // has this staff tag, "" = any
  // "" = any; a flag name (some message has it); "unreviewed" / "reviewed".
  std::string flag;
  std::string q;       // substring of some message's (masked) text
  int page = 1;        // 1-based
  int page_size = 50;  // 1..200
};

struct ConversationSummary {
  int64_t id = 0;
  std::string user;  // pseudonymous id
  int64_t started_ms = 0, last_ms = 0;
  std::string municipality;  // last non-empty municipality seen
  uint32_t flags = 0;        // OR of the messages' flags
  int64_t inbound = 0, outbound = 0;
  std::vector<std::string> intents;  // distinct intents of its messages
  std::vector<std::string> tags;
  std::string reviewed_by;  // "" = not reviewed
  int64_t reviewed_ms = 0;
  // Matching messages' texts when filtering by q, else the first inbound
  // message; each cut to ~80 characters.
  std::vector<std::string> excerpts;
};

struct ConversationPage {
  int64_t total = 0;  // conversations matching the filter
  int page = 1, page_size = 50;
  std::vector<ConversationSummary> items;  // newest (last message) first
};

struct StoredMessage {
  int64_t id = 0;
  int64_t conversation = 0;
  int64_t at_ms = 0;
  std::string direction;  // "in" | "out"
  std::string text;       // masked
  std::string municipality, intent;
  double confidence = 0;
  std::string flow;
  std::vector<std::string> programs;
  uint32_t flags = 0;
};

struct Conversation {
  ConversationSummary summary;
  std::vector<StoredMessage> messages;  // oldest first
};

struct ReviewGroup {
  int64_t id = 0;
  std::string key;           // ReviewKey
  std::string sample;        // the latest message text of the group (masked)
  std::string municipality;  // of the latest message
  uint32_t kinds = 0;        // kFlagFallback | kFlagAmbiguous seen
  int64_t count = 0, first_ms = 0, last_ms = 0;
  std::string status;  // "pending" | "resolved" | "ignored"
  std::string note, updated_by;
  int64_t updated_ms = 0;
  int64_t count_since_update = 0;      // occurrences after updated_ms
  std::vector<int64_t> conversations;  // up to 5, newest first
};

struct ReviewPage {
  int64_t total = 0;
  int page = 1, page_size = 50;
  std::vector<ReviewGroup> items;  // most recent occurrence first
};

struct DayStats {
  std::string date;           // JST "YYYY-MM-DD"
  int64_t users = 0;          // distinct users who wrote that day
  int64_t conversations = 0;  // conversations started that day
  int64_t messages = 0, inbound = 0, outbound = 0;
  // Inbound messages with each flag (the bot runtime logs a turn's flags on
  // both its inbound and outbound entries; each turn counts once).
  int64_t answered = 0, fallbacks = 0, ambiguous = 0, handoffs = 0, crisis = 0;
  double fallback_rate = 0;  // fallbacks / inbound (0 when no inbound)
  // Up to 5 each, by the number of that day's conversations in which the
  // intent / program came up (in either direction).
  std::vector<std::pair<std::string, int64_t>> top_intents;
  std::vector<std::pair<std::string, int64_t>> top_programs;
};

// What the console's statistics screen needs beyond the daily counts.
struct Insights {
  int64_t conversations = 0;  // conversations active in the range
  // … of which some message was a handoff (asked for a person, or answered
  // by staff): containment = 1 - with_handoff / conversations.
  int64_t with_handoff = 0;
  int64_t inbound = 0, fallbacks = 0;
  // Unanswered (fallback or ambiguous) questions by review group, per JST
  // week (its Monday) and municipality: the 5 most frequent of each.
  struct Topic {
    std::string week;          // "YYYY-MM-DD", the Monday
    std::string municipality;  // id or ""
    int64_t review = 0;        // review group id
    std::string sample;        // masked
    int64_t count = 0;
  };
  std::vector<Topic> topics;  // by week, municipality, count (desc)
};

struct ExportRow {
  StoredMessage message;
  std::string user;
};

class LogQuery {
 public:
  virtual ~LogQuery() = default;

  // Error: bad filter (unknown flag, page < 1) or database failure.
  virtual Result<ConversationPage> ListConversations(const ConversationFilter& filter) = 0;
  // nullopt when no such conversation (or it was deleted by retention).
  virtual Result<std::optional<Conversation>> GetConversation(int64_t id) = 0;
  // Replaces the staff tags; `reviewed` marks (true) or unmarks (false) the
  // conversation as reviewed by `actor`. false when no such conversation.
  virtual Result<bool> SetConversationTags(int64_t id, const std::vector<std::string>& tags,
                                           std::optional<bool> reviewed, const std::string& actor,
                                           int64_t now_ms) = 0;

  // `status` "" = all, else one of pending/resolved/ignored.
  virtual Result<ReviewPage> ListReview(const std::string& status, int page, int page_size) = 0;
  // Sets status (pending/resolved/ignored) and note. false when no such group.
  virtual Result<bool> UpdateReview(int64_t id, const std::string& status, const std::string& note,
                                    const std::string& actor, int64_t now_ms) = 0;

  // One entry per JST day in [from_ms, to_ms] (inclusive; days without
  // messages included with zeros). `municipality` "" = all. At most 400 days.
  virtual Result<std::vector<DayStats>> Stats(int64_t from_ms, int64_t to_ms,
                                              const std::string& municipality) = 0;

  // Over [from_ms, to_ms] (at most 400 days); `municipality` "" = all.
  virtual Result<Insights> ComputeInsights(int64_t from_ms, int64_t to_ms,
                                           const std::string& municipality) = 0;
  // The newest conversation of a (pseudonymous) user; nullopt when none.
  virtual Result<std::optional<int64_t>> LatestConversationOf(const std::string& user) = 0;

  // Calls `row` for every message in [from_ms, to_ms], oldest first. Stops
  // (returning the error) when `row` returns false.
  virtual Status Export(int64_t from_ms, int64_t to_ms,
                        const std::function<bool(const ExportRow&)>& row) = 0;

  // Distinct values seen, for the console's filter menus.
  struct Facets {
    std::vector<std::string> municipalities, intents, programs, tags;
  };
  virtual Result<Facets> ListFacets() = 0;
};

}  // namespace yorisoi::store
