// The trained question-type classifier: held-out accuracy on the labelled
// corpus (text/data/train, split "heldout": never trained on), every crisis
// case right in Japanese, romaji and English, and the decisions that go with
// the new understanding (money roles, time questions, unknown places).
// Accuracy thresholds only, no timings.
#include <gtest/gtest.h>

#include <string>

#include "test_nlu.h"

namespace yorisoi::text {
namespace {

TEST(Classifier, HeldOutAccuracyAndEveryCrisisCase) {
  auto ev = testing::SharedNlu().Evaluate(0);
  ASSERT_TRUE(ev.ok()) << ev.error();
  ASSERT_GT(ev->heldout_total, 300);
  for (const auto& [intent, n] : ev->corpus_size) EXPECT_GE(n, 60) << intent;
  const double accuracy = static_cast<double>(ev->heldout_correct) / ev->heldout_total;
  // The held-out confusions are not printed: they are for the report of
  // `yorisoi eval --nlu`, never for tuning.
  printf("held-out accuracy %d/%d = %.1f%%\n", ev->heldout_correct, ev->heldout_total,
         accuracy * 100);
  // Measured 90.4 % here (91.2 % with the shipped lexicon in `yorisoi eval
  // --nlu`) on the 684 held-out messages (2026-12-07, second round: 273
  // more hand-written messages, 52 of them held out, among them the first
  // out-of-scope ones: weather, cooking, homework, pets, games… in every
  // style, harder than the earlier lines; before them 91.9 % on 632).
  // Third corpus round (2026-12-08): 392 more hand-written messages where
  // the CV is weakest, 83 held out: 92.0 % here on 767 (92.3 % in `yorisoi
  // eval --nlu`). The floor sits a little below; the target is 95 %.
  EXPECT_GE(accuracy, 0.90);
  // Cross-validation runs the whole decision on the training part (3 folds:
  // 91.4 % measured).
  auto cv = testing::SharedNlu().Evaluate(3);
  ASSERT_TRUE(cv.ok()) << cv.error();
  EXPECT_GE(cv->cv_mean, 0.9) << cv->cv_mean;
  EXPECT_FALSE(cv->cv_confusions.empty());
  ASSERT_GE(ev->crisis.size(), 18u);
  for (const auto& c : ev->crisis) {
    EXPECT_TRUE(c.ok) << c.text << " (" << c.language << ", " << c.kind << ") got language "
                      << c.got_language;
  }
}

TEST(Classifier, TrainingIsDeterministic) {
  auto a = Nlu::Create(testing::DataDir(), testing::TestLexicon());
  auto b = Nlu::Create(testing::DataDir(), testing::TestLexicon());
  ASSERT_TRUE(a.ok() && b.ok());
  for (const char* text : {"現況届っていつ出すの", "国の教育ローンっていくらまで？",
                           "今日電話つながる？", "他に使える制度はある？"}) {
    Understanding x = (*a)->Understand(text, testing::Today());
    Understanding y = (*b)->Understand(text, testing::Today());
    EXPECT_EQ(x.intent, y.intent) << text;
    EXPECT_DOUBLE_EQ(x.confidence, y.confidence) << text;
  }
}

TEST(Understanding, AmountsAskedAboutAreNoIncome) {
  struct Row {
    std::string text;
    bool income;
  };
  const std::vector<Row> rows = {
      {"3人目の加算って6000円ですか", false},
      {"一番上は23歳、3万円ってもらえる？", false},
      {"年収200万で子ども1人", true},
      {"手取り月15万です", true},
  };
  for (const Row& r : rows) {
    Understanding u = testing::SharedNlu().Understand(r.text, testing::Today());
    bool income = false;
    for (const Money& m : u.entities.money)
      income |= m.kind == Money::Kind::kSalary || m.kind == Money::Kind::kIncome;
    EXPECT_EQ(income, r.income) << r.text;
    if (!r.income) {
      EXPECT_FALSE(u.entities.child_count.has_value()) << r.text;
      EXPECT_NE(u.intent, "calc") << r.text;
    }
  }
}

TEST(Understanding, YearsReceived) {
  Understanding u =
      testing::SharedNlu().Understand("児童扶養手当を受給して5年になります", testing::Today());
  ASSERT_TRUE(u.entities.years_received.has_value());
  EXPECT_EQ(*u.entities.years_received, 5);
}

TEST(Understanding, TimeQueriesFromTheMessageTimestamp) {
  // Tuesday 2026-11-24 10:00 JST.
  const Date today{2026, 11, 24};
  const int64_t now = FromJst(today, 10 * 60);
  struct Row {
    std::string text;
    TimeQuery::Kind kind;
    int64_t at;
  };
  const std::vector<Row> rows = {
      {"今日電話つながる？", TimeQuery::Kind::kNow, now},
      {"今から行っても大丈夫？", TimeQuery::Kind::kNow, now},
      {"窓口は何時まで？", TimeQuery::Kind::kUntilWhen, now},
      {"明日は開いてる？", TimeQuery::Kind::kOnDate, FromJst(Date{2026, 11, 25}, 12 * 60)},
      {"次の月曜はやってる？", TimeQuery::Kind::kNext, FromJst(Date{2026, 11, 30}, 12 * 60)},
      {"年末は何日まで開いてる？", TimeQuery::Kind::kOnDate, FromJst(Date{2026, 12, 29}, 12 * 60)},
      {"児童扶養手当はいくら", TimeQuery::Kind::kNone, 0},
  };
  for (const Row& r : rows) {
    Understanding u = testing::SharedNlu().Understand(r.text, today, now);
    EXPECT_EQ(static_cast<int>(u.time.kind), static_cast<int>(r.kind)) << r.text;
    EXPECT_EQ(u.time.at_ms, r.at) << r.text;
  }
}

TEST(Understanding, UnknownPlacesAndLanguages) {
  struct Row {
    std::string text;
    std::string place;
    std::string language;
  };
  const std::vector<Row> rows = {
      {"札幌市に住んでいます", "札幌市", "ja"},
      {"北海道札幌市の児童扶養手当", "札幌市", "ja"},
      {"国立市です", "", "ja"},
      {"市区町村はどこでもいい", "", "ja"},
      {"市役所の場所", "", "ja"},
      {"jidou fuyou teate wa ikura", "", "romaji"},
      {"How much is the child rearing allowance?", "", "en"},
  };
  for (const Row& r : rows) {
    Understanding u = testing::SharedNlu().Understand(r.text, testing::Today());
    EXPECT_EQ(u.unknown_place, r.place) << r.text;
    EXPECT_EQ(u.language, r.language) << r.text;
  }
}

}  // namespace
}  // namespace yorisoi::text
