// adapters/http_types.h: the one mapping from Status codes to HTTP.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "adapters/http_types.h"

namespace yorisoi::adapters {
namespace {

TEST(HttpStatusFor, EveryCodeHasItsStatusAndServerErrorsHideTheirMessage) {
  struct Row {
    Status s;
    http::status want;
    const char* body_error;
  } rows[] = {
      {Status::InvalidArgument("page_size must be 1..200"), http::status::bad_request,
       "page_size must be 1..200"},
      {Status::NotFound("no user 'x'"), http::status::not_found, "no user 'x'"},
      {Status::AlreadyExists("user 'x' already exists"), http::status::conflict,
       "user 'x' already exists"},
      {Status::Unavailable("log store is closed"), http::status::service_unavailable,
       "log store is closed"},
      {Status::IOError("/var/lib/yorisoi/log.db: disk I/O error"),
       http::status::internal_server_error, "internal error"},
      {Status::Corruption("kb.db: schema version mismatch"), http::status::internal_server_error,
       "internal error"},
  };
  Request req{http::verb::get, "/x", 11};
  for (const Row& r : rows) {
    SCOPED_TRACE(r.s.message());
    EXPECT_EQ(HttpStatusFor(r.s), r.want);
    const Response res = ErrorResponse(req, r.s);
    EXPECT_EQ(res.result(), r.want);
    const auto j = nlohmann::json::parse(res.body());
    EXPECT_EQ(j["error"], r.body_error);
  }
  EXPECT_EQ(HttpStatusFor(Status::Ok()), http::status::ok);
}

}  // namespace
}  // namespace yorisoi::adapters
