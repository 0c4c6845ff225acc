// Durable webhook inbox + deduplication (SQLite).
//
// The LINE adapter stores every event it will act on here, in one
// transaction, BEFORE it answers the webhook with 200; an event acknowledged
// with 200 is therefore never lost. Each event walks
//
//   pending ──(engine ran, reply stored)──▶ sending ──(reply/push done)──▶ done
//
// and on restart Unfinished() returns the pending and sending ones so the
// server finishes them: pending events run through the engine, sending events
// resend the stored reply (the engine is not run twice for one event).
//
// Deduplication: the event id (LINE's webhookEventId) is unique. Enqueue()
// skips ids already present in any state, so a redelivery is not answered
// twice, also across restarts. Done rows keep only the id (payload, reply
// and user key are cleared: they hold LINE user ids and message text) until
// they are older than the dedupe TTL; Purge() removes them. secure_delete is
// on, so the cleared text is overwritten, not left in free pages (once the
// WAL is checkpointed, no copy remains in the files).
//
// Thread-safety: all methods are thread-safe. Writes (Enqueue, MarkSending,
// MarkDone) from concurrent callers are committed together: the first caller
// in the queue commits every write queued so far in one transaction and wakes
// the others (group commit), so each call still returns only once its write
// is durable, and N concurrent writes cost one fsync instead of N.
// MarkDoneLater does not wait: its mark rides along with the next commit
// (the inbox's own flusher commits it within a few milliseconds when no
// other write comes), so answering an event costs one waited-for write
// (MarkSending) instead of two.
// Durability: WAL with synchronous=FULL, so a stored event survives a crash
// of the process or of the machine. A commit of state marks only (no
// Enqueue in the batch) skips the fsync: when MarkSending/MarkDone return,
// the mark survives a crash of the process (kill -9), and it reaches the
// disk with the next Enqueue's fsync or checkpoint. A power loss can undo
// the marks of the last moments before it: such an event is handled again
// after the restart (its answer may then reach the parent twice).
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "core/status.h"

namespace yorisoi::store {

struct InboxEvent {
  enum class State { kPending, kSending, kDone };
  int64_t seq = 0;       // assigned by Enqueue (arrival order)
  std::string event_id;  // dedupe key (webhookEventId)
  std::string user_key;  // ordering key: events of one key are handled in order
  std::string payload;   // adapter-defined (JSON); "" once done
  int64_t event_time_ms = 0;
  int64_t received_ms = 0;
  State state = State::kPending;
  std::string reply;  // adapter-defined (JSON), set by MarkSending; "" once done
};

class Inbox {
 public:
  // Opens (creating) the inbox at `path` (":memory:" for tests). Done rows
  // are kept `dedupe_ttl_hours` for deduplication.
  static Result<std::unique_ptr<Inbox>> Open(const std::string& path, int dedupe_ttl_hours);
  ~Inbox();

  // Stores the events whose ids are new, all in one transaction (all or
  // nothing), and returns those, with seq and received_ms (= now_ms) set, in
  // the given order. Ids already present, or repeated within `events`, are
  // skipped. An error means nothing was stored (the caller must not ack).
  Result<std::vector<InboxEvent>> Enqueue(std::vector<InboxEvent> events, int64_t now_ms);

  // pending → sending, storing the reply to send.
  Status MarkSending(int64_t seq, const std::string& reply);
  // → done; clears payload and reply.
  Status MarkDone(int64_t seq);
  // The same, without waiting: committed with the next write or by the
  // flusher within ~kFlushDelay. A crash before that loses only the mark:
  // the event is `sending` again after the restart and its stored reply is
  // resent as a resumed send, which the sender never delivers twice (a used
  // reply token or a repeated X-Line-Retry-Key counts as delivered). Use it
  // only for an event whose answer LINE accepted. A failed commit is
  // reported by LastWriteStatus(). Reads below see every mark made before
  // them.
  void MarkDoneLater(int64_t seq);

  // Health of the inbox's storage (for /healthz): the error of the last
  // write (Enqueue, MarkSending, MarkDone) when it failed, Ok once a later
  // write succeeded. Write errors name the file ("inbox data/inbox.sqlite:
  // enqueue: disk I/O error").
  Status LastWriteStatus() const;

  // Pending and sending events in arrival order (for the restart).
  Result<std::vector<InboxEvent>> Unfinished();
  // Number of pending + sending events.
  Result<int64_t> CountUnfinished();
  // Whether an event id is present (any state).
  Result<bool> Contains(const std::string& event_id);

  // Deletes done rows received before now_ms − TTL; returns how many.
  Result<int64_t> Purge(int64_t now_ms);

 private:
  Inbox();
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace yorisoi::store
