// Everything the channels need, opened once from the configuration: the
// knowledge base, the engine and the conversation log. Owned by the app's
// wiring; channels (LINE adapter, console, eval) borrow it.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "bot/engine.h"
#include "knowledge/kb.h"
#include "knowledge/result.h"

namespace yorisoi::store {
class LogStore;
class StateStore;
}  // namespace yorisoi::store

namespace yorisoi::bot {

struct RuntimeOptions {
  std::string data_dir = "./data";     // SQLite files live here
  std::string kb_path;                 // default data_dir + "/knowledge.sqlite"
  std::string knowledge_source_dir;    // JSON sources (built when kb_path is missing)
  std::string lexicon_dir;             // bot/data
  int state_ttl_minutes = 60 * 24 * 7;
  int log_retention_days = 365;
  bool in_memory = false;              // eval/tests: state and logs in memory
};

class Runtime {
 public:
  // Opens (building if needed) the KB, the NLU, the state store and the log
  // store. Errors name the file that failed.
  static Result<std::unique_ptr<Runtime>> Open(const RuntimeOptions& options);
  ~Runtime();

  const kb::KnowledgeBase& kb() const;
  // Stores that could not be opened (a corrupt or unreadable state.sqlite
  // or log.sqlite): each names the file and what the bot does without it.
  // The bot still answers.
  const std::vector<std::string>& degraded() const;
  // Handles one message: runs the engine and logs inbound + outbound
  // messages (masked). Thread-safe across users; serialize per user.
  Reply Handle(const Incoming& in);
  Engine& engine();
  store::LogStore* log_store();      // may be null (in_memory without logging)
  store::StateStore& state_store();

 private:
  Runtime();
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace yorisoi::bot
