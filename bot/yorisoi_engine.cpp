#include "bot/yorisoi_engine.h"

#include "dialogs/dialogs.h"
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

Reply ToReply(dialogs::Output&& out) {
  Reply r;
  for (dialogs::Message& m : out.messages) {
    OutMessage om;
    om.text = std::move(m.text);
    for (auto& b : m.buttons)
      om.buttons.push_back(LinkButton{std::move(b.label), std::move(b.uri)});
    for (auto& q : m.quick_replies)
      om.quick_replies.push_back(
          QuickReply{std::move(q.label), std::move(q.text), std::move(q.data)});
    r.messages.push_back(std::move(om));
  }
  const dialogs::Meta& m = out.meta;
  r.meta.intent = m.intent;
  r.meta.confidence = m.confidence;
  r.meta.flow = m.flow;
  r.meta.municipality = m.municipality;
  r.meta.programs = m.programs;
  r.meta.answered = m.answered;
  r.meta.fallback = m.fallback;
  r.meta.ambiguous = m.ambiguous;
  r.meta.handoff = m.handoff;
  r.meta.crisis = m.crisis;
  return r;
}

class YorisoiEngine final : public Engine {
 public:
  YorisoiEngine(const kb::KnowledgeBase& kb, const text::Nlu& nlu, store::StateStore& state,
                EngineOptions options)
      : state_(state),
        dialogs_(kb, nlu, dialogs::Options{options.state_ttl_minutes, options.log_retention_days}) {
  }

  Reply Handle(const Incoming& in) override {
    try {
      dialogs::Tracker tracker;
      if (in.kind != Incoming::Kind::kFollow && in.kind != Incoming::Kind::kUnfollow) {
        if (auto saved = state_.Get(in.user, in.timestamp_ms))
          tracker = dialogs::Tracker::FromJson(*saved);
      }
      dialogs::Output out =
          dialogs_.Step(dialogs::Input{ToKind(in.kind), in.text, in.timestamp_ms}, tracker);
      if (out.delete_state) {
        (void)state_.Delete(in.user);
      } else {
        (void)state_.Put(in.user, tracker.ToJson(), in.timestamp_ms);
      }
      return ToReply(std::move(out));
    } catch (const std::exception&) {
      Reply r;
      r.meta.flow = "error";
      r.messages.push_back(OutMessage{
          "申し訳ありません。うまくお答えできませんでした。もう一度送ってください。", {}, {}});
      return r;
    }
  }

 private:
  store::StateStore& state_;
  dialogs::Dialogs dialogs_;
};

}  // namespace

std::unique_ptr<Engine> NewYorisoiEngine(const kb::KnowledgeBase& kb, const text::Nlu& nlu,
                                         store::StateStore& state, EngineOptions options) {
  return std::make_unique<YorisoiEngine>(kb, nlu, state, options);
}

}  // namespace yorisoi::bot
