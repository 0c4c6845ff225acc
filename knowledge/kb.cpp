#include "knowledge/kb.h"

#include <SQLiteCpp/SQLiteCpp.h>

#include <algorithm>
#include <atomic>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <functional>
#include <mutex>
#include <set>
#include <unordered_map>
#include <unordered_set>

#include "core/utf8.h"
#include "knowledge/kb_sources.h"

namespace yorisoi::kb {
namespace {

namespace fs = std::filesystem;
using internal::Problems;
using nlohmann::json;

constexpr int kSchemaVersion = 1;

std::string Join(const std::vector<std::string>& v, const char* sep = "\n") {
  std::string out;
  for (const std::string& s : v) {
    if (!out.empty()) out += sep;
    out += s;
  }
  return out;
}

std::string ProgramSearchText(const Program& p) {
  std::vector<std::string> parts = {p.kana,
                                    Join(p.aliases, " "),
                                    Join(p.keywords, " "),
                                    p.category,
                                    p.summary,
                                    Join(p.eligibility),
                                    p.benefit,
                                    p.how_to_apply,
                                    p.payment,
                                    p.renewal,
                                    p.reduction,
                                    p.loan};
  return Join(parts);
}

std::string WindowSearchText(const Window& w) {
  std::vector<std::string> parts = {
      w.department, Join(w.handles, " "),     Join(w.methods, " "), w.address, w.hours.text,
      w.notes,      Join(w.safety_kinds, " ")};
  return Join(parts);
}

void CreateSchema(SQLite::Database& db) {
  db.exec(
      "CREATE TABLE meta(key TEXT PRIMARY KEY, value TEXT NOT NULL);"
      "CREATE TABLE prefectures(ord INTEGER PRIMARY KEY, id TEXT UNIQUE NOT NULL, name TEXT, "
      "json TEXT NOT NULL);"
      "CREATE TABLE municipalities(ord INTEGER PRIMARY KEY, id TEXT UNIQUE NOT NULL, name TEXT, "
      "prefecture TEXT, json TEXT NOT NULL);"
      "CREATE TABLE windows(ord INTEGER PRIMARY KEY, id TEXT UNIQUE NOT NULL, scope TEXT, "
      "region TEXT, name TEXT, json TEXT NOT NULL);"
      "CREATE TABLE programs(ord INTEGER PRIMARY KEY, id TEXT UNIQUE NOT NULL, scope TEXT, "
      "category TEXT, name TEXT, json TEXT NOT NULL);"
      "CREATE TABLE local_infos(ord INTEGER PRIMARY KEY, program TEXT NOT NULL, "
      "municipality TEXT NOT NULL, json TEXT NOT NULL, UNIQUE(program, municipality));"
      "CREATE TABLE facts(ord INTEGER PRIMARY KEY, id TEXT UNIQUE NOT NULL, unit TEXT, "
      "json TEXT NOT NULL);"
      "CREATE TABLE holidays(date TEXT NOT NULL, name TEXT NOT NULL);"
      "CREATE VIRTUAL TABLE search USING fts5(kind UNINDEXED, id UNINDEXED, title, body, "
      "tokenize='trigram');");
}

template <typename T>
void InsertRows(SQLite::Database& db, const char* sql, const std::vector<T>& items,
                const std::vector<std::string>& jsons,
                const std::function<void(SQLite::Statement&, const T&)>& bind) {
  SQLite::Statement st(db, sql);
  for (size_t i = 0; i < items.size(); ++i) {
    st.bind(":ord", static_cast<int64_t>(i));
    st.bind(":json", jsons[i]);
    bind(st, items[i]);
    st.exec();
    st.reset();
  }
}

}  // namespace

const FactValue* FactTable::FactAt(std::string_view id, const Date& date) const {
  const Fact* f = FindFact(id);
  if (!f) return nullptr;
  const FactValue* best = nullptr;
  for (const FactValue& v : f->values) {
    if (v.from <= date) best = &v;
  }
  return best;
}

std::string FormatYen(long long yen) {
  const bool neg = yen < 0;
  std::string digits = std::to_string(neg ? -yen : yen);
  std::string out;
  const int n = static_cast<int>(digits.size());
  for (int i = 0; i < n; ++i) {
    if (i > 0 && (n - i) % 3 == 0) out += ',';
    out += digits[i];
  }
  return neg ? "-" + out : out;
}

struct KnowledgeBase::Impl {
  std::string db_path;
  uint64_t instance = 0;
  std::string content_hash;
  std::vector<Prefecture> prefectures;
  std::vector<Municipality> municipalities;
  std::vector<Program> programs;
  std::vector<Window> windows;
  std::vector<LocalInfo> local_infos;
  std::vector<Fact> facts;
  HolidayCalendar calendar;

  std::unordered_map<std::string, const Prefecture*> pref_by_id;
  std::unordered_map<std::string, const Municipality*> muni_by_id;
  std::unordered_map<std::string, const Program*> program_by_id;
  std::unordered_map<std::string, const Window*> window_by_id;
  std::unordered_map<std::string, const Fact*> fact_by_id;
  std::unordered_map<std::string, const LocalInfo*> local_by_key;  // program@municipality
  std::unordered_map<std::string, std::vector<const Program*>> programs_for;
  std::unordered_map<std::string, std::vector<const Window*>> windows_for;
  std::vector<const Program*> national_programs;
  std::vector<const Window*> national_windows;
  std::vector<const Window*> safety;

  void Index();
  SQLite::Database& ThreadConnection() const;
};

void KnowledgeBase::Impl::Index() {
  for (const auto& p : prefectures) pref_by_id.emplace(p.id, &p);
  for (const auto& m : municipalities) muni_by_id.emplace(m.id, &m);
  for (const auto& p : programs) program_by_id.emplace(p.id, &p);
  for (const auto& w : windows) window_by_id.emplace(w.id, &w);
  for (const auto& f : facts) fact_by_id.emplace(f.id, &f);
  for (const auto& li : local_infos) local_by_key.emplace(li.program + "@" + li.municipality, &li);
  for (const auto& w : windows) {
    if (w.is_safety) safety.push_back(&w);
    if (w.scope == "national") national_windows.push_back(&w);
  }
  for (const auto& p : programs)
    if (p.scope == "national") national_programs.push_back(&p);
  for (const auto& m : municipalities) {
    auto& progs = programs_for[m.id];
    auto has = [](const Program& p, const std::string& id) {
      return std::find(p.regions.begin(), p.regions.end(), id) != p.regions.end();
    };
    for (const auto& p : programs)
      if (p.scope == "national") progs.push_back(&p);
    for (const auto& p : programs)
      if (p.scope == "prefecture" && (has(p, m.prefecture) || has(p, m.id))) progs.push_back(&p);
    for (const auto& p : programs)
      if (p.scope == "municipality" && (has(p, m.id) || has(p, m.prefecture))) progs.push_back(&p);
    auto& wins = windows_for[m.id];
    for (int pass = 0; pass < 3; ++pass) {
      for (const auto& w : windows) {
        if ((pass == 0 && w.scope == "municipality" && w.region == m.id) ||
            (pass == 1 && w.scope == "prefecture" && w.region == m.prefecture) ||
            (pass == 2 && w.scope == "national"))
          wins.push_back(&w);
      }
    }
  }
}

SQLite::Database& KnowledgeBase::Impl::ThreadConnection() const {
  // One read-only connection per (thread, KnowledgeBase instance).
  thread_local std::unordered_map<uint64_t, std::unique_ptr<SQLite::Database>> connections;
  auto& conn = connections[instance];
  if (!conn) conn = std::make_unique<SQLite::Database>(db_path, SQLite::OPEN_READONLY);
  return *conn;
}

KnowledgeBase::KnowledgeBase() : impl_(std::make_unique<Impl>()) {}
KnowledgeBase::~KnowledgeBase() = default;

std::vector<std::string> KnowledgeBase::Check(const std::string& source_dir) {
  std::vector<std::string> problems;
  internal::LoadSources(source_dir, &problems);
  return problems;
}

namespace {

void WriteMeta(SQLite::Database& db, const internal::Sources& s) {
  SQLite::Statement st(db, "INSERT INTO meta(key, value) VALUES(:k, :v)");
  for (const auto& [k, v] : std::vector<std::pair<std::string, std::string>>{
           {"content_hash", s.content_hash}, {"schema_version", std::to_string(kSchemaVersion)}}) {
    st.bind(":k", k);
    st.bind(":v", v);
    st.exec();
    st.reset();
  }
}

// One row per entity with its source JSON (municipalities: with has_local_data).
void WriteEntities(SQLite::Database& db, const internal::Sources& s) {
  InsertRows<Prefecture>(db,
                         "INSERT INTO prefectures(ord, id, name, json) VALUES(:ord, :id, "
                         ":name, :json)",
                         s.prefectures, s.prefecture_json,
                         [](SQLite::Statement& st, const Prefecture& x) {
                           st.bind(":id", x.id);
                           st.bind(":name", x.name);
                         });
  std::vector<std::string> muni_json;
  for (size_t i = 0; i < s.municipalities.size(); ++i) {
    json j = json::parse(s.municipality_json[i]);
    j["has_local_data"] = s.municipalities[i].has_local_data;
    muni_json.push_back(j.dump());
  }
  InsertRows<Municipality>(db,
                           "INSERT INTO municipalities(ord, id, name, prefecture, json) "
                           "VALUES(:ord, :id, :name, :pref, :json)",
                           s.municipalities, muni_json,
                           [](SQLite::Statement& st, const Municipality& x) {
                             st.bind(":id", x.id);
                             st.bind(":name", x.name);
                             st.bind(":pref", x.prefecture);
                           });
  InsertRows<Window>(db,
                     "INSERT INTO windows(ord, id, scope, region, name, json) VALUES(:ord, "
                     ":id, :scope, :region, :name, :json)",
                     s.windows, s.window_json, [](SQLite::Statement& st, const Window& x) {
                       st.bind(":id", x.id);
                       st.bind(":scope", x.scope);
                       st.bind(":region", x.region);
                       st.bind(":name", x.name);
                     });
  InsertRows<Program>(db,
                      "INSERT INTO programs(ord, id, scope, category, name, json) "
                      "VALUES(:ord, :id, :scope, :cat, :name, :json)",
                      s.programs, s.program_json, [](SQLite::Statement& st, const Program& x) {
                        st.bind(":id", x.id);
                        st.bind(":scope", x.scope);
                        st.bind(":cat", x.category);
                        st.bind(":name", x.name);
                      });
  InsertRows<LocalInfo>(db,
                        "INSERT INTO local_infos(ord, program, municipality, json) "
                        "VALUES(:ord, :prog, :muni, :json)",
                        s.local_infos, s.local_info_json,
                        [](SQLite::Statement& st, const LocalInfo& x) {
                          st.bind(":prog", x.program);
                          st.bind(":muni", x.municipality);
                        });
  InsertRows<Fact>(db, "INSERT INTO facts(ord, id, unit, json) VALUES(:ord, :id, :unit, :json)",
                   s.facts, s.fact_json, [](SQLite::Statement& st, const Fact& x) {
                     st.bind(":id", x.id);
                     st.bind(":unit", x.unit);
                   });
}

void WriteHolidays(SQLite::Database& db, const internal::Sources& s) {
  SQLite::Statement st(db, "INSERT INTO holidays(date, name) VALUES(:d, :n)");
  for (const auto& h : s.holidays) {
    st.bind(":d", h.date.ToString());
    st.bind(":n", h.name);
    st.exec();
    st.reset();
  }
}

// The FTS5 rows: one per program and per window.
void WriteSearchIndex(SQLite::Database& db, const internal::Sources& s) {
  SQLite::Statement st(
      db, "INSERT INTO search(kind, id, title, body) VALUES(:kind, :id, :title, :body)");
  for (const Program& p : s.programs) {
    st.bind(":kind", "program");
    st.bind(":id", p.id);
    st.bind(":title", p.name);
    st.bind(":body", ProgramSearchText(p));
    st.exec();
    st.reset();
  }
  for (const Window& w : s.windows) {
    st.bind(":kind", "window");
    st.bind(":id", w.id);
    st.bind(":title", w.name);
    st.bind(":body", WindowSearchText(w));
    st.exec();
    st.reset();
  }
}

}  // namespace

Status KnowledgeBase::Build(const std::string& source_dir, const std::string& db_path) {
  std::vector<std::string> problems;
  internal::Sources s = internal::LoadSources(source_dir, &problems);
  if (!problems.empty()) {
    std::string msg = std::to_string(problems.size()) + " problem(s) in " + source_dir + ":";
    for (const auto& p : problems) msg += "\n  " + p;
    return Status::InvalidArgument(msg);
  }
  const std::string tmp = db_path + ".tmp";
  try {
    std::error_code ec;
    const fs::path parent = fs::path(db_path).parent_path();
    if (!parent.empty()) fs::create_directories(parent, ec);
    fs::remove(tmp, ec);
    fs::remove(tmp + "-journal", ec);
    {
      SQLite::Database db(tmp, SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE);
      db.exec("PRAGMA journal_mode=DELETE");
      SQLite::Transaction tx(db);
      CreateSchema(db);
      WriteMeta(db, s);
      WriteEntities(db, s);
      WriteHolidays(db, s);
      WriteSearchIndex(db, s);
      tx.commit();
    }
    fs::rename(tmp, db_path);
  } catch (const std::exception& e) {
    std::error_code ec;
    fs::remove(tmp, ec);
    return Status::IOError(db_path + ": build failed: " + e.what());
  }
  return Status::Ok();
}

Result<std::unique_ptr<KnowledgeBase>> KnowledgeBase::Open(const std::string& db_path) {
  static std::atomic<uint64_t> next_instance{1};
  std::unique_ptr<KnowledgeBase> kb(new KnowledgeBase());
  Impl& im = *kb->impl_;
  im.db_path = db_path;
  im.instance = next_instance++;
  std::vector<std::string> problems;
  try {
    SQLite::Database db(db_path, SQLite::OPEN_READONLY);
    {
      SQLite::Statement st(db, "SELECT key, value FROM meta");
      while (st.executeStep()) {
        if (st.getColumn(0).getString() == "content_hash")
          im.content_hash = st.getColumn(1).getString();
        if (st.getColumn(0).getString() == "schema_version" &&
            st.getColumn(1).getString() != std::to_string(kSchemaVersion))
          return Status::Corruption(db_path + ": schema version mismatch");
      }
    }
    auto rows = [&](const char* table, auto fn) {
      Problems p{std::string(db_path) + ":" + table, &problems};
      SQLite::Statement st(db, std::string("SELECT json FROM ") + table + " ORDER BY ord");
      int i = 0;
      while (st.executeStep()) {
        fn(json::parse(st.getColumn(0).getString()), "[" + std::to_string(i++) + "]", p);
      }
    };
    im.prefectures.clear();
    rows("prefectures", [&](const json& j, const std::string& path, const Problems& p) {
      im.prefectures.push_back(internal::ParsePrefecture(j, path, p));
    });
    rows("municipalities", [&](const json& j, const std::string& path, const Problems& p) {
      im.municipalities.push_back(internal::ParseMunicipality(j, path, p));
    });
    rows("windows", [&](const json& j, const std::string& path, const Problems& p) {
      im.windows.push_back(internal::ParseWindow(j, path, p));
    });
    rows("programs", [&](const json& j, const std::string& path, const Problems& p) {
      im.programs.push_back(internal::ParseProgram(j, path, p));
    });
    rows("local_infos", [&](const json& j, const std::string& path, const Problems& p) {
      im.local_infos.push_back(internal::ParseLocalInfo(j, path, p));
    });
    rows("facts", [&](const json& j, const std::string& path, const Problems& p) {
      im.facts.push_back(internal::ParseFact(j, path, p));
    });
    std::vector<HolidayCalendar::Override> overrides;
    SQLite::Statement st(db, "SELECT date, name FROM holidays");
    while (st.executeStep()) {
      if (auto d = Date::Parse(st.getColumn(0).getString()))
        overrides.push_back({*d, st.getColumn(1).getString()});
    }
    im.calendar = HolidayCalendar(std::move(overrides));
  } catch (const std::exception& e) {
    return Status::IOError(db_path + ": cannot open: " + e.what());
  }
  if (!problems.empty()) return Status::Corruption(problems.front());
  im.Index();
  return kb;
}

Result<std::unique_ptr<KnowledgeBase>> KnowledgeBase::OpenOrBuild(const std::string& source_dir,
                                                                  const std::string& db_path) {
  std::error_code ec;
  bool rebuild = !fs::exists(db_path, ec);
  std::unique_ptr<KnowledgeBase> kb;
  if (!rebuild) {
    auto opened = Open(db_path);
    if (opened.ok() && (*opened)->impl_->content_hash == internal::HashSources(source_dir))
      return std::move(opened).value();
    rebuild = true;
  }
  if (Status s = Build(source_dir, db_path); !s.ok()) return s;
  return Open(db_path);
}

const std::vector<Prefecture>& KnowledgeBase::prefectures() const { return impl_->prefectures; }
const std::vector<Municipality>& KnowledgeBase::municipalities() const {
  return impl_->municipalities;
}

template <typename M>
static auto FindIn(const M& map, std::string_view id) -> typename M::mapped_type {
  auto it = map.find(std::string(id));
  return it == map.end() ? nullptr : it->second;
}

const Prefecture* KnowledgeBase::FindPrefecture(std::string_view id) const {
  return FindIn(impl_->pref_by_id, id);
}
const Municipality* KnowledgeBase::FindMunicipality(std::string_view id) const {
  return FindIn(impl_->muni_by_id, id);
}
const std::vector<Program>& KnowledgeBase::programs() const { return impl_->programs; }
const Program* KnowledgeBase::FindProgram(std::string_view id) const {
  return FindIn(impl_->program_by_id, id);
}

std::vector<const Program*> KnowledgeBase::ProgramsFor(std::string_view municipality,
                                                       std::string_view category) const {
  auto it = impl_->programs_for.find(std::string(municipality));
  const std::vector<const Program*>& all =
      it == impl_->programs_for.end() ? impl_->national_programs : it->second;
  if (category.empty()) return all;
  std::vector<const Program*> out;
  for (const Program* p : all)
    if (p->category == category) out.push_back(p);
  return out;
}

bool KnowledgeBase::Offers(std::string_view program_id, std::string_view municipality) const {
  const Program* p = FindProgram(program_id);
  if (!p) return false;
  if (impl_->local_by_key.count(std::string(program_id) + "@" + std::string(municipality)))
    return true;
  auto it = impl_->programs_for.find(std::string(municipality));
  if (it == impl_->programs_for.end()) return p->scope == "national";
  return std::find(it->second.begin(), it->second.end(), p) != it->second.end();
}

std::optional<Program> KnowledgeBase::Resolve(std::string_view program_id,
                                              std::string_view municipality) const {
  const Program* p = FindProgram(program_id);
  if (!p) return std::nullopt;
  Program out = *p;
  auto it = impl_->local_by_key.find(std::string(program_id) + "@" + std::string(municipality));
  if (it == impl_->local_by_key.end()) return out;
  const LocalInfo& li = *it->second;
  auto str = [](std::string& dst, const std::string& src) {
    if (!src.empty()) dst = src;
  };
  auto list = [](std::vector<std::string>& dst, const std::vector<std::string>& src) {
    if (!src.empty()) dst = src;
  };
  str(out.summary, li.summary);
  list(out.eligibility, li.eligibility);
  list(out.exclusions, li.exclusions);
  str(out.benefit, li.benefit);
  str(out.income_limit, li.income_limit);
  str(out.how_to_apply, li.how_to_apply);
  list(out.documents, li.documents);
  str(out.payment, li.payment);
  if (!li.pay_schedule.months.empty()) out.pay_schedule = li.pay_schedule;
  if (!li.reminders.empty()) out.reminders = li.reminders;
  str(out.renewal, li.renewal);
  str(out.reduction, li.reduction);
  str(out.loan, li.loan);
  list(out.related, li.related);
  // Cautions extend: the program's general ones plus the local ones.
  out.cautions.insert(out.cautions.end(), li.cautions.begin(), li.cautions.end());
  std::vector<std::string> wins = li.windows;
  for (const std::string& w : p->windows)
    if (std::find(wins.begin(), wins.end(), w) == wins.end()) wins.push_back(w);
  out.windows = std::move(wins);
  if (!li.source.as_of.empty()) out.source = li.source;
  return out;
}

const std::vector<LocalInfo>& KnowledgeBase::local_infos() const { return impl_->local_infos; }
const std::vector<Window>& KnowledgeBase::windows() const { return impl_->windows; }
const Window* KnowledgeBase::FindWindow(std::string_view id) const {
  return FindIn(impl_->window_by_id, id);
}

std::vector<const Window*> KnowledgeBase::WindowsFor(std::string_view municipality) const {
  auto it = impl_->windows_for.find(std::string(municipality));
  return it == impl_->windows_for.end() ? impl_->national_windows : it->second;
}

std::vector<const Window*> KnowledgeBase::SafetyLines() const { return impl_->safety; }

std::vector<const Window*> KnowledgeBase::ReachableAt(std::string_view municipality,
                                                      int64_t epoch_ms) const {
  std::vector<const Window*> out;
  for (const Window* w : WindowsFor(municipality))
    if (OpenAt(*w, epoch_ms).status == OpenStatus::kOpen) out.push_back(w);
  return out;
}

OpenState KnowledgeBase::OpenAt(const Window& w, int64_t epoch_ms) const {
  return kb::OpenAt(w.hours, epoch_ms, impl_->calendar);
}
const HolidayCalendar& KnowledgeBase::calendar() const { return impl_->calendar; }
const std::vector<Fact>& KnowledgeBase::facts() const { return impl_->facts; }
const Fact* KnowledgeBase::FindFact(std::string_view id) const {
  return FindIn(impl_->fact_by_id, id);
}

namespace {

// Splits `text` after each "。" and each line break (the separators stay
// with the sentence before them).
std::vector<std::string_view> Sentences(std::string_view text) {
  static constexpr std::string_view kMaru = "\xE3\x80\x82";  // 。
  std::vector<std::string_view> out;
  size_t start = 0;
  for (size_t i = 0; i < text.size();) {
    size_t end = std::string_view::npos;
    if (text[i] == '\n')
      end = i + 1;
    else if (text.substr(i, kMaru.size()) == kMaru)
      end = i + kMaru.size();
    if (end != std::string_view::npos) {
      out.push_back(text.substr(start, end - start));
      start = i = end;
    } else {
      ++i;
    }
  }
  if (start < text.size()) out.push_back(text.substr(start));
  return out;
}

}  // namespace

std::string KnowledgeBase::Render(std::string_view text, const Date& date,
                                  std::vector<const FactValue*>* used,
                                  std::vector<std::string>* missing) const {
  if (text.find("{{") == std::string_view::npos) return std::string(text);
  std::string out;
  for (std::string_view sentence : Sentences(text)) {
    std::vector<const FactValue*> sentence_used;
    bool complete = true;
    std::string rendered = RenderSentence(sentence, date, &sentence_used, &complete, missing);
    if (!complete) continue;  // no figure for this date: the sentence is left out
    if (used) used->insert(used->end(), sentence_used.begin(), sentence_used.end());
    out += rendered;
  }
  return out;
}

std::optional<Date> KnowledgeBase::FiguresFrom(const std::vector<std::string>& ids) const {
  std::optional<Date> from;
  for (const std::string& id : ids) {
    const Fact* f = FindFact(id);
    if (!f || f->values.empty()) return std::nullopt;
    if (!from || f->values.front().from > *from) from = f->values.front().from;
  }
  return from;
}

Date KnowledgeBase::LatestFigureDate() const {
  Date latest{1970, 1, 1};
  for (const Fact& f : facts()) {
    for (const FactValue& v : f.values) latest = std::max(latest, v.from);
    if (auto d = Date::Parse(f.source.as_of)) latest = std::max(latest, *d);
  }
  return latest;
}

std::string KnowledgeBase::RenderSentence(std::string_view text, const Date& date,
                                          std::vector<const FactValue*>* used, bool* complete,
                                          std::vector<std::string>* missing) const {
  std::string out;
  size_t pos = 0;
  while (true) {
    const size_t open = text.find("{{", pos);
    const size_t close = open == std::string_view::npos ? open : text.find("}}", open + 2);
    if (close == std::string_view::npos) {
      std::string_view rest = text.substr(pos);
      if (rest.find("{{") != std::string_view::npos) {
        *complete = false;  // an unclosed "{{" is never shown either
        return out;
      }
      out.append(rest);
      return out;
    }
    out.append(text.substr(pos, open - pos));
    const std::string_view id = text.substr(open + 2, close - open - 2);
    const Fact* f = FindFact(id);
    const FactValue* v = f ? FactAt(id, date) : nullptr;
    if (!v) {
      *complete = false;
      if (missing) missing->emplace_back(id);
    } else {
      if (used) used->push_back(v);
      if (f->unit == "table") {
        out += v->json;
      } else if (f->unit == "rate") {
        // Rates are stored as fractions (0.6) and written as percentages
        // ("{{jiritsu.rate}}%" → "60%").
        char buf[32];
        std::snprintf(buf, sizeof buf, "%g", v->number * 100);
        out += buf;
      } else {
        out += FormatYen(std::llround(v->number));
      }
    }
    pos = close + 2;
  }
}

namespace {

// Whitespace-separated terms (ideographic spaces too), split into those of
// at least 3 characters (what trigram search needs) and shorter ones.
void SplitTerms(std::string_view text, std::vector<std::string>& terms,
                std::vector<std::string>& short_terms) {
  std::string cur;
  auto flush = [&] {
    if (cur.empty()) return;
    (utf8::CodePointCount(cur) >= 3 ? terms : short_terms).push_back(cur);
    cur.clear();
  };
  for (size_t i = 0; i < text.size();) {
    if (text[i] == ' ' || text[i] == '\t' || text[i] == '\n') {
      flush();
      ++i;
    } else if (text.substr(i, 3) == "\xE3\x80\x80") {  // ideographic space
      flush();
      i += 3;
    } else {
      cur += text[i++];
    }
  }
  flush();
}

// FTS5 query: the terms quoted, joined by OR.
std::string FtsMatch(const std::vector<std::string>& terms) {
  std::string match;
  for (const std::string& t : terms) {
    if (!match.empty()) match += " OR ";
    std::string q = "\"";
    for (char c : t) q += c == '"' ? std::string("\"\"") : std::string(1, c);
    match += q + "\"";
  }
  return match;
}

// LIKE pattern for a substring (escape '\').
std::string LikePattern(const std::string& term) {
  std::string like = "%";
  for (char c : term) {
    if (c == '%' || c == '_' || c == '\\') like += '\\';
    like += c;
  }
  return like + "%";
}

// Reads (kind, id, title, snippet, score) rows that `accept` takes until
// `hits` holds `limit`.
template <typename Accept>
void ReadHits(SQLite::Statement& st, int limit, Accept accept, std::vector<SearchHit>& hits) {
  while (st.executeStep() && static_cast<int>(hits.size()) < limit) {
    SearchHit h{st.getColumn(0).getString(), st.getColumn(1).getString(),
                st.getColumn(2).getString(), st.getColumn(3).getString(),
                st.getColumn(4).getDouble()};
    if (accept(h.kind, h.id)) hits.push_back(std::move(h));
  }
}

}  // namespace

std::vector<SearchHit> KnowledgeBase::Search(std::string_view text, std::string_view municipality,
                                             int limit) const {
  std::vector<SearchHit> hits;
  std::vector<std::string> terms, short_terms;
  SplitTerms(text, terms, short_terms);
  if (terms.empty() && short_terms.empty()) return hits;

  std::unordered_set<const void*> allowed;
  const bool filter = !municipality.empty();
  if (filter) {
    for (const Program* p : ProgramsFor(municipality)) allowed.insert(p);
    for (const Window* w : WindowsFor(municipality)) allowed.insert(w);
    for (const Window* w : impl_->safety) allowed.insert(w);
    for (const LocalInfo& li : impl_->local_infos)
      if (li.municipality == municipality) allowed.insert(FindProgram(li.program));
  }
  auto accept = [&](const std::string& kind, const std::string& id) {
    if (!filter) return true;
    const void* ptr = kind == "program" ? static_cast<const void*>(FindProgram(id))
                                        : static_cast<const void*>(FindWindow(id));
    return allowed.count(ptr) > 0;
  };
  try {
    SQLite::Database& db = impl_->ThreadConnection();
    if (!terms.empty()) {
      SQLite::Statement st(db,
                           "SELECT kind, id, title, snippet(search, 3, '', '', '…', 12), "
                           "bm25(search, 0, 0, 5.0, 1.0) FROM search WHERE search MATCH :q "
                           "ORDER BY bm25(search, 0, 0, 5.0, 1.0)");
      st.bind(":q", FtsMatch(terms));
      ReadHits(st, limit, accept, hits);
    } else {
      // Short queries: substring match on title, then body.
      SQLite::Statement st(db,
                           "SELECT kind, id, title, substr(body, 1, 60), "
                           "CASE WHEN instr(title, :t) > 0 THEN 0 ELSE 1 END AS r "
                           "FROM search WHERE title LIKE :like ESCAPE '\\' OR body LIKE :like "
                           "ESCAPE '\\' ORDER BY r, rowid");
      st.bind(":t", short_terms.front());
      st.bind(":like", LikePattern(short_terms.front()));
      ReadHits(st, limit, accept, hits);
    }
  } catch (const std::exception&) {
    return {};
  }
  return hits;
}

KbStats KnowledgeBase::stats() const {
  KbStats s;
  s.prefectures = static_cast<int>(impl_->prefectures.size());
  s.municipalities = static_cast<int>(impl_->municipalities.size());
  s.programs = static_cast<int>(impl_->programs.size());
  s.windows = static_cast<int>(impl_->windows.size());
  s.facts = static_cast<int>(impl_->facts.size());
  s.local_infos = static_cast<int>(impl_->local_infos.size());
  s.safety_lines = static_cast<int>(impl_->safety.size());
  s.content_hash = impl_->content_hash;
  return s;
}

}  // namespace yorisoi::kb
