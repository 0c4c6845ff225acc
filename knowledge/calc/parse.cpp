// ParseHousehold (the CLI/HTTP input format) and CalculateJson.
#include <cmath>
#include <exception>
#include <initializer_list>
#include <string_view>

#include "knowledge/calc/calc.h"

namespace yorisoi::calc {
namespace {

using nlohmann::json;

constexpr long long kMaxYen = 100000000000LL;  // 1,000億円: rejects absurd input, no overflow

Status Err(const std::string& field, const std::string& msg) {
  return Status::InvalidArgument(field + ": " + msg);
}

std::string Join(const std::string& path, const char* key) {
  return path.empty() ? std::string(key) : path + "." + key;
}

// Rejects keys not in `allowed` (typos would otherwise silently change the answer).
Status CheckKeys(const json& obj, const std::string& path,
                 std::initializer_list<std::string_view> allowed) {
  for (const auto& [key, value] : obj.items()) {
    bool ok = false;
    for (std::string_view a : allowed) ok |= key == a;
    if (!ok) return Err(path.empty() ? key : path + "." + key, "unknown field");
  }
  return Status::Ok();
}

bool Present(const json& obj, const char* key) {
  auto it = obj.find(key);
  return it != obj.end() && !it->is_null();
}

// A non-negative whole number (integers, or floats with no fraction).
Status NonNegative(const json& v, const std::string& field, long long max, long long* out,
                   const char* what) {
  long long n = 0;
  if (v.is_number_integer()) {
    if (v.is_number_unsigned()) {
      if (v.get<unsigned long long>() > static_cast<unsigned long long>(max)) {
        return Err(field, "must be at most " + std::to_string(max));
      }
      n = static_cast<long long>(v.get<unsigned long long>());
    } else {
      n = v.get<long long>();
    }
  } else if (v.is_number_float()) {
    const double d = v.get<double>();
    if (!std::isfinite(d) || d != std::floor(d) || std::fabs(d) > 1e15) {
      return Err(field, std::string("must be ") + what);
    }
    n = static_cast<long long>(d);
  } else {
    return Err(field, std::string("must be ") + what);
  }
  if (n < 0) return Err(field, "must not be negative (got " + std::to_string(n) + ")");
  if (n > max) return Err(field, "must be at most " + std::to_string(max));
  *out = n;
  return Status::Ok();
}

Status Amount(const json& obj, const char* key, const std::string& path, long long* out) {
  if (!Present(obj, key)) return Status::Ok();
  return NonNegative(obj[key], Join(path, key), kMaxYen, out, "a non-negative integer (yen)");
}

Status OptAmount(const json& obj, const char* key, const std::string& path,
                 std::optional<long long>* out) {
  if (!Present(obj, key)) return Status::Ok();
  long long v = 0;
  if (Status s = Amount(obj, key, path, &v); !s.ok()) return s;
  *out = v;
  return Status::Ok();
}

Status Count(const json& obj, const char* key, const std::string& path, int max, int* out) {
  if (!Present(obj, key)) return Status::Ok();
  long long v = 0;
  if (Status s = NonNegative(obj[key], Join(path, key), max, &v, "a non-negative integer");
      !s.ok()) {
    return s;
  }
  *out = static_cast<int>(v);
  return Status::Ok();
}

Status OptCount(const json& obj, const char* key, const std::string& path, int max,
                std::optional<int>* out) {
  if (!Present(obj, key)) return Status::Ok();
  int v = 0;
  if (Status s = Count(obj, key, path, max, &v); !s.ok()) return s;
  *out = v;
  return Status::Ok();
}

Status Bool(const json& obj, const char* key, const std::string& path, bool* out) {
  if (!Present(obj, key)) return Status::Ok();
  if (!obj[key].is_boolean()) return Err(Join(path, key), "must be true or false");
  *out = obj[key].get<bool>();
  return Status::Ok();
}

std::optional<Date> ParseDate(const json& v) {
  if (!v.is_string()) return std::nullopt;
  const std::string s = v.get<std::string>();
  std::optional<Date> d;
  if (s.size() == 7) {
    d = Date::Parse(s + "-01");  // "2026-11": the month
  } else if (s.size() == 10) {
    d = Date::Parse(s);
  } else if (s.size() > 10) {
    if (auto ms = ParseIsoInstant(s)) d = ToJst(*ms).date;
  }
  if (d && (d->year < 1900 || d->year > 2200)) return std::nullopt;
  return d;
}

Status ParseTraining(const json& t, Training* out) {
  const std::string path = "parent.training";
  if (!t.is_object()) return Err(path, "must be an object");
  if (Status s = CheckKeys(t, path, {"kind", "final_year", "course_fee"}); !s.ok()) return s;
  const auto kind = t.find("kind");
  if (kind == t.end() || kind->is_null()) {
    return Err(path + ".kind", "required (\"koutou\", \"kyouiku\" or \"senmon\")");
  }
  if (!kind->is_string())
    return Err(path + ".kind", "must be \"koutou\", \"kyouiku\" or \"senmon\"");
  out->kind = kind->get<std::string>();
  if (out->kind != "koutou" && out->kind != "kyouiku" && out->kind != "senmon") {
    return Err(path + ".kind", "must be \"koutou\", \"kyouiku\" or \"senmon\"");
  }
  if (Status s = Bool(t, "final_year", path, &out->final_year); !s.ok()) return s;
  return Amount(t, "course_fee", path, &out->course_fee);
}

Status ParseParent(const json& p, Parent* out) {
  const std::string path = "parent";
  if (!p.is_object()) return Err(path, "must be an object");
  if (Status s = CheckKeys(
          p, path,
          {"salary_income", "business_income", "child_support", "deductions", "resident_tax_exempt",
           "rent", "years_resident", "training", "elderly_dependents", "specific_dependents"});
      !s.ok()) {
    return s;
  }
  for (auto [key, field] : {std::pair{"salary_income", &out->salary_income},
                            std::pair{"business_income", &out->business_income},
                            std::pair{"child_support", &out->child_support},
                            std::pair{"deductions", &out->deductions}}) {
    if (Status s = Amount(p, key, path, field); !s.ok()) return s;
  }
  if (Present(p, "resident_tax_exempt")) {
    if (!p["resident_tax_exempt"].is_boolean()) {
      return Err("parent.resident_tax_exempt", "must be true, false or null");
    }
    out->resident_tax_exempt = p["resident_tax_exempt"].get<bool>();
  }
  if (Status s = OptAmount(p, "rent", path, &out->rent); !s.ok()) return s;
  if (Status s = OptCount(p, "years_resident", path, 150, &out->years_resident); !s.ok()) return s;
  if (Status s = Count(p, "elderly_dependents", path, 50, &out->elderly_dependents); !s.ok()) {
    return s;
  }
  if (Status s = Count(p, "specific_dependents", path, 50, &out->specific_dependents); !s.ok()) {
    return s;
  }
  if (Present(p, "training")) {
    Training t;
    if (Status s = ParseTraining(p["training"], &t); !s.ok()) return s;
    out->training = t;
  }
  return Status::Ok();
}

Status ParseChild(const json& c, const std::string& path, const Date& date, Child* out) {
  if (!c.is_object()) return Err(path, "must be an object");
  if (Status s = CheckKeys(c, path, {"birth_date", "disability", "supported"}); !s.ok()) return s;
  const auto bd = c.find("birth_date");
  if (bd == c.end() || bd->is_null()) return Err(path + ".birth_date", "required (YYYY-MM-DD)");
  std::optional<Date> d;
  if (bd->is_string() && bd->get<std::string>().size() == 10) d = ParseDate(*bd);
  if (!d) return Err(path + ".birth_date", "must be a date (YYYY-MM-DD)");
  if (*d > date) {
    return Err(path + ".birth_date",
               "is after the date of the calculation (" + date.ToString() + ")");
  }
  out->birth_date = *d;
  if (Present(c, "disability")) {
    const json& v = c["disability"];
    if (v.is_boolean()) {
      out->disability = v.get<bool>() ? "yes" : "none";
    } else if (v.is_string() && (v == "none" || v == "yes" || v == "severe")) {
      out->disability = v.get<std::string>();
    } else {
      return Err(path + ".disability", "must be \"none\", \"yes\" or \"severe\"");
    }
  }
  return Bool(c, "supported", path, &out->supported);
}

// Finds a municipality by id, name or alias ("kunitachi", "国立市", "国立").
const kb::Municipality* FindMunicipality(const kb::KnowledgeBase& kb, const std::string& key) {
  if (const kb::Municipality* m = kb.FindMunicipality(key)) return m;
  for (const kb::Municipality& m : kb.municipalities()) {
    if (m.name == key) return &m;
    for (const std::string& a : m.aliases) {
      if (a == key) return &m;
    }
  }
  return nullptr;
}

}  // namespace

Result<Household> ParseHousehold(const nlohmann::json& in, const Date& today,
                                 const kb::KnowledgeBase* known_municipality) {
  if (!in.is_object()) return Status::InvalidArgument("body: must be a JSON object");
  if (Status s = CheckKeys(
          in, "",
          {"date", "municipality", "single_parent", "parent", "income", "dependents", "children"});
      !s.ok()) {
    return s;
  }
  Household h;
  h.date = today;
  if (Present(in, "date")) {
    const auto d = ParseDate(in["date"]);
    if (!d) return Status::InvalidArgument("date: must be a date (YYYY-MM-DD)");
    h.date = *d;
  }
  if (Present(in, "municipality")) {
    if (!in["municipality"].is_string()) {
      return Status::InvalidArgument("municipality: must be a municipality id such as \"kunitachi\"");
    }
    h.municipality = in["municipality"].get<std::string>();
    if (!h.municipality.empty() && known_municipality) {
      const kb::Municipality* m = FindMunicipality(*known_municipality, h.municipality);
      if (!m) return Status::InvalidArgument("municipality: unknown municipality \"" + h.municipality + "\"");
      h.municipality = m->id;
    }
  }
  if (Status s = Bool(in, "single_parent", "", &h.single_parent); !s.ok()) return s;
  if (Present(in, "parent")) {
    if (Status s = ParseParent(in["parent"], &h.parent); !s.ok()) return s;
  }
  if (Status s = OptAmount(in, "income", "", &h.income); !s.ok()) return s;
  if (Status s = OptCount(in, "dependents", "", 50, &h.dependents); !s.ok()) return s;
  const auto children = in.find("children");
  if (children == in.end() || children->is_null()) {
    return Status::InvalidArgument("children: required (a list of children; [] when none)");
  }
  if (!children->is_array()) return Status::InvalidArgument("children: must be a list");
  if (children->size() > 30) return Status::InvalidArgument("children: at most 30 children");
  for (size_t i = 0; i < children->size(); ++i) {
    Child c;
    const std::string path = "children[" + std::to_string(i) + "]";
    if (Status s = ParseChild((*children)[i], path, h.date, &c); !s.ok()) return s;
    h.children.push_back(std::move(c));
  }
  return h;
}

Result<json> CalculateJson(std::string_view body, const kb::KnowledgeBase& kb, const Date& today,
                           bool explain) {
  try {
    const json in = json::parse(body.begin(), body.end(), nullptr, false);
    if (in.is_discarded()) return Status::InvalidArgument("body: not valid JSON");
    Result<Household> h = ParseHousehold(in, today, &kb);
    if (!h.ok()) return h.status();
    const CalcResult r = Calculate(*h, kb);
    json out = ToJson(r);
    if (explain) out["explanation"] = Explain(r);
    return out;
  } catch (const std::exception& e) {
    return Status::InvalidArgument(std::string("body: ") + e.what());
  }
}

}  // namespace yorisoi::calc
