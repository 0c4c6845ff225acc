#include "knowledge/kb_sources.h"

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <map>
#include <regex>
#include <set>
#include <sstream>

namespace yorisoi::kb::internal {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

const json* Field(const json& j, const char* key) {
  if (!j.is_object()) return nullptr;
  auto it = j.find(key);
  return it == j.end() || it->is_null() ? nullptr : &*it;
}

std::string Str(const json& j, const char* key, const std::string& path, const Problems& p,
                bool required = false) {
  const json* f = Field(j, key);
  if (!f) {
    if (required) p.Add(path + "." + key, "missing");
    return {};
  }
  if (!f->is_string()) {
    p.Add(path + "." + key, "must be a string");
    return {};
  }
  std::string s = f->get<std::string>();
  if (required && s.empty()) p.Add(path + "." + key, "must not be empty");
  return s;
}

std::vector<std::string> StrList(const json& j, const char* key, const std::string& path,
                                 const Problems& p) {
  std::vector<std::string> out;
  const json* f = Field(j, key);
  if (!f) return out;
  if (!f->is_array()) {
    p.Add(path + "." + key, "must be an array of strings");
    return out;
  }
  for (size_t i = 0; i < f->size(); ++i) {
    if (!(*f)[i].is_string()) {
      p.Add(path + "." + key + "[" + std::to_string(i) + "]", "must be a string");
      continue;
    }
    out.push_back((*f)[i].get<std::string>());
  }
  return out;
}

bool Bool(const json& j, const char* key, const std::string& path, const Problems& p,
          bool fallback) {
  const json* f = Field(j, key);
  if (!f) return fallback;
  if (!f->is_boolean()) {
    p.Add(path + "." + key, "must be true or false");
    return fallback;
  }
  return f->get<bool>();
}

// "YYYY-MM-DD" or "YYYY-MM" (first day of the month).
std::optional<Date> ParseAsOf(const std::string& s) {
  if (s.size() == 7) return Date::Parse(s + "-01");
  return Date::Parse(s);
}

Source ParseSource(const json& j, const std::string& path, const Problems& p, bool required) {
  Source s;
  const json* f = Field(j, "source");
  if (!f) {
    if (required) p.Add(path + ".source", "missing");
    return s;
  }
  if (!f->is_object()) {
    p.Add(path + ".source", "must be an object");
    return s;
  }
  const std::string sp = path + ".source";
  s.title = Str(*f, "title", sp, p);
  s.file = Str(*f, "file", sp, p);
  s.url = Str(*f, "url", sp, p);
  s.as_of = Str(*f, "as_of", sp, p);
  if (s.file.empty() && s.url.empty()) p.Add(sp, "needs a file or a url");
  if (s.as_of.empty()) {
    p.Add(sp + ".as_of", "missing");
  } else if (auto d = ParseAsOf(s.as_of)) {
    s.as_of = d->ToString();
  } else {
    p.Add(sp + ".as_of", "\"" + s.as_of + "\" is not a YYYY-MM-DD date");
  }
  return s;
}

const std::set<std::string>& DayNames() {
  static const std::set<std::string> k = {"mon", "tue", "wed", "thu",
                                          "fri", "sat", "sun", "holiday"};
  return k;
}

Hours ParseHours(const json& j, const std::string& path, const Problems& p) {
  Hours h;
  const json* f = Field(j, "hours");
  if (!f) {
    p.Add(path + ".hours", "missing");
    h.known = false;
    return h;
  }
  if (!f->is_object()) {
    p.Add(path + ".hours", "must be an object");
    h.known = false;
    return h;
  }
  const std::string hp = path + ".hours";
  h.text = Str(*f, "text", hp, p);
  h.always_open = Bool(*f, "always_open", hp, p, false);
  h.known = Bool(*f, "known", hp, p, true);
  h.closed_on = StrList(*f, "closed_on", hp, p);
  for (size_t i = 0; i < h.closed_on.size(); ++i) {
    if (h.closed_on[i] != "holiday" && h.closed_on[i] != "year_end" && h.closed_on[i] != "weekend")
      p.Add(hp + ".closed_on[" + std::to_string(i) + "]",
            "\"" + h.closed_on[i] + "\" is not holiday, weekend or year_end");
  }
  if (const json* rules = Field(*f, "rules")) {
    if (!rules->is_array()) {
      p.Add(hp + ".rules", "must be an array");
    } else {
      for (size_t i = 0; i < rules->size(); ++i) {
        const json& rj = (*rules)[i];
        const std::string rp = hp + ".rules[" + std::to_string(i) + "]";
        if (!rj.is_object()) {
          p.Add(rp, "must be an object");
          continue;
        }
        HoursRule r;
        r.days = StrList(rj, "days", rp, p);
        if (r.days.empty()) p.Add(rp + ".days", "missing");
        for (size_t d = 0; d < r.days.size(); ++d) {
          if (!DayNames().count(r.days[d]))
            p.Add(rp + ".days[" + std::to_string(d) + "]",
                  "\"" + r.days[d] + "\" is not mon..sun or holiday");
        }
        if (const json* nth = Field(rj, "nth")) {
          if (!nth->is_array()) {
            p.Add(rp + ".nth", "must be an array of 1..5");
          } else {
            for (size_t k = 0; k < nth->size(); ++k) {
              const json& n = (*nth)[k];
              if (!n.is_number_integer() || n.get<int>() < 1 || n.get<int>() > 5) {
                p.Add(rp + ".nth[" + std::to_string(k) + "]", "must be 1..5");
                continue;
              }
              r.nth.push_back(n.get<int>());
            }
          }
        }
        const std::string open = Str(rj, "open", rp, p, true);
        const std::string close = Str(rj, "close", rp, p, true);
        if (!open.empty()) {
          auto m = ParseClock(open);
          if (m.ok() && *m < 24 * 60)
            r.open_minute = *m;
          else
            p.Add(rp + ".open", m.ok() ? "\"24:00\" cannot open a span" : m.error());
        }
        if (!close.empty()) {
          auto m = ParseClock(close);
          if (m.ok())
            r.close_minute = *m;
          else
            p.Add(rp + ".close", m.error());
        }
        h.rules.push_back(std::move(r));
      }
    }
  }
  if (h.known && !h.always_open && h.rules.empty())
    p.Add(hp + ".rules", "empty while known is true and always_open is false");
  return h;
}

void ParseTexts(const json& j, const std::string& path, const Problems& p, std::string* summary,
                std::vector<std::string>* eligibility, std::vector<std::string>* exclusions,
                std::string* benefit, std::string* income_limit, std::string* how_to_apply,
                std::vector<std::string>* documents, std::string* payment,
                std::vector<std::string>* cautions, std::vector<std::string>* windows) {
  *summary = Str(j, "summary", path, p);
  *eligibility = StrList(j, "eligibility", path, p);
  *exclusions = StrList(j, "exclusions", path, p);
  *benefit = Str(j, "benefit", path, p);
  *income_limit = Str(j, "income_limit", path, p);
  *how_to_apply = Str(j, "how_to_apply", path, p);
  *documents = StrList(j, "documents", path, p);
  *payment = Str(j, "payment", path, p);
  *cautions = StrList(j, "cautions", path, p);
  *windows = StrList(j, "windows", path, p);
}

// "reminders": [{"kind", "months", "day", "date", "notice_days", "text"}].
void ParseReminders(const json& j, const std::string& path, const Problems& p,
                    std::vector<ReminderRule>* out) {
  const json* r = Field(j, "reminders");
  if (!r) return;
  if (!r->is_array()) {
    p.Add(path + ".reminders", "must be an array");
    return;
  }
  for (size_t i = 0; i < r->size(); ++i) {
    const json& e = (*r)[i];
    const std::string rp = path + ".reminders[" + std::to_string(i) + "]";
    if (!e.is_object()) {
      p.Add(rp, "must be an object");
      continue;
    }
    ReminderRule rule;
    rule.kind = Str(e, "kind", rp, p);
    rule.text = Str(e, "text", rp, p);
    if (const json* m = Field(e, "months")) {
      for (size_t k = 0; m->is_array() && k < m->size(); ++k) {
        const json& v = (*m)[k];
        if (v.is_number_integer() && v.get<int>() >= 1 && v.get<int>() <= 12)
          rule.months.push_back(v.get<int>());
        else
          p.Add(rp + ".months[" + std::to_string(k) + "]", "must be a month 1..12");
      }
      if (!m->is_array()) p.Add(rp + ".months", "must be an array of month numbers");
    }
    if (const json* d = Field(e, "day")) {
      if (!d->is_number_integer() || d->get<int>() < 1 || d->get<int>() > 28)
        p.Add(rp + ".day", "must be a day 1..28");
      else
        rule.day = d->get<int>();
    }
    if (const json* d = Field(e, "date")) {
      rule.date = d->is_string() ? Date::Parse(d->get<std::string>()) : std::nullopt;
      if (!rule.date) p.Add(rp + ".date", "must be a date YYYY-MM-DD");
    }
    if (const json* n = Field(e, "notice_days")) {
      if (!n->is_number_integer() || n->get<int>() < 0 || n->get<int>() > 60)
        p.Add(rp + ".notice_days", "must be 0..60");
      else
        rule.notice_days = n->get<int>();
    }
    if (rule.kind == "payment") {
      if (!rule.months.empty() || rule.date)
        p.Add(rp, "a payment reminder follows pay_schedule: no months or date");
    } else if (rule.kind == "renewal" || rule.kind == "medical_card" || rule.kind == "deadline") {
      if (rule.months.empty() == !rule.date.has_value()) p.Add(rp, "needs either months or a date");
      if (rule.text.empty()) p.Add(rp + ".text", "missing");
    } else {
      p.Add(rp + ".kind", "must be renewal, payment, medical_card or deadline");
    }
    out->push_back(std::move(rule));
  }
}

// The facets beyond ParseTexts (renewal, reduction, loan, related programs,
// payment schedule) of a Program or LocalInfo.
template <typename T>
void ParseFacets(const json& j, const std::string& path, const Problems& p, T* x) {
  x->renewal = Str(j, "renewal", path, p);
  x->reduction = Str(j, "reduction", path, p);
  x->loan = Str(j, "loan", path, p);
  x->related = StrList(j, "related", path, p);
  ParseReminders(j, path, p, &x->reminders);
  const json* f = Field(j, "pay_schedule");
  if (!f) return;
  const std::string sp = path + ".pay_schedule";
  if (!f->is_object()) {
    p.Add(sp, "must be an object");
    return;
  }
  if (const json* m = Field(*f, "months")) {
    if (!m->is_array()) p.Add(sp + ".months", "must be an array of month numbers");
    for (size_t i = 0; m->is_array() && i < m->size(); ++i) {
      const json& v = (*m)[i];
      if (!v.is_number_integer() || v.get<int>() < 1 || v.get<int>() > 12) {
        p.Add(sp + ".months[" + std::to_string(i) + "]", "must be a month 1..12");
        continue;
      }
      x->pay_schedule.months.push_back(v.get<int>());
    }
  }
  if (x->pay_schedule.months.empty()) p.Add(sp + ".months", "must name at least one month");
  if (const json* d = Field(*f, "day")) {
    if (!d->is_number_integer() || d->get<int>() < 1 || d->get<int>() > 28)
      p.Add(sp + ".day", "must be a day 1..28");
    else
      x->pay_schedule.day = d->get<int>();
  }
  x->pay_schedule.shift = Str(*f, "shift", sp, p);
  if (!x->pay_schedule.shift.empty() && x->pay_schedule.shift != "before" &&
      x->pay_schedule.shift != "after")
    p.Add(sp + ".shift", "must be \"before\" or \"after\"");
}

std::string ReadFile(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

std::vector<fs::path> SourceFiles(const std::string& dir) {
  std::vector<fs::path> files;
  std::error_code ec;
  for (fs::recursive_directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec)) {
    if (!it->is_regular_file()) continue;
    const fs::path& f = it->path();
    if (f.extension() != ".json" || f.filename() == "seed_facts.json") continue;
    files.push_back(f);
  }
  std::sort(files.begin(), files.end());
  return files;
}

// Placeholders "{{id}}" in `text`.
void CollectPlaceholders(const std::string& text, std::vector<std::string>* ids) {
  size_t pos = 0;
  while ((pos = text.find("{{", pos)) != std::string::npos) {
    const size_t end = text.find("}}", pos + 2);
    if (end == std::string::npos) break;
    ids->push_back(text.substr(pos + 2, end - pos - 2));
    pos = end + 2;
  }
}

// (field path, text) of every text field that may hold placeholders.
template <typename T>
std::vector<std::pair<std::string, std::string>> AllTexts(const T& x) {
  std::vector<std::pair<std::string, std::string>> t = {
      {"summary", x.summary},           {"benefit", x.benefit}, {"income_limit", x.income_limit},
      {"how_to_apply", x.how_to_apply}, {"payment", x.payment}, {"renewal", x.renewal},
      {"reduction", x.reduction},       {"loan", x.loan}};
  const std::pair<const char*, const std::vector<std::string>*> lists[] = {
      {"eligibility", &x.eligibility},
      {"exclusions", &x.exclusions},
      {"documents", &x.documents},
      {"cautions", &x.cautions}};
  for (const auto& [name, v] : lists)
    for (size_t i = 0; i < v->size(); ++i)
      t.emplace_back(std::string(name) + "[" + std::to_string(i) + "]", (*v)[i]);
  return t;
}

}  // namespace

bool IsValidPhone(const std::string& n) {
  static const std::regex kShort(R"(^(1\d{2}|#\d{4})$)");
  static const std::regex kLong(R"(^0\d{1,4}-\d{1,6}(-\d{1,5})?$)");
  if (std::regex_match(n, kShort)) return true;
  if (!std::regex_match(n, kLong)) return false;
  const auto digits =
      std::count_if(n.begin(), n.end(), [](char c) { return c >= '0' && c <= '9'; });
  // 11 digits only for mobile/IP numbers (070/080/090/050) and 0800.
  const bool eleven = n.rfind("050", 0) == 0 || n.rfind("070", 0) == 0 || n.rfind("080", 0) == 0 ||
                      n.rfind("090", 0) == 0 || n.rfind("0800", 0) == 0;
  return digits == (eleven ? 11 : 10);
}

Prefecture ParsePrefecture(const json& j, const std::string& path, const Problems& p) {
  Prefecture x;
  x.id = Str(j, "id", path, p, true);
  x.name = Str(j, "name", path, p, true);
  x.kana = Str(j, "kana", path, p);
  x.aliases = StrList(j, "aliases", path, p);
  return x;
}

Municipality ParseMunicipality(const json& j, const std::string& path, const Problems& p) {
  Municipality x;
  x.id = Str(j, "id", path, p, true);
  x.name = Str(j, "name", path, p, true);
  x.kana = Str(j, "kana", path, p);
  x.prefecture = Str(j, "prefecture", path, p, true);
  x.aliases = StrList(j, "aliases", path, p);
  x.has_local_data = Bool(j, "has_local_data", path, p, false);
  return x;
}

Window ParseWindow(const json& j, const std::string& path, const Problems& p) {
  Window w;
  w.id = Str(j, "id", path, p, true);
  w.scope = Str(j, "scope", path, p, true);
  if (!w.scope.empty() && w.scope != "municipality" && w.scope != "prefecture" &&
      w.scope != "national")
    p.Add(path + ".scope", "\"" + w.scope + "\" is not municipality, prefecture or national");
  w.region = Str(j, "region", path, p);
  if (w.scope != "national" && w.region.empty()) p.Add(path + ".region", "missing");
  w.name = Str(j, "name", path, p, true);
  w.department = Str(j, "department", path, p);
  w.address = Str(j, "address", path, p);
  if (const json* phones = Field(j, "phones")) {
    if (!phones->is_array()) {
      p.Add(path + ".phones", "must be an array");
    } else {
      for (size_t i = 0; i < phones->size(); ++i) {
        const std::string pp = path + ".phones[" + std::to_string(i) + "]";
        Phone ph;
        ph.number = Str((*phones)[i], "number", pp, p, true);
        ph.ext = Str((*phones)[i], "ext", pp, p);
        ph.label = Str((*phones)[i], "label", pp, p);
        if (!ph.number.empty() && !IsValidPhone(ph.number))
          p.Add(pp + ".number", "\"" + ph.number + "\" is not a valid phone number");
        w.phones.push_back(std::move(ph));
      }
    }
  }
  w.fax = Str(j, "fax", path, p);
  if (!w.fax.empty() && !IsValidPhone(w.fax))
    p.Add(path + ".fax", "\"" + w.fax + "\" is not a valid fax number");
  w.methods = StrList(j, "methods", path, p);
  w.handles = StrList(j, "handles", path, p);
  w.hours = ParseHours(j, path, p);
  w.notes = Str(j, "notes", path, p);
  w.primary = Bool(j, "primary", path, p, false);
  w.is_safety = Bool(j, "safety", path, p, false);
  w.safety_kinds = StrList(j, "safety_kinds", path, p);
  w.source = ParseSource(j, path, p, true);
  return w;
}

Program ParseProgram(const json& j, const std::string& path, const Problems& p) {
  static const std::set<std::string> kCategories = {"手当・給付金", "医療",     "貸付",
                                                    "就業・資格",   "住まい",   "子育て・生活",
                                                    "相談",         "税・減免", "交通・料金"};
  Program x;
  x.id = Str(j, "id", path, p, true);
  x.name = Str(j, "name", path, p, true);
  x.kana = Str(j, "kana", path, p);
  x.aliases = StrList(j, "aliases", path, p);
  x.keywords = StrList(j, "keywords", path, p);
  x.category = Str(j, "category", path, p, true);
  if (!x.category.empty() && !kCategories.count(x.category))
    p.Add(path + ".category", "\"" + x.category + "\" is not a known category");
  x.scope = Str(j, "scope", path, p, true);
  if (!x.scope.empty() && x.scope != "municipality" && x.scope != "prefecture" &&
      x.scope != "national")
    p.Add(path + ".scope", "\"" + x.scope + "\" is not municipality, prefecture or national");
  x.regions = StrList(j, "regions", path, p);
  if (x.scope != "national" && !x.scope.empty() && x.regions.empty())
    p.Add(path + ".regions", "must name at least one region");
  ParseTexts(j, path, p, &x.summary, &x.eligibility, &x.exclusions, &x.benefit, &x.income_limit,
             &x.how_to_apply, &x.documents, &x.payment, &x.cautions, &x.windows);
  ParseFacets(j, path, p, &x);
  x.calc_program = Str(j, "calc_program", path, p);
  x.source = ParseSource(j, path, p, true);
  return x;
}

LocalInfo ParseLocalInfo(const json& j, const std::string& path, const Problems& p) {
  LocalInfo x;
  x.program = Str(j, "program", path, p, true);
  x.municipality = Str(j, "municipality", path, p, true);
  ParseTexts(j, path, p, &x.summary, &x.eligibility, &x.exclusions, &x.benefit, &x.income_limit,
             &x.how_to_apply, &x.documents, &x.payment, &x.cautions, &x.windows);
  ParseFacets(j, path, p, &x);
  x.source = ParseSource(j, path, p, true);
  return x;
}

Fact ParseFact(const json& j, const std::string& path, const Problems& p) {
  static const std::set<std::string> kUnits = {"yen", "rate", "count", "months", "table"};
  Fact f;
  f.id = Str(j, "id", path, p, true);
  f.label = Str(j, "label", path, p);
  f.unit = Str(j, "unit", path, p, true);
  if (!f.unit.empty() && !kUnits.count(f.unit))
    p.Add(path + ".unit", "\"" + f.unit + "\" is not yen, rate, count, months or table");
  f.source = ParseSource(j, path, p, true);
  const json* values = Field(j, "values");
  if (!values || !values->is_array() || values->empty()) {
    p.Add(path + ".values", values ? "must be a non-empty array" : "missing");
    return f;
  }
  for (size_t i = 0; i < values->size(); ++i) {
    const json& vj = (*values)[i];
    const std::string vp = path + ".values[" + std::to_string(i) + "]";
    FactValue v;
    const std::string from = Str(vj, "from", vp, p, true);
    if (auto d = ParseAsOf(from)) {
      v.from = *d;
    } else if (!from.empty()) {
      p.Add(vp + ".from", "\"" + from + "\" is not a YYYY-MM-DD date");
    }
    const json* value = Field(vj, "value");
    if (!value) {
      p.Add(vp + ".value", "missing");
    } else if (value->is_number()) {
      v.number = value->get<double>();
      if (f.unit == "table") v.json = value->dump();
    } else if (f.unit == "table") {
      v.json = value->dump();
    } else {
      p.Add(vp + ".value", "must be a number for unit " + f.unit);
    }
    v.note = Str(vj, "note", vp, p);
    if (Field(vj, "source")) v.source = ParseSource(vj, vp, p, false);
    if (v.source.as_of.empty()) v.source = f.source;
    f.values.push_back(std::move(v));
  }
  std::stable_sort(f.values.begin(), f.values.end(),
                   [](const FactValue& a, const FactValue& b) { return a.from < b.from; });
  return f;
}

std::string HashSources(const std::string& dir) {
  // FNV-1a 64 over relative names and bytes: a change detector, not a MAC.
  uint64_t h = 1469598103934665603ULL;
  auto mix = [&h](std::string_view s) {
    for (unsigned char c : s) {
      h ^= c;
      h *= 1099511628211ULL;
    }
    h ^= 0xff;
    h *= 1099511628211ULL;
  };
  for (const fs::path& f : SourceFiles(dir)) {
    mix(fs::relative(f, dir).generic_string());
    mix(ReadFile(f));
  }
  char buf[20];
  std::snprintf(buf, sizeof buf, "%016llx", static_cast<unsigned long long>(h));
  return buf;
}

namespace {

// Where an entity came from, for reference errors.
struct Origin {
  std::string file, path;
};

// The kinds of id that must be unique (local: one local_info per program and
// municipality).
enum IdKind { kPrefectureId, kMunicipalityId, kWindowId, kProgramId, kFactId, kLocalId };

// What the reference checks need besides the entities: their origins, in the
// order of the entities in Sources, and every id by kind.
struct Loaded {
  std::vector<Origin> win_origin, prog_origin, local_origin, muni_origin;
  std::map<std::string, Origin> ids[6];

  void Unique(IdKind kind, const std::string& id, const Problems& p, const std::string& path) {
    if (id.empty()) return;
    auto [it, inserted] = ids[kind].emplace(id, Origin{p.file, path});
    if (!inserted)
      p.Add(path + ".id", "duplicate id \"" + id + "\" (first in " + it->second.file + ": " +
                              it->second.path + ")");
  }
  bool Known(IdKind kind, const std::string& id) const { return ids[kind].count(id) > 0; }
};

// Calls fn(object, path) for each object of the optional array root[key].
template <typename F>
void EachObject(const json& root, const char* key, const Problems& p, F fn) {
  const json* arr = Field(root, key);
  if (!arr) return;
  if (!arr->is_array()) {
    p.Add(key, "must be an array");
    return;
  }
  for (size_t i = 0; i < arr->size(); ++i) {
    const std::string path = std::string(key) + "[" + std::to_string(i) + "]";
    if (!(*arr)[i].is_object()) {
      p.Add(path, "must be an object");
      continue;
    }
    fn((*arr)[i], path);
  }
}

HolidayCalendar::Override ParseHoliday(const json& j, const std::string& path, const Problems& p) {
  HolidayCalendar::Override o;
  const std::string date = Str(j, "date", path, p, true);
  if (auto d = Date::Parse(date)) {
    o.date = *d;
  } else if (!date.empty()) {
    p.Add(path + ".date", "\"" + date + "\" is not a YYYY-MM-DD date");
  }
  o.name = Str(j, "name", path, p);
  return o;
}

void AddLocalInfo(const json& j, const std::string& path, const Problems& p, Sources& s,
                  Loaded& l) {
  s.local_infos.push_back(ParseLocalInfo(j, path, p));
  s.local_info_json.push_back(j.dump());
  l.local_origin.push_back({p.file, path});
  const LocalInfo& li = s.local_infos.back();
  if (li.program.empty() || li.municipality.empty()) return;
  auto [it, inserted] =
      l.ids[kLocalId].emplace(li.program + "@" + li.municipality, Origin{p.file, path});
  if (!inserted)
    p.Add(path, "second local_info for " + li.program + " in " + li.municipality + " (first in " +
                    it->second.file + ")");
}

// The entities of one source file's root object.
void AddEntities(const json& root, const Problems& p, Sources& s, Loaded& l) {
  EachObject(root, "prefectures", p, [&](const json& j, const std::string& path) {
    s.prefectures.push_back(ParsePrefecture(j, path, p));
    s.prefecture_json.push_back(j.dump());
    l.Unique(kPrefectureId, s.prefectures.back().id, p, path);
  });
  EachObject(root, "municipalities", p, [&](const json& j, const std::string& path) {
    s.municipalities.push_back(ParseMunicipality(j, path, p));
    s.municipality_json.push_back(j.dump());
    l.muni_origin.push_back({p.file, path});
    l.Unique(kMunicipalityId, s.municipalities.back().id, p, path);
  });
  EachObject(root, "windows", p, [&](const json& j, const std::string& path) {
    s.windows.push_back(ParseWindow(j, path, p));
    s.window_json.push_back(j.dump());
    l.win_origin.push_back({p.file, path});
    l.Unique(kWindowId, s.windows.back().id, p, path);
  });
  EachObject(root, "programs", p, [&](const json& j, const std::string& path) {
    s.programs.push_back(ParseProgram(j, path, p));
    s.program_json.push_back(j.dump());
    l.prog_origin.push_back({p.file, path});
    l.Unique(kProgramId, s.programs.back().id, p, path);
  });
  EachObject(root, "local_info", p,
             [&](const json& j, const std::string& path) { AddLocalInfo(j, path, p, s, l); });
  EachObject(root, "facts", p, [&](const json& j, const std::string& path) {
    s.facts.push_back(ParseFact(j, path, p));
    s.fact_json.push_back(j.dump());
    l.Unique(kFactId, s.facts.back().id, p, path);
  });
  EachObject(root, "holidays", p, [&](const json& j, const std::string& path) {
    s.holidays.push_back(ParseHoliday(j, path, p));
  });
}

// Reads one source file into `s` (problems name the file relative to `dir`).
void LoadFile(const fs::path& f, const std::string& dir, Sources& s, Loaded& l,
              std::vector<std::string>* problems) {
  Problems p{fs::relative(f, dir).generic_string(), problems};
  json root;
  try {
    root = json::parse(ReadFile(f));
  } catch (const json::exception& e) {
    p.Add("(file)", std::string("invalid JSON: ") + e.what());
    return;
  }
  if (!root.is_object()) {
    p.Add("(file)", "must be a JSON object");
    return;
  }
  static const std::set<std::string> kKeys = {
      "prefectures", "municipalities", "windows", "programs", "local_info", "facts", "holidays"};
  for (auto it = root.begin(); it != root.end(); ++it) {
    if (!kKeys.count(it.key())) p.Add(it.key(), "unknown top-level key");
  }
  AddEntities(root, p, s, l);
}

// Reports every reference to an id that no source defines.
class ReferenceCheck {
 public:
  ReferenceCheck(const Loaded& l, std::vector<std::string>* problems)
      : l_(l), problems_(problems) {}

  void Run(const Sources& s) const {
    for (size_t i = 0; i < s.municipalities.size(); ++i) {
      const Municipality& m = s.municipalities[i];
      if (!m.prefecture.empty() && !l_.Known(kPrefectureId, m.prefecture))
        Add(l_.muni_origin[i], "prefecture", "unknown prefecture \"" + m.prefecture + "\"");
    }
    for (size_t i = 0; i < s.windows.size(); ++i) {
      const Window& w = s.windows[i];
      if (w.scope == "municipality" && !w.region.empty() && !l_.Known(kMunicipalityId, w.region))
        Add(l_.win_origin[i], "region", "unknown municipality \"" + w.region + "\"");
      if (w.scope == "prefecture" && !w.region.empty() && !l_.Known(kPrefectureId, w.region))
        Add(l_.win_origin[i], "region", "unknown prefecture \"" + w.region + "\"");
    }
    for (size_t i = 0; i < s.programs.size(); ++i) CheckProgram(l_.prog_origin[i], s.programs[i]);
    for (size_t i = 0; i < s.local_infos.size(); ++i)
      CheckLocalInfo(l_.local_origin[i], s.local_infos[i]);
  }

 private:
  void Add(const Origin& o, const std::string& field, const std::string& msg) const {
    problems_->push_back(o.file + ": " + o.path + "." + field + ": " + msg);
  }
  void CheckProgram(const Origin& o, const Program& x) const {
    for (size_t k = 0; k < x.regions.size(); ++k) {
      if (!l_.Known(kPrefectureId, x.regions[k]) && !l_.Known(kMunicipalityId, x.regions[k]))
        Add(o, "regions[" + std::to_string(k) + "]", "unknown region \"" + x.regions[k] + "\"");
    }
    CheckList(o, x.windows, kWindowId, "windows", "window");
    CheckList(o, x.related, kProgramId, "related", "program");
    CheckPlaceholders(o, AllTexts(x));
  }
  void CheckLocalInfo(const Origin& o, const LocalInfo& li) const {
    if (!li.program.empty() && !l_.Known(kProgramId, li.program))
      Add(o, "program", "unknown program \"" + li.program + "\"");
    if (!li.municipality.empty() && !l_.Known(kMunicipalityId, li.municipality))
      Add(o, "municipality", "unknown municipality \"" + li.municipality + "\"");
    CheckList(o, li.windows, kWindowId, "windows", "window");
    CheckList(o, li.related, kProgramId, "related", "program");
    CheckPlaceholders(o, AllTexts(li));
  }
  // field[k]: unknown <what> "id".
  void CheckList(const Origin& o, const std::vector<std::string>& ids, IdKind kind,
                 const char* field, const char* what) const {
    for (size_t k = 0; k < ids.size(); ++k) {
      if (!l_.Known(kind, ids[k]))
        Add(o, std::string(field) + "[" + std::to_string(k) + "]",
            std::string("unknown ") + what + " \"" + ids[k] + "\"");
    }
  }
  void CheckPlaceholders(const Origin& o,
                         const std::vector<std::pair<std::string, std::string>>& texts) const {
    for (const auto& [field, t] : texts) {
      std::vector<std::string> used;
      CollectPlaceholders(t, &used);
      for (const std::string& id : used) {
        if (!l_.Known(kFactId, id)) Add(o, field, "unknown fact \"{{" + id + "}}\"");
      }
    }
  }

  const Loaded& l_;
  std::vector<std::string>* problems_;
};

// A municipality has local data when any window, program or local_info names it.
void MarkLocalData(Sources& s) {
  std::set<std::string> local;
  for (const Window& w : s.windows)
    if (w.scope == "municipality") local.insert(w.region);
  for (const LocalInfo& li : s.local_infos) local.insert(li.municipality);
  for (const Program& x : s.programs)
    if (x.scope == "municipality") local.insert(x.regions.begin(), x.regions.end());
  for (Municipality& m : s.municipalities) m.has_local_data = m.has_local_data || local.count(m.id);
}

}  // namespace

Sources LoadSources(const std::string& dir, std::vector<std::string>* problems) {
  Sources s;
  std::error_code ec;
  if (!fs::is_directory(dir, ec)) {
    problems->push_back(dir + ": (dir): not a directory");
    return s;
  }
  Loaded l;
  for (const fs::path& f : SourceFiles(dir)) LoadFile(f, dir, s, l, problems);
  ReferenceCheck(l, problems).Run(s);
  MarkLocalData(s);
  s.content_hash = HashSources(dir);
  return s;
}

}  // namespace yorisoi::kb::internal
