// Loading text/data: the shipped files load, and broken files fail with a
// message naming the file and field.
#include <gtest/gtest.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <string>
#include <thread>
#include <vector>

#include "test_nlu.h"

namespace yorisoi::text {
namespace {

namespace fs = std::filesystem;

class DataDirFixture : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() /
           ("yorisoi_text_" + std::to_string(::getpid()) + "_" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::create_directories(dir_);
    fs::copy_file(testing::DataDir() + "/intents.json", dir_ / "intents.json",
                  fs::copy_options::overwrite_existing);
    fs::copy_file(testing::DataDir() + "/synonyms.json", dir_ / "synonyms.json",
                  fs::copy_options::overwrite_existing);
  }
  void TearDown() override { fs::remove_all(dir_); }
  void Write(const std::string& name, const std::string& content) {
    std::ofstream(dir_ / name) << content;
  }
  Result<std::unique_ptr<Nlu>> Create() { return Nlu::Create(dir_.string(), Lexicon{}); }
  fs::path dir_;
};

TEST_F(DataDirFixture, ShippedFilesLoad) {
  auto r = Create();
  ASSERT_TRUE(r.ok()) << r.error();
}

struct BadCase {
  std::string file;
  std::string content;
  std::string message_part;
};

TEST_F(DataDirFixture, ErrorsNameFileAndField) {
  const std::string crisis = R"("crisis": {"rules": [{"kind": "dv", "any": ["殴られ"]}]})";
  const std::vector<BadCase> cases = {
      {"synonyms.json", "{", "synonyms.json: invalid JSON"},
      {"synonyms.json", "{}", "synonyms.json: synonyms"},
      {"synonyms.json", R"({"synonyms": {"ひとり親": "一人親"}})", "synonyms.ひとり親"},
      {"synonyms.json", R"({"synonyms": {"ひとり親": [1]}})", "synonyms.ひとり親[0]"},
      {"synonyms.json", R"({"synonyms": {"a": ["シンママ"], "b": ["しんまま"]}})",
       "also listed under"},
      {"synonyms.json", R"({"synonyms": {}, "english": []})", "synonyms.json: english"},
      {"synonyms.json", R"({"synonyms": {}, "english": {"開いてる": "open"}})", "english.開いてる"},
      {"synonyms.json", R"({"synonyms": {}, "english": {"開いてる": ["!?"]}})", "no English word"},
      {"synonyms.json", R"({"synonyms": {}, "english": {"a": ["open"], "b": ["opened"]}})",
       "another reading"},
      {"intents.json", "[]", "intents.json"},
      {"intents.json", "{" + crisis + "}", "intents.json: intents"},
      {"intents.json", R"({"intents": [{"keywords": {}}], )" + crisis + "}", "intents[0].id"},
      {"intents.json", R"({"intents": [{"id": "a", "keywords": {"x": "high"}}], )" + crisis + "}",
       "intents[0].keywords.x"},
      {"intents.json", R"({"intents": [{"id": "a"}, {"id": "a"}], )" + crisis + "}", "duplicate"},
      {"intents.json", R"({"intents": [{"id": "a", "features": {"moon": 1}}], )" + crisis + "}",
       "intents[0].features.moon"},
      {"intents.json", R"({"intents": []})", "crisis"},
      {"intents.json", R"({"intents": [], "crisis": {"rules": [{"kind": "flood", "any": ["x"]}]}})",
       "crisis.rules[0].kind"},
      {"intents.json", R"({"intents": [], "crisis": {"rules": [{"kind": "dv"}]}})",
       "crisis.rules[0]"},
      {"intents.json", R"({"intents": [], "categories": {"医療": "病院"}, )" + crisis + "}",
       "categories.医療"},
  };
  for (const auto& c : cases) {
    SetUp();
    Write(c.file, c.content);
    auto r = Create();
    ASSERT_FALSE(r.ok()) << c.file << ": " << c.content;
    EXPECT_NE(r.error().find(c.message_part), std::string::npos)
        << c.content << " → " << r.error() << " (want " << c.message_part << ")";
  }
}

TEST_F(DataDirFixture, MissingFile) {
  fs::remove(dir_ / "intents.json");
  auto r = Create();
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.error().find("intents.json"), std::string::npos) << r.error();
}

TEST_F(DataDirFixture, MinimalFilesWork) {
  Write("synonyms.json", R"({"synonyms": {"ひとり親": ["シンママ"]}})");
  Write("intents.json", R"({"intents": [{"id": "program.amount", "keywords": {"いくら": 2}}],
      "crisis": {"rules": [{"kind": "suicide", "any": ["死にたい"]}]}})");
  auto r = Create();
  ASSERT_TRUE(r.ok()) << r.error();
  EXPECT_EQ((*r)->Canonical("ｼﾝﾏﾏ"), "ひとり親");
  Understanding u = (*r)->Understand("いくら？", testing::Today());
  EXPECT_EQ(u.intent, "program.amount");
  EXPECT_EQ((*r)->Understand("死にたい", testing::Today()).crisis_kinds,
            std::vector<std::string>{"suicide"});
}

TEST(Performance, UnderstandIsFast) {
  const Nlu& nlu = testing::SharedNlu();
  const std::vector<std::string> texts = {
      "シンママです。医療費の助成ってある？国立市",
      "年収200万円で子どもが1人、養育費はもらっていません。児童扶養手当は？",
      "今から相談できるところある？", "ｼﾞﾄﾞｳﾌﾖｳﾃｱﾃいくら", "もう疲れた"};
  for (const auto& t : texts) nlu.Understand(t, testing::Today());  // warm up ICU
  constexpr int kRounds = 200;
  auto start = std::chrono::steady_clock::now();
  for (int i = 0; i < kRounds; ++i) {
    for (const auto& t : texts) nlu.Understand(t, testing::Today());
  }
  auto elapsed = std::chrono::steady_clock::now() - start;
  double micros =
      std::chrono::duration<double, std::micro>(elapsed).count() / (kRounds * texts.size());
  RecordProperty("understand_us", std::to_string(micros));
  // Generous bound: Debug builds and sanitizers run on a shared 2-core box.
  EXPECT_LT(micros, 2000.0) << "average " << micros << " µs";
}

TEST(ThreadSafety, ConcurrentUnderstand) {
  const Nlu& nlu = testing::SharedNlu();
  std::vector<std::thread> threads;
  std::atomic<int> wrong{0};
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&] {
      for (int i = 0; i < 200; ++i) {
        Understanding u = nlu.Understand("国立市の児童扶養手当はいくら", testing::Today());
        if (u.intent != "program.amount" || u.municipalities.size() != 1) ++wrong;
      }
    });
  }
  for (auto& th : threads) th.join();
  EXPECT_EQ(wrong.load(), 0);
}

}  // namespace
}  // namespace yorisoi::text

namespace yorisoi::text {
namespace {

// Random mixes of the pieces the entity and lexicon code looks at: nothing
// may throw or crash, and the outputs stay in range.
TEST(Robustness, RandomPieces) {
  const std::vector<std::string> pieces = {
      "1",    "2",      "0",        "9",        "12",   ",",        ".",    "万",       "億",
      "千",   "百",     "十",       "円",       "人",   "名",       "歳",   "か月",     "小",
      "中",   "高",     "月",       "日",       "曜",   "土",       "来週", "今週",     "の",
      "子",   "こども", "養育費",   "ない",     "年収", "所得",     "家賃", "/",        ":",
      "-",    "〜",     "ｰ",        "ｼ",        "ﾞ",    " ",        "。",   "、",       "?",
      "国立", "市",     "くにたち", "福祉資金", "dv",   "死にたい", "\xff", "\xe3\x81", "二",
      "一",   "人親",   "ひとり",   "きょう",   "はい", "いいえ",   "🙂"};
  const Nlu& nlu = testing::SharedNlu();
  uint32_t state = 12345;
  auto next = [&] {
    state = state * 1664525u + 1013904223u;
    return state >> 8;
  };
  for (int round = 0; round < 3000; ++round) {
    std::string text;
    int n = static_cast<int>(next() % 12);
    for (int i = 0; i < n; ++i) text += pieces[next() % pieces.size()];
    Understanding u = nlu.Understand(text, testing::Today());
    ASSERT_GE(u.confidence, 0.0) << text;
    ASSERT_LE(u.confidence, 1.0) << text;
    for (int age : u.entities.child_ages) ASSERT_TRUE(age >= 0 && age <= 22) << text;
    if (u.entities.child_count) {
      ASSERT_GT(*u.entities.child_count, 0) << text;
    }
    for (const auto& m : u.entities.money) ASSERT_GE(m.yen, 0) << text;
  }
}

TEST(Robustness, LongMessage) {
  std::string text;
  for (int i = 0; i < 300; ++i) text += "国立市の児童扶養手当はいくら？";
  Understanding u = testing::SharedNlu().Understand(text, testing::Today());
  EXPECT_EQ(u.municipalities, std::vector<std::string>{"kunitachi"});
  EXPECT_EQ(u.intent, "program.amount");
}

}  // namespace
}  // namespace yorisoi::text
