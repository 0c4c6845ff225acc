#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "test_nlu.h"

namespace yorisoi::text {
namespace {

struct RegionCase {
  std::string text;
  std::vector<std::string> municipalities;
  std::vector<std::string> prefectures;
};

std::string Join(const std::vector<std::string>& v) {
  std::string out;
  for (const auto& s : v) out += s + ",";
  return out;
}

TEST(Lexicon, Regions) {
  const std::vector<RegionCase> cases = {
      {"国立市です", {"kunitachi"}, {}},
      {"国立に住んでます", {"kunitachi"}, {}},
      {"くにたちし", {"kunitachi"}, {}},
      {"クニタチシの窓口", {"kunitachi"}, {}},
      {"国立病院の場所", {}, {}},
      {"国立大学に行きたい", {}, {}},
      {"国立がん研究センター", {}, {}},
      {"国立市の国立病院", {"kunitachi"}, {}},
      {"くにたちです", {"kunitachi"}, {}},
      {"ありだに住んでる", {"arida"}, {}},
      {"ありだけど", {}, {}},  // あり + だけど, not 有田
      {"有田焼", {"arida"}, {}},
      {"小平市", {"kodaira"}, {}},
      {"小平", {"kodaira"}, {}},
      {"こだいらし", {"kodaira"}, {}},
      {"ｺﾀﾞｲﾗｼ", {"kodaira"}, {}},
      {"有田市に住んでいます", {"arida"}, {}},
      {"国分寺市", {"kokubunji"}, {}},
      {"東京都です", {}, {"tokyo"}},
      {"東京", {}, {"tokyo"}},
      {"とうきょうと", {}, {"tokyo"}},
      // 東京都 contains 京都 but is Tokyo only.
      {"東京都ひとり親家庭福祉協議会", {}, {"tokyo"}},
      {"京都府", {}, {"kyoto"}},
      // 岡山 alone is the prefecture, 岡山市 the city.
      {"岡山の高等職業訓練促進資金", {}, {"okayama"}},
      {"岡山県", {}, {"okayama"}},
      {"岡山市", {"okayama-shi"}, {}},
      {"岡山県岡山市", {"okayama-shi"}, {"okayama"}},
      {"倉敷", {"kurashiki"}, {}},
      // Two cities with one name: the one in the mentioned prefecture first.
      {"広島県の府中市", {"fuchu-hiroshima", "fuchu-tokyo"}, {"hiroshima"}},
      {"東京都府中市", {"fuchu-tokyo", "fuchu-hiroshima"}, {"tokyo"}},
      // Order of mention otherwise.
      {"小平市と国立市", {"kodaira", "kunitachi"}, {}},
      {"児童扶養手当について", {}, {}},
      // Towns keep 町; listed bare names (中央) need their suffix.
      {"美咲町です", {"misaki"}, {}},
      {"美咲の母です", {}, {}},
      {"中央区", {"chuo"}, {}},
      {"中央線で通勤", {}, {}},
  };
  const Nlu& nlu = testing::SharedNlu();
  for (const auto& c : cases) {
    Understanding u = nlu.Understand(c.text, testing::Today());
    EXPECT_EQ(u.municipalities, c.municipalities)
        << c.text << " → munis=" << Join(u.municipalities) << " prefs=" << Join(u.prefectures);
    EXPECT_EQ(u.prefectures, c.prefectures)
        << c.text << " → munis=" << Join(u.municipalities) << " prefs=" << Join(u.prefectures);
  }
}

struct ProgramCase {
  std::string text;
  std::vector<std::string> programs;  // best first
  bool ambiguous;
};

TEST(Lexicon, Programs) {
  const std::vector<ProgramCase> cases = {
      {"児童扶養手当", {"jido_fuyo"}, false},
      {"ｼﾞﾄﾞｳﾌﾖｳﾃｱﾃいくら", {"jido_fuyo"}, false},
      {"じどうふようてあて", {"jido_fuyo"}, false},
      {"児童手当", {"jido_teate"}, false},
      // 児童扶養手当 does not also fire 児童手当 or 手当-words.
      {"児童扶養手当と児童手当の違い", {"jido_fuyo", "jido_teate"}, false},
      // The longest name wins; the shorter overlapping alias is suppressed.
      {"高等職業訓練促進資金の利子", {"koutou_shikin"}, false},
      {"高等職業訓練促進給付金の期間", {"koutou_kyufu"}, false},
      {"高等職業訓練を受けたい", {"koutou_kyufu"}, false},
      {"ひとり親家庭高等職業訓練促進資金貸付事業", {"koutou_shikin"}, false},
      // Name variants: 制度/事業 dropped, 等 dropped, ひとり親家庭 → ひとり親, の ignored.
      // tokyo_iryo has the same name with a bracket and weight 0.5: listed second,
      // and the weights decide, so no ambiguity.
      {"ひとり親家庭医療費助成", {"iryo", "tokyo_iryo"}, false},
      {"ひとり親医療費助成", {"iryo", "tokyo_iryo"}, false},
      {"一人親の医療費助成", {"iryo", "tokyo_iryo"}, false},
      {"母子家庭等医療費助成制度", {"iryo"}, false},
      {"母子父子自立支援員", {"jiritsu_in"}, false},
      {"母子・父子自立支援員に相談", {"jiritsu_in"}, false},
      // Bracketed short names count on their own; weight orders equal spans.
      {"マル親", {"iryo", "tokyo_iryo"}, false},
      {"母子父子福祉資金", {"boshi_fukushi"}, false},
      {"女性福祉資金", {"josei_fukushi"}, false},
      // A generic word shared by two programs.
      {"福祉資金を借りたい", {"boshi_fukushi", "josei_fukushi"}, true},
      {"育成手当", {"ikusei"}, false},
      {"国立市の水道料金の減免", {"suido"}, false},
      {"医療費の助成ってある？", {}, false},
      {"こんにちは", {}, false},
  };
  const Nlu& nlu = testing::SharedNlu();
  for (const auto& c : cases) {
    Understanding u = nlu.Understand(c.text, testing::Today());
    std::vector<std::string> ids;
    for (const auto& p : u.programs) ids.push_back(p.id);
    EXPECT_EQ(ids, c.programs) << c.text << " → " << Join(ids);
    EXPECT_EQ(u.programs_ambiguous, c.ambiguous) << c.text << " → " << Join(ids);
    for (const auto& p : u.programs) {
      EXPECT_GT(p.score, 0.0) << c.text;
      EXPECT_LE(p.score, 1.0) << c.text;
    }
  }
}

TEST(Lexicon, EmptyLexiconWorks) {
  auto r = Nlu::Create(testing::DataDir(), Lexicon{});
  ASSERT_TRUE(r.ok()) << r.error();
  Understanding u = (*r)->Understand("国立市の児童扶養手当はいくら", testing::Today());
  EXPECT_TRUE(u.municipalities.empty());
  EXPECT_TRUE(u.programs.empty());
  EXPECT_EQ(u.intent, "program.amount");
}

}  // namespace
}  // namespace yorisoi::text
