// Shared fixture of the calculator tests: the real knowledge base compiled
// from knowledge/data into a temporary directory once per test binary.
#pragma once

#include <gtest/gtest.h>
#include <unistd.h>

#include <cmath>
#include <filesystem>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>

#include "knowledge/calc/calc.h"
#include "knowledge/kb.h"
#include "yorisoi_source_dir.h"

namespace yorisoi::calc::testing {

class RealKb {
 public:
  static const kb::KnowledgeBase& Get() {
    static RealKb instance;
    return *instance.kb_;
  }

 private:
  RealKb() {
    dir_ = std::filesystem::temp_directory_path() /
           ("yorisoi_calc_test_" + std::to_string(::getpid()));
    std::filesystem::create_directories(dir_);
    const std::string db = (dir_ / "knowledge.sqlite").string();
    const Status s = kb::KnowledgeBase::Build(YORISOI_SOURCE_DIR "/knowledge/data", db);
    if (!s.ok()) {
      ADD_FAILURE() << "kb build: " << s.message();
      std::abort();
    }
    auto opened = kb::KnowledgeBase::Open(db);
    if (!opened.ok()) {
      ADD_FAILURE() << "kb open: " << opened.error();
      std::abort();
    }
    kb_ = std::move(opened).value();
  }
  ~RealKb() {
    kb_.reset();
    std::error_code ec;
    std::filesystem::remove_all(dir_, ec);
  }
  std::filesystem::path dir_;
  std::unique_ptr<kb::KnowledgeBase> kb_;
};

inline Date D(const char* s) {
  auto d = Date::Parse(s);
  EXPECT_TRUE(d.has_value()) << s;
  return d.value_or(Date{});
}

inline Child Kid(const char* birth, const char* disability = "none", bool supported = true) {
  Child c;
  c.birth_date = D(birth);
  c.disability = disability;
  c.supported = supported;
  return c;
}

const ProgramResult* Find(CalcResult&& r, const std::string& program) = delete;
inline const ProgramResult* Find(const CalcResult& r, const std::string& program) {
  for (const ProgramResult& p : r.results) {
    if (p.program == program) return &p;
  }
  return nullptr;
}

// The result for `program` out of a temporary CalcResult (null when absent).
inline std::shared_ptr<const ProgramResult> Pick(const CalcResult& r, const std::string& program) {
  const ProgramResult* p = Find(r, program);
  return p ? std::make_shared<const ProgramResult>(*p) : nullptr;
}

// Parses `json` as the CLI does (today = 2026-11-24) and calculates.
inline CalcResult RunJson(const std::string& json) {
  const auto in = nlohmann::json::parse(json);
  auto h = ParseHousehold(in, Date{2026, 11, 24}, &RealKb::Get());
  EXPECT_TRUE(h.ok()) << h.error();
  if (!h.ok()) return {};
  return Calculate(*h, RealKb::Get());
}

// Independent reference of the official partial formula, in integers:
// round10(full − (diff × k + 10)) with 10円未満四捨五入; k has ≤ 7 decimals.
inline long long RefPartial(long long full, long long diff, double k) {
  const long long kk = std::llround(k * 1e7);
  const long long v = full * 10000000LL - diff * kk - 100000000LL;  // 1e-7 yen
  long long q = (v + 50000000LL) / 100000000LL;
  if ((v + 50000000LL) < 0 && (v + 50000000LL) % 100000000LL != 0) --q;
  return q * 10;
}

}  // namespace yorisoi::calc::testing
