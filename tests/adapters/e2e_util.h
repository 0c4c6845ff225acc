// Helpers of the end-to-end tests (e2e_test.cpp, fault_e2e_test.cpp): the
// real `yorisoi serve` (YORISOI_BINARY) as a child process with its own
// environment and data directory, a small HTTP client, and signed LINE
// webhook payloads. Never a timing assertion: waits poll with kWait.
#pragma once

#include <fcntl.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <boost/asio/connect.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <cerrno>
#include <chrono>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <regex>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "adapters/line_signature.h"
#include "tests/temp_dir.h"

extern char** environ;

namespace yorisoi::e2e {

namespace fs = std::filesystem;
namespace net = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = net::ip::tcp;
using nlohmann::json;
using namespace std::chrono_literals;

inline constexpr auto kWait = 60s;  // generous: the machine may be busy; never a timing assertion
inline constexpr char kSecret[] = "e2e-channel-secret";
inline constexpr char kAccessToken[] = "e2e-access-token";

inline int64_t NowMs() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

inline std::string ReadFile(const std::string& path) {
  std::ifstream in(path);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

// Named so that leftovers of a crashed test can be told apart.
class TempDir : public test_util::TempDir {
 public:
  TempDir() : test_util::TempDir("yorisoi-e2e") {}
};

// A `yorisoi serve` child process with its own environment and output files
// (stdout.txt, stderr.txt in `dir`). With `pipe_output` the child writes to
// pipes that this process copies into those files, so that limits set on the
// child (RLIMIT_FSIZE) do not apply to its logs.
class ServerProcess {
 public:
  ServerProcess(const std::string& dir, std::map<std::string, std::string> env,
                std::vector<std::string> args = {}, bool pipe_output = false)
      : out_(dir + "/stdout.txt"), err_(dir + "/stderr.txt") {
    std::vector<std::string> envs;
    for (char** e = environ; *e != nullptr; ++e) {
      std::string kv = *e;
      if (kv.rfind("YORISOI_", 0) == 0 || kv.rfind("LINE_", 0) == 0) continue;
      envs.push_back(kv);
    }
    for (const auto& [k, v] : env) envs.push_back(k + "=" + v);
    std::vector<std::string> argv_s = {YORISOI_BINARY, "serve"};
    argv_s.insert(argv_s.end(), args.begin(), args.end());
    std::vector<char*> argv, envp;
    for (auto& s : argv_s) argv.push_back(s.data());
    argv.push_back(nullptr);
    for (auto& s : envs) envp.push_back(s.data());
    envp.push_back(nullptr);
    // Output of an earlier process in the same directory must not be read
    // as this one's.
    ::unlink(out_.c_str());
    ::unlink(err_.c_str());
    int out_pipe[2] = {-1, -1}, err_pipe[2] = {-1, -1};
    if (pipe_output && (::pipe2(out_pipe, O_CLOEXEC) != 0 || ::pipe2(err_pipe, O_CLOEXEC) != 0)) {
      pipe_output = false;
    }
    pid_ = ::fork();
    if (pid_ == 0) {
      if (::chdir(dir.c_str()) != 0) ::_exit(127);
      int o = pipe_output ? out_pipe[1] : ::open(out_.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
      int e = pipe_output ? err_pipe[1] : ::open(err_.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
      if (o < 0 || e < 0) ::_exit(127);
      ::dup2(o, 1);
      ::dup2(e, 2);
      ::execve(argv[0], argv.data(), envp.data());
      ::_exit(127);
    }
    if (pipe_output) {
      ::close(out_pipe[1]);
      ::close(err_pipe[1]);
      copiers_.emplace_back(Copy, out_pipe[0], out_);
      copiers_.emplace_back(Copy, err_pipe[0], err_);
    }
  }
  ~ServerProcess() {
    if (running()) {
      ::kill(pid_, SIGKILL);
      Wait();
    }
    JoinCopiers();
  }

  // Waits for the "listening on" line; the port, or 0 when the process
  // exited first.
  int WaitListening() {
    const std::regex re("listening on http://[^:]+:([0-9]+)");
    const auto deadline = std::chrono::steady_clock::now() + kWait;
    while (std::chrono::steady_clock::now() < deadline) {
      std::smatch m;
      std::string out = ReadFile(out_);
      if (std::regex_search(out, m, re)) return port_ = std::stoi(m[1]);
      if (!running()) return 0;
      std::this_thread::sleep_for(20ms);
    }
    return 0;
  }

  bool running() {
    if (exited_) return false;
    int status = 0;
    pid_t r = ::waitpid(pid_, &status, WNOHANG);
    if (r == pid_) {
      exited_ = true;
      status_ = status;
      JoinCopiers();
      return false;
    }
    return true;
  }

  // Waits for the exit; the exit code, or 128+signal.
  int Wait() {
    if (!exited_) {
      int status = 0;
      ::waitpid(pid_, &status, 0);
      exited_ = true;
      status_ = status;
      JoinCopiers();
    }
    if (WIFEXITED(status_)) return WEXITSTATUS(status_);
    if (WIFSIGNALED(status_)) return 128 + WTERMSIG(status_);
    return -1;
  }

  int Signal(int sig) {
    ::kill(pid_, sig);
    return Wait();
  }

  pid_t pid() const { return pid_; }
  int port() const { return port_; }
  std::string stdout_text() const { return ReadFile(out_); }
  std::string stderr_text() const { return ReadFile(err_); }
  // What a running server is doing (for a failure message when it does not
  // come up): each thread's name, state and kernel wait channel.
  std::string Threads() const {
    std::string out = "threads of pid " + std::to_string(pid_) + ":";
    std::error_code ec;
    const std::string dir = "/proc/" + std::to_string(pid_) + "/task";
    for (const auto& t : std::filesystem::directory_iterator(dir, ec)) {
      auto first = [&](const char* f) {
        std::string v = ReadFile(t.path().string() + "/" + f);
        return v.substr(0, v.find('\n'));
      };
      std::string stat = first("stat");
      const size_t paren = stat.rfind(')');
      const std::string state = paren == std::string::npos ? "?" : stat.substr(paren + 2, 1);
      out += "\n  " + t.path().filename().string() + " " + first("comm") + " " + state + " " +
             first("wchan");
    }
    return out;
  }

 private:
  // Copies a pipe into a file until EOF (the child exited).
  static void Copy(int fd, std::string path) {
    int out = ::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    char buf[4096];
    for (;;) {
      ssize_t n = ::read(fd, buf, sizeof buf);
      if (n < 0 && errno == EINTR) continue;
      if (n <= 0) break;
      if (out >= 0 && ::write(out, buf, static_cast<size_t>(n)) != n) break;
    }
    if (out >= 0) ::close(out);
    ::close(fd);
  }
  void JoinCopiers() {
    for (auto& t : copiers_) {
      if (t.joinable()) t.join();
    }
  }

  std::string out_, err_;
  pid_t pid_ = -1;
  bool exited_ = false;
  int status_ = 0;
  int port_ = 0;
  std::vector<std::thread> copiers_;
};

struct HttpResult {
  int status = 0;
  std::string body;
};

// One keep-alive client connection.
class Client {
 public:
  explicit Client(int port) : socket_(ioc_) {
    socket_.connect({net::ip::make_address("127.0.0.1"), static_cast<unsigned short>(port)});
  }
  HttpResult Request(http::verb method, const std::string& target, const std::string& body = "",
                     const std::map<std::string, std::string>& headers = {}) {
    http::request<http::string_body> req{method, target, 11};
    req.set(http::field::host, "127.0.0.1");
    req.set(http::field::content_type, "application/json");
    for (const auto& [k, v] : headers) req.set(k, v);
    req.body() = body;
    req.prepare_payload();
    beast::error_code ec;
    http::write(socket_, req, ec);
    http::response<http::string_body> res;
    http::read(socket_, buffer_, res, ec);
    if (ec) return {};
    return {static_cast<int>(res.result_int()), res.body()};
  }

 private:
  net::io_context ioc_;
  tcp::socket socket_;
  beast::flat_buffer buffer_;
};

inline HttpResult Get(int port, const std::string& target) {
  Client c(port);
  return c.Request(http::verb::get, target);
}

inline HttpResult PostWebhook(int port, const std::string& body,
                              const std::string& secret = kSecret) {
  Client c(port);
  return c.Request(http::verb::post, "/callback", body,
                   {{"X-Line-Signature", adapters::LineSignature(secret, body)}});
}

inline json TextEvent(const std::string& event_id, const std::string& user,
                      const std::string& token, const std::string& text, bool redelivery = false) {
  return {{"type", "message"},
          {"mode", "active"},
          {"timestamp", NowMs()},
          {"source", {{"type", "user"}, {"userId", user}}},
          {"webhookEventId", event_id},
          {"deliveryContext", {{"isRedelivery", redelivery}}},
          {"replyToken", token},
          {"message", {{"id", "m-" + event_id}, {"type", "text"}, {"text", text}}}};
}

inline std::string Payload(const std::vector<json>& events) {
  json j = {{"destination", "Ubot0000000000000000000000000000"}, {"events", events}};
  return j.dump();
}

inline std::map<std::string, std::string> LineEnv(const std::string& data_dir,
                                                  const std::string& api) {
  return {{"YORISOI_BIND", "127.0.0.1"},
          {"YORISOI_PORT", "0"},
          {"YORISOI_DATA_DIR", data_dir},
          {"LINE_CHANNEL_SECRET", kSecret},
          {"LINE_CHANNEL_ACCESS_TOKEN", kAccessToken},
          {"YORISOI_LINE_API_BASE", api}};
}

}  // namespace yorisoi::e2e
