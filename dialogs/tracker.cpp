#include "dialogs/tracker.h"

#include <nlohmann/json.hpp>

namespace yorisoi::dialogs {
namespace {

using nlohmann::json;

template <typename T>
void SetOpt(json& j, const char* key, const std::optional<T>& v) {
  if (v) j[key] = *v;
}

template <typename T>
std::optional<T> GetOpt(const json& j, const char* key) {
  auto it = j.find(key);
  if (it == j.end() || it->is_null()) return std::nullopt;
  return it->get<T>();
}

std::string GetStr(const json& j, const char* key) {
  auto it = j.find(key);
  return (it != j.end() && it->is_string()) ? it->get<std::string>() : std::string();
}

}  // namespace

std::string Tracker::ToJson() const {
  json j = json::object();
  j["v"] = 1;
  if (!municipality.empty()) j["municipality"] = municipality;
  if (!prefecture.empty()) j["prefecture"] = prefecture;
  if (!other_place.empty()) j["other_place"] = other_place;
  if (!flow.empty()) j["flow"] = flow;
  if (pending) {
    json p = {{"kind", pending->kind}};
    if (!pending->intent.empty()) p["intent"] = pending->intent;
    if (!pending->program.empty()) p["program"] = pending->program;
    if (!pending->window.empty()) p["window"] = pending->window;
    if (!pending->slot.empty()) p["slot"] = pending->slot;
    if (!pending->options.empty()) p["options"] = pending->options;
    j["pending"] = std::move(p);
  }
  json c = json::object();
  SetOpt(c, "child_count", calc.child_count);
  if (!calc.child_ages.empty()) c["child_ages"] = calc.child_ages;
  SetOpt(c, "salary", calc.salary);
  SetOpt(c, "income", calc.income);
  SetOpt(c, "child_support", calc.child_support);
  SetOpt(c, "rent", calc.rent);
  if (calc.ages_skipped) c["ages_skipped"] = true;
  if (calc.take_home) c["take_home"] = true;
  if (!calc.program.empty()) c["program"] = calc.program;
  if (!c.empty()) j["calc"] = std::move(c);
  if (!diagnose.empty()) j["diagnose"] = diagnose;
  if (!last_program.empty()) j["last_program"] = last_program;
  if (!last_window.empty()) j["last_window"] = last_window;
  if (!last_intent.empty()) j["last_intent"] = last_intent;
  j["turns"] = turns;
  j["misses"] = misses;
  return j.dump();
}

Tracker Tracker::FromJson(const std::string& text) {
  Tracker t;
  try {
    const json j = json::parse(text);
    if (!j.is_object()) return t;
    t.municipality = GetStr(j, "municipality");
    t.prefecture = GetStr(j, "prefecture");
    t.other_place = GetStr(j, "other_place");
    t.flow = GetStr(j, "flow");
    if (auto it = j.find("pending"); it != j.end() && it->is_object()) {
      Pending p;
      p.kind = GetStr(*it, "kind");
      p.intent = GetStr(*it, "intent");
      p.program = GetStr(*it, "program");
      p.window = GetStr(*it, "window");
      p.slot = GetStr(*it, "slot");
      if (auto o = it->find("options"); o != it->end() && o->is_array())
        p.options = o->get<std::vector<std::string>>();
      t.pending = std::move(p);
    }
    if (auto it = j.find("calc"); it != j.end() && it->is_object()) {
      const json& c = *it;
      t.calc.child_count = GetOpt<int>(c, "child_count");
      if (auto a = c.find("child_ages"); a != c.end() && a->is_array())
        t.calc.child_ages = a->get<std::vector<int>>();
      t.calc.salary = GetOpt<long long>(c, "salary");
      t.calc.income = GetOpt<long long>(c, "income");
      t.calc.child_support = GetOpt<long long>(c, "child_support");
      t.calc.rent = GetOpt<long long>(c, "rent");
      t.calc.ages_skipped = c.value("ages_skipped", false);
      t.calc.take_home = c.value("take_home", false);
      t.calc.program = GetStr(c, "program");
    }
    if (auto it = j.find("diagnose"); it != j.end() && it->is_object())
      t.diagnose = it->get<std::map<std::string, bool>>();
    t.last_program = GetStr(j, "last_program");
    t.last_window = GetStr(j, "last_window");
    t.last_intent = GetStr(j, "last_intent");
    t.turns = j.value("turns", 0);
    t.misses = j.value("misses", 0);
  } catch (const std::exception&) {
    return Tracker();
  }
  return t;
}

}  // namespace yorisoi::dialogs
