// Helpers of the headless-Chromium tests of the staff console: child
// processes, plain HTTP, and a small Chrome DevTools Protocol client over a
// Beast WebSocket. Test-only; header-only.
#pragma once

#include <fcntl.h>
#include <gtest/gtest.h>
#include <openssl/evp.h>
#include <signal.h>
#include <spawn.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <unistd.h>

extern char** environ;

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

namespace yorisoi::browser_test {

namespace fs = std::filesystem;
namespace net = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
namespace websocket = beast::websocket;
using tcp = net::ip::tcp;
using nlohmann::json;
using Clock = std::chrono::steady_clock;

inline std::optional<std::string> FindChromium() {
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

inline int FreePort() {
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
inline int RunWithInput(const std::vector<std::string>& argv, const std::vector<std::string>& env,
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

inline std::vector<std::string> Environment(
    const std::vector<std::pair<std::string, std::string>>& set) {
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
inline std::optional<std::pair<int, std::string>> HttpGet(int port, const std::string& target) {
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

inline std::string Unbase64(const std::string& in) {
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
  // A page that is navigating (reload, a new URL) cannot evaluate for a
  // moment; that counts as "not yet".
  bool WaitFor(const std::string& condition, int seconds = 20) {
    const auto deadline = Clock::now() + std::chrono::seconds(seconds);
    while (Clock::now() < deadline) {
      try {
        if (Eval("!!(" + condition + ")") == true) return true;
      } catch (const std::runtime_error&) {
        // navigating: the next poll evaluates in the new document
      }
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

}  // namespace yorisoi::browser_test

namespace yorisoi::browser_test {

// `yorisoi serve` in a fresh directory and a headless Chromium on one page,
// for one test. Skips (through `skip_reason`) when no Chromium is installed.
class ConsoleSession {
 public:
  // `env`: extra environment (LINE channel, API base, …).
  ConsoleSession(const std::string& name,
                 const std::vector<std::pair<std::string, std::string>>& env)
      : artifacts_(fs::path(YORISOI_ARTIFACT_DIR) / name),
        tmp_(fs::temp_directory_path() / ("yorisoi_" + name + "_" + std::to_string(getpid()))) {
    fs::create_directories(artifacts_);
    fs::remove_all(tmp_);
    fs::create_directories(tmp_ / "data");
    fs::create_directories(tmp_ / "chrome");
    port_ = FreePort();
    std::vector<std::pair<std::string, std::string>> all = env;
    all.emplace_back("YORISOI_DATA_DIR", (tmp_ / "data").string());
    all.emplace_back("YORISOI_PORT", std::to_string(port_));
    all.emplace_back("YORISOI_BIND", "127.0.0.1");
    env_ = Environment(all);
  }
  ~ConsoleSession() {
    cdp_.reset();
    browser_.reset();
    server_.reset();
    std::error_code ec;
    fs::remove_all(tmp_, ec);
  }

  const fs::path& artifacts() const { return artifacts_; }
  fs::path data_dir() const { return tmp_ / "data"; }
  int port() const { return port_; }
  std::string base() const { return "http://127.0.0.1:" + std::to_string(port_) + "/admin/"; }

  // `yorisoi admin add-user NAME --role ROLE` the way a city's IT adds staff.
  ::testing::AssertionResult AddUser(const std::string& name, const std::string& role,
                                     const std::string& password) {
    const fs::path log = artifacts_ / ("add-user-" + name + ".log");
    if (RunWithInput(
            {YORISOI_BINARY, "admin", "add-user", name, "--role", role, "--password-stdin"}, env_,
            password + "\n", log) != 0)
      return ::testing::AssertionFailure() << "add-user " << name << ": see " << log;
    return ::testing::AssertionSuccess();
  }

  // Starts the server and the browser; the page's CDP client.
  ::testing::AssertionResult Start() {
    server_ = std::make_unique<Child>(std::vector<std::string>{YORISOI_BINARY, "serve"}, env_, tmp_,
                                      artifacts_ / "serve.log");
    bool up = false;
    for (int i = 0; i < 1200 && server_->Running(); ++i) {  // the first start builds the KB
      if (auto r = HttpGet(port_, "/healthz"); r && r->first == 200) {
        up = true;
        break;
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
    if (!up)
      return ::testing::AssertionFailure()
             << "yorisoi serve did not come up; see " << (artifacts_ / "serve.log");
    const std::optional<std::string> chromium = FindChromium();
    browser_ = std::make_unique<Child>(
        std::vector<std::string>{
            *chromium, "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
            "--disable-background-networking", "--disable-component-update", "--disable-sync",
            "--user-data-dir=" + (tmp_ / "chrome").string(), "--remote-debugging-port=0",
            "--window-size=1280,900", "--lang=ja-JP", "about:blank"},
        env_, tmp_, artifacts_ / "chromium.log");
    int devtools_port = 0;
    for (int i = 0; i < 300 && devtools_port == 0 && browser_->Running(); ++i) {
      std::ifstream f(tmp_ / "chrome" / "DevToolsActivePort");
      int p = 0;
      if (f >> p) devtools_port = p;
      if (devtools_port == 0) std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
    if (devtools_port == 0)
      return ::testing::AssertionFailure()
             << "chromium did not start; see " << (artifacts_ / "chromium.log");
    std::string page_ws;
    for (int i = 0; i < 100 && page_ws.empty(); ++i) {
      if (auto r = HttpGet(devtools_port, "/json/list"); r && r->first == 200) {
        for (const json& t : json::parse(r->second, nullptr, false))
          if (t.is_object() && t.value("type", "") == "page")
            page_ws = t.value("webSocketDebuggerUrl", "");
      }
      if (page_ws.empty()) std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
    if (page_ws.empty()) return ::testing::AssertionFailure() << "no page target";
    cdp_ = std::make_unique<Cdp>(page_ws);
    cdp_->Call("Runtime.enable");
    cdp_->Call("Page.enable");
    cdp_->Call("Emulation.setDeviceMetricsOverride",
               {{"width", 1280}, {"height", 900}, {"deviceScaleFactor", 1}, {"mobile", false}});
    return ::testing::AssertionSuccess();
  }

  Cdp& cdp() { return *cdp_; }

  // Logs in through the form (after logging out whoever was logged in).
  ::testing::AssertionResult LogIn(const std::string& name, const std::string& password) {
    Cdp& c = *cdp_;
    c.Call("Page.navigate", {{"url", base()}});
    if (!c.WaitFor("document.querySelector('#login') && (!document.querySelector('#login').hidden "
                   "|| !document.querySelector('#top').hidden)"))
      return ::testing::AssertionFailure() << "no page: " << c.PageText();
    if (c.Eval("!document.querySelector('#top').hidden") == true) {
      c.Click("#logout");
      if (!c.WaitFor("!document.querySelector('#login').hidden"))
        return ::testing::AssertionFailure() << "could not log out";
    }
    c.Type("#login-name", name);
    c.Type("#login-password", password);
    c.Click("#login-submit");
    if (!c.WaitFor("!document.querySelector('#top').hidden && "
                   "document.querySelector('#app').getAttribute('data-view')"))
      return ::testing::AssertionFailure() << "login as " << name << " failed: " << c.PageText();
    return ::testing::AssertionSuccess();
  }

 private:
  fs::path artifacts_, tmp_;
  int port_ = 0;
  std::vector<std::string> env_;
  std::unique_ptr<Child> server_, browser_;
  std::unique_ptr<Cdp> cdp_;
};

}  // namespace yorisoi::browser_test
