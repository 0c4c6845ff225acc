// Private to knowledge/: loading, validating and (de)serialising the JSON
// sources. Not part of the public contract.
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "knowledge/hours.h"
#include "knowledge/model.h"

namespace yorisoi::kb::internal {

// Collects "FILE: FIELD: message" problems while parsing one file.
struct Problems {
  std::string file;
  std::vector<std::string>* out = nullptr;  // nullptr = ignore problems
  void Add(const std::string& field, const std::string& message) const {
    if (out) out->push_back(file + ": " + field + ": " + message);
  }
};

Prefecture ParsePrefecture(const nlohmann::json& j, const std::string& path, const Problems& p);
Municipality ParseMunicipality(const nlohmann::json& j, const std::string& path, const Problems& p);
Window ParseWindow(const nlohmann::json& j, const std::string& path, const Problems& p);
Program ParseProgram(const nlohmann::json& j, const std::string& path, const Problems& p);
LocalInfo ParseLocalInfo(const nlohmann::json& j, const std::string& path, const Problems& p);
Fact ParseFact(const nlohmann::json& j, const std::string& path, const Problems& p);

// Everything in a source directory, with each entity's JSON text kept for the
// compiled database.
struct Sources {
  std::vector<Prefecture> prefectures;
  std::vector<Municipality> municipalities;
  std::vector<Window> windows;
  std::vector<Program> programs;
  std::vector<LocalInfo> local_infos;
  std::vector<Fact> facts;
  std::vector<HolidayCalendar::Override> holidays;
  // JSON text per entity, parallel to the vectors above.
  std::vector<std::string> prefecture_json, municipality_json, window_json, program_json,
      local_info_json, fact_json;
  std::string content_hash;
};

// Loads every *.json under `dir` (recursively, except seed_facts.json) and
// validates it; problems are appended to `problems`.
Sources LoadSources(const std::string& dir, std::vector<std::string>* problems);
// Hash of the source files (names and bytes) under `dir`.
std::string HashSources(const std::string& dir);
// True for "042-341-1211", "0570-008656", "110", "#8008", ….
bool IsValidPhone(const std::string& number);

}  // namespace yorisoi::kb::internal
