// Conversation log store (staff console). Every inbound and outbound message
// with time, pseudonymous user id, municipality, intent/confidence, flow and
// flags. Text is masked (phone numbers, e-mail, 12-digit マイナンバー-like
// numbers, postal codes, card-like numbers) BEFORE it is stored.
//
// Thread-safety: Append() may be called from any thread; it queues and a
// background writer commits in batches, gathering entries for up to 10 ms (so
// the answering path is not slowed and a burst costs one commit, not one per
// message); Flush() does not wait for the gathering.
// Queries are thread-safe. Implemented with SQLite (WAL) in log_store.cpp;
// another database can replace it behind this interface.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "core/status.h"
#include "core/time.h"

namespace yorisoi::store {

struct LogEntry {
  int64_t at_ms = 0;         // event time (UTC epoch ms)
  std::string user;          // pseudonymous id
  std::string direction;     // "in" | "out"
  std::string text;          // raw text; masked by the store before writing
  std::string municipality;  // id or ""
  std::string intent;
  double confidence = 0;
  std::string flow;
  std::vector<std::string> programs;
  bool answered = false, fallback = false, ambiguous = false, handoff = false, crisis = false;
  // A member of staff wrote it (a reply in the console): masked like a
  // user's words, and it continues the user's latest conversation however
  // long ago that was (staff answer hours later).
  bool staff = false;
};

// Masks personal data in what a user wrote (store/masking.cpp): phone
// numbers "090-1234-5678" → "090-****-5678" (also spaced "090 - 1234 -
// 5678", full-width and kanji digits 〇九〇ー一二三四…), e-mail (also
// full-width) → "***@***", 12-digit numbers (マイナンバー), postal codes
// "〒123-4567" → "〒***-****", 13–16 digit card-like numbers, numbers after
// 口座/普通/当座, ゆうちょ 記号/番号, 受給者番号, 保険証/被保険者 numbers,
// birth dates (next to 生年月日/誕生日/生まれ, or before 2000), the block
// numbers of street addresses (富士見台*-**-*, *丁目**番*号) and names before
// 様/さん/さま/くん/ちゃん/殿 → "〇〇様". Amounts (48,050円), counts and dates
// of rules (2025年4月1日から) stay. Pure, thread-safe.
std::string MaskPersonalData(const std::string& text);

// Masks what a bot reply may never contain: マイナンバー (12 digits with a
// valid check digit) and card numbers (Luhn). Public window phone numbers, postal codes and
// addresses from the knowledge base stay readable.
std::string MaskBotReply(const std::string& text);

class LogStore {
 public:
  virtual ~LogStore() = default;
  // Queues an entry (masked before storage). Never blocks on disk.
  virtual void Append(LogEntry entry) = 0;
  // Blocks until everything queued so far is committed.
  virtual Status Flush() = 0;
  // Deletes messages older than the retention (days) relative to now_ms.
  virtual Result<int64_t> DeleteOlderThan(int64_t cutoff_ms) = 0;
};

// Opens (creating) `path` (SQLite). `retention_days` is applied hourly by the
// writer thread, relative to `clock` (borrowed; must outlive the store).
Result<std::unique_ptr<LogStore>> OpenSqliteLogStore(const std::string& path, int retention_days,
                                                     const Clock& clock);

}  // namespace yorisoi::store
