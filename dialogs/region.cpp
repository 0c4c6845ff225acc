// Where the user lives: remembered in the tracker, changed whenever a
// message names another municipality (「やっぱり小平市です」), asked for once
// when an answer depends on it.
#include <algorithm>

#include "dialogs/flows.h"

namespace yorisoi::dialogs::internal {

namespace {

// A place outside the knowledge base that the parent named ("札幌市"): the
// understanding finds it (Understanding::unknown_place).
std::string FindUnknownPlace(const Ctx& c) { return c.u ? c.u->unknown_place : ""; }

}  // namespace

bool TakeRegion(Ctx& c) {
  if (!c.u) return false;
  if (c.u->municipalities.empty() && c.u->prefectures.empty()) {
    const std::string place = FindUnknownPlace(c);
    if (place.empty()) return false;
    const bool changed = c.t.other_place != place;
    c.t.other_place = place;
    c.t.municipality.clear();
    c.t.prefecture.clear();
    return changed;
  }
  c.t.other_place.clear();
  if (!c.u->municipalities.empty()) {
    const std::string& id = c.u->municipalities.front();
    const kb::Municipality* m = c.kb.FindMunicipality(id);
    if (!m) return false;
    const bool changed = c.t.municipality != id;
    c.t.municipality = id;
    c.t.prefecture = m->prefecture;
    return changed;
  }
  if (!c.u->prefectures.empty()) {
    const std::string& pref = c.u->prefectures.front();
    if (!c.kb.FindPrefecture(pref)) return false;
    if (!c.t.municipality.empty()) {
      const kb::Municipality* m = c.kb.FindMunicipality(c.t.municipality);
      if (m && m->prefecture == pref) return false;  // still true of where they live
    }
    const bool changed = c.t.prefecture != pref || !c.t.municipality.empty();
    c.t.municipality.clear();
    c.t.prefecture = pref;
    return changed;
  }
  return false;
}

const std::string& Region(const Ctx& c) { return c.t.municipality; }

namespace {

bool Contains(const std::vector<std::string>& v, const std::string& x) {
  return std::find(v.begin(), v.end(), x) != v.end();
}

}  // namespace

std::string RegionName(const Ctx& c) {
  if (!c.t.municipality.empty()) return MunicipalityName(c.kb, c.t.municipality);
  if (!c.t.prefecture.empty()) return MunicipalityName(c.kb, c.t.prefecture);
  return "";
}

const kb::LocalInfo* LocalFor(const Ctx& c, const std::string& program) {
  if (c.t.municipality.empty()) return nullptr;
  for (const kb::LocalInfo& li : c.kb.local_infos())
    if (li.program == program && li.municipality == c.t.municipality) return &li;
  return nullptr;
}

bool ProgramAvailable(const Ctx& c, const kb::Program& p) {
  if (!c.t.municipality.empty()) return c.kb.Offers(p.id, c.t.municipality);
  if (!c.t.prefecture.empty()) {
    if (p.scope == "national") return true;
    if (Contains(p.regions, c.t.prefecture)) return true;
    for (const std::string& r : p.regions) {
      const kb::Municipality* m = c.kb.FindMunicipality(r);
      if (m && m->prefecture == c.t.prefecture) return true;
    }
    return false;
  }
  return true;
}

std::vector<const kb::Program*> RegionPrograms(const Ctx& c, const std::string& category) {
  std::vector<const kb::Program*> out;
  if (!c.t.municipality.empty()) {
    out = c.kb.ProgramsFor(c.t.municipality, category);
    // National programs the municipality describes locally come first.
    std::stable_partition(out.begin(), out.end(), [&](const kb::Program* p) {
      return p->scope != "national" || LocalFor(c, p->id) != nullptr;
    });
    return out;
  }
  for (const kb::Program& p : c.kb.programs()) {
    if (!category.empty() && p.category != category) continue;
    if (c.t.prefecture.empty() ? p.scope == "national" : ProgramAvailable(c, p)) out.push_back(&p);
  }
  return out;
}

bool WindowAllowed(const Ctx& c, const kb::Window& w) {
  if (w.scope == "national") return true;
  std::string pref = c.t.prefecture;
  if (!c.t.municipality.empty()) {
    if (const kb::Municipality* m = c.kb.FindMunicipality(c.t.municipality)) pref = m->prefecture;
    if (w.scope == "municipality") return w.region == c.t.municipality;
  }
  if (pref.empty()) return true;
  if (w.scope == "prefecture") return w.region == pref;
  const kb::Municipality* m = c.kb.FindMunicipality(w.region);
  return m && m->prefecture == pref;
}

std::vector<const kb::Window*> RegionWindows(const Ctx& c) {
  if (!c.t.municipality.empty()) return c.kb.WindowsFor(c.t.municipality);
  std::vector<const kb::Window*> out;
  for (const kb::Window& w : c.kb.windows()) {
    if (w.is_safety) continue;
    if (!c.t.prefecture.empty() ? (w.scope == "prefecture" && w.region == c.t.prefecture)
                                : w.scope == "national")
      out.push_back(&w);
  }
  for (const kb::Window& w : c.kb.windows())
    if (!c.t.prefecture.empty() && w.scope == "national" && !w.is_safety) out.push_back(&w);
  return out;
}

const kb::Window* PrimaryWindow(const Ctx& c) {
  const kb::Window* pref_primary = nullptr;
  for (const kb::Window* w : RegionWindows(c)) {
    if (!w->primary) continue;
    if (w->scope == "municipality") return w;
    if (!pref_primary) pref_primary = w;
  }
  return pref_primary;
}

void OtherPlace(Ctx& c) {
  const std::string& place = c.t.other_place;
  if (c.u && !c.u->programs.empty() && c.forced_program.empty()) {
    // A national program asked about: the same everywhere, so answer it.
    const kb::Program* p = c.kb.FindProgram(c.u->programs.front().id);
    if (p && p->scope == "national") {
      std::string facet = "program.overview";
      for (const text::Scored& s : c.u->intents)
        if (s.id.rfind("program.", 0) == 0 && s.id != "program.window" && s.id != "program.list") {
          facet = s.id;
          break;
        }
      c.Say(place + "の窓口の情報はこのサービスにはありませんが、" + p->name +
            "は全国共通の国の制度なのでお答えします。");
      c.forced_program = p->id;
      if (Programs(c, facet)) return;
    }
  }
  c.out.meta.flow = "municipality";
  c.out.meta.answered = true;
  std::vector<std::string> rows;
  std::vector<QuickReply> q;
  for (const kb::Program& p : c.kb.programs()) {
    if (p.scope != "national" || rows.size() >= 6) continue;
    rows.push_back("・" + ShortProgramName(p));
    if (q.size() < 3) q.push_back(Q(ShortProgramName(p), p.name + "について"));
  }
  c.Say(place + "の窓口や独自の制度の情報は、このサービスにはまだありません。" +
        "国の制度（全国共通）と全国の相談先でお答えします。" + place + "独自の制度や窓口は、" +
        place +
        "のひとり親（子育て）担当の窓口にお問い合わせください。\n"
        "全国共通の主な制度：\n" +
        Join(rows, "\n"));
  std::vector<std::string> lines;
  Message& m = c.Say("");
  for (const kb::Window* w : c.kb.SafetyLines()) {
    if (lines.size() >= 3 || w->phones.empty()) continue;
    if (w->safety_kinds.empty() ||
        (w->safety_kinds.front() != "suicide" && w->safety_kinds.front() != "dv"))
      continue;
    const std::string phone = PhoneText(w->phones.front());
    lines.push_back(
        "・" + w->name +
        (w->name.find(w->phones.front().number) == std::string::npos ? " " + phone : ""));
    AddCallButtons(m, *w);
  }
  m.text = "全国どこからでもつながる相談先：\n" + Join(lines, "\n");
  q.push_back(P("メニュー", "menu=main"));
  c.Quick(std::move(q));
}

void AskMunicipality(Ctx& c, const std::string& intent, const std::string& program) {
  if (!c.t.other_place.empty()) {
    // The user lives outside the knowledge base: say so, never force a choice.
    (void)intent;
    (void)program;
    return OtherPlace(c);
  }
  Pending p;
  p.kind = "municipality";
  p.intent = intent;
  p.program = program;
  c.t.pending = p;
  c.out.meta.flow = "municipality";
  c.Say(
      "お住まいの市区町村を教えてください。地域によって窓口や制度が違うため、"
      "その地域の情報でお答えします（例：「小平市です」）。");
  std::vector<QuickReply> q;
  for (const kb::Municipality& m : c.kb.municipalities())
    if (m.has_local_data && q.size() < 3) q.push_back(Q(m.name, m.name + "です"));
  q.push_back(Q("岡山県内", "岡山県です"));
  c.Quick(std::move(q));
}

void MunicipalitySet(Ctx& c) {
  c.out.meta.flow = "municipality";
  c.out.meta.answered = true;
  std::string name;
  if (!c.t.municipality.empty()) {
    const kb::Municipality* m = c.kb.FindMunicipality(c.t.municipality);
    name = m ? m->name : c.t.municipality;
    std::string text = name + "ですね。これから" + name + "の情報でお答えします。";
    if (m && !m->has_local_data) {
      text += "（" + name + "独自の制度の情報はまだ少ないため、国と" +
              MunicipalityName(c.kb, m->prefecture) + "の制度を中心にご案内します）";
    }
    c.Say(text);
  } else if (!c.t.other_place.empty()) {
    return OtherPlace(c);
  } else if (!c.t.prefecture.empty()) {
    name = MunicipalityName(c.kb, c.t.prefecture);
    c.Say(name + "ですね。国と" + name +
          "の制度でお答えします。市区町村名も教えていただくと、窓口もご案内できます。");
  } else {
    AskMunicipality(c, "", "");
    return;
  }
  c.Quick({P("制度を調べる", "menu=programs"), P("窓口・相談先", "menu=windows"),
           P("手当の計算", "menu=calc"), Q("人と話したい")});
}

}  // namespace yorisoi::dialogs::internal
