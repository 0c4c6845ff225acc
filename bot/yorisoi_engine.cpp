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

Reply ToReply(dialogs::Output&& out) { return Reply{std::move(out.messages), std::move(out.meta)}; }

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
      r.messages.push_back(Message{
          "申し訳ありません。うまくお答えできませんでした。もう一度送ってください。", {}, {}, {}});
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
