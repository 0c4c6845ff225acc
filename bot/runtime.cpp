// Runtime: opens the knowledge base, the NLU (lexicon from the KB), the
// state store and the log store, and wires the engine to them.
#include "bot/runtime.h"

#include <atomic>
#include <cstdio>
#include <filesystem>
#include <optional>

#include "bot/yorisoi_engine.h"
#include "dialogs/lexicon.h"
#include "knowledge/calc/calc.h"
#include "store/handoff_store.h"
#include "store/log_store.h"
#include "store/reminder_store.h"
#include "store/state_store.h"
#include "yorisoi_source_dir.h"

namespace yorisoi::bot {

namespace fs = std::filesystem;

struct Runtime::Impl {
  RuntimeOptions options;
  std::unique_ptr<kb::KnowledgeBase> kb;
  std::unique_ptr<text::Nlu> nlu;
  std::unique_ptr<store::StateStore> state;
  std::unique_ptr<store::LogStore> log;
  std::unique_ptr<store::ReminderStore> reminders;
  std::unique_ptr<store::HandoffStore> handoffs;
  std::unique_ptr<Engine> engine;
  std::vector<std::string> degraded;
  std::atomic<bool> logged_future{false}, logged_past{false};  // timestamp warnings, once each

  // A text the safety flow answers (any language).
  bool Crisis(const Incoming& in) const {
    if (in.kind != Incoming::Kind::kText) return false;
    return !nlu->Understand(in.text, ToJst(in.timestamp_ms).date, in.timestamp_ms)
                .crisis_kinds.empty();
  }
};

Runtime::Runtime() : impl_(std::make_unique<Impl>()) {}
Runtime::~Runtime() {
  if (impl_ && impl_->log) (void)impl_->log->Flush();
}

Result<std::unique_ptr<Runtime>> Runtime::Open(const RuntimeOptions& options) {
  using R = Result<std::unique_ptr<Runtime>>;
  std::unique_ptr<Runtime> rt(new Runtime());
  Impl& im = *rt->impl_;
  im.options = options;
  RuntimeOptions& o = im.options;
  if (o.clock == nullptr) return Status::InvalidArgument("runtime: no clock given");
#ifdef YORISOI_SOURCE_DIR
  if (o.knowledge_source_dir.empty()) o.knowledge_source_dir = YORISOI_SOURCE_DIR "/knowledge/data";
  if (o.lexicon_dir.empty()) o.lexicon_dir = YORISOI_SOURCE_DIR "/text/data";
#endif
  if (o.kb_path.empty()) o.kb_path = o.data_dir + "/knowledge.sqlite";

  std::error_code ec;
  fs::create_directories(
      fs::path(o.kb_path).parent_path().empty() ? fs::path(".") : fs::path(o.kb_path).parent_path(),
      ec);
  if (!o.in_memory) {
    fs::create_directories(o.data_dir, ec);
    if (ec) return Status::IOError(o.data_dir + ": cannot create data directory: " + ec.message());
  }

  auto kb = kb::KnowledgeBase::OpenOrBuild(o.knowledge_source_dir, o.kb_path);
  if (!kb.ok()) return kb.status();
  im.kb = std::move(kb).value();
  if (Status s = calc::CheckCalculators(*im.kb); !s.ok()) return s.WithContext(o.knowledge_source_dir);

  auto nlu = text::Nlu::Create(o.lexicon_dir, dialogs::BuildLexicon(*im.kb));
  if (!nlu.ok()) return nlu.status();
  im.nlu = std::move(nlu).value();

  const std::string state_path = o.in_memory ? ":memory:" : o.data_dir + "/state.sqlite";
  auto state = store::OpenSqliteStateStore(state_path, o.state_ttl_minutes);
  if (!state.ok()) {
    // Degrade, don't die: answers go on, dialog state lives in memory.
    im.degraded.push_back("state " + state_path + ": " + state.error() +
                          " (dialog state kept in memory only)");
    state = store::OpenSqliteStateStore(":memory:", o.state_ttl_minutes);
    if (!state.ok()) return state.status();
  }
  im.state = std::move(state).value();
  if (!o.in_memory && o.state_ttl_minutes > 0) {
    (void)im.state->Purge(o.clock->NowMillis() - static_cast<int64_t>(o.state_ttl_minutes) * 60 * 1000);
  }

  if (!o.in_memory) {
    const std::string log_path = o.data_dir + "/log.sqlite";
    auto log = store::OpenSqliteLogStore(log_path, o.log_retention_days, *o.clock);
    if (log.ok()) {
      im.log = std::move(log).value();
    } else {
      // Degrade, don't die: answers go on without the conversation log.
      im.degraded.push_back("log " + log_path + ": " + log.error() +
                            " (conversations are not logged)");
    }
  }

  // Reminder subscriptions: their own file, never purged with the state.
  const std::string reminders_path = o.in_memory ? ":memory:" : o.data_dir + "/reminders.sqlite";
  if (auto rem = store::ReminderStore::Open(reminders_path); rem.ok()) {
    im.reminders = std::move(rem).value();
  } else {
    im.degraded.push_back("reminders " + reminders_path + ": " + rem.error() +
                          " (reminder settings are not kept)");
  }

  bool staff_chat = false;
  if (o.staff_chat) {
    const std::string where = o.in_memory ? ":memory:" : o.data_dir;
    if (auto h = store::OpenHandoffStore(where); h.ok()) {
      im.handoffs = std::move(h).value();
      staff_chat = true;
    } else {
      im.degraded.push_back("handoff " + h.error() +
                            " (parents are given the window to call instead of staff in LINE)");
    }
  }
  im.engine = NewYorisoiEngine(
      *im.kb, *im.nlu, *im.state,
      EngineOptions{o.state_ttl_minutes, o.log_retention_days, staff_chat, o.staff_hours},
      im.reminders.get());
  return rt;
}

const kb::KnowledgeBase& Runtime::kb() const { return *impl_->kb; }
const std::vector<std::string>& Runtime::degraded() const { return impl_->degraded; }
Engine& Runtime::engine() { return *impl_->engine; }
store::LogStore* Runtime::log_store() { return impl_->log.get(); }
store::StateStore& Runtime::state_store() { return *impl_->state; }
store::ReminderStore* Runtime::reminder_store() { return impl_->reminders.get(); }
store::HandoffStore* Runtime::handoff_store() { return impl_->handoffs.get(); }
const Clock& Runtime::clock() const { return *impl_->options.clock; }

namespace {

std::string InboundText(const Incoming& in) {
  switch (in.kind) {
    case Incoming::Kind::kText:
      return in.text;
    case Incoming::Kind::kPostback:
      return "[postback] " + in.text;
    case Incoming::Kind::kFollow:
      return "[follow]";
    case Incoming::Kind::kUnfollow:
      return "[unfollow]";
    case Incoming::Kind::kNonText:
      return "[" + (in.text.empty() ? std::string("non-text") : in.text) + "]";
  }
  return in.text;
}

store::LogEntry Entry(const Incoming& in, const Meta& m, std::string direction,
                      std::string text) {
  store::LogEntry e;
  e.at_ms = in.timestamp_ms;
  e.user = in.user;
  e.direction = std::move(direction);
  e.text = std::move(text);
  e.municipality = m.municipality;
  e.intent = m.intent;
  e.confidence = m.confidence;
  e.flow = m.flow;
  e.programs = m.programs;
  e.answered = m.answered;
  e.fallback = m.fallback;
  e.ambiguous = m.ambiguous;
  e.handoff = m.handoff;
  e.crisis = m.crisis;
  return e;
}

}  // namespace

int64_t CheckedTimestamp(int64_t timestamp_ms, int64_t now_ms, TimestampIssue* issue) {
  static const int64_t kEarliest = FromJst(Date{2000, 1, 1}, 0);
  constexpr int64_t kMaxAheadMs = int64_t{24} * 60 * 60 * 1000;
  if (timestamp_ms > now_ms + kMaxAheadMs) {
    if (issue) *issue = TimestampIssue::kFuture;
    return now_ms;
  }
  if (timestamp_ms < kEarliest) {
    if (issue) *issue = TimestampIssue::kBefore2000;
    return now_ms;
  }
  if (issue) *issue = TimestampIssue::kNone;
  return timestamp_ms;
}

Reply Runtime::Handle(const Incoming& event) {
  TimestampIssue issue = TimestampIssue::kNone;
  const int64_t at = CheckedTimestamp(event.timestamp_ms, impl_->options.clock->NowMillis(), &issue);
  std::optional<Incoming> fixed;
  if (issue != TimestampIssue::kNone) {
    std::atomic<bool>& logged =
        issue == TimestampIssue::kFuture ? impl_->logged_future : impl_->logged_past;
    if (!logged.exchange(true)) {
      std::fprintf(stderr,
                   "yorisoi runtime: event timestamp %s %s; answering with the server clock "
                   "(logged once)\n",
                   FormatJstIso(event.timestamp_ms).c_str(),
                   issue == TimestampIssue::kFuture ? "is more than 24 h ahead of the server clock"
                                                    : "is before 2000-01-01");
    }
    fixed = event;
    fixed->timestamp_ms = at;
  }
  const Incoming& in = fixed ? *fixed : event;
  store::HandoffStore* handoffs = impl_->handoffs.get();
  std::string notice;  // said before the bot's answer
  if (handoffs) {
    auto current = handoffs->Find(in.user, in.timestamp_ms);
    if (!current.ok()) {
      std::fprintf(stderr, "yorisoi runtime: %s\n", current.error().c_str());
    } else if (current->expired) {
      notice = "担当者の対応は終わりました。ここからは自動応答がお答えします。";
    } else if (current->handoff && current->handoff->state == "active") {
      if (in.kind == Incoming::Kind::kUnfollow) {
        (void)handoffs->Release(in.user, "user", in.timestamp_ms);
      } else if (!impl_->Crisis(in)) {
        // A person is answering: the bot stays quiet; staff read it.
        Reply quiet;
        quiet.meta.flow = "staff";
        quiet.meta.handoff = true;
        quiet.meta.municipality = current->handoff->municipality;
        if (store::LogStore* log = impl_->log.get())
          log->Append(Entry(in, quiet.meta, "in", InboundText(in)));
        return quiet;
      }
    }
  }
  Reply reply = impl_->engine->Handle(in);
  if (!notice.empty()) {
    reply.messages.insert(reply.messages.begin(), Message{notice, {}, {}, {}});
    if (reply.messages.size() > 5) reply.messages.resize(5);
  }
  if (handoffs && !reply.meta.handoff_request.empty()) {
    bool created = false;
    auto h = handoffs->Request(in.user, reply.meta.municipality,
                               reply.meta.handoff_request == "in_hours", in.timestamp_ms, &created);
    if (!h.ok()) {
      std::fprintf(stderr, "yorisoi runtime: %s\n", h.error().c_str());
    } else if (created && impl_->options.on_handoff) {
      impl_->options.on_handoff(*h);
    }
  }
  if (store::LogStore* log = impl_->log.get()) {
    log->Append(Entry(in, reply.meta, "in", InboundText(in)));
    if (!reply.messages.empty()) {
      std::string text;
      for (const Message& m : reply.messages) {
        if (!text.empty()) text += "\n\n";
        text += m.text;
      }
      log->Append(Entry(in, reply.meta, "out", std::move(text)));
    }
  }
  return reply;
}

}  // namespace yorisoi::bot
