// x-line-signature: LINE's published SDK vectors, and bodies that must fail.
#include <gtest/gtest.h>

#include <string>

#include "adapters/line_signature.h"

namespace yorisoi::adapters {
namespace {

struct Vector {
  const char* secret;
  const char* body;
  const char* signature;
};

TEST(LineSignature, SdkVectors) {
  const Vector kVectors[] = {
      {"test_secret", R"({"hello":"world"})", "t7Hn4ZDHqs6e+wdvI5TyQIvzie0DmMUmuXEBqyyE/tM="},
      {"channel_secret", "bodybodybodybody", "/gg9a+LvFevTH1sd7XCQycD7tsWclCsInj7MhBHxN7k="},
  };
  for (const Vector& v : kVectors) {
    SCOPED_TRACE(std::string(v.secret) + " / " + v.body);
    EXPECT_EQ(LineSignature(v.secret, v.body), v.signature);
    EXPECT_TRUE(VerifyLineSignature(v.secret, v.body, v.signature));
  }
}

TEST(LineSignature, Rejects) {
  const std::string good = "t7Hn4ZDHqs6e+wdvI5TyQIvzie0DmMUmuXEBqyyE/tM=";
  struct Case {
    const char* name;
    std::string secret, body, signature;
  };
  const Case kCases[] = {
      // Same JSON value, re-serialized: the signature covers the raw bytes.
      {"reserialized body", "test_secret", R"({"hello": "world"})", good},
      {"reserialized newline", "test_secret", "{\"hello\":\"world\"}\n", good},
      {"other secret", "test_secreT", R"({"hello":"world"})", good},
      {"missing signature", "test_secret", R"({"hello":"world"})", ""},
      {"empty secret", "", R"({"hello":"world"})", LineSignature("", R"({"hello":"world"})")},
      {"truncated signature", "test_secret", R"({"hello":"world"})", good.substr(0, 43)},
      {"signature with padding removed", "test_secret", R"({"hello":"world"})",
       good.substr(0, good.size() - 1)},
      {"hex instead of base64", "test_secret", R"({"hello":"world"})",
       "b7b1e7e1903a86a9eafb076f5c8e53c808bce2ed03a6529ab97101ab2c84fed3"},
      {"one bit flipped", "test_secret", R"({"hello":"world"})",
       "t7Hn4ZDHqs6e+wdvI5TyQIvzie0DmMUmuXEBqyyE/tN="},
  };
  for (const Case& c : kCases) {
    SCOPED_TRACE(c.name);
    EXPECT_FALSE(VerifyLineSignature(c.secret, c.body, c.signature));
  }
}

TEST(LineSignature, BinaryAndLargeBodies) {
  std::string body(1 << 20, '\0');
  for (std::size_t i = 0; i < body.size(); ++i) body[i] = static_cast<char>(i * 131);
  const std::string sig = LineSignature("s3cret", body);
  EXPECT_EQ(sig.size(), 44u);
  EXPECT_TRUE(VerifyLineSignature("s3cret", body, sig));
  body[body.size() / 2] ^= 1;
  EXPECT_FALSE(VerifyLineSignature("s3cret", body, sig));
}

}  // namespace
}  // namespace yorisoi::adapters
