// The knowledge base: programs, windows, facts and regions compiled from the
// JSON sources in knowledge/data into SQLite.
//
// Contract:
//  * Build/Check/LoadSources never throw; every problem is reported as
//    "FILE: FIELD: message" (e.g. "municipalities/kunitachi.json:
//    programs[3].source.as_of: missing").
//  * Open() loads the compiled SQLite file into memory; afterwards every
//    const method is thread-safe. Search() uses SQLite FTS5 (trigram) through
//    a connection owned by the calling thread.
//  * Pointers returned stay valid for the lifetime of the KnowledgeBase.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "knowledge/hours.h"
#include "knowledge/model.h"
#include "core/status.h"
#include "core/time.h"

namespace yorisoi::kb {

// Date-indexed fact lookup; KnowledgeBase implements it, tests may too.
class FactTable {
 public:
  virtual ~FactTable() = default;
  virtual const Fact* FindFact(std::string_view id) const = 0;
  // The value in force on `date` (latest value with from <= date), or
  // nullptr when the fact is unknown or not yet in force.
  virtual const FactValue* FactAt(std::string_view id, const Date& date) const;
};

struct SearchHit {
  std::string kind;  // "program" | "window"
  std::string id;
  std::string title;
  std::string snippet;
  double rank = 0;  // lower is better (bm25)
};

struct KbStats {
  int prefectures = 0, municipalities = 0, programs = 0, windows = 0, facts = 0, local_infos = 0,
      safety_lines = 0;
  std::string content_hash;  // hash of the sources the DB was built from
};

class KnowledgeBase : public FactTable {
 public:
  ~KnowledgeBase() override;

  // Validates all sources under `source_dir`; empty vector = OK.
  static std::vector<std::string> Check(const std::string& source_dir);
  // Validates and compiles into `db_path` (written to a temp file, then renamed).
  static Status Build(const std::string& source_dir, const std::string& db_path);
  // Opens a compiled database.
  static Result<std::unique_ptr<KnowledgeBase>> Open(const std::string& db_path);
  // Opens `db_path`, building it from `source_dir` first when it is missing.
  static Result<std::unique_ptr<KnowledgeBase>> OpenOrBuild(const std::string& source_dir,
                                                            const std::string& db_path);

  // --- Regions
  const std::vector<Prefecture>& prefectures() const;
  const std::vector<Municipality>& municipalities() const;
  const Prefecture* FindPrefecture(std::string_view id) const;
  const Municipality* FindMunicipality(std::string_view id) const;

  // --- Programs
  const std::vector<Program>& programs() const;
  const Program* FindProgram(std::string_view id) const;
  // National + the municipality's prefecture + its own programs, in source
  // order; `category` ("" = all) filters.
  std::vector<const Program*> ProgramsFor(std::string_view municipality,
                                          std::string_view category = {}) const;
  bool Offers(std::string_view program_id, std::string_view municipality) const;
  // The program with the municipality's LocalInfo merged in (local non-empty
  // fields win; windows: local first). nullopt for an unknown id.
  std::optional<Program> Resolve(std::string_view program_id, std::string_view municipality) const;
  const std::vector<LocalInfo>& local_infos() const;

  // --- Windows
  const std::vector<Window>& windows() const;
  const Window* FindWindow(std::string_view id) const;
  // The municipality's own windows, then its prefecture's, then national.
  std::vector<const Window*> WindowsFor(std::string_view municipality) const;
  std::vector<const Window*> SafetyLines() const;
  // Windows of the municipality, its prefecture and national/24h lines that
  // are open at `epoch_ms`.
  std::vector<const Window*> ReachableAt(std::string_view municipality, int64_t epoch_ms) const;
  OpenState OpenAt(const Window& w, int64_t epoch_ms) const;
  const HolidayCalendar& calendar() const;

  // --- Facts
  const std::vector<Fact>& facts() const;
  const Fact* FindFact(std::string_view id) const override;
  // Replaces every "{{fact.id}}" with its value on `date` (yen/count as
  // "48,050"; a rate fact 0.6 as "60", so texts write "{{jiritsu.rate}}%").
  // A placeholder never reaches the output: a sentence (up to "。" or a line
  // break) holding an id with no value on `date` (before its first value, or
  // unknown — kb check refuses those) is left out, and the id is appended to
  // `missing` when given. Appends each value used to `used` when given.
  std::string Render(std::string_view text, const Date& date,
                     std::vector<const FactValue*>* used = nullptr,
                     std::vector<std::string>* missing = nullptr) const;
  // The first date from which every fact in `ids` has a value; nullopt when
  // one of them is unknown.
  std::optional<Date> FiguresFrom(const std::vector<std::string>& ids) const;
  // The latest `from` of any fact value (or source date): the knowledge base
  // knows figures up to the end of that date's fiscal year (April–March).
  Date LatestFigureDate() const;

  // --- Search: FTS5 trigram over names, aliases, keywords and texts of
  // programs and windows that apply to `municipality` ("" = all), best first.
  std::vector<SearchHit> Search(std::string_view text, std::string_view municipality,
                                int limit = 5) const;

  KbStats stats() const;

 private:
  KnowledgeBase();
  std::string RenderSentence(std::string_view text, const Date& date,
                             std::vector<const FactValue*>* used, bool* complete,
                             std::vector<std::string>* missing) const;
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

// Formats 48050 as "48,050".
std::string FormatYen(long long yen);

}  // namespace yorisoi::kb
