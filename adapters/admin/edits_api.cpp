// The console's editing API (adapters/admin/edits_api.h).
#include "adapters/admin/edits_api.h"

#include <cstdio>
#include <map>
#include <nlohmann/json.hpp>

#include "adapters/admin/audit.h"
#include "adapters/admin/responses.h"
#include "core/time.h"
#include "store/log_store.h"

namespace yorisoi::adapters::admin {
namespace {

using nlohmann::json;

Response Error(const Request& req, http::status status, const std::string& message) {
  return ErrorReply(req, status, message);
}
Response Fail(const Request& req, const Status& s) {
  return FailReply(req, s, "yorisoi admin edits");
}
Response Unavailable(const Request& req) {
  return Error(req, http::status::service_unavailable, "edits unavailable");
}

// ?all=1 or ?all=true
bool QueryFlag(const Query& q, const char* name) {
  const std::string v = QueryValue(q, name);
  return v == "1" || v == "true";
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

// Reads a draft ("draft_faq" / "draft_example") of a preview body into
// *out and checks it with `check`; an error response when it is bad.
template <class T, class From, class Check>
std::optional<Response> ReadDraft(const Request& req, const json& body, const char* key, From from,
                                  Check check, std::optional<T>* out) {
  if (!body.contains(key) || body[key].is_null()) return std::nullopt;
  if (!body[key].is_object())
    return Error(req, http::status::bad_request, std::string(key) + ": object expected");
  std::string error;
  *out = from(body[key], &error, std::string(key) + ": ");
  if (!*out) return Error(req, http::status::bad_request, error);
  if (Status s = check(**out); !s.ok()) return Fail(req, s.WithContext(key));
  return std::nullopt;
}

// The preview input of a POST /preview body; an error response when bad.
std::optional<Response> PreviewFrom(const Request& req, const json& body, EditsBackend* backend,
                                    PreviewInput* in) {
  std::string at, error;
  if (!StringField(body, "text", &in->text, &error) ||
      !StringField(body, "municipality", &in->municipality, &error) ||
      !StringField(body, "at", &at, &error))
    return Error(req, http::status::bad_request, error);
  if (!at.empty()) {
    auto ms = ParseIsoInstant(at);
    if (!ms) return Error(req, http::status::bad_request, "at: ISO-8601 instant expected");
    in->at_ms = *ms;
  }
  auto check_faq = [backend](const store::FaqContent& c) { return backend->CheckFaq(c); };
  if (auto bad = ReadDraft(req, body, "draft_faq", FaqFrom, check_faq, &in->draft_faq)) return bad;
  if (body.contains("draft_faq_id") && !body["draft_faq_id"].is_null()) {
    if (!body["draft_faq_id"].is_number_integer())
      return Error(req, http::status::bad_request, "draft_faq_id: integer expected");
    in->draft_faq_id = body["draft_faq_id"].get<int64_t>();
  }
  auto check_example = [backend](const store::ExampleInput& e) { return backend->CheckExample(e); };
  return ReadDraft(req, body, "draft_example", ExampleFrom, check_example, &in->draft_example);
}

json PreviewJson(const PreviewOutput& r) {
  return json{{"texts", r.texts},  {"quick_replies", r.quick_replies}, {"intent", r.intent},
              {"flow", r.flow},    {"answered", r.answered},           {"fallback", r.fallback},
              {"crisis", r.crisis}};
}

}  // namespace

EditsApi::EditsApi(EditsBackend* backend, store::AdminStore* admin, std::function<int64_t()> clock)
    : backend_(backend),
      admin_(admin),
      clock_(std::move(clock)),
      own_(std::make_unique<Endpoints>(nullptr)) {
  AddRoutes(*own_, "");
}

EditsApi::~EditsApi() = default;

void EditsApi::AddRoutes(Endpoints& e, const std::string& prefix) {
  using P = store::Permission;
  const auto get = http::verb::get, post = http::verb::post;
  // Every endpoint needs the backend; the examples and FAQs its store too.
  auto bind = [this](Response (EditsApi::*fn)(const ApiCall&), bool needs_store) {
    return [this, run = Method(this, fn), needs_store](const ApiCall& c) {
      if (!backend_ || (needs_store && !backend_->store())) return Unavailable(c.req);
      return run(c);
    };
  };
  e.Add(get, prefix + "/targets", P::kRead, bind(&EditsApi::Targets, false));
  e.Add(post, prefix + "/preview", P::kRead, bind(&EditsApi::Preview, false));
  e.Add(get, prefix + "/examples", P::kRead, bind(&EditsApi::ListExamples, true));
  e.Add(post, prefix + "/examples", P::kEdit, bind(&EditsApi::AddExample, true));
  e.Add(post, prefix + "/examples/{id}/rollback", P::kEdit, bind(&EditsApi::RollbackExample, true));
  e.Add(get, prefix + "/faqs", P::kRead, bind(&EditsApi::ListFaqs, true));
  e.Add(post, prefix + "/faqs", P::kEdit, bind(&EditsApi::SaveFaq, true));
  e.Add(get, prefix + "/faqs/{id}", P::kRead, bind(&EditsApi::GetFaq, true));
  e.Add(post, prefix + "/faqs/{id}/rollback", P::kEdit, bind(&EditsApi::RollbackFaq, true));
}

Response EditsApi::Handle(std::string_view path, const Request& req, const std::string& actor,
                          bool can_write, const std::string& remote) {
  path = path.substr(0, path.find('?'));
  while (!path.empty() && path.back() == '/') path.remove_suffix(1);
  Caller caller;
  caller.actor = actor;
  caller.role = can_write ? store::Role::kEditor : store::Role::kViewer;
  auto target = ParseTarget(std::string_view(req.target().data(), req.target().size()));
  if (!target) return ErrorReply(req, http::status::bad_request, "bad request target");
  return own_->DispatchAs(caller, path, req, RequestContext{remote}, target->query);
}

std::map<std::string, std::string> EditsApi::Labels() const {
  std::map<std::string, std::string> out;
  for (const EditTargetInfo& t : backend_->Targets()) out[t.kind + ":" + t.id] = t.label;
  return out;
}

Response EditsApi::Targets(const ApiCall& call) {
  json intents = json::array(), programs = json::array();
  for (const EditTargetInfo& t : backend_->Targets())
    (t.kind == "intent" ? intents : programs).push_back({{"id", t.id}, {"label", t.label}});
  return JsonReply(call.req, http::status::ok, json{{"intents", intents}, {"programs", programs}});
}

Response EditsApi::Preview(const ApiCall& call) {
  std::string error;
  auto body = Body(call.req, &error);
  if (!body) return Error(call.req, http::status::bad_request, error);
  // A draft is an edit in the making (and a draft example trains a model):
  // editors only. Everyone may ask what the bot answers now.
  const auto has = [&](const char* k) { return body->contains(k) && !(*body)[k].is_null(); };
  if ((has("draft_faq") || has("draft_example")) &&
      !store::Allows(call.caller.role, store::Permission::kEdit))
    return Error(call.req, http::status::forbidden, ForbiddenMessage(store::Permission::kEdit));
  PreviewInput in;
  if (auto bad = PreviewFrom(call.req, *body, backend_, &in)) return *bad;
  auto r = backend_->Preview(in);
  if (!r.ok()) return Fail(call.req, r.status());
  return JsonReply(call.req, http::status::ok, PreviewJson(*r));
}

Response EditsApi::ListExamples(const ApiCall& call) {
  auto list = backend_->store()->ListExamples(QueryFlag(call.query, "all"));
  if (!list.ok()) return Fail(call.req, list.status());
  const auto labels = Labels();
  json items = json::array();
  for (const store::Example& e : *list) items.push_back(ExampleJson(e, labels));
  return JsonReply(call.req, http::status::ok, json{{"items", items}});
}

Response EditsApi::AddExample(const ApiCall& call) {
  std::string error;
  auto body = Body(call.req, &error);
  if (!body) return Error(call.req, http::status::bad_request, error);
  auto in = ExampleFrom(*body, &error);
  if (!in) return Error(call.req, http::status::bad_request, error);
  if (Status s = backend_->CheckExample(*in); !s.ok()) return Fail(call.req, s);
  auto ex = backend_->store()->AddExample(*in, call.caller.actor, Now());
  if (!ex.ok()) return Fail(call.req, ex.status());
  if (admin_)
    Audit(*admin_, Now(), call, "add_example", "example:" + std::to_string(ex->id),
          in->target_kind + " " + in->target);
  backend_->Reload();
  return JsonReply(call.req, http::status::created, ExampleJson(*ex, Labels()));
}

Response EditsApi::RollbackExample(const ApiCall& call) {
  auto id = ParseId(call.Param("id"));
  if (!id) return Error(call.req, http::status::not_found, "not found");
  auto ex = backend_->store()->RemoveExample(*id, call.caller.actor, Now());
  if (!ex.ok()) return Fail(call.req, ex.status());
  if (admin_)
    Audit(*admin_, Now(), call, "rollback_example", "example:" + std::to_string(*id), "removed");
  backend_->Reload();
  return JsonReply(call.req, http::status::ok, ExampleJson(*ex, Labels()));
}

Response EditsApi::ListFaqs(const ApiCall& call) {
  auto list = backend_->store()->ListFaqs(QueryFlag(call.query, "all"));
  if (!list.ok()) return Fail(call.req, list.status());
  json items = json::array();
  for (const store::Faq& f : *list) items.push_back(FaqJson(f, false));
  return JsonReply(call.req, http::status::ok, json{{"items", items}});
}

Response EditsApi::SaveFaq(const ApiCall& call) {
  std::string error;
  auto body = Body(call.req, &error);
  if (!body) return Error(call.req, http::status::bad_request, error);
  int64_t id = 0;
  if (body->contains("id") && !(*body)["id"].is_null()) {
    if (!(*body)["id"].is_number_integer() || (*body)["id"].get<int64_t>() < 0)
      return Error(call.req, http::status::bad_request, "id: integer expected");
    id = (*body)["id"].get<int64_t>();
  }
  auto content = FaqFrom(*body, &error);
  if (!content) return Error(call.req, http::status::bad_request, error);
  if (Status s = backend_->CheckFaq(*content); !s.ok()) return Fail(call.req, s);
  auto f = backend_->store()->SaveFaq(id, *content, call.caller.actor, Now());
  if (!f.ok()) return Fail(call.req, f.status());
  if (admin_)
    Audit(*admin_, Now(), call, "save_faq", "faq:" + std::to_string(f->id),
          "version " + std::to_string(f->active_version));
  backend_->Reload();
  return JsonReply(call.req, http::status::created, FaqJson(*f, true));
}

Response EditsApi::GetFaq(const ApiCall& call) {
  auto id = ParseId(call.Param("id"));
  if (!id) return Error(call.req, http::status::not_found, "not found");
  auto f = backend_->store()->GetFaq(*id);
  if (!f.ok()) return Fail(call.req, f.status());
  if (!f->has_value()) return Error(call.req, http::status::not_found, "not found");
  return JsonReply(call.req, http::status::ok, FaqJson(**f, true));
}

Response EditsApi::RollbackFaq(const ApiCall& call) {
  auto id = ParseId(call.Param("id"));
  if (!id) return Error(call.req, http::status::not_found, "not found");
  auto f = backend_->store()->RollbackFaq(*id, call.caller.actor, Now());
  if (!f.ok()) return Fail(call.req, f.status());
  if (admin_)
    Audit(*admin_, Now(), call, f->active_version == 0 ? "remove_faq" : "rollback_faq",
          "faq:" + std::to_string(*id), "version " + std::to_string(f->active_version));
  backend_->Reload();
  return JsonReply(call.req, http::status::ok, FaqJson(*f, true));
}

}  // namespace yorisoi::adapters::admin
