// The dialogs test suites' shared fixture: the knowledge base compiled from
// knowledge/data into a private per-process directory, the understanding
// from text/data, and one Dialogs over them. Built once per process; aborts
// with the error when the data does not load.
#pragma once

#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <memory>
#include <string>

#include "dialogs/dialogs.h"
#include "dialogs/lexicon.h"
#include "knowledge/kb.h"
#include "yorisoi_source_dir.h"

namespace yorisoi::dialogs::test {

struct World {
  std::unique_ptr<kb::KnowledgeBase> kb;
  std::unique_ptr<text::Nlu> nlu;
  std::unique_ptr<Dialogs> dialogs;
};

inline const World& TheWorld() {
  namespace fs = std::filesystem;
  // A private directory for the compiled KB (CTest runs tests in parallel).
  struct TempDir {
    fs::path path = fs::temp_directory_path() / ("yorisoi-dialogs-" + std::to_string(::getpid()));
    TempDir() { fs::create_directories(path); }
    ~TempDir() {
      std::error_code ec;
      fs::remove_all(path, ec);
    }
  };
  static TempDir dir;
  static const World w = [] {
    World w;
    auto kb = kb::KnowledgeBase::OpenOrBuild(YORISOI_SOURCE_DIR "/knowledge/data",
                                             (dir.path / "knowledge.sqlite").string());
    if (!kb.ok()) {
      std::fprintf(stderr, "kb: %s\n", kb.error().c_str());
      std::abort();
    }
    w.kb = std::move(kb).value();
    auto nlu = text::Nlu::Create(YORISOI_SOURCE_DIR "/text/data", BuildLexicon(*w.kb));
    if (!nlu.ok()) {
      std::fprintf(stderr, "nlu: %s\n", nlu.error().c_str());
      std::abort();
    }
    w.nlu = std::move(nlu).value();
    Options o;
    o.state_ttl_minutes = 60 * 24 * 7;
    o.log_retention_days = 365;
    w.dialogs = std::make_unique<Dialogs>(*w.kb, *w.nlu, o);
    return w;
  }();
  return w;
}

}  // namespace yorisoi::dialogs::test
