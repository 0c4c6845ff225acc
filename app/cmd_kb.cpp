// `yorisoi kb build|check|stats|find|hours|export-edits`: knowledge base
// maintenance (options: app/cli.h).
#include <cstdio>
#include <filesystem>
#include <iostream>
#include <map>

#include "app/commands.h"
#include "app/config.h"
#include "knowledge/kb.h"
#include "store/edits_store.h"

namespace yorisoi::app {
namespace {

using kb::KnowledgeBase;

// The instant to answer for: --at, else now.
int64_t AtOrNow(const KbOptions& o) { return o.at_ms ? *o.at_ms : WallClock().NowMillis(); }

const char* StatusText(kb::OpenStatus s) {
  switch (s) {
    case kb::OpenStatus::kOpen:
      return "受付中";
    case kb::OpenStatus::kClosed:
      return "受付時間外";
    case kb::OpenStatus::kUnknown:
      return "不明";
  }
  return "";
}

void PrintOpenState(const kb::OpenState& st) {
  std::cout << "  状態: " << StatusText(st.status) << "（" << st.reason << "）\n";
  if (st.closes_at_ms) std::cout << "  終了: " << FormatJstHuman(*st.closes_at_ms) << "\n";
  if (st.next_open_ms) std::cout << "  次の受付: " << FormatJstHuman(*st.next_open_ms) << "\n";
}

std::string SourceLine(const kb::Source& s) {
  return "出典: " + s.title + " (" + (s.url.empty() ? s.file : s.url) + ", " + s.as_of + "時点)";
}

void PrintCounts(const KnowledgeBase& k) {
  const kb::KbStats s = k.stats();
  std::cout << "prefectures " << s.prefectures << ", municipalities " << s.municipalities
            << ", programs " << s.programs << ", windows " << s.windows << ", facts " << s.facts
            << ", local_info " << s.local_infos << ", safety lines " << s.safety_lines << ", hash "
            << s.content_hash << "\n";
  for (const kb::Municipality& m : k.municipalities()) {
    if (!m.has_local_data) continue;
    std::map<std::string, int> by_category;
    for (const kb::Program* p : k.ProgramsFor(m.id)) ++by_category[p->category];
    int local = 0;
    for (const kb::LocalInfo& li : k.local_infos()) local += li.municipality == m.id;
    std::cout << m.id << " (" << m.name << "): programs " << k.ProgramsFor(m.id).size()
              << ", windows " << k.WindowsFor(m.id).size() << ", local_info " << local << "\n";
    for (const auto& [cat, n] : by_category) std::cout << "  " << cat << ": " << n << "\n";
  }
}

int Check(const Config& config) {
  const std::string& src = config.knowledge_source_dir;
  const auto problems = KnowledgeBase::Check(src);
  for (const auto& p : problems) std::cout << p << "\n";
  if (!problems.empty()) {
    std::cerr << problems.size() << " problem(s) in " << src << "\n";
    return 1;
  }
  const std::string tmp = config.KbPath() + ".check";
  if (Status s = KnowledgeBase::Build(src, tmp); !s.ok()) {
    std::cerr << s.message() << "\n";
    return 1;
  }
  auto k = KnowledgeBase::Open(tmp);
  std::remove(tmp.c_str());
  if (!k.ok()) {
    std::cerr << k.error() << "\n";
    return 1;
  }
  std::cout << "OK: " << src << "\n";
  PrintCounts(**k);
  return 0;
}

// The editors' active examples and FAQs (data_dir/edits.sqlite) in the
// repository's formats: DIR/train/edits.jsonl, DIR/knowledge/edits.json.
int ExportEdits(const Config& config, const std::string& out) {
  const std::string path = store::EditsStorePath(config.data_dir);
  if (!std::filesystem::exists(path)) {
    std::cerr << path << ": no edits database\n";
    return 1;
  }
  auto edits = store::EditsStore::Open(path);
  if (!edits.ok()) {
    std::cerr << edits.error() << "\n";
    return 1;
  }
  auto n = store::ExportEdits(**edits, out);
  if (!n.ok()) {
    std::cerr << n.error() << "\n";
    return 1;
  }
  std::cout << "exported " << n->intent_examples << " intent example(s) to " << out
            << "/train/edits.jsonl, " << n->program_examples << " program example(s) and "
            << n->faqs << " FAQ(s) to " << out << "/knowledge/edits.json\n";
  return 0;
}

int Build(const Config& config, const std::string& out_option) {
  const std::string out = out_option.empty() ? config.KbPath() : out_option;
  if (Status s = KnowledgeBase::Build(config.knowledge_source_dir, out); !s.ok()) {
    std::cerr << s.message() << "\n";
    return 1;
  }
  std::cout << "built " << out << "\n";
  return 0;
}

void PrintProgramHit(const KnowledgeBase& kb, const std::string& id, const std::string& muni,
                     const Date& date) {
  auto p = kb.Resolve(id, muni);
  if (!p) return;
  if (!p->summary.empty()) std::cout << "  概要: " << kb.Render(p->summary, date) << "\n";
  if (!p->benefit.empty()) std::cout << "  内容: " << kb.Render(p->benefit, date) << "\n";
  if (!p->payment.empty()) std::cout << "  支給: " << kb.Render(p->payment, date) << "\n";
  std::cout << "  " << SourceLine(p->source) << "\n";
}

void PrintWindowHit(const KnowledgeBase& kb, const kb::Window& w, int64_t at) {
  for (const auto& ph : w.phones)
    std::cout << "  電話: " << ph.number << (ph.ext.empty() ? "" : " 内線" + ph.ext) << "\n";
  std::cout << "  受付: " << w.hours.text << "\n";
  PrintOpenState(kb.OpenAt(w, at));
  std::cout << "  " << SourceLine(w.source) << "\n";
}

int Find(const KnowledgeBase& kb, const KbOptions& o) {
  const int64_t at = AtOrNow(o);
  std::string text;
  for (const auto& a : o.words) text += (text.empty() ? "" : " ") + a;
  const Date date = ToJst(at).date;
  const auto hits = kb.Search(text, o.municipality, 10);
  if (hits.empty()) std::cout << "見つかりませんでした: " << text << "\n";
  for (const kb::SearchHit& h : hits) {
    std::cout << "[" << h.kind << "] " << h.id << " " << h.title << "\n";
    if (h.kind == "program") {
      PrintProgramHit(kb, h.id, o.municipality, date);
    } else if (const kb::Window* w = kb.FindWindow(h.id)) {
      PrintWindowHit(kb, *w, at);
    }
  }
  return 0;
}

int Hours(const KnowledgeBase& kb, const KbOptions& o) {
  const int64_t at = AtOrNow(o);
  const kb::Window* w = kb.FindWindow(o.window);
  if (!w) {
    std::cerr << "unknown window: " << o.window << "\n";
    return 2;
  }
  std::cout << w->name << " @ " << FormatJstHuman(at) << "\n  受付: " << w->hours.text << "\n";
  PrintOpenState(kb.OpenAt(*w, at));
  const int year = ToJst(at).date.year;
  if (!kb::HolidayCalendar::Confirmed(year, ToJst(WallClock().NowMillis()).date))
    std::cout << "  注意: " << year
              << "年の祝日はまだ正式に決まっていません（春分の日・秋分の日は前年2月に発表）。\n";
  return 0;
}

// stats, find and hours read the built knowledge base (built when missing).
int Query(const Config& config, const KbOptions& o) {
  auto k = KnowledgeBase::OpenOrBuild(config.knowledge_source_dir, config.KbPath());
  if (!k.ok()) {
    std::cerr << k.error() << "\n";
    return 1;
  }
  if (o.command == KbOptions::Command::kFind) return Find(**k, o);
  if (o.command == KbOptions::Command::kHours) return Hours(**k, o);
  PrintCounts(**k);
  return 0;
}

}  // namespace

int CmdKb(const KbOptions& options) {
  auto config = LoadConfigOrReport(options.config);
  if (!config.ok()) return 2;
  // An exception (SQLite) ends at main's edge: "yorisoi kb: …", exit 1.
  switch (options.command) {
    case KbOptions::Command::kCheck:
      return Check(*config);
    case KbOptions::Command::kExportEdits:
      return ExportEdits(*config, options.out);
    case KbOptions::Command::kBuild:
      return Build(*config, options.out);
    default:
      return Query(*config, options);
  }
}

}  // namespace yorisoi::app
