// Runtime: opens the knowledge base, the NLU (lexicon from the KB), the
// state store and the log store, and wires the engine to them.
#include "bot/runtime.h"

#include <malloc.h>

#include <algorithm>
#include <atomic>
#include <condition_variable>
#include <cstdio>
#include <filesystem>
#include <functional>
#include <mutex>
#include <optional>
#include <thread>

#include "bot/faq.h"
#include "bot/yorisoi_engine.h"
#include "core/thread_name.h"
#include "dialogs/lexicon.h"
#include "dialogs/tracker.h"
#include "knowledge/calc/calc.h"
#include "store/edits_store.h"
#include "store/handoff_store.h"
#include "store/log_store.h"
#include "store/reminder_store.h"
#include "store/state_store.h"
#include "yorisoi_source_dir.h"

namespace yorisoi::bot {

namespace fs = std::filesystem;

namespace {

// The understanding, FAQs and engine of one set of edits; swapped as a whole.
struct Live {
  std::shared_ptr<const text::Nlu> nlu;
  std::vector<text::ExtraExample> examples;  // what `nlu` was trained with
  std::shared_ptr<const FaqSet> faqs;
  std::unique_ptr<Engine> engine;  // borrows nlu, faqs and the runtime's stores
};

// Labels of the question types for the console (intents.json has ids only).
const std::vector<std::pair<std::string, std::string>>& IntentLabels() {
  static const std::vector<std::pair<std::string, std::string>> kLabels = {
      {"greeting", "あいさつ"},
      {"thanks", "お礼"},
      {"help", "使い方・メニュー"},
      {"reset", "最初から"},
      {"cancel", "やめる"},
      {"handoff", "人と話したい"},
      {"municipality.set", "住んでいる市区町村"},
      {"program.list", "制度の一覧"},
      {"program.overview", "制度の概要"},
      {"program.amount", "金額"},
      {"program.eligibility", "対象になるか"},
      {"program.income_limit", "所得制限"},
      {"program.apply", "申請方法"},
      {"program.documents", "必要書類"},
      {"program.payment_date", "支給日・振込日"},
      {"program.window", "制度の窓口"},
      {"program.renewal", "更新・現況届"},
      {"program.reduction", "減額・免除"},
      {"program.loan", "貸付"},
      {"program.related", "関連する制度"},
      {"window.phone", "窓口の電話番号"},
      {"window.place", "窓口の場所"},
      {"window.hours", "窓口の受付時間"},
      {"window.open_now", "いま開いているか"},
      {"calc", "手当の計算"},
      {"diagnose", "使える制度の診断"},
      {"feeling", "気持ち・つらさ"},
      {"out_of_scope", "対象外の質問"},
  };
  return kLabels;
}

// Forwards to the live engine of the moment (Runtime::engine() stays valid
// across swaps).
class LiveEngine final : public Engine {
 public:
  explicit LiveEngine(std::function<std::shared_ptr<Live>()> current)
      : current_(std::move(current)) {}
  Reply Handle(const Incoming& in) override {
    std::shared_ptr<Live> live = current_();  // kept alive for this message
    return live->engine->Handle(in);
  }

 private:
  std::function<std::shared_ptr<Live>()> current_;
};

}  // namespace

struct Runtime::Impl {
  RuntimeOptions options;
  std::unique_ptr<kb::KnowledgeBase> kb;
  text::Lexicon lexicon;
  std::unique_ptr<store::StateStore> state;
  std::unique_ptr<store::LogStore> log;
  std::unique_ptr<store::ReminderStore> reminders;
  std::unique_ptr<store::EditsStore> edits;
  std::unique_ptr<store::HandoffStore> handoffs;
  bool staff_chat = false;         // the handoff store is open
  std::unique_ptr<Engine> engine;  // a LiveEngine
  std::vector<std::string> degraded;
  std::atomic<bool> logged_future{false}, logged_past{false};  // timestamp warnings, once each

  // The live edits: the pointer is read and replaced under live_mu (never
  // held while training or answering).
  std::mutex live_mu;
  std::shared_ptr<Live> live;
  std::shared_ptr<Live> Current() {
    std::lock_guard<std::mutex> lock(live_mu);
    return live;
  }

  // Background reloads.
  std::mutex reload_mu;
  std::condition_variable reload_cv;
  uint64_t reload_requested = 0, reload_done = 0;
  Status reload_status;
  bool stopping = false;
  std::thread reloader;

  EngineOptions engine_options() const {
    return EngineOptions{options.state_ttl_minutes, options.log_retention_days, staff_chat,
                         options.staff_hours};
  }

  // A text the safety flow answers (any language), by the live understanding.
  bool Crisis(const Incoming& in) {
    if (in.kind != Incoming::Kind::kText) return false;
    return !Current()
                ->nlu->Understand(in.text, ToJst(in.timestamp_ms).date, in.timestamp_ms)
                .crisis_kinds.empty();
  }
  bool KnownTarget(const std::string& kind, const std::string& id) const;
  Result<std::shared_ptr<const text::Nlu>> Train(const std::vector<text::ExtraExample>& examples) {
    // The trained model is kept under data_dir/models: a restart with the
    // same corpus and editors' examples loads it instead of training.
    const std::string cache = options.in_memory ? "" : options.data_dir + "/models";
    auto nlu = text::Nlu::Create(options.lexicon_dir, lexicon, examples, cache);
    // Training's tens of megabytes are free now; glibc keeps freed heap
    // pages mapped unless asked to give them back.
    ::malloc_trim(0);
    if (!nlu.ok()) return nlu.status();
    // Every question type has an answer (and every answer a type): a
    // mismatch stops the start, naming the file and the id.
    if (Status s = dialogs::CheckRoutes((*nlu)->IntentIds()); !s.ok())
      return s.WithContext(options.lexicon_dir + "/intents.json");
    return std::shared_ptr<const text::Nlu>(std::move(nlu).value());
  }
  Status ReloadNow();
  void ReloadLoop();

  // The steps of Runtime::Open, in order. The stores degrade (a note in
  // `degraded`) instead of failing, except the knowledge base and the
  // understanding.
  Status PrepareDirectories();
  Status OpenKnowledge();
  Status OpenState();
  void OpenLog();
  void OpenReminders();
  void OpenHandoffs();
  Status OpenEditsAndTrain();
};

bool Runtime::Impl::KnownTarget(const std::string& kind, const std::string& id) const {
  if (kind == "program") return kb->FindProgram(id) != nullptr;
  if (kind != "intent") return false;
  const auto& labels = IntentLabels();
  return std::any_of(labels.begin(), labels.end(), [&](const auto& l) { return l.first == id; });
}

namespace {

text::ExtraExample ToExtra(const store::ExampleInput& in) {
  text::ExtraExample e;
  e.text = in.text;
  (in.target_kind == "intent" ? e.intent : e.program) = in.target;
  return e;
}

bool SameExamples(const std::vector<text::ExtraExample>& a,
                  const std::vector<text::ExtraExample>& b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i)
    if (a[i].text != b[i].text || a[i].intent != b[i].intent || a[i].program != b[i].program)
      return false;
  return true;
}

}  // namespace

Status Runtime::Impl::ReloadNow() {
  std::vector<text::ExtraExample> examples;
  std::vector<store::Faq> faqs;
  if (edits) {
    auto ex = edits->ListExamples(false);
    if (!ex.ok()) return ex.status();
    // Oldest first: the same edits always train the same model.
    for (auto it = ex->rbegin(); it != ex->rend(); ++it) {
      if (!KnownTarget(it->input.target_kind, it->input.target) ||
          text::Normalize(it->input.text).empty()) {
        std::fprintf(stderr,
                     "yorisoi runtime: example %lld: unknown %s '%s' or no words (left out)\n",
                     static_cast<long long>(it->id), it->input.target_kind.c_str(),
                     it->input.target.c_str());
        continue;
      }
      examples.push_back(ToExtra(it->input));
    }
    auto fq = edits->ListFaqs(false);
    if (!fq.ok()) return fq.status();
    faqs = std::move(fq).value();
  }
  std::shared_ptr<Live> before = Current();
  auto next = std::make_shared<Live>();
  if (before && SameExamples(before->examples, examples)) {
    next->nlu = before->nlu;  // only the FAQs changed: no retraining
  } else {
    auto nlu = Train(examples);  // no lock held: messages go on with `before`
    if (!nlu.ok()) return nlu.status();
    next->nlu = std::move(nlu).value();
  }
  next->examples = std::move(examples);
  next->faqs = std::make_shared<const FaqSet>(*next->nlu, faqs);
  next->engine = NewYorisoiEngine(*kb, *next->nlu, *state, engine_options(), reminders.get(),
                                  next->faqs.get());
  std::lock_guard<std::mutex> lock(live_mu);
  live = std::move(next);
  return Status::Ok();
}

void Runtime::Impl::ReloadLoop() {
  std::unique_lock<std::mutex> lock(reload_mu);
  while (true) {
    reload_cv.wait(lock, [&] { return stopping || reload_requested > reload_done; });
    if (stopping) return;
    const uint64_t target = reload_requested;
    lock.unlock();
    Status s = ReloadNow();
    if (!s.ok())
      std::fprintf(stderr, "yorisoi runtime: reloading edits: %s\n", s.message().c_str());
    lock.lock();
    reload_done = target;
    reload_status = s;
    reload_cv.notify_all();
  }
}

Runtime::Runtime() : impl_(std::make_unique<Impl>()) {}
Runtime::~Runtime() {
  if (!impl_) return;
  {
    std::lock_guard<std::mutex> lock(impl_->reload_mu);
    impl_->stopping = true;
  }
  impl_->reload_cv.notify_all();
  if (impl_->reloader.joinable()) impl_->reloader.join();
  if (impl_->log) (void)impl_->log->writer().Flush();
}

Status Runtime::Impl::PrepareDirectories() {
  RuntimeOptions& o = options;
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
  return Status::Ok();
}

Status Runtime::Impl::OpenKnowledge() {
  auto opened = kb::KnowledgeBase::OpenOrBuild(options.knowledge_source_dir, options.kb_path);
  if (!opened.ok()) return opened.status();
  kb = std::move(opened).value();
  if (Status s = calc::CheckCalculators(*kb); !s.ok())
    return s.WithContext(options.knowledge_source_dir);
  lexicon = dialogs::BuildLexicon(*kb);
  return Status::Ok();
}

Status Runtime::Impl::OpenState() {
  const RuntimeOptions& o = options;
  const std::string state_path = o.in_memory ? ":memory:" : o.data_dir + "/state.sqlite";
  auto opened = store::OpenSqliteStateStore(state_path, o.state_ttl_minutes);
  if (!opened.ok()) {
    // Degrade, don't die: answers go on, dialog state lives in memory.
    degraded.push_back("state " + state_path + ": " + opened.error() +
                       " (dialog state kept in memory only)");
    opened = store::OpenSqliteStateStore(":memory:", o.state_ttl_minutes);
    if (!opened.ok()) return opened.status();
  }
  state = std::move(opened).value();
  if (!o.in_memory && o.state_ttl_minutes > 0) {
    (void)state->Purge(o.clock->NowMillis() -
                       static_cast<int64_t>(o.state_ttl_minutes) * 60 * 1000);
  }
  return Status::Ok();
}

void Runtime::Impl::OpenLog() {
  if (options.in_memory) return;
  const std::string log_path = options.data_dir + "/log.sqlite";
  auto opened = store::OpenSqliteLogStore(log_path, options.log_retention_days, *options.clock);
  if (opened.ok()) {
    log = std::move(opened).value();
  } else {
    // Degrade, don't die: answers go on without the conversation log.
    degraded.push_back("log " + log_path + ": " + opened.error() +
                       " (conversations are not logged)");
  }
}

// Reminder subscriptions: their own file, never purged with the state.
void Runtime::Impl::OpenReminders() {
  const std::string path = options.in_memory ? ":memory:" : options.data_dir + "/reminders.sqlite";
  if (auto rem = store::ReminderStore::Open(path); rem.ok()) {
    reminders = std::move(rem).value();
  } else {
    degraded.push_back("reminders " + path + ": " + rem.error() +
                       " (reminder settings are not kept)");
  }
}

void Runtime::Impl::OpenHandoffs() {
  if (!options.staff_chat) return;
  const std::string where = options.in_memory ? ":memory:" : options.data_dir;
  if (auto h = store::OpenHandoffStore(where); h.ok()) {
    handoffs = std::move(h).value();
    staff_chat = true;
  } else {
    degraded.push_back("handoff " + h.error() +
                       " (parents are given the window to call instead of staff in LINE)");
  }
}

// The editors' examples and FAQs: their own file, live at once; then the
// understanding is trained with them (without them when they fail).
Status Runtime::Impl::OpenEditsAndTrain() {
  const std::string path = options.in_memory ? ":memory:" : store::EditsStorePath(options.data_dir);
  if (auto ed = store::EditsStore::Open(path); ed.ok()) {
    edits = std::move(ed).value();
  } else {
    degraded.push_back("edits " + path + ": " + ed.error() +
                       " (editors' examples and FAQs are not used)");
  }
  if (Status s = ReloadNow(); !s.ok()) {
    if (!edits) return s;  // the understanding itself failed
    degraded.push_back("edits " + path + ": " + s.message() +
                       " (answering without the editors' examples and FAQs)");
    edits.reset();
    if (Status again = ReloadNow(); !again.ok()) return again;
  }
  return Status::Ok();
}

Result<std::unique_ptr<Runtime>> Runtime::Open(const RuntimeOptions& options) {
  std::unique_ptr<Runtime> rt(new Runtime());
  Impl& im = *rt->impl_;
  im.options = options;
  if (options.clock == nullptr) return Status::InvalidArgument("runtime: no clock given");
  if (Status s = im.PrepareDirectories(); !s.ok()) return s;
  if (Status s = im.OpenKnowledge(); !s.ok()) return s;
  if (Status s = im.OpenState(); !s.ok()) return s;
  im.OpenLog();
  im.OpenReminders();
  im.OpenHandoffs();
  if (Status s = im.OpenEditsAndTrain(); !s.ok()) return s;
  Impl* raw = &im;
  im.engine = std::make_unique<LiveEngine>([raw] { return raw->Current(); });
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
store::EditsStore* Runtime::edits_store() { return impl_->edits.get(); }

void Runtime::ReloadEdits() {
  Impl& im = *impl_;
  std::lock_guard<std::mutex> lock(im.reload_mu);
  if (im.stopping) return;
  ++im.reload_requested;
  if (!im.reloader.joinable())
    im.reloader = std::thread([&im] {
      NameThisThread("edits-reload");
      im.ReloadLoop();
    });
  im.reload_cv.notify_all();
}

Status Runtime::WaitForEdits() {
  Impl& im = *impl_;
  std::unique_lock<std::mutex> lock(im.reload_mu);
  const uint64_t target = im.reload_requested;
  im.reload_cv.wait(lock, [&] { return im.stopping || im.reload_done >= target; });
  return im.reload_status;
}

std::vector<EditTarget> Runtime::EditTargets() const {
  std::vector<EditTarget> out;
  for (const auto& [id, label] : IntentLabels()) out.push_back({"intent", id, label});
  for (const kb::Program& p : impl_->kb->programs()) out.push_back({"program", p.id, p.name});
  return out;
}

Status Runtime::CheckExample(const store::ExampleInput& in) const {
  if (Status s = store::ValidateExample(in); !s.ok()) return s;
  if (!impl_->KnownTarget(in.target_kind, in.target))
    return Status::InvalidArgument("target: unknown " + in.target_kind + " '" + in.target + "'");
  if (text::Normalize(in.text).empty())
    return Status::InvalidArgument("text: no words to learn from");
  return Status::Ok();
}

Status Runtime::CheckFaq(const store::FaqContent& faq) const {
  if (Status s = store::ValidateFaq(faq); !s.ok()) return s;
  if (!faq.municipality.empty() && !impl_->kb->FindMunicipality(faq.municipality))
    return Status::InvalidArgument("municipality: unknown '" + faq.municipality + "'");
  return Status::Ok();
}

Result<PreviewResult> Runtime::Preview(const PreviewRequest& request) {
  Impl& im = *impl_;
  if (request.text.find_first_not_of(" \t\r\n") == std::string::npos)
    return Status::InvalidArgument("text: required");
  if (!request.municipality.empty() && !im.kb->FindMunicipality(request.municipality))
    return Status::InvalidArgument("municipality: unknown '" + request.municipality + "'");
  std::shared_ptr<Live> live = im.Current();
  std::shared_ptr<const text::Nlu> nlu = live->nlu;
  if (request.draft_example) {
    if (Status s = CheckExample(*request.draft_example); !s.ok())
      return s.WithContext("draft_example");
    std::vector<text::ExtraExample> examples = live->examples;
    examples.push_back(ToExtra(*request.draft_example));
    auto trained = im.Train(examples);
    if (!trained.ok()) return trained.status();
    nlu = std::move(trained).value();
  }
  std::shared_ptr<const FaqSet> faqs = live->faqs;
  if (request.draft_faq || nlu != live->nlu) {
    std::vector<store::Faq> list;
    if (im.edits) {
      auto fq = im.edits->ListFaqs(false);
      if (!fq.ok()) return fq.status();
      list = std::move(fq).value();
    }
    if (request.draft_faq) {
      if (Status s = CheckFaq(*request.draft_faq); !s.ok()) return s.WithContext("draft_faq");
      list.erase(std::remove_if(list.begin(), list.end(),
                                [&](const store::Faq& f) {
                                  return request.draft_faq_id != 0 && f.id == request.draft_faq_id;
                                }),
                 list.end());
      store::Faq draft;
      draft.id = request.draft_faq_id;
      draft.active_version = 1;
      draft.content = *request.draft_faq;
      list.insert(list.begin(), draft);
    }
    faqs = std::make_shared<const FaqSet>(*nlu, list);
  }
  // A throw-away state store: the user's stored state is never read or
  // written, and nothing reaches the log.
  auto state = store::OpenSqliteStateStore(":memory:", im.options.state_ttl_minutes);
  if (!state.ok()) return state.status();
  const int64_t at = request.at_ms ? request.at_ms : im.options.clock->NowMillis();
  const std::string user = "preview";
  if (!request.municipality.empty()) {
    dialogs::Tracker t;
    t.municipality = request.municipality;
    if (Status s = (*state)->Put(user, t.ToJson(), at); !s.ok()) return s;
  }
  std::unique_ptr<Engine> engine =
      NewYorisoiEngine(*im.kb, *nlu, **state, im.engine_options(), nullptr, faqs.get());
  Incoming in;
  in.user = user;
  in.kind = Incoming::Kind::kText;
  in.text = request.text;
  in.timestamp_ms = at;
  Reply reply = engine->Handle(in);
  PreviewResult out;
  for (const Message& m : reply.messages) out.texts.push_back(m.text);
  if (!reply.messages.empty())
    for (const QuickReply& q : reply.messages.back().quick_replies)
      out.quick_replies.push_back(q.label);
  out.meta = std::move(reply.meta);
  return out;
}

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

store::LogEntry Entry(const Incoming& in, const Meta& m, std::string direction, std::string text) {
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
  const int64_t at =
      CheckedTimestamp(event.timestamp_ms, impl_->options.clock->NowMillis(), &issue);
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
          log->writer().Append(Entry(in, quiet.meta, "in", InboundText(in)));
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
    log->writer().Append(Entry(in, reply.meta, "in", InboundText(in)));
    if (!reply.messages.empty()) {
      std::string text;
      for (const Message& m : reply.messages) {
        if (!text.empty()) text += "\n\n";
        text += m.text;
      }
      log->writer().Append(Entry(in, reply.meta, "out", std::move(text)));
    }
  }
  return reply;
}

}  // namespace yorisoi::bot
