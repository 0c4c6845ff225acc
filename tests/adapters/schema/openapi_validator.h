// A small validator of JSON values against the OpenAPI 3 schemas of LINE's
// published definitions (../shared/line-openapi), for the subset they use:
// $ref (local "#/components/schemas/…"), type, required, properties, enum,
// minLength/maxLength, minItems/maxItems, minimum/maximum, items, allOf,
// oneOf and discriminator (propertyName + mapping). Additionally, object
// properties that no schema along the way declares are reported (a typo in
// a field name is otherwise silently ignored by the API). Lengths count
// UTF-16 units, as LINE does. (yaml-cpp: a Node is rebound with reset();
// assigning to it would write into the loaded document.)
#pragma once

#include <yaml-cpp/yaml.h>

#include <nlohmann/json.hpp>
#include <set>
#include <string>
#include <vector>

#include "adapters/line_messages.h"

namespace yorisoi::adapters::testing {

class OpenApiValidator {
 public:
  explicit OpenApiValidator(const std::string& path) : root_(YAML::LoadFile(path)) {}

  // Errors of `value` against components.schemas[name], "" when valid.
  std::vector<std::string> Validate(const nlohmann::json& value, const std::string& name) const {
    std::vector<std::string> errors;
    Check(value, Schema(name), "$", errors, true);
    return errors;
  }

  bool Has(const std::string& name) const { return static_cast<bool>(Schema(name)); }

 private:
  YAML::Node Schema(const std::string& name) const {
    return root_["components"]["schemas"][name];
  }

  YAML::Node Resolve(YAML::Node s) const {
    for (int i = 0; i < 16 && s && s.IsMap() && s["$ref"]; ++i) {
      const std::string ref = s["$ref"].as<std::string>();
      const std::string prefix = "#/components/schemas/";
      if (ref.rfind(prefix, 0) != 0) return YAML::Node();
      s.reset(Schema(ref.substr(prefix.size())));  // rebind; `=` would overwrite the tree
    }
    return s;
  }

  // The schema a discriminator sends `value` to, or null (error added).
  YAML::Node Dispatch(const nlohmann::json& value, const YAML::Node& s, const std::string& path,
                      std::vector<std::string>& errors) const {
    const std::string prop = s["discriminator"]["propertyName"].as<std::string>();
    if (!value.is_object() || !value.contains(prop) || !value[prop].is_string()) {
      errors.push_back(path + ": missing discriminator " + prop);
      return YAML::Node();
    }
    const std::string key = value[prop].get<std::string>();
    YAML::Node target = s["discriminator"]["mapping"][key];
    if (!target) {
      errors.push_back(path + ": " + prop + " \"" + key + "\" is not in the schema's mapping");
      return YAML::Node();
    }
    YAML::Node ref;
    ref["$ref"] = target.as<std::string>();
    return Resolve(ref);
  }

  // Property names declared by `s`, its allOf parts and discriminator target.
  void Declared(const nlohmann::json& value, YAML::Node s, std::set<std::string>& out,
                bool dispatch, int depth = 0) const {
    s.reset(Resolve(s));
    if (!s || !s.IsMap() || depth > 12) return;
    if (s["properties"])
      for (const auto& kv : s["properties"]) out.insert(kv.first.as<std::string>());
    if (s["allOf"])
      for (const auto& part : s["allOf"]) Declared(value, part, out, false, depth + 1);
    if (dispatch && s["discriminator"]) {
      std::vector<std::string> ignored;
      YAML::Node t = Dispatch(value, s, "", ignored);
      if (t) Declared(value, t, out, false, depth + 1);
    }
  }

  static std::string Type(const nlohmann::json& v) {
    if (v.is_object()) return "object";
    if (v.is_array()) return "array";
    if (v.is_string()) return "string";
    if (v.is_boolean()) return "boolean";
    if (v.is_number_integer() || v.is_number_unsigned()) return "integer";
    if (v.is_number()) return "number";
    return "null";
  }

  void Check(const nlohmann::json& v, YAML::Node s, const std::string& path,
             std::vector<std::string>& errors, bool dispatch) const {
    s.reset(Resolve(s));
    if (!s || !s.IsMap()) {
      errors.push_back(path + ": unresolvable schema");
      return;
    }
    if (dispatch && v.is_object()) {
      std::set<std::string> declared;
      Declared(v, s, declared, true);
      if (!declared.empty())
        for (auto it = v.begin(); it != v.end(); ++it)
          if (!declared.count(it.key()))
            errors.push_back(path + ": property \"" + it.key() + "\" is not in the schema");
    }
    if (dispatch && s["discriminator"]) {
      YAML::Node target = Dispatch(v, s, path, errors);
      if (!target) return;
      // The target's allOf names this schema again: checked there without
      // dispatching twice.
      Check(v, target, path, errors, false);
      Check(v, s, path, errors, false);
      return;
    }
    if (s["type"]) {
      const std::string want = s["type"].as<std::string>();
      const std::string got = Type(v);
      if (want != got && !(want == "number" && got == "integer")) {
        errors.push_back(path + ": " + got + " where the schema wants " + want);
        return;
      }
    }
    if (s["enum"] && v.is_string()) {
      bool ok = false;
      for (const auto& e : s["enum"]) ok = ok || e.as<std::string>() == v.get<std::string>();
      if (!ok) errors.push_back(path + ": \"" + v.get<std::string>() + "\" is not an allowed value");
    }
    if (v.is_string()) {
      const std::size_t n = Utf16Length(v.get<std::string>());
      if (s["maxLength"] && n > s["maxLength"].as<std::size_t>())
        errors.push_back(path + ": longer than " + s["maxLength"].as<std::string>());
      if (s["minLength"] && n < s["minLength"].as<std::size_t>())
        errors.push_back(path + ": shorter than " + s["minLength"].as<std::string>());
    }
    if (v.is_number()) {
      if (s["minimum"] && v.get<double>() < s["minimum"].as<double>())
        errors.push_back(path + ": below the minimum");
      if (s["maximum"] && v.get<double>() > s["maximum"].as<double>())
        errors.push_back(path + ": above the maximum");
    }
    if (v.is_array()) {
      if (s["maxItems"] && v.size() > s["maxItems"].as<std::size_t>())
        errors.push_back(path + ": more than " + s["maxItems"].as<std::string>() + " items");
      if (s["minItems"] && v.size() < s["minItems"].as<std::size_t>())
        errors.push_back(path + ": fewer than " + s["minItems"].as<std::string>() + " items");
      if (s["items"])
        for (std::size_t i = 0; i < v.size(); ++i)
          Check(v[i], s["items"], path + "[" + std::to_string(i) + "]", errors, true);
    }
    if (v.is_object()) {
      if (s["required"])
        for (const auto& r : s["required"])
          if (!v.contains(r.as<std::string>()))
            errors.push_back(path + ": missing required " + r.as<std::string>());
      if (s["properties"])
        for (const auto& kv : s["properties"]) {
          const std::string key = kv.first.as<std::string>();
          if (v.contains(key)) Check(v[key], kv.second, path + "." + key, errors, true);
        }
    }
    if (s["allOf"])
      for (const auto& part : s["allOf"]) Check(v, part, path, errors, false);
    if (s["oneOf"]) {
      int matched = 0;
      for (const auto& part : s["oneOf"]) {
        std::vector<std::string> e;
        Check(v, part, path, e, true);
        if (e.empty()) ++matched;
      }
      if (matched != 1)
        errors.push_back(path + ": matches " + std::to_string(matched) + " of oneOf, not 1");
    }
  }

  YAML::Node root_;
};

}  // namespace yorisoi::adapters::testing
