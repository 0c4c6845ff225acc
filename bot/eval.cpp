#include "bot/eval.h"

#include <fstream>
#include <nlohmann/json.hpp>

#include "text/nlu.h"
#include "core/time.h"

namespace yorisoi::bot::eval {

using nlohmann::json;

std::string MatchForm(const std::string& text) {
  const std::string n = text::Normalize(text);
  std::string out;
  out.reserve(n.size());
  for (size_t i = 0; i < n.size(); ++i) {
    const char ch = n[i];
    if (ch == ',' || ch == ' ' || ch == '\n' || ch == '\t' || ch == '\r') continue;
    out += ch;
  }
  return out;
}

Result<std::vector<Case>> LoadCases(const std::string& path) {
  using R = Result<std::vector<Case>>;
  std::ifstream in(path);
  if (!in) return Status::NotFound(path + ": cannot open");
  std::vector<Case> cases;
  std::string line;
  int n = 0;
  while (std::getline(in, line)) {
    ++n;
    if (line.find_first_not_of(" \t\r") == std::string::npos) continue;
    const std::string where = path + ":" + std::to_string(n);
    try {
      const json j = json::parse(line);
      Case c;
      c.file = path;
      c.line = n;
      c.id = j.value("id", "line" + std::to_string(n));
      const std::string at = j.value("at", "");
      auto t = ParseIsoInstant(at);
      if (!t) return Status::InvalidArgument(where + ": at: not an ISO-8601 instant");
      c.at_ms = *t;
      if (!j.contains("turns") || !j["turns"].is_array() || j["turns"].empty())
        return Status::InvalidArgument(where + ": turns: missing or empty");
      for (const json& tj : j["turns"]) {
        if (tj.is_string()) {
          c.turns.push_back({Turn::Kind::kText, tj.get<std::string>()});
        } else if (tj.is_object() && tj.contains("event")) {
          c.turns.push_back({Turn::Kind::kEvent, tj["event"].get<std::string>()});
        } else if (tj.is_object() && tj.contains("postback")) {
          c.turns.push_back({Turn::Kind::kPostback, tj["postback"].get<std::string>()});
        } else if (tj.is_object() && tj.contains("text")) {
          c.turns.push_back({Turn::Kind::kText, tj["text"].get<std::string>()});
        } else {
          return Status::InvalidArgument(where + ": turns: each turn is a string or {\"event\": …}");
        }
      }
      if (j.contains("expect")) c.expect = j["expect"].get<std::vector<std::vector<std::string>>>();
      if (j.contains("forbid")) c.forbid = j["forbid"].get<std::vector<std::string>>();
      cases.push_back(std::move(c));
    } catch (const std::exception& e) {
      return Status::InvalidArgument(where + ": " + e.what());
    }
  }
  return cases;
}

CaseResult RunCase(Runtime& runtime, const Case& c, const std::string& user) {
  Reply last;
  for (size_t i = 0; i < c.turns.size(); ++i) {
    const Turn& t = c.turns[i];
    Incoming in;
    in.user = user;
    in.timestamp_ms = c.at_ms + static_cast<int64_t>(i) * 1000;
    in.text = t.value;
    switch (t.kind) {
      case Turn::Kind::kText:
        in.kind = Incoming::Kind::kText;
        break;
      case Turn::Kind::kPostback:
        in.kind = Incoming::Kind::kPostback;
        break;
      case Turn::Kind::kEvent:
        in.kind = t.value == "follow"     ? Incoming::Kind::kFollow
                  : t.value == "unfollow" ? Incoming::Kind::kUnfollow
                                          : Incoming::Kind::kNonText;
        break;
    }
    last = runtime.Handle(in);
  }
  std::string reply;
  for (const Message& m : last.messages) {
    if (!reply.empty()) reply += "\n";
    reply += m.text;
  }
  return Grade(c, std::move(reply));
}

CaseResult Grade(const Case& c, std::string reply) {
  CaseResult r;
  r.reply = std::move(reply);
  std::string hay = MatchForm(r.reply);
  // The question itself earns nothing.
  const Turn& q = c.turns.back();
  if (q.kind == Turn::Kind::kText) {
    const std::string qf = MatchForm(q.value);
    if (!qf.empty()) {
      for (size_t pos; (pos = hay.find(qf)) != std::string::npos;) hay.erase(pos, qf.size());
    }
  }
  for (const auto& group : c.expect) {
    bool ok = group.empty();
    for (const std::string& alt : group) ok = ok || hay.find(MatchForm(alt)) != std::string::npos;
    if (!ok) {
      std::string g;
      for (const auto& a : group) g += (g.empty() ? "" : "|") + a;
      r.missing.push_back(g);
    }
  }
  for (const std::string& f : c.forbid)
    if (hay.find(MatchForm(f)) != std::string::npos) r.forbidden.push_back(f);
  r.passed = r.missing.empty() && r.forbidden.empty();
  return r;
}

}  // namespace yorisoi::bot::eval
