#include "core/status.h"

namespace yorisoi {

std::string_view StatusCodeName(StatusCode code) {
  switch (code) {
    case StatusCode::kOk: return "ok";
    case StatusCode::kNotFound: return "not found";
    case StatusCode::kInvalidArgument: return "invalid argument";
    case StatusCode::kAlreadyExists: return "already exists";
    case StatusCode::kIOError: return "I/O error";
    case StatusCode::kCorruption: return "corruption";
    case StatusCode::kUnavailable: return "unavailable";
  }
  return "unknown";
}

}  // namespace yorisoi
