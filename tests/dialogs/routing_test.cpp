// The dialogs' routing table against the classifier's question types
// (issue 12): the shipped intents all have an answer; an id without one,
// or a routed id the intents lack, is refused naming the id.
#include <gtest/gtest.h>

#include <fstream>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "dialogs/dialogs.h"
#include "yorisoi_source_dir.h"

namespace yorisoi::dialogs {
namespace {

std::vector<std::string> ShippedIntents() {
  std::ifstream in(YORISOI_SOURCE_DIR "/text/data/intents.json");
  const nlohmann::json j = nlohmann::json::parse(in);
  std::vector<std::string> ids;
  for (const auto& i : j.at("intents")) ids.push_back(i.at("id").get<std::string>());
  return ids;
}

TEST(Routing, EveryShippedIntentHasAnAnswer) {
  const std::vector<std::string> ids = ShippedIntents();
  ASSERT_GT(ids.size(), 20u);
  const Status s = CheckRoutes(ids);
  EXPECT_TRUE(s.ok()) << s.message();
}

TEST(Routing, MismatchesNameTheId) {
  std::vector<std::string> ids = ShippedIntents();
  ids.push_back("program.horoscope");
  Status s = CheckRoutes(ids);
  EXPECT_EQ(s.code(), StatusCode::kInvalidArgument);
  EXPECT_NE(s.message().find("program.horoscope"), std::string::npos) << s.message();

  ids = ShippedIntents();
  ids.erase(std::find(ids.begin(), ids.end(), "window.hours"));
  s = CheckRoutes(ids);
  EXPECT_EQ(s.code(), StatusCode::kInvalidArgument);
  EXPECT_NE(s.message().find("window.hours"), std::string::npos) << s.message();
}

}  // namespace
}  // namespace yorisoi::dialogs
