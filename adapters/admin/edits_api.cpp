// The console's editing API (adapters/admin/edits_api.h).
#include "adapters/admin/edits_api.h"

#include <cstdio>
#include <map>
#include <nlohmann/json.hpp>

#include "adapters/admin/responses.h"
#include "core/time.h"
#include "store/log_store.h"

namespace yorisoi::adapters::admin {
namespace {

using nlohmann::json;

Response Json(const Request& req, http::status status, const json& body) {
  return JsonReply(req, status, body);
}
Response Error(const Request& req, http::status status, const std::string& message) {
  return ErrorReply(req, status, message);
}
Response MethodNotAllowed(const Request& req, const char* allow) {
  return MethodNotAllowedReply(req, allow);
}
Response Fail(const Request& req, const Status& s) {
  return FailReply(req, s, "yorisoi admin edits");
}

bool QueryFlag(const Request& req, std::string_view name) {
  std::string_view target(req.target().data(), req.target().size());
  const size_t q = target.find('?');
  if (q == std::string_view::npos) return false;
  std::string_view rest = target.substr(q + 1);
  while (!rest.empty()) {
    const size_t amp = rest.find('&');
    const std::string_view part = rest.substr(0, amp);
    rest = amp == std::string_view::npos ? std::string_view() : rest.substr(amp + 1);
    if (part.substr(0, name.size()) == name && part.size() > name.size() &&
        part[name.size()] == '=') {
      const std::string_view v = part.substr(name.size() + 1);
      return v == "1" || v == "true";
    }
  }
  return false;
}

// Reads a JSON object body; sets `error` when it is not one.
std::optional<json> Body(const Request& req, std::string* error) {
  if (JsonNestingExceeds(req.body())) {
    *error = "body: nested too deeply";
    return std::nullopt;
  }
  json body = json::parse(req.body(), nullptr, false);
  if (!body.is_object()) {
    *error = "body: JSON object expected";
    return std::nullopt;
  }
  return body;
}

// A string field ("" when absent); error naming it when of another type.
bool StringField(const json& j, const char* field, std::string* out, std::string* error,
                 const std::string& prefix = "") {
  out->clear();
  if (!j.contains(field) || j[field].is_null()) return true;
  if (!j[field].is_string()) {
    *error = prefix + field + ": string expected";
    return false;
  }
  *out = j[field].get<std::string>();
  return true;
}

std::optional<store::ExampleInput> ExampleFrom(const json& j, std::string* error,
                                               const std::string& prefix = "") {
  store::ExampleInput in;
  if (!StringField(j, "text", &in.text, error, prefix) ||
      !StringField(j, "target_kind", &in.target_kind, error, prefix) ||
      !StringField(j, "target", &in.target, error, prefix))
    return std::nullopt;
  // A parent's phrasing: personal data never reaches the corpus.
  in.text = store::MaskPersonalData(in.text);
  return in;
}

std::optional<store::FaqContent> FaqFrom(const json& j, std::string* error,
                                         const std::string& prefix = "") {
  store::FaqContent c;
  if (j.contains("phrasings") && j["phrasings"].is_string()) {
    // One per line, as the form's textarea sends it.
    std::string all = j["phrasings"].get<std::string>();
    size_t start = 0;
    while (start <= all.size()) {
      size_t nl = all.find('\n', start);
      if (nl == std::string::npos) nl = all.size();
      std::string line = all.substr(start, nl - start);
      if (!line.empty() && line.back() == '\r') line.pop_back();
      if (line.find_first_not_of(" \t") != std::string::npos) c.phrasings.push_back(line);
      start = nl + 1;
    }
  } else if (j.contains("phrasings") && j["phrasings"].is_array()) {
    for (const json& p : j["phrasings"]) {
      if (!p.is_string()) {
        *error = prefix + "phrasings: strings expected";
        return std::nullopt;
      }
      c.phrasings.push_back(p.get<std::string>());
    }
  } else if (j.contains("phrasings") && !j["phrasings"].is_null()) {
    *error = prefix + "phrasings: array of strings or text expected";
    return std::nullopt;
  }
  if (!StringField(j, "answer", &c.answer, error, prefix) ||
      !StringField(j, "municipality", &c.municipality, error, prefix) ||
      !StringField(j, "source_name", &c.source_name, error, prefix) ||
      !StringField(j, "source_url", &c.source_url, error, prefix) ||
      !StringField(j, "valid_from", &c.valid_from, error, prefix) ||
      !StringField(j, "valid_to", &c.valid_to, error, prefix))
    return std::nullopt;
  return c;
}

std::string When(int64_t ms) { return ms ? FormatJstIso(ms) : std::string(); }

json ExampleJson(const store::Example& e, const std::map<std::string, std::string>& labels) {
  const auto it = labels.find(e.input.target_kind + ":" + e.input.target);
  return json{{"id", e.id},
              {"text", e.input.text},
              {"target_kind", e.input.target_kind},
              {"target", e.input.target},
              {"target_label", it == labels.end() ? e.input.target : it->second},
              {"author", e.author},
              {"created", When(e.created_ms)},
              {"active", e.active},
              {"removed_by", e.removed_by},
              {"removed", When(e.removed_ms)}};
}

json ContentJson(const store::FaqContent& c) {
  return json{{"phrasings", c.phrasings},       {"answer", c.answer},
              {"municipality", c.municipality}, {"source_name", c.source_name},
              {"source_url", c.source_url},     {"valid_from", c.valid_from},
              {"valid_to", c.valid_to}};
}

json FaqJson(const store::Faq& f, bool with_history) {
  json j = ContentJson(f.content);
  j["id"] = f.id;
  j["active_version"] = f.active_version;
  j["active"] = f.active_version > 0;
  j["created_by"] = f.created_by;
  j["created"] = When(f.created_ms);
  j["updated_by"] = f.updated_by;
  j["updated"] = When(f.updated_ms);
  if (with_history) {
    json h = json::array();
    for (const store::FaqVersion& v : f.history) {
      json e = ContentJson(v.content);
      e["version"] = v.version;
      e["author"] = v.author;
      e["saved"] = When(v.saved_ms);
      e["active"] = v.version == f.active_version;
      h.push_back(std::move(e));
    }
    j["history"] = std::move(h);
  }
  return j;
}

}  // namespace

EditsApi::EditsApi(EditsBackend* backend, store::AdminStore* admin, std::function<int64_t()> clock)
    : backend_(backend), admin_(admin), clock_(std::move(clock)) {}

Response EditsApi::Handle(std::string_view path, const Request& req, const std::string& actor,
                          bool can_write, const std::string& remote) {
  try {
    const size_t q = path.find('?');
    if (q != std::string_view::npos) path = path.substr(0, q);
    while (!path.empty() && path.back() == '/') path.remove_suffix(1);
    const bool get = req.method() == http::verb::get;
    const bool post = req.method() == http::verb::post;
    if (!backend_) return Error(req, http::status::service_unavailable, "edits unavailable");
    store::EditsStore* st = backend_->store();
    const int64_t now = clock_ ? clock_() : 0;

    auto audit = [&](const std::string& action, const std::string& target,
                     const std::string& detail) {
      if (!admin_) return;
      store::AuditEntry e;
      e.at_ms = now;
      e.actor = actor;
      e.action = action;
      e.target = target;
      e.detail = detail;
      e.remote = remote;
      if (Status s = admin_->AppendAudit(e); !s.ok())
        std::fprintf(stderr, "yorisoi admin edits: audit: %s\n", s.message().c_str());
    };
    auto labels = [&] {
      std::map<std::string, std::string> out;
      for (const EditTargetInfo& t : backend_->Targets()) out[t.kind + ":" + t.id] = t.label;
      return out;
    };
    auto forbidden = [&] {
      return Error(req, http::status::forbidden, "forbidden: the editor or admin role is needed");
    };
    std::string error;

    if (path == "/targets") {
      if (!get) return MethodNotAllowed(req, "GET");
      json intents = json::array(), programs = json::array();
      for (const EditTargetInfo& t : backend_->Targets())
        (t.kind == "intent" ? intents : programs).push_back({{"id", t.id}, {"label", t.label}});
      return Json(req, http::status::ok, json{{"intents", intents}, {"programs", programs}});
    }

    if (path == "/preview") {
      if (!post) return MethodNotAllowed(req, "POST");
      auto body = Body(req, &error);
      if (!body) return Error(req, http::status::bad_request, error);
      // A draft is an edit in the making (and a draft example trains a
      // model): editors only. Everyone may ask what the bot answers now.
      const auto has = [&](const char* k) { return body->contains(k) && !(*body)[k].is_null(); };
      if ((has("draft_faq") || has("draft_example")) && !can_write) return forbidden();
      PreviewInput in;
      std::string at;
      if (!StringField(*body, "text", &in.text, &error) ||
          !StringField(*body, "municipality", &in.municipality, &error) ||
          !StringField(*body, "at", &at, &error))
        return Error(req, http::status::bad_request, error);
      if (!at.empty()) {
        auto ms = ParseIsoInstant(at);
        if (!ms) return Error(req, http::status::bad_request, "at: ISO-8601 instant expected");
        in.at_ms = *ms;
      }
      if (body->contains("draft_faq") && !(*body)["draft_faq"].is_null()) {
        if (!(*body)["draft_faq"].is_object())
          return Error(req, http::status::bad_request, "draft_faq: object expected");
        in.draft_faq = FaqFrom((*body)["draft_faq"], &error, "draft_faq: ");
        if (!in.draft_faq) return Error(req, http::status::bad_request, error);
        if (Status s = backend_->CheckFaq(*in.draft_faq); !s.ok())
          return Fail(req, s.WithContext("draft_faq"));
      }
      if (body->contains("draft_faq_id") && !(*body)["draft_faq_id"].is_null()) {
        if (!(*body)["draft_faq_id"].is_number_integer())
          return Error(req, http::status::bad_request, "draft_faq_id: integer expected");
        in.draft_faq_id = (*body)["draft_faq_id"].get<int64_t>();
      }
      if (body->contains("draft_example") && !(*body)["draft_example"].is_null()) {
        if (!(*body)["draft_example"].is_object())
          return Error(req, http::status::bad_request, "draft_example: object expected");
        in.draft_example = ExampleFrom((*body)["draft_example"], &error, "draft_example: ");
        if (!in.draft_example) return Error(req, http::status::bad_request, error);
        if (Status s = backend_->CheckExample(*in.draft_example); !s.ok())
          return Fail(req, s.WithContext("draft_example"));
      }
      auto r = backend_->Preview(in);
      if (!r.ok()) return Fail(req, r.status());
      return Json(req, http::status::ok,
                  json{{"texts", r->texts},
                       {"quick_replies", r->quick_replies},
                       {"intent", r->intent},
                       {"flow", r->flow},
                       {"answered", r->answered},
                       {"fallback", r->fallback},
                       {"crisis", r->crisis}});
    }

    if (path == "/examples" || path.substr(0, 10) == "/examples/" || path == "/faqs" ||
        path.substr(0, 6) == "/faqs/") {
      if (!st) return Error(req, http::status::service_unavailable, "edits unavailable");
    }

    if (path == "/examples") {
      if (get) {
        auto list = st->ListExamples(QueryFlag(req, "all"));
        if (!list.ok()) return Fail(req, list.status());
        const auto l = labels();
        json items = json::array();
        for (const store::Example& e : *list) items.push_back(ExampleJson(e, l));
        return Json(req, http::status::ok, json{{"items", items}});
      }
      if (!post) return MethodNotAllowed(req, "GET, POST");
      if (!can_write) return forbidden();
      auto body = Body(req, &error);
      if (!body) return Error(req, http::status::bad_request, error);
      auto in = ExampleFrom(*body, &error);
      if (!in) return Error(req, http::status::bad_request, error);
      if (Status s = backend_->CheckExample(*in); !s.ok()) return Fail(req, s);
      auto ex = st->AddExample(*in, actor, now);
      if (!ex.ok()) return Fail(req, ex.status());
      audit("add_example", "example:" + std::to_string(ex->id), in->target_kind + " " + in->target);
      backend_->Reload();
      return Json(req, http::status::created, ExampleJson(*ex, labels()));
    }

    if (path.substr(0, 10) == "/examples/") {
      std::string_view rest = path.substr(10);
      const size_t slash = rest.find('/');
      auto id = ParseId(rest.substr(0, slash));
      if (!id || slash == std::string_view::npos || rest.substr(slash) != "/rollback")
        return Error(req, http::status::not_found, "not found");
      if (!post) return MethodNotAllowed(req, "POST");
      if (!can_write) return forbidden();
      auto ex = st->RemoveExample(*id, actor, now);
      if (!ex.ok()) return Fail(req, ex.status());
      audit("rollback_example", "example:" + std::to_string(*id), "removed");
      backend_->Reload();
      return Json(req, http::status::ok, ExampleJson(*ex, labels()));
    }

    if (path == "/faqs") {
      if (get) {
        auto list = st->ListFaqs(QueryFlag(req, "all"));
        if (!list.ok()) return Fail(req, list.status());
        json items = json::array();
        for (const store::Faq& f : *list) items.push_back(FaqJson(f, false));
        return Json(req, http::status::ok, json{{"items", items}});
      }
      if (!post) return MethodNotAllowed(req, "GET, POST");
      if (!can_write) return forbidden();
      auto body = Body(req, &error);
      if (!body) return Error(req, http::status::bad_request, error);
      int64_t id = 0;
      if (body->contains("id") && !(*body)["id"].is_null()) {
        if (!(*body)["id"].is_number_integer() || (*body)["id"].get<int64_t>() < 0)
          return Error(req, http::status::bad_request, "id: integer expected");
        id = (*body)["id"].get<int64_t>();
      }
      auto content = FaqFrom(*body, &error);
      if (!content) return Error(req, http::status::bad_request, error);
      if (Status s = backend_->CheckFaq(*content); !s.ok()) return Fail(req, s);
      auto f = st->SaveFaq(id, *content, actor, now);
      if (!f.ok()) return Fail(req, f.status());
      audit("save_faq", "faq:" + std::to_string(f->id),
            "version " + std::to_string(f->active_version));
      backend_->Reload();
      return Json(req, http::status::created, FaqJson(*f, true));
    }

    if (path.substr(0, 6) == "/faqs/") {
      std::string_view rest = path.substr(6);
      const size_t slash = rest.find('/');
      auto id = ParseId(rest.substr(0, slash));
      if (!id) return Error(req, http::status::not_found, "not found");
      if (slash == std::string_view::npos) {
        if (!get) return MethodNotAllowed(req, "GET");
        auto f = st->GetFaq(*id);
        if (!f.ok()) return Fail(req, f.status());
        if (!f->has_value()) return Error(req, http::status::not_found, "not found");
        return Json(req, http::status::ok, FaqJson(**f, true));
      }
      if (rest.substr(slash) != "/rollback")
        return Error(req, http::status::not_found, "not found");
      if (!post) return MethodNotAllowed(req, "POST");
      if (!can_write) return forbidden();
      auto f = st->RollbackFaq(*id, actor, now);
      if (!f.ok()) return Fail(req, f.status());
      audit(f->active_version == 0 ? "remove_faq" : "rollback_faq", "faq:" + std::to_string(*id),
            "version " + std::to_string(f->active_version));
      backend_->Reload();
      return Json(req, http::status::ok, FaqJson(*f, true));
    }

    return Error(req, http::status::not_found, "not found");
  } catch (const std::exception& e) {
    return Fail(req, Status::IOError(std::string("edits api: ") + e.what()));
  }
}

}  // namespace yorisoi::adapters::admin
