// Program questions: the facet asked (概要, 金額, 対象, 所得制限, 申請方法,
// 必要書類, 支給日, 窓口) for the user's municipality, with figures rendered
// for the message's date, the source and the as-of date; program lists by
// category.
#include <algorithm>
#include <cmath>
#include <map>

#include "core/utf8.h"
#include "dialogs/flows.h"

namespace yorisoi::dialogs::internal {

namespace {

int ScopeRank(const kb::Program& p) {
  return p.scope == "municipality" ? 2 : p.scope == "prefecture" ? 1 : 0;
}

bool HasDigit(const std::string& s) {
  for (char ch : s)
    if (ch >= '0' && ch <= '9') return true;
  return s.find("割") != std::string::npos;
}

// A region's version of a national program (岡山県 高等職業訓練促進給付金).
bool SameConcept(const kb::Program& a, const kb::Program& b) {
  auto names = [](const kb::Program& p, const std::string& n) {
    return std::find(p.aliases.begin(), p.aliases.end(), n) != p.aliases.end();
  };
  return names(a, b.name) || names(b, a.name) || names(a, ShortProgramName(b)) ||
         names(b, ShortProgramName(a)) || ShortProgramName(a) == ShortProgramName(b);
}

struct Facet {
  const char* intent;
  const char* label;  // quick-reply label
  const char* word;   // appended to the program name in the quick-reply text
};

const std::vector<Facet>& Facets() {
  static const std::vector<Facet> kFacets = {
      {"program.overview", "概要", "について"},
      {"program.amount", "金額", "の金額は？"},
      {"program.eligibility", "対象", "の対象は？"},
      {"program.income_limit", "所得制限", "の所得制限は？"},
      {"program.apply", "申請方法", "の申請方法は？"},
      {"program.documents", "必要書類", "の必要書類は？"},
      {"program.payment_date", "支給日", "の支給日は？"},
      {"program.window", "窓口", "の窓口は？"},
      {"program.renewal", "現況届・更新", "の現況届は？"},
      {"program.reduction", "減額", "の減額は？"},
      {"program.loan", "利子・返済", "の利子や返済は？"},
      {"program.related", "関連する制度", "に関連する制度は？"},
  };
  return kFacets;
}

// 「国立市のページ（平成28年8月時点）の手当額は…でした」: a note about a
// page's outdated figures or rules.
bool DescribesOldPage(const std::string& s) {
  if (s.find("のページ") == std::string::npos && s.find("とされていました") == std::string::npos)
    return false;
  for (const char* w : {"でした", "ました", "載せています", "記載があります", "誤記"})
    if (s.find(w) != std::string::npos) return true;
  return false;
}

// Sentences of `text` that say what or who is covered (「対象資格：看護師…」).
std::vector<std::string> TargetSentences(const std::string& text) {
  std::vector<std::string> out;
  size_t pos = 0;
  while (pos < text.size()) {
    size_t end = text.find("。", pos);
    end = end == std::string::npos ? text.size() : end + std::string("。").size();
    const std::string sentence = text.substr(pos, end - pos);
    if (sentence.rfind("対象", 0) == 0 && sentence.find("：") != std::string::npos)
      out.push_back(sentence);
    pos = end;
  }
  return out;
}

std::string Bullets(const std::vector<std::string>& items, size_t max) {
  std::string s;
  for (size_t i = 0; i < items.size() && i < max; ++i) s += (s.empty() ? "・" : "\n・") + items[i];
  if (items.size() > max) s += "\n（ほか" + std::to_string(items.size() - max) + "件）";
  return s;
}

}  // namespace

std::string FirstSentences(const std::string& text, size_t max_chars) {
  static const std::string kStop = "。";
  std::string out;
  size_t pos = 0;
  while (pos < text.size()) {
    size_t end = text.find(kStop, pos);
    end = end == std::string::npos ? text.size() : end + kStop.size();
    const std::string sentence = text.substr(pos, end - pos);
    if (!out.empty() && utf8::CodePointCount(out) + utf8::CodePointCount(sentence) > max_chars)
      break;
    out += sentence;
    pos = end;
  }
  return out;
}

ProgramChoice ChooseProgram(const Ctx& c, bool allow_last, bool allow_topic) {
  ProgramChoice pc;
  if (!c.forced_program.empty()) {
    pc.program = c.kb.FindProgram(c.forced_program);
    return pc;
  }
  if (c.u && !c.u->programs.empty()) {
    std::vector<std::pair<const kb::Program*, double>> avail, all;
    for (const text::Scored& s : c.u->programs) {
      const kb::Program* p = c.kb.FindProgram(s.id);
      if (!p) continue;
      all.push_back({p, s.score});
      if (ProgramAvailable(c, *p)) avail.push_back({p, s.score});
    }
    const bool region_known = !Region(c).empty() || !c.t.prefecture.empty();
    // A program offered elsewhere only counts when the region is unknown.
    auto& list = region_known ? avail : all;
    if (!list.empty()) {
      const double top = list.front().second;
      std::vector<const kb::Program*> close;
      for (const auto& [p, s] : list)
        if (s >= 0.8 * top) close.push_back(p);
      // The most local reading wins ("高等職業訓練促進給付金" in 岡山県).
      std::stable_sort(close.begin(), close.end(), [](const kb::Program* a, const kb::Program* b) {
        return ScopeRank(*a) > ScopeRank(*b);
      });
      if (!region_known && close.size() > 1) {
        // Without a region, a national program is the safe reading; local
        // programs of several regions need the region.
        const kb::Program* national = nullptr;
        for (const kb::Program* p : close)
          if (p->scope == "national" && !national) national = p;
        if (national) {
          pc.program = national;
          return pc;
        }
        pc.needs_region = true;
        pc.program = close.front();
        pc.alternatives = close;
        return pc;
      }
      pc.program = close.front();
      if (!region_known && pc.program->scope != "national") {
        // A city's own program: only once we know the user lives there
        // (「都営住宅」 is not 岡山県's 公営住宅). One prefecture's program
        // named as such does not depend on the municipality — unless the
        // user lives elsewhere.
        const bool one_prefecture =
            pc.program->scope == "prefecture" && pc.program->regions.size() == 1;
        if (!one_prefecture || !c.t.other_place.empty()) pc.needs_region = true;
        return pc;
      }
      if (c.u->programs_ambiguous) {
        // The same words name two different programs (「福祉資金」): ask.
        for (size_t i = 1; i < close.size(); ++i)
          if (!SameConcept(*pc.program, *close[i])) pc.alternatives.push_back(close[i]);
      }
      if (!pc.alternatives.empty()) pc.alternatives.insert(pc.alternatives.begin(), pc.program);
      return pc;
    }
  }
  if (allow_topic) {
    for (const Hit& h : c.matcher.TopicPrograms(c.canon)) {
      const kb::Program* p = c.kb.FindProgram(h.id);
      if (p && ProgramAvailable(c, *p) && h.score >= 4.0) {
        pc.program = p;
        return pc;
      }
    }
  }
  if (allow_last && !c.t.last_program.empty()) {
    pc.program = c.kb.FindProgram(c.t.last_program);
  }
  return pc;
}

namespace {

std::vector<QuickReply> NextQuestions(const Ctx& c, const kb::Program& p,
                                      const std::string& asked) {
  std::vector<QuickReply> q;
  const std::string name = ShortProgramName(p);
  if (!p.calc_program.empty() && asked != "program.overview" &&
      (p.calc_program == "jido_fuyo_teate" || p.calc_program == "jido_teate" ||
       p.calc_program == "jido_ikusei_teate"))
    q.push_back(Q("自分の場合を計算", name + "を計算したい"));
  std::vector<const char*> order;
  if (asked == "program.overview" || asked.empty()) {
    order = {"program.amount", "program.eligibility", "program.apply", "program.window"};
  } else if (asked == "program.amount") {
    order = {"program.income_limit", "program.apply", "program.window"};
  } else if (asked == "program.eligibility" || asked == "program.income_limit") {
    order = {"program.amount", "program.apply", "program.window"};
  } else if (asked == "program.apply" || asked == "program.documents") {
    order = {"program.documents", "program.payment_date", "program.window", "program.amount"};
  } else {
    order = {"program.amount", "program.apply", "program.window"};
  }
  // Facets this program has data for come before the generic ones.
  std::vector<const char*> extra;
  if (!p.loan.empty() && asked != "program.loan") extra.push_back("program.loan");
  if (!p.reduction.empty() && asked == "program.amount") extra.push_back("program.reduction");
  if (!p.renewal.empty() && (asked == "program.payment_date" || asked == "program.apply"))
    extra.push_back("program.renewal");
  if (!p.related.empty() && asked == "program.overview") extra.push_back("program.related");
  order.insert(order.begin(), extra.begin(), extra.end());
  for (const char* intent : order) {
    if (q.size() >= 3) break;
    if (asked == intent) continue;
    if (std::string(intent) == "program.income_limit" && p.income_limit.empty()) continue;
    if (std::string(intent) == "program.payment_date" && p.payment.empty()) continue;
    if (std::string(intent) == "program.documents" && p.documents.empty()) continue;
    for (const Facet& f : Facets())
      if (std::string(f.intent) == intent) q.push_back(Q(f.label, name + f.word));
  }
  (void)c;
  q.push_back(P("メニュー", "menu=main"));
  return q;
}

// The windows of a resolved program that make sense for the user.
std::vector<const kb::Window*> ProgramWindows(const Ctx& c, const kb::Program& p) {
  std::vector<const kb::Window*> out;
  for (const std::string& id : p.windows) {
    const kb::Window* w = c.kb.FindWindow(id);
    if (w && WindowAllowed(c, *w)) out.push_back(w);
  }
  if (out.empty() && !(LocalFor(c, p.id) && !LocalFor(c, p.id)->how_to_apply.empty())) {
    // No window listed for this region (and no local text saying where):
    // one whose "handles" name the program.
    for (const Hit& h :
         c.matcher.TopicWindows(c.nlu.Canonical(p.name + " " + Join(p.aliases, " ")))) {
      const kb::Window* w = c.kb.FindWindow(h.id);
      if (w && !w->is_safety && WindowAllowed(c, *w) && w->scope != "national" &&
          (!Region(c).empty() || !c.t.prefecture.empty())) {
        out.push_back(w);
        break;
      }
    }
  }
  return out;
}

std::string ShortWindowLine(const kb::Window& w) {
  std::string s = "窓口：" + w.name;
  if (!w.phones.empty()) s += "（電話 " + PhoneText(w.phones.front()) + "）";
  return s;
}

std::string FacetWord(const std::string& intent) {
  static const std::map<std::string, std::string> kWords = {
      {"program.amount", "金額"},
      {"program.eligibility", "対象となる方"},
      {"program.income_limit", "所得制限"},
      {"program.apply", "申請の方法"},
      {"program.documents", "必要書類"},
      {"program.payment_date", "支給日"},
      {"program.renewal", "現況届・更新の手続き"},
      {"program.reduction", "減額"},
      {"program.loan", "貸付の限度額・利子・返済"},
      {"program.related", "関連する制度"},
  };
  auto it = kWords.find(intent);
  return it == kWords.end() ? "" : it->second;
}

// Long replies lead with the answer; the rest waits behind 「詳しく」.
constexpr size_t kLongReply = 400;

// 「（☎042-576-2111（内線156、157））」: where to call about a program in a list.
std::string PhoneSuffix(const Ctx& c, const kb::Program& base) {
  const std::optional<kb::Program> p = c.kb.Resolve(base.id, Region(c));
  const std::vector<const kb::Window*> wins = ProgramWindows(c, *p);
  for (const kb::Window* w : wins)
    if (!w->phones.empty()) return "（☎" + PhoneText(w->phones.front()) + "）";
  return "";
}

// A program without a window here: where to ask instead.
std::string NoWindowLine(const Ctx& c, const kb::Program& p) {
  if (!c.t.other_place.empty())
    return "窓口：" + c.t.other_place + "のひとり親・子育ての担当窓口にお問い合わせください。";
  if (const kb::Window* w = PrimaryWindow(c); w && !Region(c).empty()) return ShortWindowLine(*w);
  if (p.scope == "national")
    return "窓口：お住まいの市区町村のひとり親・子育ての担当窓口にお問い合わせください。";
  return "窓口：お住まいの地域の担当窓口にお問い合わせください。";
}

// Renders a program's texts for the message's date, keeping the facts used
// and the figures with no value on that date (for the as-of line).
struct Renderer {
  const Ctx& c;
  std::vector<const kb::FactValue*> used;
  std::vector<std::string> missing;
  std::string operator()(const std::string& s) { return RenderText(c, s, &used, &missing); }
  std::vector<std::string> All(const std::vector<std::string>& v) {
    std::vector<std::string> out;
    for (const auto& s : v) out.push_back((*this)(s));
    return out;
  }
  // The text of a section whose figures have no value on this date, said
  // plainly, once.
  std::string NoFigures() {
    std::string note = NoFiguresNote(c.kb, c.today, missing);
    missing.clear();
    return note;
  }
};

// What one facet's answer says.
struct FacetAnswer {
  std::string lead;  // the direct answer, before the texts
  std::string body;
  std::string extra;  // a second message
  bool show_window = true;
  std::vector<QuickReply> related_q;
};

void OverviewFacet(const Ctx& c, const kb::Program& p, Renderer& R, FacetAnswer& a) {
  a.body = R(p.summary);
  // A section whose figures have no value on this date renders empty.
  if (const std::string b = R(p.benefit); !b.empty()) a.body += "\n内容：" + FirstSentences(b, 200);
  if (const std::string l = R(p.income_limit); !l.empty())
    a.body += "\n所得制限：" + FirstSentences(l, 90);
  if (!p.how_to_apply.empty()) a.body += "\n申請：" + FirstSentences(R(p.how_to_apply), 120);
  std::vector<std::string> rel;
  for (const std::string& id : p.related) {
    const kb::Program* r = c.kb.FindProgram(id);
    if (r && ProgramAvailable(c, *r) && rel.size() < 2) rel.push_back(ShortProgramName(*r));
  }
  if (!rel.empty()) a.body += "\n関連する制度：" + Join(rel, "、");
}

// The notes under an amount: a city's own figures, or what the user pays.
std::vector<std::string> AmountNotes(const kb::Program& p, const kb::LocalInfo* local,
                                     Renderer& R) {
  std::vector<std::string> notes;
  if (local) {
    // A city's own figures, with their date — but not what an old page
    // used to say: the figures in force are the ones above.
    for (const std::string& ca : local->cautions)
      if (HasDigit(ca) && !DescribesOldPage(ca)) notes.push_back(R(ca));
  }
  if (notes.empty() && !HasDigit(p.benefit)) {
    // No figure: say what the user pays, if the texts say so.
    for (const std::string& ca : p.cautions)
      if (ca.find("負担") != std::string::npos || ca.find("無料") != std::string::npos)
        notes.push_back(R(ca));
    if (notes.empty() && (p.income_limit.find("負担") != std::string::npos))
      notes.push_back(R(p.income_limit));
    if (notes.empty() && !p.loan.empty() && !p.benefit.empty()) notes.push_back(R(p.loan));
  }
  return notes;
}

void AmountFacet(const Ctx& c, const kb::Program& p, Renderer& R, FacetAnswer& a) {
  if (const auto n = ChildCount(c)) a.lead = ChildTotalLine(c, p, *n);
  if (a.lead.empty()) a.lead = AgesTotalLine(c, p);
  const std::string b = R(p.benefit);
  if (p.benefit.empty()) {
    a.body = p.loan.empty() ? MissingFacet(c, p, "金額") : R(p.loan);
  } else if (b.empty()) {
    a.body = R.NoFigures();
  } else {
    a.body = "金額・内容：" + b;
  }
  const std::vector<std::string> notes = AmountNotes(p, LocalFor(c, p.id), R);
  if (!notes.empty()) a.extra = "※" + Join(notes, "\n※");
}

void IncomeLimitFacet(const Ctx& c, const kb::Program& p, Renderer& R, FacetAnswer& a) {
  if (const auto n = ChildCount(c)) a.lead = IncomeLimitLine(c, p, *n);
  const std::string l = R(p.income_limit);
  if (p.income_limit.empty()) {
    a.body = MissingFacet(c, p, "所得制限");
  } else if (l.empty()) {
    a.body = R.NoFigures();
  } else {
    a.body = "所得制限：" + l;
    // What the limit is for: who gets it and how much.
    if (const std::string b = R(p.benefit); !b.empty() && HasDigit(p.benefit))
      a.body += "\n金額：" + FirstSentences(b, 120);
    if (!p.summary.empty()) a.body += "\n" + FirstSentences(R(p.summary), 80);
  }
}

void RenewalFacet(const Ctx& c, const kb::Program& p, Renderer& R, FacetAnswer& a) {
  std::vector<std::string> found;
  if (!p.renewal.empty()) found.push_back(R(p.renewal));
  for (const std::string& ca : p.cautions)
    if (p.renewal.empty() &&
        (ca.find("現況届") != std::string::npos || ca.find("更新") != std::string::npos))
      found.push_back(R(ca));
  a.body = found.empty() ? MissingFacet(c, p, "現況届・更新の手続き")
                         : "現況届・更新：" + Join(found, "\n");
}

void RelatedFacet(const Ctx& c, const kb::Program& p, Renderer& R, FacetAnswer& a) {
  std::vector<std::string> rows;
  for (const std::string& id : p.related) {
    const kb::Program* r = c.kb.FindProgram(id);
    if (!r || !ProgramAvailable(c, *r)) continue;
    rows.push_back("・" + ShortProgramName(*r) + "：" + FirstSentences(R(r->summary), 60));
    if (a.related_q.size() < 3)
      a.related_q.push_back(Q(ShortProgramName(*r), r->name + "について"));
  }
  a.body =
      rows.empty() ? MissingFacet(c, p, "関連する制度") : "関連する制度：\n" + Join(rows, "\n");
}

// A parent who gives a child's age or school stage (高校生の子, 19歳) and
// asks who can get a program gets the program's age rule first: its
// eligibility lines that state an age.
std::string AgeRuleLine(const Ctx& c, const kb::Program& p, Renderer& R) {
  if (!c.u || c.u->entities.child_ages.empty()) return "";
  std::vector<std::string> rules;
  for (const std::string& line : R.All(p.eligibility))
    if (line.find("歳") != std::string::npos) rules.push_back(line);
  if (rules.empty()) return "";
  return "お子さんの年齢の条件：" + Join(rules, "\n");
}

// The facets that are one text of the program, or a line saying it has none.
bool SimpleFacet(const Ctx& c, const std::string& intent, const kb::Program& p, Renderer& R,
                 FacetAnswer& a) {
  auto missing = [&](const std::string& what) { return MissingFacet(c, p, what); };
  if (intent == "program.eligibility") {
    a.body = p.eligibility.empty() ? R(p.summary) : "対象：\n" + Bullets(R.All(p.eligibility), 12);
    a.lead = AgesTotalLine(c, p);
    if (a.lead.empty()) a.lead = AgeRuleLine(c, p, R);
    for (const std::string& t : TargetSentences(R(p.benefit))) a.body += "\n" + t;
    if (!p.exclusions.empty()) a.extra = "対象にならない場合：\n" + Bullets(R.All(p.exclusions), 5);
  } else if (intent == "program.apply") {
    a.body = FirstSentences(R(p.summary), 80);
    a.body += "\n申請・利用の方法：" +
              (p.how_to_apply.empty() ? missing("申請の方法") : R(p.how_to_apply));
    if (!p.documents.empty()) a.extra = "主な必要書類：\n" + Bullets(R.All(p.documents), 5);
  } else if (intent == "program.documents") {
    a.body =
        p.documents.empty() ? missing("必要書類") : "必要書類：\n" + Bullets(R.All(p.documents), 8);
  } else if (intent == "program.payment_date") {
    a.lead = PaymentLine(c, p);
    a.body = p.payment.empty() ? missing("支給日・支払方法") : "支給日・支払方法：" + R(p.payment);
  } else if (intent == "program.reduction") {
    a.body = p.reduction.empty() ? missing("減額") : "減額について：" + R(p.reduction);
  } else if (intent == "program.loan") {
    a.body = p.loan.empty() ? missing("貸付の限度額・利子・返済") : "貸付の条件：" + R(p.loan);
  } else {
    return false;
  }
  return true;
}

void WindowFacet(const kb::Program& p, const std::vector<const kb::Window*>& wins, Renderer& R,
                 FacetAnswer& a) {
  a.body = FirstSentences(R(p.summary), 80);
  if (!p.how_to_apply.empty()) a.body += "\n" + FirstSentences(R(p.how_to_apply), 150);
  if (wins.empty() && p.how_to_apply.empty())
    a.body += "\nお住まいの市区町村の担当窓口にお問い合わせください。";
  a.show_window = false;
}

FacetAnswer ComposeFacet(const Ctx& c, const std::string& intent, const kb::Program& p,
                         const std::vector<const kb::Window*>& wins, Renderer& R) {
  FacetAnswer a;
  if (intent == "program.overview") {
    OverviewFacet(c, p, R, a);
  } else if (intent == "program.amount") {
    AmountFacet(c, p, R, a);
  } else if (intent == "program.income_limit") {
    IncomeLimitFacet(c, p, R, a);
  } else if (intent == "program.renewal") {
    RenewalFacet(c, p, R, a);
  } else if (intent == "program.related") {
    RelatedFacet(c, p, R, a);
  } else if (!SimpleFacet(c, intent, p, R, a)) {  // program.window
    WindowFacet(p, wins, R, a);
  }
  return a;
}

// The specific point the question asks about that the facet's answer does
// not say (「養育費もらってたら手当減る？」: the sentence on 養育費), first.
void AddAskedPoint(const Ctx& c, const kb::Program& p, Renderer& R, FacetAnswer& a) {
  if (!c.u) return;
  std::vector<const kb::Program*> named = {&p};
  for (const text::Scored& s : c.u->programs)
    if (const kb::Program* q = c.kb.FindProgram(s.id)) named.push_back(q);
  const std::string raw = c.matcher.asked_points().Find(c.u->normalized, p, named);
  if (raw.empty()) return;
  Renderer scratch{c, {}, {}};
  const std::string sentence = scratch(raw);
  if (sentence.empty()) return;
  for (const std::string* shown : {&a.lead, &a.body, &a.extra})
    if (shown->find(sentence) != std::string::npos) return;
  const std::string line = "ご質問の点について：" + R(raw);
  a.lead = a.lead.empty() ? line : a.lead + "\n" + line;
}

// A second question in the same message (「いくら？あと振込は何月？」).
void SecondQuestion(const Ctx& c, const std::string& intent, const kb::Program& p, Renderer& R,
                    std::string& body) {
  if (!c.u) return;
  if (intent == "program.amount" && !p.payment.empty() &&
      Asked(c, {"何月", "振込", "振り込", "支給日"})) {
    const std::string next = PaymentLine(c, p);
    body += "\n支給日：" + (next.empty() ? "" : next) + FirstSentences(R(p.payment), 100);
  } else if (intent == "program.payment_date" && !p.benefit.empty() &&
             Asked(c, {"いくら", "金額"})) {
    std::string amount = ChildCount(c) ? ChildTotalLine(c, p, *ChildCount(c)) : "";
    body = "金額：" + (amount.empty() ? FirstSentences(R(p.benefit), 150) : amount) + "\n" + body;
  }
}

// Lead with the answer; the rest is one tap away (「詳しく」). Returns the
// text, shortened when it is long and not asked for in detail.
std::string LeadWithAnswer(const std::string& head, const FacetAnswer& a, bool detailed,
                           bool* cut) {
  std::string text = head + "\n" + (a.lead.empty() ? "" : a.lead + "\n") + a.body;
  *cut = false;
  if (detailed || utf8::CodePointCount(text) <= kLongReply) return text;
  std::string shortened = head + "\n" + (a.lead.empty() ? "" : a.lead + "\n");
  shortened += FirstSentences(
      a.body, kLongReply - std::min<size_t>(utf8::CodePointCount(shortened), 300) - 40);
  if (utf8::CodePointCount(shortened) > kLongReply)
    shortened = Truncate(shortened, kLongReply - 10) + "…";
  *cut = true;
  return shortened;
}

// The program's windows: cards for a window question, else one line (or
// where to ask instead) under the answer.
void SayWindows(Ctx& c, const std::string& intent, const kb::Program& p,
                const std::vector<const kb::Window*>& wins, bool show_window) {
  if (intent == "program.window") {
    for (size_t i = 0; i < wins.size() && i < 2; ++i) {
      Message& m = c.Say(WindowCard(c, *wins[i], true));
      AddCallButtons(m, *wins[i]);
      AttachWindowCard(c, m, *wins[i]);
    }
    if (!wins.empty()) c.t.last_window = wins.front()->id;
  } else if (show_window && !wins.empty()) {
    // Every answer says how to reach the program's window.
    Message& m = c.out.messages.back();
    m.text += "\n" + ShortWindowLine(*wins.front());
    AddCallButtons(m, *wins.front());
    c.t.last_window = wins.front()->id;
  } else if (show_window) {
    c.out.messages.back().text += "\n" + NoWindowLine(c, p);
  }
}

void AnswerQuickReplies(Ctx& c, const std::string& intent, const kb::Program& p, bool cut,
                        std::vector<QuickReply> related_q) {
  std::vector<QuickReply> q;
  if (cut) {
    const std::string what = FacetWord(intent);
    q.push_back(Q("詳しく", ShortProgramName(p) + (what.empty() ? "" : "の" + what) + "を詳しく"));
  }
  for (QuickReply& r : related_q) q.push_back(std::move(r));
  for (QuickReply& r : NextQuestions(c, p, intent)) {
    if (q.size() >= 13) break;
    q.push_back(std::move(r));
  }
  c.Quick(std::move(q));
}

void NoteProgramAnswered(Ctx& c, const kb::Program& p) {
  c.t.last_program = p.id;
  c.out.meta.flow = "program";
  c.out.meta.answered = true;
  if (std::find(c.out.meta.programs.begin(), c.out.meta.programs.end(), p.id) ==
      c.out.meta.programs.end())
    c.out.meta.programs.insert(c.out.meta.programs.begin(), p.id);
}

// Answers one facet of one program. Returns false when it asked a question.
bool Answer(Ctx& c, const std::string& intent_in, const kb::Program& base) {
  const std::string intent =
      RefineFacet(c, intent_in.empty() ? "program.overview" : intent_in, base);
  const std::optional<kb::Program> resolved = c.kb.Resolve(base.id, Region(c));
  const kb::Program& p = *resolved;
  const std::vector<const kb::Window*> wins = ProgramWindows(c, p);
  // Where to ask depends on the municipality: asked once (never for a user
  // who lives outside the knowledge base — NoWindowLine tells them).
  if (intent == "program.window" && wins.empty() && Region(c).empty() && c.t.prefecture.empty() &&
      c.t.other_place.empty()) {
    AskMunicipality(c, intent, p.id);
    return false;
  }
  std::string head = "【" + p.name + "】";
  if (LocalFor(c, p.id) || (p.scope != "national" && !RegionName(c).empty()))
    head += "（" + RegionName(c) + "）";
  Renderer R{c, {}, {}};
  FacetAnswer a = ComposeFacet(c, intent, p, wins, R);
  AddAskedPoint(c, p, R, a);
  NoteProgramAnswered(c, p);
  SecondQuestion(c, intent, p, R, a.body);
  bool cut = false;
  c.Say(LeadWithAnswer(head, a, c.u && Asked(c, {"詳しく", "くわしく"}), &cut));
  if (!a.extra.empty() && !cut) c.Say(a.extra);
  SayWindows(c, intent, p, wins, a.show_window);
  AttachProgramCard(c, c.Say(AsOfLine(c.kb, p.source, c.today, R.used, R.missing)), p,
                    !R.used.empty());
  AnswerQuickReplies(c, intent, p, cut, std::move(a.related_q));
  return true;
}

void AskWhichProgram(Ctx& c, const std::string& intent, const std::vector<const kb::Program*>& ps) {
  Pending pend;
  pend.kind = "program";
  pend.intent = intent;
  std::vector<QuickReply> q;
  std::vector<std::string> rows;
  for (const kb::Program* p : ps) {
    if (q.size() >= 4) break;
    pend.options.push_back(p->id);
    rows.push_back(std::to_string(q.size() + 1) + ". " + p->name);
    q.push_back(Q(ShortProgramName(*p), p->name));
  }
  c.t.pending = pend;
  c.out.meta.flow = "program";
  c.out.meta.ambiguous = true;
  c.Say("どの制度のことでしょうか。\n" + Join(rows, "\n"));
  c.Quick(std::move(q));
}

// 「夜に子どもを預かってくれるところ」: the program was found by a shared
// phrase (an alias such as 子どもを預ける), and the message's words fit other
// programs of the same kind in the region too. Lists them (with one line
// each) rather than guess. Only for general questions, not for a facet.
bool FitsSeveral(Ctx& c, const std::string& intent, const kb::Program& chosen) {
  if (!(intent.empty() || intent == "program.overview" || intent == "program.window" ||
        intent == "program.list") ||
      !c.u || !c.forced_program.empty() ||
      std::find(c.u->categories.begin(), c.u->categories.end(), chosen.category) ==
          c.u->categories.end())
    return false;
  for (const std::string& name : {chosen.name, ShortProgramName(chosen), chosen.kana}) {
    const std::string n = c.nlu.Canonical(name);
    if (!n.empty() && c.canon.find(n) != std::string::npos) return false;  // named
  }
  double chosen_score = 0;
  std::vector<std::pair<const kb::Program*, double>> others;
  for (const Hit& h : c.matcher.TopicPrograms(c.canon)) {
    const kb::Program* p = c.kb.FindProgram(h.id);
    if (!p || !ProgramAvailable(c, *p)) continue;
    if (p->id == chosen.id) {
      chosen_score = h.score;
    } else if (p->category == chosen.category && h.score >= 4.0 && !SameConcept(*p, chosen)) {
      others.push_back({p, h.score});
    }
  }
  std::vector<const kb::Program*> fit = {&chosen};
  for (const auto& [p, s] : others)
    if (s >= 0.3 * chosen_score && fit.size() < 4) fit.push_back(p);
  if (fit.size() < 3) return false;  // the chosen one and at least two more
  std::vector<std::string> rows;
  std::vector<QuickReply> q;
  for (const kb::Program* p : fit) {
    rows.push_back("・" + ShortProgramName(*p) + "：" +
                   FirstSentences(RenderText(c, p->summary), 70) + PhoneSuffix(c, *p));
    if (q.size() < 3) q.push_back(Q(ShortProgramName(*p), p->name + "について"));
  }
  c.out.meta.flow = "program";
  c.out.meta.answered = true;
  c.Say("当てはまりそうな制度が" + std::to_string(fit.size()) + "つあります。\n" +
        Join(rows, "\n"));
  q.push_back(P("メニュー", "menu=main"));
  c.Quick(std::move(q));
  return true;
}

}  // namespace

// 「児童扶養手当を満額もらえるとして、育成手当とあわせると月いくら？」:
// the per-child totals of every program named, added up.
bool CombinedTotal(Ctx& c, const kb::Program* first) {
  const int n = *ChildCount(c);
  std::vector<const kb::Program*> ps;
  for (const text::Scored& sc : c.u->programs) {
    const kb::Program* p = c.kb.FindProgram(sc.id);
    if (!p || !ProgramAvailable(c, *p) || ChildTotalLine(c, *p, n).empty()) continue;
    if (std::find(ps.begin(), ps.end(), p) == ps.end()) ps.push_back(p);
  }
  if (ps.size() < 2) return false;
  (void)first;
  long long total = 0;
  std::vector<std::string> rows;
  for (const kb::Program* p : ps) {
    const long long v = ChildTotalYen(c, *p, n);
    if (v <= 0) return false;
    total += v;
    rows.push_back("・" + ShortProgramName(*p) + "：" + ChildTotalLine(c, *p, n));
  }
  c.out.meta.flow = "program";
  c.out.meta.answered = true;
  c.t.last_program = ps.front()->id;
  std::string text = "子ども" + std::to_string(n) + "人の場合、合わせて月額" +
                     kb::FormatYen(total) + "円です。\n" + Join(rows, "\n");
  if (const kb::Window* w = PrimaryWindow(c)) text += "\n" + ShortWindowLine(*w);
  c.Say(text);
  // The totals come from the same figures as the programs' amount texts.
  std::vector<const kb::FactValue*> used;
  std::vector<std::string> missing;
  for (const kb::Program* p : ps) (void)RenderText(c, p->benefit, &used, &missing);
  c.Say(AsOfLine(c.kb, ps.front()->source, c.today, used, missing));
  c.Quick({Q("自分の場合を計算", "手当を計算したい"), P("メニュー", "menu=main")});
  return true;
}

namespace {

// 「…給付金をもらってる。就職準備金って借りれるの？」: of the programs
// named, the loan is asked about.
void PreferAskedLoan(const Ctx& c, ProgramChoice& pc) {
  if (!c.u || !pc.program || !pc.alternatives.empty() || !pc.program->loan.empty() ||
      RefineFacet(c, "program.overview", *pc.program) != "program.overview")
    return;
  if (!Asked(c, {"借り", "貸付", "貸し", "返済", "利子"})) return;
  for (const text::Scored& sc : c.u->programs) {
    const kb::Program* q = c.kb.FindProgram(sc.id);
    if (q && q != pc.program && !q->loan.empty() && ProgramAvailable(c, *q)) {
      pc.program = q;
      return;
    }
  }
}

// 「げんきょうとどけっていつ出すの？」: a renewal named without its program —
// the program whose renewal it is (national first). False when not asked.
bool AnswerRenewalAsked(Ctx& c) {
  if (!Asked(c, {"現況届", "げんきょうとどけ", "げんきょう届"})) return false;
  const kb::Program* best = nullptr;
  for (const kb::Program& q : c.kb.programs()) {
    if (q.renewal.empty() || !ProgramAvailable(c, q)) continue;
    if (!best || (q.scope == "national" && best->scope != "national")) best = &q;
  }
  if (!best) return false;
  Answer(c, "program.renewal", *best);
  return true;
}

// A region's own program asked about from elsewhere: whose it is, and that
// the user's own municipality is where to ask.
void NotForOtherPlace(Ctx& c, const kb::Program& p) {
  std::vector<std::string> names;
  for (const std::string& r : p.regions) names.push_back(MunicipalityName(c.kb, r));
  c.out.meta.flow = "program";
  c.out.meta.answered = true;
  c.t.last_program = p.id;
  c.Say("【" + p.name + "】\n" + FirstSentences(RenderText(c, p.summary), 120) + "\nこれは" +
        Join(names, "・") + "の制度のため、" + c.t.other_place +
        "にお住まいの方は対象になりません。" + c.t.other_place + "に同じような制度があるかは、" +
        c.t.other_place + "のひとり親（子育て）担当の窓口にお問い合わせください。");
  c.Say(AsOfLine(c.kb, p.source, c.today, {}, {}));
  c.Quick({P("国の制度を見る", "cat=手当・給付金"), P("メニュー", "menu=main")});
}

// The program the message is about: a short question naming none follows
// up the one talked about last; else ChooseProgram.
ProgramChoice ProgramAsked(const Ctx& c, const std::string& intent) {
  const bool facet = !intent.empty() && intent != "program.list";
  // A facet asked alone (「支給日は？」) is about the program talked about
  // last; a category word in it (支給 → 手当・給付金) still fits that program.
  const kb::Program* last = c.t.last_program.empty() ? nullptr : c.kb.FindProgram(c.t.last_program);
  const bool same_category =
      c.u && (c.u->categories.empty() ||
              (last && c.u->categories.size() == 1 && c.u->categories.front() == last->category));
  // A short question naming no program (「いくら？」「対象は？」) follows up
  // the last answer even when its words suggest a category.
  const bool short_question = c.u && c.u->programs.empty() && utf8::CodePointCount(c.u->raw) <= 12;
  const bool follow_up = facet && c.u && (same_category || short_question) &&
                         c.u->municipalities.empty() && c.u->prefectures.empty();
  ProgramChoice pc = short_question && follow_up && last
                         ? ProgramChoice{last, {}, false}
                         : ChooseProgram(c, follow_up, /*allow_topic=*/facet);
  PreferAskedLoan(c, pc);
  return pc;
}

// What to do with a program that needs the region, several readings or a
// list (true when done); else the caller answers the program.
bool ClarifyProgram(Ctx& c, const std::string& intent, const ProgramChoice& pc) {
  if (pc.needs_region && !c.t.other_place.empty()) {
    NotForOtherPlace(c, *pc.program);
    return true;
  }
  if (pc.needs_region && pc.program->scope == "prefecture" && pc.program->regions.size() == 1 &&
      pc.alternatives.empty() && Region(c).empty() && c.t.prefecture.empty()) {
    // One prefecture's program, named: it does not depend on the
    // municipality, so answer it as it is (はあと, マザーズハローワーク東京).
    Answer(c, intent == "program.list" ? "program.overview" : intent, *pc.program);
    return true;
  }
  if (pc.needs_region) {
    AskMunicipality(c, intent.empty() ? "program.overview" : intent, "");
    return true;
  }
  if (pc.alternatives.size() > 1) {
    AskWhichProgram(c, intent, pc.alternatives);
    return true;
  }
  return FitsSeveral(c, intent, *pc.program);
}

}  // namespace

bool Programs(Ctx& c, const std::string& intent) {
  const bool facet = !intent.empty() && intent != "program.list";
  // Lists: by category, or by what the message is about.
  if (intent == "program.list" && (!c.u || c.u->programs.empty())) {
    ProgramList(c, !c.forced_category.empty()        ? c.forced_category
                   : c.u && !c.u->categories.empty() ? c.u->categories.front()
                                                     : "");
    return true;
  }
  const ProgramChoice pc = ProgramAsked(c, intent);
  if (!pc.program && c.u && c.u->programs.empty() && AnswerRenewalAsked(c)) return true;
  if (pc.program && c.u && c.u->programs.size() >= 2 &&
      (intent == "program.amount" || intent == "calc") && ChildCount(c) &&
      CombinedTotal(c, pc.program))
    return true;
  if (!pc.program) {
    if (c.u && !c.u->categories.empty() && (facet || intent.empty())) {
      ProgramList(c, c.u->categories.front());
      return true;
    }
    return false;
  }
  if (ClarifyProgram(c, intent, pc)) return true;
  if (pc.program->category == "相談" && intent == "program.payment_date") {
    // 「電話相談はいつ？」: a consultation service's "when" is its hours.
    c.forced_program = pc.program->id;
    if (Windows(c, "window.hours")) return true;
  }
  // 「どんな資金？」 about a named program: what it is.
  Answer(c, intent == "program.list" ? "program.overview" : intent, *pc.program);
  return true;
}

void ProgramList(Ctx& c, const std::string& category, size_t from) {
  if (category.empty()) {
    // What is the message about? The best topic matches, else the categories.
    std::vector<const kb::Program*> hits;
    for (const Hit& h : c.matcher.TopicPrograms(c.canon)) {
      const kb::Program* p = c.kb.FindProgram(h.id);
      if (p && ProgramAvailable(c, *p) && h.score >= 2.0 && hits.size() < 5) hits.push_back(p);
    }
    if (hits.empty()) return CategoryMenu(c);
    std::vector<std::string> rows;
    std::vector<QuickReply> q;
    for (const kb::Program* p : hits) {
      rows.push_back("・" + ShortProgramName(*p) + "：" +
                     FirstSentences(RenderText(c, p->summary), 60) + PhoneSuffix(c, *p));
      if (q.size() < 3) q.push_back(Q(ShortProgramName(*p), p->name + "について"));
    }
    c.out.meta.flow = "program";
    c.out.meta.answered = true;
    Message& list = c.Say("関係がありそうな制度です。\n" + Join(rows, "\n"));
    for (const kb::Program* p : hits) AttachProgramCard(c, list, *p, false);  // a carousel
    q.push_back(P("メニュー", "menu=main"));
    c.Quick(std::move(q));
    return;
  }
  std::vector<const kb::Program*> ps = RegionPrograms(c, category);
  if (ps.empty() && Region(c).empty() && c.t.prefecture.empty()) {
    // Only local programs of this kind: they depend on where the user lives.
    AskMunicipality(c, "menu.category", "");
    c.t.pending->slot = category;
    return;
  }
  // What the message is about comes first.
  std::map<std::string, double> topic;
  if (c.u)
    for (const Hit& h : c.matcher.TopicPrograms(c.canon)) topic[h.id] = h.score;
  std::stable_sort(ps.begin(), ps.end(), [&](const kb::Program* a, const kb::Program* b) {
    return topic[a->id] > topic[b->id];
  });
  c.out.meta.flow = "program";
  if (ps.empty()) {
    c.Say("「" + category + "」の制度は見つかりませんでした。");
    return CategoryMenu(c);
  }
  c.out.meta.answered = true;
  const std::string region = RegionName(c);
  std::vector<std::string> rows;
  std::vector<QuickReply> q;
  const size_t kPage = 6;
  if (from >= ps.size()) from = 0;
  for (size_t i = from; i < ps.size() && i < from + kPage; ++i) {
    // One line per item, with where to call.
    std::string row =
        "・" + ShortProgramName(*ps[i]) + "：" + FirstSentences(RenderText(c, ps[i]->summary), 45);
    rows.push_back(row + PhoneSuffix(c, *ps[i]));
    if (q.size() < 3) q.push_back(Q(ShortProgramName(*ps[i]), ps[i]->name + "について"));
  }
  std::string text = (region.empty() ? "" : region + "で利用できる") + "「" + category +
                     "」の制度は" + std::to_string(ps.size()) + "件です";
  if (from > 0 || ps.size() > kPage)
    text += "（" + std::to_string(from + 1) + "〜" +
            std::to_string(std::min(ps.size(), from + kPage)) + "件目）";
  text += "。\n" + Join(rows, "\n");
  Message& list = c.Say(text);
  for (size_t i = from; i < ps.size() && i < from + kPage; ++i)
    AttachProgramCard(c, list, *ps[i], false);
  if (region.empty())
    c.Say(
        "国の制度を表示しています。お住まいの市区町村を教えていただくと、地域の制度もご案内できます"
        "。");
  if (from + kPage < ps.size())
    q.insert(q.begin(),
             P("もっと見る", "cat=" + category + "&from=" + std::to_string(from + kPage)));
  q.push_back(P("メニュー", "menu=main"));
  c.Quick(std::move(q));
}

void CategoryMenu(Ctx& c) {
  c.out.meta.flow = "program";
  c.out.meta.answered = true;
  static const std::vector<std::string> kCats = {"手当・給付金", "医療",     "貸付",
                                                 "就業・資格",   "住まい",   "子育て・生活",
                                                 "相談",         "税・減免", "交通・料金"};
  std::vector<std::string> counts;
  for (const std::string& cat : kCats) {
    const size_t n = RegionPrograms(c, cat).size();
    if (n) counts.push_back(cat + "（" + std::to_string(n) + "）");
  }
  std::string text = "どの分野の制度を調べますか。\n" + Join(counts, "、");
  if (RegionName(c).empty())
    text += "\n※お住まいの市区町村を教えていただくと、地域の制度も表示します。";
  c.Say(text);
  c.Quick({P("手当・給付金", "cat=手当・給付金"), P("医療", "cat=医療"),
           P("仕事・資格", "cat=就業・資格"), P("使える制度を診断", "menu=diagnose")});
}

}  // namespace yorisoi::dialogs::internal
