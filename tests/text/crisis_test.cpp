#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "test_nlu.h"

namespace yorisoi::text {
namespace {

struct CrisisCase {
  std::string text;
  std::vector<std::string> must_include;  // empty: no crisis at all
};

std::string Join(const std::vector<std::string>& v) {
  std::string out;
  for (const auto& s : v) out += s + ",";
  return out;
}

TEST(Crisis, Table) {
  const std::vector<CrisisCase> cases = {
      // Suicide.
      {"死にたい", {"suicide"}},
      {"しにたい", {"suicide"}},
      {"もう疲れた。消えたい", {"suicide"}},
      {"消えたい", {"suicide"}},
      {"自殺したい", {"suicide"}},
      {"生きていたくない", {"suicide"}},
      {"いなくなりたい", {"suicide"}},
      {"もう疲れた、限界です", {"suicide"}},
      {"子どもと一緒に死のうかと思う", {"suicide"}},
      {"ｼﾆﾀｲ", {"suicide"}},
      {"楽になりたい", {"suicide"}},
      {"生きてる意味がない", {"suicide"}},
      {"手首を切った", {"suicide"}},
      {"ODした", {"suicide"}},
      {"しんどい、もう限界", {"suicide"}},
      // DV.
      {"夫に殴られた", {"dv"}},
      {"元夫から暴力を受けています", {"dv"}},
      {"旦那に蹴られる", {"dv"}},
      {"DVを受けています", {"dv"}},
      {"夫が暴れて怖い", {"dv"}},
      {"怒鳴られて怖い", {"dv"}},
      {"彼氏に首を絞められた", {"dv"}},
      {"モラハラがひどい", {"dv"}},
      {"旦那が怖い", {"dv"}},
      {"旦那に怒鳴られる", {"dv"}},
      {"夫から逃げたい", {"dv"}},
      {"元夫がストーカーしてくる", {"dv"}},
      // Abuse.
      {"子どもを叩いてしまいそう", {"abuse"}},
      {"子供に手を上げてしまう", {"abuse"}},
      {"虐待してしまうかもしれない", {"abuse"}},
      {"娘が可愛いと思えない", {"abuse"}},
      {"子どもを殴ってしまった", {"abuse"}},
      {"イライラして子どもを叩いてしまった", {"abuse"}},
      // Danger.
      {"今すぐ助けて", {"danger"}},
      {"夫が家に来て暴れています", {"danger", "dv"}},
      {"殺される", {"danger"}},
      {"元夫が包丁を持っている", {"danger"}},
      {"たすけて", {"danger"}},
      {"元夫が家の前に来てる、怖い", {"danger"}},
      // Not crises.
      {"暴力団の事務所", {}},
      {"死ぬほど忙しい", {}},
      {"DV保護命令が出ていても児童扶養手当の対象になる？", {}},
      {"DV相談の窓口はどこ？", {}},
      {"もう疲れた", {}},
      {"仕事で疲れた", {}},
      {"子どもが暴れて困る", {}},
      {"児童扶養手当はいくら", {}},
      {"助けてもらえる制度はある？", {}},
      {"家に来てくれる支援はある？", {}},
      {"包丁の研ぎ方", {}},
      {"虐待防止の取り組み", {}},
      {"死別でひとり親になりました", {}},
      {"消えた書類を再発行したい", {}},
      {"自殺した夫の遺族年金", {}},
      {"暴力はありません", {}},
      {"死亡届の出し方", {}},
      {"夫が亡くなった", {}},
      {"疲れ果てた", {}},
      {"こんにちは", {}},
  };
  const Nlu& nlu = testing::SharedNlu();
  int positives = 0, negatives = 0;
  for (const auto& c : cases) {
    Understanding u = nlu.Understand(c.text, testing::Today());
    if (c.must_include.empty()) {
      ++negatives;
      EXPECT_TRUE(u.crisis_kinds.empty()) << c.text << " → " << Join(u.crisis_kinds);
      EXPECT_NE(u.intent, "crisis") << c.text;
      continue;
    }
    ++positives;
    for (const auto& kind : c.must_include) {
      EXPECT_NE(std::find(u.crisis_kinds.begin(), u.crisis_kinds.end(), kind), u.crisis_kinds.end())
          << c.text << " → " << Join(u.crisis_kinds) << " (want " << kind << ")";
    }
    EXPECT_EQ(u.intent, "crisis") << c.text;
    EXPECT_EQ(u.confidence, 1.0) << c.text;
    EXPECT_FALSE(u.ambiguous) << c.text;
  }
  EXPECT_GE(positives, 25);
  EXPECT_GE(negatives, 10);
}

// Every crisis class in Japanese, romaji and English: the class must be
// detected, and the language told apart (the reply adds an English lead).
struct LanguageCase {
  std::string text;
  std::string language;
  std::string kind;
};

TEST(Crisis, EveryClassInEveryLanguage) {
  const std::vector<LanguageCase> cases = {
      // Suicidal.
      {"もう死にたいです", "ja", "suicide"},
      {"shinitai", "romaji", "suicide"},
      {"mou kietai", "romaji", "suicide"},
      {"I want to die", "en", "suicide"},
      {"I don't want to live anymore", "en", "suicide"},
      {"Sometimes I just want to disappear", "en", "suicide"},
      {"life is not worth living without my kids", "en", "suicide"},
      // DV victim.
      {"夫に毎日殴られています", "ja", "dv"},
      {"otto ni nagurareta", "romaji", "dv"},
      {"My husband hits me", "en", "dv"},
      {"I am scared of my ex, he is abusive", "en", "dv"},
      // Fear of harming one's own child.
      {"子どもに手をあげてしまいそうで怖い", "ja", "abuse"},
      {"kodomo wo tataite shimaisou", "romaji", "abuse"},
      {"I am afraid I will hurt my child", "en", "abuse"},
      // A child in danger.
      {"内縁の夫が子どもを殴る", "ja", "child"},
      {"kodomo ga kaette konai", "romaji", "child"},
      {"My boyfriend hits my son", "en", "child"},
      {"My daughter is missing", "en", "child"},
      // Medical emergency.
      {"子どもが息をしていない", "ja", "medical"},
      {"kyuukyuusha wo yonde", "romaji", "medical"},
      {"My baby is not breathing", "en", "medical"},
      // Crime or threat.
      {"知らない男に後をつけられている", "ja", "crime"},
      {"dorobou ga haitta", "romaji", "crime"},
      {"Someone is breaking in, call the police", "en", "crime"},
  };
  const Nlu& nlu = testing::SharedNlu();
  for (const auto& c : cases) {
    Understanding u = nlu.Understand(c.text, testing::Today());
    EXPECT_EQ(u.language, c.language) << c.text;
    EXPECT_NE(std::find(u.crisis_kinds.begin(), u.crisis_kinds.end(), c.kind), u.crisis_kinds.end())
        << c.text << " → " << Join(u.crisis_kinds) << " (want " << c.kind << ")";
    EXPECT_EQ(u.intent, "crisis") << c.text;
  }
}

TEST(Crisis, OwnChildIsNotDv) {
  // A parent afraid of hurting their child is no DV victim: 189 comes first.
  for (const char* text : {"子どもに暴力をふるってしまいそう", "I might hit my kid, I can't stop"}) {
    Understanding u = testing::SharedNlu().Understand(text, testing::Today());
    EXPECT_EQ(u.crisis_kinds, std::vector<std::string>{"abuse"}) << text << " → " << Join(u.crisis_kinds);
  }
}

TEST(Crisis, EverydayPhrasesInEveryLanguage) {
  for (const char* text : {"死ぬほど忙しい", "shinu hodo isogashii", "I'm dying to know the amount",
                           "good morning", "Where is the police station?",
                           "Is there an emergency loan for single parents?", "子どもの手当を受けられますか",
                           "元夫が行方不明で養育費がもらえない"}) {
    Understanding u = testing::SharedNlu().Understand(text, testing::Today());
    EXPECT_TRUE(u.crisis_kinds.empty()) << text << " → " << Join(u.crisis_kinds);
  }
}

TEST(Crisis, KeepsOtherUnderstanding) {
  // A crisis message still carries its municipality for routing to local lines.
  Understanding u = testing::SharedNlu().Understand("国立市です。夫に殴られた", testing::Today());
  EXPECT_EQ(u.intent, "crisis");
  EXPECT_EQ(u.municipalities, std::vector<std::string>{"kunitachi"});
}

}  // namespace
}  // namespace yorisoi::text
