// `yorisoi kb build|check|stats|find|hours`: knowledge base maintenance.
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

int Usage() {
  std::cerr << "usage: yorisoi kb build [--out PATH] | check | stats | "
               "find TEXT [--municipality ID] [--at TIME] | hours WINDOW_ID [--at TIME] | "
               "export-edits --out DIR\n";
  return 2;
}

// Removes "--name VALUE" from args; returns the value or `fallback`.
std::string TakeOption(Args& args, const std::string& name, const std::string& fallback) {
  for (size_t i = 0; i + 1 < args.size(); ++i) {
    if (args[i] == name) {
      std::string v = args[i + 1];
      args.erase(args.begin() + i, args.begin() + i + 2);
      return v;
    }
  }
  return fallback;
}

std::optional<int64_t> TakeTime(Args& args) {
  const std::string at = TakeOption(args, "--at", "");
  if (at.empty()) return WallClock().NowMillis();
  return ParseIsoInstant(at);
}

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

}  // namespace

int CmdKb(const Args& in_args) {
  Args args = in_args;
  auto config = ConfigFromArgs(args);
  if (!config.ok()) return 2;
  if (args.empty()) return Usage();
  const std::string sub = args[0];
  args.erase(args.begin());
  const std::string src = config->knowledge_source_dir;
  try {
    if (sub == "check") {
      const auto problems = KnowledgeBase::Check(src);
      for (const auto& p : problems) std::cout << p << "\n";
      if (!problems.empty()) {
        std::cerr << problems.size() << " problem(s) in " << src << "\n";
        return 1;
      }
      const std::string tmp = config->KbPath() + ".check";
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
    if (sub == "export-edits") {
      // The editors' active examples and FAQs (data_dir/edits.sqlite) in the
      // repository's formats: DIR/train/edits.jsonl, DIR/knowledge/edits.json.
      const std::string out = TakeOption(args, "--out", "");
      if (out.empty() || !args.empty()) return Usage();
      const std::string path = store::EditsStorePath(config->data_dir);
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
    if (sub == "build") {
      const std::string out = TakeOption(args, "--out", config->KbPath());
      if (Status s = KnowledgeBase::Build(src, out); !s.ok()) {
        std::cerr << s.message() << "\n";
        return 1;
      }
      std::cout << "built " << out << "\n";
      return 0;
    }
    auto k = KnowledgeBase::OpenOrBuild(src, config->KbPath());
    if (!k.ok()) {
      std::cerr << k.error() << "\n";
      return 1;
    }
    const KnowledgeBase& kb = **k;
    if (sub == "stats") {
      PrintCounts(kb);
      return 0;
    }
    if (sub == "find") {
      const std::string muni = TakeOption(args, "--municipality", "");
      const auto at = TakeTime(args);
      if (!at || args.empty()) return Usage();
      std::string text;
      for (const auto& a : args) text += (text.empty() ? "" : " ") + a;
      const Date date = ToJst(*at).date;
      const auto hits = kb.Search(text, muni, 10);
      if (hits.empty()) std::cout << "見つかりませんでした: " << text << "\n";
      for (const kb::SearchHit& h : hits) {
        std::cout << "[" << h.kind << "] " << h.id << " " << h.title << "\n";
        if (h.kind == "program") {
          auto p = kb.Resolve(h.id, muni);
          if (!p) continue;
          if (!p->summary.empty()) std::cout << "  概要: " << kb.Render(p->summary, date) << "\n";
          if (!p->benefit.empty()) std::cout << "  内容: " << kb.Render(p->benefit, date) << "\n";
          if (!p->payment.empty()) std::cout << "  支給: " << kb.Render(p->payment, date) << "\n";
          std::cout << "  " << SourceLine(p->source) << "\n";
        } else if (const kb::Window* w = kb.FindWindow(h.id)) {
          for (const auto& ph : w->phones)
            std::cout << "  電話: " << ph.number << (ph.ext.empty() ? "" : " 内線" + ph.ext)
                      << "\n";
          std::cout << "  受付: " << w->hours.text << "\n";
          PrintOpenState(kb.OpenAt(*w, *at));
          std::cout << "  " << SourceLine(w->source) << "\n";
        }
      }
      return 0;
    }
    if (sub == "hours") {
      const auto at = TakeTime(args);
      if (!at || args.size() != 1) return Usage();
      const kb::Window* w = kb.FindWindow(args[0]);
      if (!w) {
        std::cerr << "unknown window: " << args[0] << "\n";
        return 2;
      }
      std::cout << w->name << " @ " << FormatJstHuman(*at) << "\n  受付: " << w->hours.text << "\n";
      PrintOpenState(kb.OpenAt(*w, *at));
      const int year = ToJst(*at).date.year;
      if (!kb::HolidayCalendar::Confirmed(year, ToJst(WallClock().NowMillis()).date))
        std::cout << "  注意: " << year
                  << "年の祝日はまだ正式に決まっていません（春分の日・秋分の日は前年2月に発表）。\n";
      return 0;
    }
  } catch (const std::exception& e) {
    std::cerr << "kb " << sub << ": " << e.what() << "\n";
    return 1;
  }
  return Usage();
}

}  // namespace yorisoi::app
