// Greeting, follow (privacy notice), help menu, thanks, reset, cancel,
// non-text messages, out-of-scope questions and the fallback.
#include <cctype>

#include "core/utf8.h"
#include "dialogs/flows.h"

namespace yorisoi::dialogs::internal {

namespace {

// Content words for the full-text search: the runs of kanji, katakana,
// letters and digits of the (normalized, hiragana-folded) message, i.e. the
// text without particles, okurigana and punctuation ("養育費の相談をしたい"
// → "養育費 相談"). Runs of one character are dropped.
std::string SearchTerms(const std::string& normalized) {
  std::vector<std::string> terms;
  std::string cur;
  size_t cur_chars = 0;
  auto flush = [&] {
    if (cur_chars >= 2) terms.push_back(cur);
    cur.clear();
    cur_chars = 0;
  };
  for (const utf8::CodePointAt& at : utf8::Decode(normalized)) {
    const char32_t cp = at.c;
    const bool ascii_alnum = cp < 0x80 && std::isalnum(static_cast<unsigned char>(cp));
    const bool han = cp >= 0x4E00 && cp <= 0x9FFF;
    const bool keep = ascii_alnum || han || cp == 0x30FC /* ー */ || utf8::IsKatakana(cp);
    if (keep) {
      cur.append(normalized, at.pos, at.len);
      ++cur_chars;
    } else {
      flush();
    }
  }
  flush();
  return Join(terms, " ");
}

std::string MenuText() {
  return "次のようなことをお手伝いできます。\n"
         "・制度を調べる（手当・医療費・貸付・仕事・住まいなど）\n"
         "・手当の計算（児童扶養手当などの目安）\n"
         "・窓口・相談先（電話番号・受付時間・今あいているか）\n"
         "・困ったとき（緊急の相談先）\n"
         "下のボタンを押すか、「児童扶養手当はいくら？」のように送ってください。";
}

}  // namespace

void Greeting(Ctx& c) {
  c.out.meta.flow = "housekeeping";
  c.out.meta.answered = true;
  std::string hello = "こんにちは。ひとり親家庭の支援制度や相談先をご案内します。";
  if (!Region(c).empty())
    hello += "（" + MunicipalityName(c.kb, Region(c)) + "の情報でお答えします）";
  c.Say(hello);
  c.Say(MenuText());
  c.Quick(MenuQuickReplies());
}

void Follow(Ctx& c) {
  c.out.meta.flow = "housekeeping";
  c.out.meta.answered = true;
  c.Say(
      "友だち追加ありがとうございます。ひとり親家庭の手当・助成・貸付などの制度や、"
      "相談窓口をご案内するチャットです。");
  const int ttl_days = std::max(1, c.options.state_ttl_minutes / (60 * 24));
  c.Say("【個人情報について】やりとりの内容は、電話番号などを伏せたうえで" +
        std::to_string(c.options.log_retention_days) +
        "日間保存し、市の担当職員がサービス改善のために確認することがあります。"
        "お住まいの市区町村など会話の途中経過は、最後のやりとりから" +
        std::to_string(ttl_days) +
        "日で消去します。マイナンバーや、お名前・住所などの詳しい個人情報は送らないでください。");
  c.Say(
      "まず、お住まいの市区町村を教えていただくと、その地域の情報でお答えできます"
      "（例：「小平市です」）。下のメニューからも始められます。");
  c.Quick(MenuQuickReplies());
}

void Help(Ctx& c) {
  c.out.meta.flow = "housekeeping";
  c.out.meta.answered = true;
  c.Say(MenuText());
  c.Quick(MenuQuickReplies());
}

void Thanks(Ctx& c) {
  c.out.meta.flow = "housekeeping";
  c.out.meta.answered = true;
  c.Say("どういたしまして。ほかにも気になることがあれば、いつでも送ってください。");
  c.Quick(MenuQuickReplies());
}

void ResetAll(Ctx& c) {
  c.t.Reset();
  c.out.meta.flow = "housekeeping";
  c.out.meta.answered = true;
  c.Say(
      "最初からやり直します。お住まいの市区町村などの情報も消去しました。"
      "ご用件をメニューから選ぶか、そのまま送ってください。");
  c.Quick(MenuQuickReplies());
}

void Cancel(Ctx& c) {
  const bool had_flow = !c.t.flow.empty() || c.t.pending.has_value();
  c.t.EndFlow();
  c.out.meta.flow = "housekeeping";
  c.out.meta.answered = true;
  c.Say(had_flow ? "わかりました。中止しました。ほかにご用件があれば送ってください。"
                 : "わかりました。ほかにご用件があれば送ってください。");
  c.Quick(MenuQuickReplies());
}

void NonText(Ctx& c) {
  c.out.meta.flow = "housekeeping";
  c.Say(
      "ごめんなさい、このチャットは文字のメッセージだけを読むことができます。"
      "ご質問を文字で送るか、メニューから選んでください。");
  c.Quick(MenuQuickReplies());
}

void OutOfScope(Ctx& c) {
  c.out.meta.flow = "fallback";
  c.out.meta.fallback = true;
  c.Say(
      "ごめんなさい、そのご質問にはお答えできません。このチャットでは、ひとり親家庭の"
      "支援制度や相談窓口についてお答えしています。");
  c.Quick(MenuQuickReplies());
}

void Fallback(Ctx& c) {
  c.out.meta.flow = "fallback";
  c.out.meta.fallback = true;
  // Two misses in a row: offer a person (this chat's staff) as well.
  if (++c.t.misses >= 2 && c.options.staff_chat) {
    c.Say(
        "すみません、ご質問の内容がわかりませんでした。担当者に相談することもできます。"
        "「児童扶養手当はいくら？」のように送っていただいても、お答えできることがあります。");
    c.Quick({P("担当者に相談", "handoff=request"), P("窓口・相談先", "menu=windows"),
             P("メニュー", "menu=main")});
    return;
  }
  std::vector<kb::SearchHit> hits;
  if (c.u && !c.u->raw.empty()) {
    const std::string query = SearchTerms(c.u->normalized);
    if (!query.empty()) hits = c.kb.Search(query, Region(c), 3);
  }
  if (hits.empty()) {
    c.Say(
        "すみません、ご質問の内容がわかりませんでした。「児童扶養手当はいくら？」"
        "「小平市の窓口の電話番号」のように送っていただくか、メニューから選んでください。");
    c.Quick(MenuQuickReplies());
    return;
  }
  std::vector<std::string> rows;
  std::vector<QuickReply> q;
  for (const kb::SearchHit& h : hits) {
    rows.push_back("・" + h.title);
    if (h.kind == "program") {
      const kb::Program* p = c.kb.FindProgram(h.id);
      q.push_back(Q(p ? ShortProgramName(*p) : h.title, h.title + "について"));
    } else {
      q.push_back(Q(h.title, h.title + "の電話番号"));
    }
  }
  c.Say("すみません、ご質問にぴったりの答えがわかりませんでした。関係がありそうな情報です。\n" +
        Join(rows, "\n"));
  q.push_back(P("メニュー", "menu=main"));
  c.Quick(std::move(q));
}

}  // namespace yorisoi::dialogs::internal
