// core/: Status codes and Result, and the UTF-8 helpers every layer shares.
#include <gtest/gtest.h>

#include <string>

#include "core/status.h"
#include "core/utf8.h"

namespace yorisoi {
namespace {

TEST(Status, EveryConstructorKeepsItsCodeAndMessage) {
  struct Row {
    Status s;
    StatusCode code;
    const char* name;
  } rows[] = {
      {Status::NotFound("no user 'x'"), StatusCode::kNotFound, "not found"},
      {Status::InvalidArgument("page: 0"), StatusCode::kInvalidArgument, "invalid argument"},
      {Status::AlreadyExists("user 'x'"), StatusCode::kAlreadyExists, "already exists"},
      {Status::IOError("disk full"), StatusCode::kIOError, "I/O error"},
      {Status::Corruption("schema"), StatusCode::kCorruption, "corruption"},
      {Status::Unavailable("closed"), StatusCode::kUnavailable, "unavailable"},
  };
  for (const Row& r : rows) {
    SCOPED_TRACE(r.name);
    EXPECT_FALSE(r.s.ok());
    EXPECT_EQ(r.s.code(), r.code);
    EXPECT_EQ(StatusCodeName(r.s.code()), r.name);
    EXPECT_FALSE(r.s.message().empty());
    const Status c = r.s.WithContext("config.json");
    EXPECT_EQ(c.code(), r.code);
    EXPECT_EQ(c.message(), "config.json: " + r.s.message());
  }
  EXPECT_TRUE(Status::Ok().ok());
  EXPECT_EQ(Status::Ok().code(), StatusCode::kOk);
  EXPECT_TRUE(Status::Ok().WithContext("x").ok());
}

TEST(Result, CarriesAValueOrTheErrorWithItsCode) {
  Result<int> v = 7;
  ASSERT_TRUE(v.ok());
  EXPECT_EQ(*v, 7);
  EXPECT_EQ(v.code(), StatusCode::kOk);
  Result<int> e = Status::NotFound("no such thing");
  ASSERT_FALSE(e.ok());
  EXPECT_EQ(e.code(), StatusCode::kNotFound);
  EXPECT_EQ(e.error(), "no such thing");
  EXPECT_EQ(e.status().code(), StatusCode::kNotFound);
}

TEST(Utf8, CodePointCountAndRoundTrip) {
  struct Row {
    std::string text;
    std::size_t count;
  } rows[] = {
      {"", 0},
      {"abc", 3},
      {"児童扶養手当", 6},
      {"ｺﾄﾞﾓ4ﾆﾝ", 7},
      {"😀家", 2},
      {"a\xE3\x81", 2},  // a truncated sequence counts as one
      {"\xFF\xFE", 2},
  };
  for (const Row& r : rows) {
    SCOPED_TRACE(r.text);
    EXPECT_EQ(utf8::CodePointCount(r.text), r.count);
    EXPECT_EQ(utf8::ToU32(r.text).size(), r.count);
  }
  EXPECT_EQ(utf8::ToUtf8(utf8::ToU32("国立市 042-576-2111")), "国立市 042-576-2111");
  EXPECT_EQ(utf8::ToUtf8(utf8::ToU32("\xFF")), "\xEF\xBF\xBD");
  // Decode keeps each code point's bytes; an ill-formed run is one U+FFFD.
  const auto cps = utf8::Decode("a\xE3\x81家");
  ASSERT_EQ(cps.size(), 3u);
  EXPECT_EQ(cps[0].c, U'a');
  EXPECT_EQ(cps[1].c, U'\uFFFD');
  EXPECT_EQ(cps[1].pos, 1u);
  EXPECT_EQ(cps[1].len, 2u);
  EXPECT_EQ(cps[2].c, U'家');
  EXPECT_EQ(cps[2].pos, 3u);
  EXPECT_EQ(cps[2].len, 3u);
  EXPECT_TRUE(utf8::IsHan(U'国'));
  EXPECT_TRUE(utf8::IsHan(U'々'));
  EXPECT_FALSE(utf8::IsHan(U'く'));
  EXPECT_TRUE(utf8::IsKana(U'ニ'));
}

}  // namespace
}  // namespace yorisoi
