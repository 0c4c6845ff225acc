// `yorisoi chat`: the console channel. Interactive for a person at a
// terminal (numbered quick replies, pick one by number), or `--jsonl` for
// programs: one JSON object per input line → one JSON line per input.
//
//   {"user":"u1","text":"…","at":"2026-11-24T10:00:00+09:00"}
//   {"user":"u1","postback":"menu=calc"}   {"user":"u1","event":"follow"}
//
// Both talk to the same engine (bot::Runtime) as the LINE adapter.
#include <iostream>
#include <nlohmann/json.hpp>
#include <string>

#include "app/commands.h"
#include "app/config.h"
#include "bot/runtime.h"
#include "core/time.h"

namespace yorisoi::app {
namespace {

using nlohmann::json;

// Ordered keys: {"user", "messages", "meta"} reads naturally line by line.
using ojson = nlohmann::ordered_json;

ojson ReplyJson(const std::string& user, const Reply& r) {
  ojson msgs = ojson::array();
  for (const Message& m : r.messages) {
    ojson jm = {{"text", m.text}};
    if (!m.buttons.empty()) {
      jm["buttons"] = ojson::array();
      for (const auto& b : m.buttons) jm["buttons"].push_back({{"label", b.label}, {"uri", b.uri}});
    }
    if (!m.quick_replies.empty()) {
      jm["quick_replies"] = ojson::array();
      for (const auto& q : m.quick_replies) {
        ojson jq = {{"label", q.label}, {"text", q.text}};
        if (!q.data.empty()) jq["data"] = q.data;
        jm["quick_replies"].push_back(std::move(jq));
      }
    }
    msgs.push_back(std::move(jm));
  }
  const Meta& m = r.meta;
  ojson meta = {{"intent", m.intent},     {"confidence", m.confidence},
                {"flow", m.flow},         {"municipality", m.municipality},
                {"programs", m.programs}, {"answered", m.answered},
                {"fallback", m.fallback}, {"ambiguous", m.ambiguous},
                {"handoff", m.handoff},   {"crisis", m.crisis}};
  return {{"user", user}, {"messages", std::move(msgs)}, {"meta", std::move(meta)}};
}

int RunJsonl(bot::Runtime& rt) {
  std::string line;
  int bad = 0;
  while (std::getline(std::cin, line)) {
    if (line.find_first_not_of(" \t\r") == std::string::npos) continue;
    json j;
    try {
      j = json::parse(line);
      if (!j.is_object()) throw std::runtime_error("not an object");
    } catch (const std::exception& e) {
      std::cout << json{{"error", std::string("invalid JSON: ") + e.what()}}.dump() << std::endl;
      ++bad;
      continue;
    }
    Incoming in;
    in.user = j.value("user", "console");
    const std::string at = j.value("at", "");
    if (at.empty()) {
      in.timestamp_ms = WallClock().NowMillis();
    } else if (auto t = ParseIsoInstant(at)) {
      in.timestamp_ms = *t;
    } else {
      std::cout << json{{"user", in.user}, {"error", "at: not an ISO-8601 instant"}}.dump()
                << std::endl;
      ++bad;
      continue;
    }
    if (j.contains("text") && j["text"].is_string()) {
      in.kind = Incoming::Kind::kText;
      in.text = j["text"].get<std::string>();
    } else if (j.contains("postback") && j["postback"].is_string()) {
      in.kind = Incoming::Kind::kPostback;
      in.text = j["postback"].get<std::string>();
    } else if (j.contains("event") && j["event"].is_string()) {
      const std::string ev = j["event"].get<std::string>();
      in.kind = ev == "follow"     ? Incoming::Kind::kFollow
                : ev == "unfollow" ? Incoming::Kind::kUnfollow
                                   : Incoming::Kind::kNonText;
      in.text = ev;
    } else {
      std::cout
          << json{{"user", in.user}, {"error", "need \"text\", \"postback\" or \"event\""}}.dump()
          << std::endl;
      ++bad;
      continue;
    }
    std::cout << ReplyJson(in.user, rt.Handle(in)).dump() << std::endl;
  }
  return bad ? 1 : 0;
}

void Print(const Reply& r) {
  for (const Message& m : r.messages) {
    std::cout << "\n" << m.text << "\n";
    for (const auto& b : m.buttons) std::cout << "  [" << b.label << "] " << b.uri << "\n";
  }
  if (!r.messages.empty()) {
    const auto& q = r.messages.back().quick_replies;
    for (size_t i = 0; i < q.size(); ++i) std::cout << "  " << i + 1 << ") " << q[i].label << "\n";
  }
  std::cout << std::endl;
}

int RunInteractive(bot::Runtime& rt, const std::string& user, std::optional<int64_t> fixed_at) {
  std::cout << "yorisoi chat — 日本語で送ってください。番号でボタンを選べます。"
               "/follow /quit が使えます。\n";
  std::vector<QuickReply> last;
  std::string line;
  while (std::cout << "> " << std::flush, std::getline(std::cin, line)) {
    if (line == "/quit" || line == "/exit") break;
    Incoming in;
    in.user = user;
    in.timestamp_ms = fixed_at ? *fixed_at : WallClock().NowMillis();
    in.kind = Incoming::Kind::kText;
    in.text = line;
    if (line == "/follow") {
      in.kind = Incoming::Kind::kFollow;
    } else if (line == "/sticker") {
      in.kind = Incoming::Kind::kNonText;
      in.text = "sticker";
    } else if (!line.empty() && line.find_first_not_of("0123456789") == std::string::npos) {
      const size_t n = std::stoul(line);
      if (n >= 1 && n <= last.size()) {
        const QuickReply& q = last[n - 1];
        std::cout << "（" << q.label << "）\n";
        if (!q.data.empty()) {
          in.kind = Incoming::Kind::kPostback;
          in.text = q.data;
        } else {
          in.text = q.text;
        }
      }
    }
    if (in.kind == Incoming::Kind::kText && in.text.empty()) continue;
    const Reply r = rt.Handle(in);
    Print(r);
    last = r.messages.empty() ? std::vector<QuickReply>() : r.messages.back().quick_replies;
  }
  return 0;
}

}  // namespace

int CmdChat(const ChatOptions& options) {
  auto cfg = LoadConfigOrReport(options.config);
  if (!cfg.ok()) return 2;
  bot::RuntimeOptions ro = RuntimeOptionsFrom(*cfg, &WallClock());
  ro.in_memory = options.memory;
  auto rt = bot::Runtime::Open(ro);
  if (!rt.ok()) {
    std::cerr << "yorisoi chat: " << rt.error() << "\n";
    return 1;
  }
  return options.jsonl ? RunJsonl(**rt) : RunInteractive(**rt, options.user, options.at_ms);
}

}  // namespace yorisoi::app
