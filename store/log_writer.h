// Write side of the conversation log: every inbound and outbound message with
// time, pseudonymous user id, municipality, intent/confidence, flow and
// flags. Text is masked (store/masking.h) BEFORE it is stored: a user's and
// a member of staff's words with MaskPersonalData, the bot's replies with
// MaskBotReply.
//
// Batching: Append() queues and returns; one background writer thread owns
// the write connection and commits the queue in batches (one transaction per
// batch: the message rows, their conversation, review-queue and facet rows
// and each message's full-text document), gathering entries for up to 100 ms
// so that a burst costs one commit, not one per message. Flush() does not
// wait for the gathering.
//
// Errors: Append() never fails; a full queue (200,000 entries) drops the
// entry and a failed batch is retried once and then dropped, and the next
// Flush() reports either (IOError) once.
//
// Thread-safety: every method may be called from any thread. Ownership: the
// writer belongs to the LogStore that hands it out (store/log_store.h).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "core/status.h"

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

class LogWriter {
 public:
  virtual ~LogWriter() = default;
  // Queues an entry (masked before storage). Never blocks on disk; after
  // the store is closed it is ignored.
  virtual void Append(LogEntry entry) = 0;
  // Blocks until everything queued so far is committed (or given up).
  // Error: what went wrong since the last Flush (a failed batch, dropped
  // entries).
  virtual Status Flush() = 0;
};

}  // namespace yorisoi::store
