// LINE Messaging API calls other than answering an event: the loading
// indicator, multicast (reminders) and rich menus. Blocking, one connection
// per call (these calls are rare; answers go through MessagingClient).
//
//   POST {api}/v2/bot/chat/loading/start          {"chatId","loadingSeconds"}
//   POST {api}/v2/bot/message/push                 {"to","messages"} + X-Line-Retry-Key
//   POST {api}/v2/bot/message/multicast            {"to":[…≤500],"messages"} + X-Line-Retry-Key
//   POST {api}/v2/bot/richmenu                     rich menu object → {"richMenuId"}
//   POST {data}/v2/bot/richmenu/{id}/content       image/png
//   POST {api}/v2/bot/user/all/richmenu/{id}       set the default
//   GET  {api}/v2/bot/user/all/richmenu            → {"richMenuId"}
//   GET  {api}/v2/bot/richmenu/{id}                → the rich menu object
//
// https verifies the certificate chain and host name (one TLS context with
// the system trust store, loaded once by Create); plain http only for
// loopback hosts (tests). Thread-safe (no shared mutable state).
#pragma once

#include <chrono>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "core/status.h"

namespace yorisoi::adapters {

struct LineApiOptions {
  std::string api_base = "https://api.line.me";
  std::string data_base = "https://api-data.line.me";  // content uploads
  std::string access_token;  // secret: never logged; "" sends no Authorization
  std::chrono::milliseconds timeout{10'000};
};

// Options for `api_base` (LINE's, or a test server serving both hosts):
// content goes to api-data.line.me when the base is LINE's own.
LineApiOptions LineApiOptionsFor(const std::string& api_base, const std::string& access_token);

struct ApiResponse {
  int status = 0;  // 0: no HTTP answer (see error)
  std::string body;
  std::string error;  // transport error, "" when an answer came
  bool ok() const { return status >= 200 && status < 300; }
};

class LineApi {
 public:
  // Errors: a base that is not http(s)://host[:port][/path], or plain http
  // to a non-loopback host (InvalidArgument); a TLS setup failure
  // (Unavailable).
  static Result<std::unique_ptr<LineApi>> Create(LineApiOptions options);
  ~LineApi();

  // One request. `data` chooses data_base instead of api_base.
  ApiResponse Call(const std::string& method, const std::string& path, std::string body,
                   const std::string& content_type = "application/json", bool data = false,
                   const std::vector<std::pair<std::string, std::string>>& headers = {}) const;

  // The loading animation in a one-to-one chat (5–60 s, a multiple of 5).
  ApiResponse StartLoading(const std::string& user_id, int seconds) const;

  // One user (a staff answer, issue 17). `messages`: a JSON array text.
  ApiResponse Push(const std::string& to, const std::string& messages,
                   const std::string& retry_key) const;

  // `messages`: a JSON array text; `to`: ≤ 500 user ids.
  ApiResponse Multicast(const std::vector<std::string>& to, const std::string& messages,
                        const std::string& retry_key) const;

  struct Impl;

 private:
  explicit LineApi(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace yorisoi::adapters
