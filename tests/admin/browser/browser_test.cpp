// Real-browser test of the staff console: `yorisoi serve` with seeded log
// data, Debian's headless Chromium driven through the DevTools protocol (a
// small CDP client over a Beast WebSocket). A member of staff logs in,
// searches for 児童扶養手当 in kunitachi, opens the conversation and sees the
// masked phone number; then marks a review item, views the statistics and
// checks the CSV export. Screenshots are kept under
// <build>/test-artifacts/admin-browser/.
//
// Skipped (with the reason) only when no Chromium is installed
// (scripts/install-deps.sh --test installs it).
#include <gtest/gtest.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <optional>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "store/log_store.h"
#include "tests/admin/browser/browser_util.h"

namespace yorisoi {
namespace {

using namespace browser_test;
namespace fs = std::filesystem;
using nlohmann::json;

constexpr const char* kStaff = "staff1";
constexpr const char* kPassword = "kunitachi-2026!";

// Log data: last night's conversations in kunitachi and kodaira, one of them
// with a phone number, and a question the bot could not answer.
void SeedLogs(const fs::path& data_dir, int64_t now_ms) {
  const FakeClock clock(now_ms);
  auto r = store::OpenSqliteLogStore((data_dir / "log.sqlite").string(), 365, clock);
  ASSERT_TRUE(r.ok()) << r.error();
  std::unique_ptr<store::LogStore> logs = std::move(r).value();
  const int64_t h = 60 * 60 * 1000;
  auto turn = [&](const std::string& user, int64_t at, const std::string& muni,
                  const std::string& in_text, const std::string& out_text, bool fallback) {
    store::LogEntry in;
    in.at_ms = at;
    in.user = user;
    in.direction = "in";
    in.text = in_text;
    in.municipality = muni;
    in.intent = fallback ? "" : "program_info";
    in.confidence = fallback ? 0.1 : 0.9;
    in.flow = fallback ? "fallback" : "program";
    in.programs =
        fallback ? std::vector<std::string>{} : std::vector<std::string>{"jido-fuyo-teate"};
    in.answered = !fallback;
    in.fallback = fallback;
    store::LogEntry out = in;
    out.direction = "out";
    out.text = out_text;
    logs->writer().Append(in);
    logs->writer().Append(out);
  };
  turn("pseudo-A", now_ms - 10 * h, "kunitachi", "児童扶養手当はいつ振り込まれますか",
       "児童扶養手当は奇数月に支払われます。", false);
  turn("pseudo-A", now_ms - 10 * h + 60000, "kunitachi",
       "折り返し電話がほしいです。090-1234-5678 です",
       "夜間はお電話できません。平日の窓口時間にお問い合わせください。", false);
  turn("pseudo-B", now_ms - 9 * h, "kunitachi", "保育園の空き状況を知りたい",
       "保育園の入園案内をご案内します。", false);
  turn("pseudo-C", now_ms - 8 * h, "kodaira", "児童扶養手当の所得制限は？",
       "所得制限についてご案内します。", false);
  turn("pseudo-D", now_ms - 7 * h, "kunitachi", "ファミサポの登録方法を教えて",
       "すみません、うまくお答えできませんでした。", true);
  ASSERT_TRUE(logs->writer().Flush().ok());
}

TEST(AdminCliTest, AddUserSetPasswordListUsers) {
  ASSERT_TRUE(fs::exists(YORISOI_BINARY)) << YORISOI_BINARY << " not built";
  const fs::path tmp = fs::temp_directory_path() / ("yorisoi_cli_" + std::to_string(getpid()));
  fs::remove_all(tmp);
  fs::create_directories(tmp);
  const std::vector<std::string> env = Environment({{"YORISOI_DATA_DIR", (tmp / "data").string()}});
  const fs::path log = tmp / "cli.log";
  auto run = [&](std::vector<std::string> args, const std::string& input) {
    args.insert(args.begin(), YORISOI_BINARY);
    return RunWithInput(args, env, input, log);
  };
  auto output = [&] {
    std::ifstream in(log);
    std::stringstream ss;
    ss << in.rdbuf();
    return ss.str();
  };
  struct Case {
    std::vector<std::string> args;
    std::string input;
    int want_exit;
    std::string want_output;  // substring
  };
  const Case cases[] = {
      {{"admin", "add-user", "sato", "--password-stdin"},
       "correct horse\n",
       0,
       "added staff user sato"},
      {{"admin", "add-user", "sato", "--password-stdin"}, "another one\n", 2, "already exists"},
      {{"admin", "add-user", "kato", "--password-stdin"}, "short\n", 2, "at least 8"},
      {{"admin", "add-user", "kato"}, "", 2, "--password-stdin"},  // stdin is not a terminal
      {{"admin", "set-password", "sato", "--password-stdin"}, "battery staple\n", 0, "changed"},
      {{"admin", "set-password", "nobody", "--password-stdin"}, "battery staple\n", 2, "no user"},
      {{"admin", "add-user", "ito", "--role", "editor", "--password-stdin"},
       "correct horse\n",
       0,
       "added editor user ito"},
      {{"admin", "add-user", "kato", "--role", "boss", "--password-stdin"},
       "correct horse\n",
       2,
       "role: one of viewer, staff, editor, admin"},
      {{"admin", "set-role", "sato", "viewer"}, "", 0, "set the role of sato to viewer"},
      {{"admin", "set-role", "nobody", "viewer"}, "", 2, "no user"},
      {{"admin", "list-users"}, "", 0, "sato\tviewer\tcreated "},
      {{"admin", "frobnicate"}, "", 2, "usage"},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.args[1] + (c.args.size() > 2 ? " " + c.args[2] : ""));
    EXPECT_EQ(run(c.args, c.input), c.want_exit) << output();
    EXPECT_NE(output().find(c.want_output), std::string::npos) << output();
  }
  EXPECT_EQ(output().find("kato"), std::string::npos);
  fs::remove_all(tmp);
}

TEST(AdminBrowserTest, StaffFindsAndReadsAMaskedConversation) {
  const std::optional<std::string> chromium = FindChromium();
  if (!chromium)
    GTEST_SKIP() << "no chromium in PATH (install with scripts/install-deps.sh --test)";
  ASSERT_TRUE(fs::exists(YORISOI_BINARY)) << YORISOI_BINARY << " not built";

  const fs::path artifacts = fs::path(YORISOI_ARTIFACT_DIR) / "admin-browser";
  fs::create_directories(artifacts);
  const fs::path tmp = fs::temp_directory_path() / ("yorisoi_browser_" + std::to_string(getpid()));
  fs::remove_all(tmp);
  const fs::path data = tmp / "data";
  fs::create_directories(data);
  fs::create_directories(tmp / "chrome");
  struct Cleanup {
    fs::path p;
    ~Cleanup() {
      std::error_code ec;
      fs::remove_all(p, ec);
    }
  } cleanup{tmp};

  const int64_t now_ms = std::chrono::duration_cast<std::chrono::milliseconds>(
                             std::chrono::system_clock::now().time_since_epoch())
                             .count();
  SeedLogs(data, now_ms);
  if (HasFatalFailure()) return;

  const int port = FreePort();
  const std::vector<std::string> env = Environment({{"YORISOI_DATA_DIR", data.string()},
                                                    {"YORISOI_PORT", std::to_string(port)},
                                                    {"YORISOI_BIND", "127.0.0.1"}});
  // The account, created the way staff create it.
  // (an admin: the walk ends in the audit log, which only admins read)
  ASSERT_EQ(RunWithInput({YORISOI_BINARY, "admin", "add-user", kStaff, "--role", "admin",
                          "--password-stdin"},
                         env, std::string(kPassword) + "\n", artifacts / "add-user.log"),
            0)
      << "see " << (artifacts / "add-user.log");

  Child server({YORISOI_BINARY, "serve"}, env, tmp, artifacts / "serve.log");
  ASSERT_TRUE(server.ok());
  bool up = false;
  for (int i = 0; i < 1200 && server.Running(); ++i) {  // the first start builds the KB
    if (auto r = HttpGet(port, "/healthz"); r && r->first == 200) {
      up = true;
      break;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  ASSERT_TRUE(up) << "yorisoi serve did not come up; see " << (artifacts / "serve.log");

  Child browser({*chromium, "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync",
                 "--user-data-dir=" + (tmp / "chrome").string(), "--remote-debugging-port=0",
                 "--window-size=1280,900", "--lang=ja-JP", "about:blank"},
                env, tmp, artifacts / "chromium.log");
  ASSERT_TRUE(browser.ok());
  int devtools_port = 0;
  for (int i = 0; i < 300 && devtools_port == 0 && browser.Running(); ++i) {
    std::ifstream f(tmp / "chrome" / "DevToolsActivePort");
    int p = 0;
    if (f >> p) devtools_port = p;
    if (devtools_port == 0) std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  ASSERT_NE(devtools_port, 0) << "chromium did not start; see " << (artifacts / "chromium.log");
  std::string page_ws;
  for (int i = 0; i < 100 && page_ws.empty(); ++i) {
    if (auto r = HttpGet(devtools_port, "/json/list"); r && r->first == 200) {
      for (const json& t : json::parse(r->second, nullptr, false))
        if (t.is_object() && t.value("type", "") == "page")
          page_ws = t.value("webSocketDebuggerUrl", "");
    }
    if (page_ws.empty()) std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  ASSERT_FALSE(page_ws.empty()) << "no page target";

  Cdp cdp(page_ws);
  cdp.Call("Runtime.enable");
  cdp.Call("Page.enable");
  cdp.Call("Emulation.setDeviceMetricsOverride",
           {{"width", 1280}, {"height", 900}, {"deviceScaleFactor", 1}, {"mobile", false}});
  const std::string base = "http://127.0.0.1:" + std::to_string(port) + "/admin/";

  // 1. Not logged in: the login form.
  cdp.Call("Page.navigate", {{"url", base}});
  ASSERT_TRUE(
      cdp.WaitFor("document.querySelector('#login') && !document.querySelector('#login').hidden"))
      << cdp.PageText();
  cdp.Screenshot(artifacts / "1-login.png");

  // A wrong password is refused.
  cdp.Type("#login-name", kStaff);
  cdp.Type("#login-password", "not-the-password");
  cdp.Click("#login-submit");
  ASSERT_TRUE(cdp.WaitFor("!document.querySelector('#login-error').hidden"));
  EXPECT_NE(cdp.PageText().find("パスワードが違います"), std::string::npos);

  // 2. Log in.
  cdp.Type("#login-password", kPassword);
  cdp.Click("#login-submit");
  ASSERT_TRUE(cdp.WaitFor("document.querySelector('#conversation-list')")) << cdp.PageText();
  EXPECT_NE(cdp.PageText().find("4件の会話"), std::string::npos) << cdp.PageText();
  // The session cookie is HttpOnly: invisible to scripts.
  EXPECT_EQ(cdp.Eval("document.cookie"), "");

  // 3. Search: 児童扶養手当 in kunitachi.
  cdp.Eval(
      "(() => { const s = document.querySelector('#f-municipality'); s.value = 'kunitachi'; "
      "return s.value; })()");
  cdp.Type("#f-q", "児童扶養手当");
  cdp.Click("#search-button");
  ASSERT_TRUE(
      cdp.WaitFor("location.hash.includes('q=') && document.querySelector('#result-count') && "
                  "document.querySelector('#result-count').textContent.startsWith('1件の会話')"))
      << cdp.PageText();
  EXPECT_EQ(cdp.Eval("document.querySelectorAll('#conversation-list li').length"), 1);
  EXPECT_EQ(cdp.Eval("document.querySelector('#conversation-list mark').textContent"),
            "児童扶養手当");
  cdp.Screenshot(artifacts / "2-search.png");

  // 4. Open it: the transcript shows the masked phone number only.
  cdp.Click("#conversation-list a");
  ASSERT_TRUE(cdp.WaitFor("document.querySelector('#transcript .msg')")) << cdp.PageText();
  const std::string transcript = cdp.Eval("document.querySelector('#transcript').innerText");
  EXPECT_NE(transcript.find("090-****-5678"), std::string::npos) << transcript;
  EXPECT_EQ(cdp.PageText().find("090-1234-5678"), std::string::npos);
  EXPECT_EQ(cdp.Eval("document.querySelectorAll('#transcript .msg.in').length"), 2);
  EXPECT_EQ(cdp.Eval("document.querySelectorAll('#transcript .msg.out').length"), 2);
  cdp.Screenshot(artifacts / "3-transcript.png");

  // 5. The review queue: mark the unanswered question as handled.
  cdp.Eval("location.hash = '#/review'");
  ASSERT_TRUE(cdp.WaitFor("document.querySelector('.review-item')")) << cdp.PageText();
  EXPECT_NE(cdp.PageText().find("ファミサポの登録方法を教えて"), std::string::npos);
  cdp.Type(".review-item textarea", "ナレッジにファミサポを追加");
  cdp.Click(".review-item .actions button");
  ASSERT_TRUE(
      cdp.WaitFor("document.querySelector('#review-count') && "
                  "document.querySelector('#review-count').textContent === '0件'"))
      << cdp.PageText();

  // 6. Statistics with charts drawn by the page, and the CSV export.
  cdp.Eval("location.hash = '#/stats'");
  ASSERT_TRUE(cdp.WaitFor("document.querySelectorAll('.chart svg rect').length > 0"))
      << cdp.PageText();
  EXPECT_EQ(cdp.Eval("document.querySelectorAll('#stats-table tbody tr').length"), 7);
  cdp.Screenshot(artifacts / "4-stats.png");
  const json csv = cdp.Eval(
      "fetch(document.querySelector('#export-csv').href).then(async r => { const b = new "
      "Uint8Array(await r.arrayBuffer()); return { status: r.status, type: "
      "r.headers.get('content-type'), bom: Array.from(b.slice(0, 3)), text: new "
      "TextDecoder().decode(b) }; })");
  EXPECT_EQ(csv["status"], 200);
  EXPECT_EQ(csv["type"], "text/csv; charset=utf-8");
  EXPECT_EQ(csv["bom"], json({239, 187, 191}));
  const std::string csv_text = csv["text"].get<std::string>();
  EXPECT_NE(csv_text.find("090-****-5678"), std::string::npos);
  EXPECT_EQ(csv_text.find("090-1234-5678"), std::string::npos);

  // 7. The audit log shows what this member of staff did.
  cdp.Eval("location.hash = '#/audit'");
  ASSERT_TRUE(cdp.WaitFor("document.querySelector('#audit-table tbody tr')")) << cdp.PageText();
  const std::string audit = cdp.Eval("document.querySelector('#audit-table').innerText");
  for (const char* action :
       {"ログイン失敗", "ログイン", "会話の閲覧", "CSV出力", "未回答の質問の対応"}) {
    SCOPED_TRACE(action);
    EXPECT_NE(audit.find(action), std::string::npos);
  }

  // 8. Log out: the API is closed again.
  cdp.Click("#logout");
  ASSERT_TRUE(cdp.WaitFor("!document.querySelector('#login').hidden"));
  EXPECT_EQ(cdp.Eval("fetch('api/conversations').then(r => r.status)"), 401);

  EXPECT_TRUE(cdp.exceptions().empty()) << cdp.exceptions().front();
}

}  // namespace
}  // namespace yorisoi
