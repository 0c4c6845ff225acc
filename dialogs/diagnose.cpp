// Diagnosis: 「使える制度を知りたい」 → a short series of yes/no questions,
// one per kind of help (category) offered in the user's region; each "no"
// removes that kind. Shows how many programs still match and ends with the
// list and a one-line reason each.
#include <algorithm>
#include <map>

#include "dialogs/flows.h"

namespace yorisoi::dialogs::internal {

namespace {

struct Question {
  const char* id;
  const char* category;
  const char* text;
  const char* reason;  // why a program of this kind is listed
};

const std::vector<Question>& Questions() {
  static const std::vector<Question> kQ = {
      {"money", "手当・給付金", "毎月の手当や給付金（お金の支援）について知りたいですか？",
       "手当・給付金を希望"},
      {"medical", "医療", "親子の医療費の負担を軽くしたいですか？", "医療費の助成を希望"},
      {"work", "就業・資格", "仕事探しや、資格を取ることを考えていますか？", "仕事・資格を希望"},
      {"loan", "貸付", "学費や生活のための資金を借りる必要がありますか？", "資金の貸付を希望"},
      {"house", "住まい", "家賃や住まいのことで困っていますか？", "住まいの支援を希望"},
      {"care", "子育て・生活", "子どもの預け先や、家事・学習の手助けが必要ですか？",
       "子育て・生活の支援を希望"},
      {"tax", "税・減免", "税金や保険料・水道料金などを減らしたいですか？", "税・料金の軽減を希望"},
      {"transport", "交通・料金", "通勤・通学の交通費を減らしたいですか？", "交通費の割引を希望"},
  };
  return kQ;
}

// Programs still matching the answers so far (consultation services are
// listed separately at the end).
std::vector<const kb::Program*> Remaining(const Ctx& c) {
  std::vector<const kb::Program*> out;
  for (const kb::Program* p : RegionPrograms(c, "")) {
    if (p->category == "相談") continue;
    bool keep = true;
    for (const Question& q : Questions()) {
      auto it = c.t.diagnose.find(q.id);
      if (it != c.t.diagnose.end() && !it->second && p->category == q.category) keep = false;
    }
    if (keep) out.push_back(p);
  }
  return out;
}

const Question* NextQuestion(const Ctx& c) {
  for (const Question& q : Questions()) {
    if (c.t.diagnose.count(q.id)) continue;
    if (RegionPrograms(c, q.category).empty()) continue;
    return &q;
  }
  return nullptr;
}

// The kinds of help the message itself names (「使える手当はある？」): taken
// as answered "yes", and their programs listed at once, so the answer
// comes before the questions. "" when none.
std::string NamedKinds(Ctx& c) {
  if (c.u == nullptr) return "";
  std::vector<std::string> lines;
  for (const Question& q : Questions()) {
    const auto& named = c.u->categories;
    if (std::find(named.begin(), named.end(), q.category) == named.end()) continue;
    const std::vector<const kb::Program*> ps = RegionPrograms(c, q.category);
    if (ps.empty()) continue;
    c.t.diagnose[q.id] = true;
    std::vector<std::string> names;
    for (const kb::Program* p : ps) names.push_back(ShortProgramName(*p));
    lines.push_back(RegionName(c) + "の「" + q.category + "」は" + std::to_string(ps.size()) +
                    "件です：" + Join(names, "、") + "。");
  }
  return lines.empty() ? "" : Join(lines, "\n") + "\n";
}

void AskNext(Ctx& c, const Question& q, bool first, const std::string& lead = "") {
  Pending p;
  p.kind = "diagnose";
  p.slot = q.id;
  c.t.pending = p;
  c.out.meta.flow = "diagnose";
  const size_t n = Remaining(c).size();
  std::string text = lead;
  if (first && !lead.empty()) {
    text +=
        "ほかにも使えそうな制度がないか、いくつか質問します。「はい」「いいえ」で答えてください。"
        "\n";
  } else if (first) {
    text = "いくつか質問して、" + RegionName(c) +
           "で使えそうな制度をしぼりこみます。"
           "「はい」「いいえ」で答えてください。\n";
  }
  text += "（今あてはまりそうな制度：" + std::to_string(n) + "件）\n" + q.text;
  c.Say(text);
  c.Quick({Q("はい"), Q("いいえ"), Q("結果を見る"), Q("やめる")});
}

void Finish(Ctx& c) {
  const std::vector<const kb::Program*> ps = Remaining(c);
  const std::map<std::string, bool> answers = c.t.diagnose;
  c.t.EndFlow();
  c.out.meta.flow = "diagnose";
  c.out.meta.answered = true;
  std::vector<std::string> rows;
  const size_t kMax = 8;
  for (size_t i = 0; i < ps.size() && i < kMax; ++i) {
    const kb::Program* p = ps[i];
    std::string reason = "まだ質問していない分野";
    for (const Question& q : Questions()) {
      auto it = answers.find(q.id);
      if (p->category == q.category && it != answers.end() && it->second) reason = q.reason;
    }
    rows.push_back("・" + ShortProgramName(*p) + "（" + reason + "）：" +
                   FirstSentences(RenderText(c, p->summary), 45));
    c.out.meta.programs.push_back(p->id);
  }
  if (rows.empty()) {
    c.Say(
        "お答えの内容では、あてはまる制度が見つかりませんでした。相談窓口で、ほかに使える"
        "支援がないか聞いてみてください。");
  } else {
    std::string text = RegionName(c) + "で使えそうな制度は" + std::to_string(ps.size()) +
                       "件です。\n" + Join(rows, "\n");
    if (ps.size() > kMax) text += "\n（ほか" + std::to_string(ps.size() - kMax) + "件）";
    c.Say(text);
  }
  c.Say(
      "実際に使えるかどうかは、所得や家族の状況で変わります。くわしくは制度の名前を送るか、"
      "窓口でご確認ください。");
  std::vector<QuickReply> q;
  for (const kb::Program* p : ps) {
    if (q.size() >= 2) break;
    q.push_back(Q(ShortProgramName(*p), p->name + "について"));
  }
  q.push_back(P("手当の計算", "menu=calc"));
  q.push_back(Q("人と話したい"));
  c.Quick(std::move(q));
}

}  // namespace

void Diagnose(Ctx& c, bool start) {
  if (start) {
    c.t.EndFlow();
    if (Region(c).empty() && c.t.prefecture.empty()) return AskMunicipality(c, "diagnose", "");
    c.t.flow = "diagnose";
    const std::string lead = NamedKinds(c);
    const Question* q = NextQuestion(c);
    if (!q) return Finish(c);
    return AskNext(c, *q, true, lead);
  }
  // An answer to the pending question.
  const std::string qid = c.t.pending && c.t.pending->kind == "diagnose" ? c.t.pending->slot : "";
  const bool done = c.canon.find(c.nlu.Canonical("結果")) != std::string::npos;
  const bool yes = c.u && (c.u->entities.yes || c.canon.find(c.nlu.Canonical("わからない")) == 0);
  const bool no = c.u && c.u->entities.no;
  if (!done && !yes && !no) {
    c.t.EndFlow();  // something else: the router answers it
    return;
  }
  if (!qid.empty() && (yes || no)) c.t.diagnose[qid] = yes && !no;
  if (done) return Finish(c);
  const Question* q = NextQuestion(c);
  if (!q) return Finish(c);
  AskNext(c, *q, false);
}

}  // namespace yorisoi::dialogs::internal
