// One-to-one vs group answers (adapters/line_chat.h).
#include "adapters/line_chat.h"

#include <string>
#include <utility>

namespace yorisoi::adapters {

Reply GroupIntroduction() {
  Reply r;
  Message m;
  m.text =
      "グループに追加していただきありがとうございます。ひとり親家庭の制度や窓口をご案内する、"
      "情報提供のボットです。質問は@メンションを付けて送ってください。\n"
      "お名前・住所・収入など個人のことは、グループに書き込まないでください。"
      "ご自身のことは1対1のトークでご相談いただけます。";
  r.messages.push_back(std::move(m));
  r.meta.flow = "group.join";
  r.meta.answered = true;
  return r;
}

namespace {

// Crisis answer → a short pointer to a private talk, with the numbers from
// the crisis answer's call buttons (no personal words repeated).
Reply GroupCrisis(const Reply& crisis) {
  Reply r;
  r.meta = crisis.meta;
  r.meta.flow = "group.crisis";
  Message m;
  m.text = "個別にトークで相談できます。このアカウントとの1対1のトークでお話しください。";
  std::string lines;
  for (const Message& cm : crisis.messages) {
    for (const LinkButton& b : cm.buttons) {
      if (b.uri.rfind("tel:", 0) != 0 || m.buttons.size() >= 4) continue;
      bool dup = false;
      for (const LinkButton& x : m.buttons) dup = dup || x.uri == b.uri;
      if (dup) continue;
      m.buttons.push_back(b);
    }
  }
  if (!m.buttons.empty()) {
    m.text += "\n今すぐ話したいときの相談先：";
    for (const LinkButton& b : m.buttons) {
      std::string label = b.label;
      const std::string suffix = "に電話";
      if (label.size() > suffix.size() &&
          label.compare(label.size() - suffix.size(), suffix.size(), suffix) == 0)
        label.resize(label.size() - suffix.size());
      m.text += "\n・" + label;
    }
  }
  r.messages.push_back(std::move(m));
  return r;
}

}  // namespace

Reply AnswerTask(const LineTask& task, const Incoming& in,
                      const std::function<Reply(const Incoming&)>& engine) {
  const bool shared = task.chat == "group" || task.chat == "room";
  if (shared && task.event_type == "join") return GroupIntroduction();
  Reply reply = engine(in);
  if (shared && reply.meta.crisis) return GroupCrisis(reply);
  if (shared && reply.meta.reminders == "subscribed") {
    // Reminders go to one person: the dispatcher's owner drops this one.
    reply.messages.clear();
    reply.messages.push_back(Message{
        "通知の設定は、このアカウントとの1対1のトークでお願いします。", {}, {}, {}});
  }
  return reply;
}

}  // namespace yorisoi::adapters
