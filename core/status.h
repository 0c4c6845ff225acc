// Errors as values inside the layers (LevelDB style). Exceptions are caught
// at the edges (command line, HTTP handlers, SQLite and JSON calls) and turned
// into a Status there.
//
// A Status is ok, or an error with a code and one human-readable message that
// names the thing that is wrong ("kunitachi.json: programs[3].source.as_of:
// missing"). The code says what kind of failure it is, so a caller can react
// without reading the message: adapters/ maps codes to HTTP statuses in one
// function (adapters/http_types.h, HttpStatusFor). Plain values; copyable.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <variant>

namespace yorisoi {

enum class StatusCode {
  kOk = 0,
  kNotFound,         // the thing asked for does not exist
  kInvalidArgument,  // bad input: a request, a data file, a configuration value
  kAlreadyExists,    // creating something that is already there
  kIOError,          // the disk or the database failed
  kCorruption,       // stored data is unreadable or inconsistent
  kUnavailable,      // try again later: closed, overloaded, a remote API down
};

// "not found", "invalid argument", …
std::string_view StatusCodeName(StatusCode code);

class Status {
 public:
  Status() = default;
  static Status Ok() { return Status(); }
  static Status NotFound(std::string m) { return {StatusCode::kNotFound, std::move(m)}; }
  static Status InvalidArgument(std::string m) {
    return {StatusCode::kInvalidArgument, std::move(m)};
  }
  static Status AlreadyExists(std::string m) { return {StatusCode::kAlreadyExists, std::move(m)}; }
  static Status IOError(std::string m) { return {StatusCode::kIOError, std::move(m)}; }
  static Status Corruption(std::string m) { return {StatusCode::kCorruption, std::move(m)}; }
  static Status Unavailable(std::string m) { return {StatusCode::kUnavailable, std::move(m)}; }

  bool ok() const { return code_ == StatusCode::kOk; }
  explicit operator bool() const { return ok(); }
  StatusCode code() const { return code_; }
  const std::string& message() const { return message_; }
  // The same code with `context` in front of the message ("config.json: …").
  Status WithContext(std::string_view context) const {
    return ok() ? *this : Status(code_, std::string(context) + ": " + message_);
  }

 private:
  Status(StatusCode code, std::string m) : code_(code), message_(std::move(m)) {}
  StatusCode code_ = StatusCode::kOk;
  std::string message_;
};

// Result<T> holds either a value or an error Status (never an ok Status).
template <typename T>
class Result {
 public:
  Result(T value) : v_(std::move(value)) {}       // NOLINT(implicit)
  Result(Status error) : v_(std::move(error)) {}  // NOLINT(implicit)

  bool ok() const { return std::holds_alternative<T>(v_); }
  explicit operator bool() const { return ok(); }
  const T& value() const& { return std::get<T>(v_); }
  T& value() & { return std::get<T>(v_); }
  T&& value() && { return std::get<T>(std::move(v_)); }
  const T& operator*() const& { return value(); }
  T& operator*() & { return value(); }
  const T* operator->() const { return &value(); }
  T* operator->() { return &value(); }
  Status status() const { return ok() ? Status::Ok() : std::get<Status>(v_); }
  StatusCode code() const { return ok() ? StatusCode::kOk : std::get<Status>(v_).code(); }
  const std::string& error() const { return std::get<Status>(v_).message(); }

 private:
  std::variant<T, Status> v_;
};

}  // namespace yorisoi
