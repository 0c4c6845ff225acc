// The English lexicon (text/gloss.h): whole words, light stemming, longest
// phrase first; and English questions through the shipped data, read as the
// Japanese ones teach (none of these sentences is in the corpus).
#include "text/gloss.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "test_nlu.h"

namespace yorisoi::text {
namespace {

TEST(EnglishGloss, Stems) {
  const std::vector<std::pair<std::string, std::string>> rows = {
      {"hours", "hour"},    {"Opened", "open"},    {"opening", "open"},
      {"applies", "apply"}, {"applied", "apply"},  {"stopped", "stop"},
      {"stopping", "stop"}, {"calling", "call"},   {"close", "clos"},
      {"closed", "clos"},   {"office's", "offic"}, {"process", "process"},
      {"bus", "bus"},       {"is", "is"},          {"5", "5"},
  };
  for (const auto& [word, stem] : rows) EXPECT_EQ(internal::EnglishStem(word), stem) << word;
}

TEST(EnglishGloss, WholeWordsLongestPhraseFirst) {
  internal::EnglishGloss g;
  ASSERT_TRUE(g.Add("hours", "受付時間"));
  ASSERT_TRUE(g.Add("open", "開いてる"));
  ASSERT_TRUE(g.Add("start over", "最初から"));
  ASSERT_TRUE(g.Add("start", "開始"));
  ASSERT_TRUE(g.Add("5 years", "5年"));
  EXPECT_TRUE(g.Add("opened", "開いてる"));  // same stem, same reading
  EXPECT_FALSE(g.Add("opening", "開始"));    // same stem, another reading
  EXPECT_FALSE(g.Add("?!", "開始"));         // no word
  const std::vector<std::pair<std::string, std::string>> rows = {
      {"what are the hours", "what are the 受付時間"},
      {"are you open on saturdays?", "are you 開いてる on saturdays?"},
      {"is it opened", "is it 開いてる"},
      {"hourglass reopen", "hourglass reopen"},  // never inside a word
      {"start over please", "最初から please"},
      {"start,over", "開始,over"},  // a phrase's words are separated by one space
      {"cut after 5 years?", "cut after 5年?"},
      {"year 5", "year 5"},
      {"受付時間は?", "受付時間は?"},
      {"土曜open?", "土曜開いてる?"},  // Japanese next to a word is a boundary
      {"", ""},
  };
  for (const auto& [in, out] : rows) EXPECT_EQ(g.Apply(in), out) << in;
}

TEST(EnglishGloss, EnglishQuestionsReadLikeTheJapaneseOnes) {
  struct Row {
    std::string text, intent;
  };
  const std::vector<Row> rows = {
      {"Is the office open on Sundays?", "window.hours"},
      {"What time does the counter close?", "window.hours"},
      {"I want to speak with a staff member please", "handoff"},
      {"Please start over", "reset"},
      {"How much can I borrow at most for tuition?", "program.loan"},
      {"What documents should I bring?", "program.documents"},
      {"When is the allowance deposited?", "program.payment_date"},
      {"I feel exhausted and lonely these days", "feeling"},
  };
  for (const Row& r : rows) {
    Understanding u = testing::SharedNlu().Understand(r.text, testing::Today());
    EXPECT_EQ(u.intent, r.intent) << r.text;
    EXPECT_EQ(u.language, "en") << r.text;
  }
}

}  // namespace
}  // namespace yorisoi::text
