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
#include <fcntl.h>
#include <gtest/gtest.h>
#include <openssl/evp.h>
#include <signal.h>
#include <spawn.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <unistd.h>

#include <boost/asio.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/websocket.hpp>
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <optional>
#include <sstream>
#include <string>
#include <thread>
#include <utility>  // before Asio 1.74 (awaitable.hpp uses std::exchange)
#include <vector>

#include "store/log_store.h"

extern char** environ;

namespace yorisoi {
namespace {

namespace fs = std::filesystem;
namespace net = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
namespace websocket = beast::websocket;
using tcp = net::ip::tcp;
using nlohmann::json;
using Clock = std::chrono::steady_clock;

constexpr const char* kStaff = "staff1";
constexpr const char* kPassword = "kunitachi-2026!";

std::optional<std::string> FindChromium() {
  if (const char* env = std::getenv("YORISOI_CHROMIUM"); env && *env) return std::string(env);
  for (const char* name : {"chromium", "chromium-browser", "google-chrome"}) {
    const char* path = std::getenv("PATH");
    std::stringstream dirs(path ? path : "/usr/bin:/bin");
    std::string dir;
    while (std::getline(dirs, dir, ':')) {
      const fs::path p = fs::path(dir) / name;
      if (!dir.empty() && ::access(p.c_str(), X_OK) == 0) return p.string();
    }
  }
  return std::nullopt;
}

int FreePort() {
  net::io_context ioc;
  tcp::acceptor a(ioc, tcp::endpoint(net::ip::make_address("127.0.0.1"), 0));
  return a.local_endpoint().port();
}

// A child process in its own process group, stopped (group-wide) on
// destruction.
class Child {
 public:
  Child(const std::vector<std::string>& argv, const std::vector<std::string>& env,
        const fs::path& cwd, const fs::path& log) {
    std::vector<char*> args, envp;
    for (const auto& a : argv) args.push_back(const_cast<char*>(a.c_str()));
    args.push_back(nullptr);
    for (const auto& e : env) envp.push_back(const_cast<char*>(e.c_str()));
    envp.push_back(nullptr);
    posix_spawn_file_actions_t fa;
    posix_spawn_file_actions_init(&fa);
    posix_spawn_file_actions_addopen(&fa, STDIN_FILENO, "/dev/null", O_RDONLY, 0);
    posix_spawn_file_actions_addopen(&fa, STDOUT_FILENO, log.c_str(), O_WRONLY | O_CREAT | O_TRUNC,
                                     0644);
    posix_spawn_file_actions_adddup2(&fa, STDOUT_FILENO, STDERR_FILENO);
    posix_spawn_file_actions_addchdir_np(&fa, cwd.c_str());
    posix_spawnattr_t attr;
    posix_spawnattr_init(&attr);
    posix_spawnattr_setflags(&attr, POSIX_SPAWN_SETPGROUP);
    posix_spawnattr_setpgroup(&attr, 0);
    if (posix_spawn(&pid_, args[0], &fa, &attr, args.data(), envp.data()) != 0) pid_ = -1;
    posix_spawn_file_actions_destroy(&fa);
    posix_spawnattr_destroy(&attr);
  }
  ~Child() { Stop(); }
  bool ok() const { return pid_ > 0; }
  bool Running() {
    if (pid_ <= 0) return false;
    int status = 0;
    if (waitpid(pid_, &status, WNOHANG) == pid_) {
      pid_ = -1;
      return false;
    }
    return true;
  }
  void Stop() {
    if (pid_ <= 0) return;
    kill(-pid_, SIGTERM);
    for (int i = 0; i < 50; ++i) {
      int status = 0;
      if (waitpid(pid_, &status, WNOHANG) == pid_) {
        kill(-pid_, SIGKILL);  // leftover helpers of the group, if any
        pid_ = -1;
        return;
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
    kill(-pid_, SIGKILL);
    int status = 0;
    waitpid(pid_, &status, 0);
    pid_ = -1;
  }

 private:
  pid_t pid_ = -1;
};

// Runs a command to completion with `input` on stdin; returns the exit code.
int RunWithInput(const std::vector<std::string>& argv, const std::vector<std::string>& env,
                 const std::string& input, const fs::path& log) {
  int fds[2];
  if (pipe(fds) != 0) return -1;
  std::vector<char*> args, envp;
  for (const auto& a : argv) args.push_back(const_cast<char*>(a.c_str()));
  args.push_back(nullptr);
  for (const auto& e : env) envp.push_back(const_cast<char*>(e.c_str()));
  envp.push_back(nullptr);
  posix_spawn_file_actions_t fa;
  posix_spawn_file_actions_init(&fa);
  posix_spawn_file_actions_adddup2(&fa, fds[0], STDIN_FILENO);
  posix_spawn_file_actions_addclose(&fa, fds[1]);
  posix_spawn_file_actions_addopen(&fa, STDOUT_FILENO, log.c_str(), O_WRONLY | O_CREAT | O_TRUNC,
                                   0644);
  posix_spawn_file_actions_adddup2(&fa, STDOUT_FILENO, STDERR_FILENO);
  pid_t pid = -1;
  const int rc = posix_spawn(&pid, args[0], &fa, nullptr, args.data(), envp.data());
  posix_spawn_file_actions_destroy(&fa);
  close(fds[0]);
  if (rc != 0) {
    close(fds[1]);
    return -1;
  }
  (void)!write(fds[1], input.data(), input.size());
  close(fds[1]);
  int status = 0;
  waitpid(pid, &status, 0);
  return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

std::vector<std::string> Environment(const std::vector<std::pair<std::string, std::string>>& set) {
  std::vector<std::string> out;
  for (char** e = environ; *e; ++e) {
    const std::string kv = *e;
    const std::string key = kv.substr(0, kv.find('='));
    bool replaced = key.rfind("LINE_", 0) == 0 || key == "YORISOI_ADMIN_TOKEN";
    for (const auto& [k, v] : set) replaced = replaced || k == key;
    if (!replaced) out.push_back(kv);
  }
  for (const auto& [k, v] : set) out.push_back(k + "=" + v);
  return out;
}

// GET http://127.0.0.1:port/target; nullopt when nothing answers.
std::optional<std::pair<int, std::string>> HttpGet(int port, const std::string& target) {
  try {
    net::io_context ioc;
    beast::tcp_stream stream(ioc);
    stream.expires_after(std::chrono::seconds(5));
    stream.connect(tcp::endpoint(net::ip::make_address("127.0.0.1"), static_cast<uint16_t>(port)));
    http::request<http::string_body> req{http::verb::get, target, 11};
    req.set(http::field::host, "127.0.0.1:" + std::to_string(port));
    http::write(stream, req);
    beast::flat_buffer buf;
    http::response<http::string_body> res;
    http::read(stream, buf, res);
    beast::error_code ec;
    stream.socket().shutdown(tcp::socket::shutdown_both, ec);
    return std::make_pair(static_cast<int>(res.result_int()), res.body());
  } catch (const std::exception&) {
    return std::nullopt;
  }
}

std::string Unbase64(const std::string& in) {
  std::string out(3 * in.size() / 4 + 3, '\0');
  const int n = EVP_DecodeBlock(reinterpret_cast<unsigned char*>(out.data()),
                                reinterpret_cast<const unsigned char*>(in.data()),
                                static_cast<int>(in.size()));
  if (n < 0) return "";
  size_t pad = 0;
  if (!in.empty() && in.back() == '=') ++pad;
  if (in.size() > 1 && in[in.size() - 2] == '=') ++pad;
  out.resize(static_cast<size_t>(n) - pad);
  return out;
}

// A minimal Chrome DevTools Protocol client for one page target.
class Cdp {
 public:
  explicit Cdp(const std::string& ws_url) : ws_(ioc_) {
    // ws://127.0.0.1:PORT/devtools/page/ID
    const std::string rest = ws_url.substr(ws_url.find("//") + 2);
    const std::string hostport = rest.substr(0, rest.find('/'));
    const std::string path = rest.substr(rest.find('/'));
    const std::string port = hostport.substr(hostport.find(':') + 1);
    ws_.next_layer().connect(
        tcp::endpoint(net::ip::make_address("127.0.0.1"), static_cast<uint16_t>(std::stoi(port))));
    // Never block forever on a read.
    timeval tv{30, 0};
    setsockopt(ws_.next_layer().native_handle(), SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
    ws_.read_message_max(64 * 1024 * 1024);
    ws_.handshake(hostport, path);
  }

  json Call(const std::string& method, const json& params = json::object()) {
    const int id = next_id_++;
    ws_.write(net::buffer(json{{"id", id}, {"method", method}, {"params", params}}.dump()));
    while (true) {
      beast::flat_buffer buf;
      ws_.read(buf);
      json msg = json::parse(beast::buffers_to_string(buf.data()), nullptr, false);
      if (!msg.is_object()) continue;
      if (msg.contains("method")) {
        if (msg["method"] == "Runtime.exceptionThrown")
          exceptions_.push_back(msg["params"]["exceptionDetails"].dump());
        continue;
      }
      if (msg.value("id", -1) != id) continue;
      if (msg.contains("error")) throw std::runtime_error(method + ": " + msg["error"].dump());
      return msg["result"];
    }
  }

  // Evaluates `expression` in the page (awaiting promises); its JSON value.
  json Eval(const std::string& expression) {
    json r = Call("Runtime.evaluate",
                  {{"expression", expression}, {"awaitPromise", true}, {"returnByValue", true}});
    if (r.contains("exceptionDetails"))
      throw std::runtime_error("evaluate " + expression + ": " + r["exceptionDetails"].dump());
    return r["result"].value("value", json());
  }

  // Polls `condition` (a JS expression) until true; false after `seconds`.
  bool WaitFor(const std::string& condition, int seconds = 20) {
    const auto deadline = Clock::now() + std::chrono::seconds(seconds);
    while (Clock::now() < deadline) {
      if (Eval("!!(" + condition + ")") == true) return true;
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
    return false;
  }

  // Focuses `selector` and types `text` as keyboard input.
  void Type(const std::string& selector, const std::string& text) {
    Eval("(() => { const e = document.querySelector(" + json(selector).dump() +
         "); e.focus(); e.value = ''; return true; })()");
    Call("Input.insertText", {{"text", text}});
  }

  void Click(const std::string& selector) {
    Eval("document.querySelector(" + json(selector).dump() + ").click()");
  }

  std::string PageText() { return Eval("document.body.innerText").get<std::string>(); }

  void Screenshot(const fs::path& file) {
    json r = Call("Page.captureScreenshot", {{"format", "png"}, {"captureBeyondViewport", true}});
    std::ofstream(file, std::ios::binary) << Unbase64(r["data"].get<std::string>());
  }

  const std::vector<std::string>& exceptions() const { return exceptions_; }

 private:
  net::io_context ioc_;
  websocket::stream<tcp::socket> ws_;
  int next_id_ = 1;
  std::vector<std::string> exceptions_;
};

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
    logs->Append(in);
    logs->Append(out);
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
  ASSERT_TRUE(logs->Flush().ok());
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
      {{"admin", "list-users"}, "", 0, "sato\tcreated "},
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
  ASSERT_EQ(RunWithInput({YORISOI_BINARY, "admin", "add-user", kStaff, "--password-stdin"}, env,
                         std::string(kPassword) + "\n", artifacts / "add-user.log"),
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
