#include "bot/yorisoi_engine.h"

#include <optional>

#include "bot/faq.h"
#include "dialogs/dialogs.h"
#include "store/reminder_store.h"
#include "store/state_store.h"

namespace yorisoi::bot {
namespace {

dialogs::Input::Kind ToKind(Incoming::Kind k) {
  switch (k) {
    case Incoming::Kind::kText:
      return dialogs::Input::Kind::kText;
    case Incoming::Kind::kPostback:
      return dialogs::Input::Kind::kPostback;
    case Incoming::Kind::kFollow:
      return dialogs::Input::Kind::kFollow;
    case Incoming::Kind::kUnfollow:
      return dialogs::Input::Kind::kUnfollow;
    case Incoming::Kind::kNonText:
      return dialogs::Input::Kind::kNonText;
  }
  return dialogs::Input::Kind::kText;
}

Reply ToReply(dialogs::Output&& out) { return Reply{std::move(out.messages), std::move(out.meta)}; }

class YorisoiEngine final : public Engine {
 public:
  YorisoiEngine(const kb::KnowledgeBase& kb, const text::Nlu& nlu, store::StateStore& state,
                EngineOptions options, store::ReminderStore* reminders, const FaqSet* faqs)
      : kb_(kb),
        nlu_(nlu),
        state_(state),
        reminders_(reminders),
        faqs_(faqs),
        dialogs_(kb, nlu, dialogs::Options{options.state_ttl_minutes, options.log_retention_days,
                                           options.staff_chat, options.staff_hours}) {
  }

  Reply Handle(const Incoming& in) override {
    try {
      dialogs::Tracker tracker;
      if (in.kind != Incoming::Kind::kFollow && in.kind != Incoming::Kind::kUnfollow) {
        if (auto saved = state_.Get(in.user, in.timestamp_ms))
          tracker = dialogs::Tracker::FromJson(*saved);
      }
      if (std::optional<Reply> faq = FaqAnswer(in, tracker)) {
        (void)state_.Put(in.user, tracker.ToJson(), in.timestamp_ms);
        return std::move(*faq);
      }
      dialogs::Output out =
          dialogs_.Step(dialogs::Input{ToKind(in.kind), in.text, in.timestamp_ms}, tracker);
      if (out.delete_state) {
        (void)state_.Delete(in.user);
      } else {
        (void)state_.Put(in.user, tracker.ToJson(), in.timestamp_ms);
      }
      ApplyReminders(in, out);
      return ToReply(std::move(out));
    } catch (const std::exception&) {
      Reply r;
      r.meta.flow = "error";
      r.messages.push_back(Message{
          "申し訳ありません。うまくお答えできませんでした。もう一度送ってください。", {}, {}, {}});
      return r;
    }
  }

 private:
  // The editors' FAQ answer for a text message, when one matches and the
  // message is no crisis (the safety flow answers those).
  std::optional<Reply> FaqAnswer(const Incoming& in, dialogs::Tracker& tracker) const {
    if (!faqs_ || faqs_->empty() || in.kind != Incoming::Kind::kText) return std::nullopt;
    const Date day = ToJst(in.timestamp_ms).date;
    const std::string canonical = nlu_.Canonical(in.text);
    // Cheap first: any FAQ close enough for someone?
    if (!faqs_->Match(canonical, day, "")) return std::nullopt;
    const text::Understanding u = nlu_.Understand(in.text, day, in.timestamp_ms);
    if (!u.crisis_kinds.empty()) return std::nullopt;
    const std::string municipality =
        u.municipalities.empty() ? tracker.municipality : u.municipalities.front();
    double similarity = 0;
    const FaqEntry* faq = faqs_->Match(canonical, day, municipality, &similarity);
    if (!faq) return std::nullopt;
    ++tracker.turns;
    tracker.pending.reset();
    Reply r;
    r.messages.push_back(FaqMessage(*faq, kb_));
    r.meta.intent = "faq:" + std::to_string(faq->id);
    r.meta.confidence = similarity;
    r.meta.flow = "faq";
    r.meta.municipality = tracker.municipality.empty() ? tracker.prefecture : tracker.municipality;
    r.meta.answered = true;
    return r;
  }

  // Stores the reminder choice of this step (dialogs/ has no I/O).
  void ApplyReminders(const Incoming& in, dialogs::Output& out) {
    using A = dialogs::ReminderChange::Action;
    const dialogs::ReminderChange& r = out.reminders;
    if (r.action == A::kNone) return;
    if (!reminders_) {
      if (r.action == A::kSubscribe) {
        // Never claim a setting that is not kept.
        out.messages.clear();
        out.messages.push_back(Message{
            "申し訳ありません。いまは通知の設定を保存できません。時間をおいてもう一度お試しください。",
            {}, {}, {}});
      }
      return;
    }
    if (r.action == A::kSubscribe) {
      Status s = reminders_->Subscribe(
          store::Subscription{in.user, r.municipality, r.kinds, r.consent_ms});
      if (s.ok()) {
        out.meta.reminders = "subscribed";
      } else {
        out.messages.clear();
        out.messages.push_back(Message{
            "申し訳ありません。通知の設定を保存できませんでした。時間をおいてもう一度お試しください。",
            {}, {}, {}});
      }
      return;
    }
    auto gone = reminders_->Unsubscribe(in.user);
    if (gone.ok() && *gone) out.meta.reminders = "stopped";
  }

  const kb::KnowledgeBase& kb_;
  const text::Nlu& nlu_;
  store::StateStore& state_;
  store::ReminderStore* reminders_;
  const FaqSet* faqs_;
  dialogs::Dialogs dialogs_;
};

}  // namespace

std::unique_ptr<Engine> NewYorisoiEngine(const kb::KnowledgeBase& kb, const text::Nlu& nlu,
                                         store::StateStore& state, EngineOptions options,
                                         store::ReminderStore* reminders, const FaqSet* faqs) {
  return std::make_unique<YorisoiEngine>(kb, nlu, state, options, reminders, faqs);
}

}  // namespace yorisoi::bot
