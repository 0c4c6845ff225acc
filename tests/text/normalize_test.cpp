#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "test_nlu.h"

namespace yorisoi::text {
namespace {

struct NormCase {
  std::string in;
  std::string want;
};

TEST(Normalize, Table) {
  const std::vector<NormCase> cases = {
      // Half-width katakana → full width → hiragana (dakuten composed).
      {"ｼﾞﾄﾞｳﾌﾖｳﾃｱﾃ", "じどうふようてあて"},
      {"ﾋﾄﾘｵﾔ", "ひとりおや"},
      {"ヒトリオヤ", "ひとりおや"},
      {"ひとりおや", "ひとりおや"},
      {"ﾊﾟﾊﾟ", "ぱぱ"},
      // Long vowels: every variant after kana is one ー, runs collapse.
      {"ホームヘルプ", "ほーむへるぷ"},
      {"ﾎｰﾑﾍﾙﾌﾟ", "ほーむへるぷ"},
      {"ホ－ムヘルプ", "ほーむへるぷ"},
      {"ホ〜ムヘルプ", "ほーむへるぷ"},
      {"すご〜〜い", "すごーい"},
      {"ありがとう～", "ありがとうー"},
      {"ハローーーワーク", "はろーわーく"},
      {"ホ—ム", "ほーむ"},
      // Full-width digits/letters → ASCII, case folded.
      {"０４２－３４１－１２１１", "042-341-1211"},
      {"ＴＥＬ", "tel"},
      {"ＪＲ定期", "jr定期"},
      {"DV", "dv"},
      {"２００万円", "200万円"},
      // Dashes after digits and ranges between numbers are "-".
      {"042ー341ー1211", "042-341-1211"},
      {"042‐341―1211", "042-341-1211"},
      {"8:30〜16:00", "8:30-16:00"},
      {"8：30～16：00", "8:30-16:00"},
      {"3〜5歳", "3-5歳"},
      {"月曜〜金曜", "月曜~金曜"},
      // Spaces: removed between Japanese, one kept between ASCII words.
      {"国立市　ひとり親", "国立市ひとり親"},
      {"  児童 扶養 手当  ", "児童扶養手当"},
      {"hello   world", "hello world"},
      {"tel 042", "tel 042"},
      {"年収 200万", "年収200万"},
      {"子ども\n2人", "子ども2人"},
      // Kanji and punctuation untouched except NFKC.
      {"医療費？", "医療費?"},
      {"（土）", "(土)"},
      {"３ヶ月", "3か月"},
      {"3カ月", "3か月"},
      {"", ""},
  };
  for (const auto& c : cases) {
    EXPECT_EQ(Normalize(c.in), c.want) << "input: " << c.in;
  }
}

TEST(Normalize, SameFormForAllSpellings) {
  const std::vector<std::string> spellings = {"ヒトリオヤ", "ひとりおや", "ﾋﾄﾘｵﾔ", "ﾋﾄﾘ ｵﾔ"};
  for (const auto& s : spellings) EXPECT_EQ(Normalize(s), "ひとりおや") << s;
}

TEST(Normalize, Idempotent) {
  const std::vector<std::string> inputs = {"ｼﾝﾏﾏです。医療費の助成ってある？国立市", "8:30〜16:00",
                                           "ホ〜ムヘルプ", "年収２００万で子ども２人だと？",
                                           "ＴＥＬ 042ー341"};
  for (const auto& s : inputs) {
    std::string once = Normalize(s);
    EXPECT_EQ(Normalize(once), once) << s;
  }
}

TEST(Normalize, InvalidUtf8DoesNotCrash) {
  std::string bad = "abc\xff\xfe\x80ひと";
  std::string out = Normalize(bad);
  EXPECT_NE(out.find("abc"), std::string::npos);
  EXPECT_NE(out.find("ひと"), std::string::npos);
}

// Regression inputs found by fuzz/normalize_fuzz: Normalize must be a fixed
// point of itself.
TEST(Normalize, FuzzRegressionsAreIdempotent) {
  const std::vector<std::string> inputs = {
      std::string("\xe3~\x1c"
                  "6"),  // tilde, then a control char, then a digit
      "A\xc2\xaf",       // U+00AF → space + combining macron
  };
  for (const auto& in : inputs) {
    SCOPED_TRACE(in);
    const std::string once = Normalize(in);
    EXPECT_EQ(Normalize(once), once);
  }
}

struct CanonCase {
  std::string in;
  std::string want;
};

TEST(Canonical, Synonyms) {
  const Nlu& nlu = testing::SharedNlu();
  const std::vector<CanonCase> cases = {
      {"シンママです", "ひとり親です"},
      {"ｼﾝﾏﾏ", "ひとり親"},
      {"一人親", "ひとり親"},
      {"片親", "ひとり親"},
      {"母子家庭", "ひとり親"},
      {"父子家庭", "ひとり親"},
      {"シングルマザー", "ひとり親"},
      {"シングルファーザー", "ひとり親"},
      {"シンパパ", "ひとり親"},
      {"子供2人", "こども2人"},
      {"子ども", "こども"},
      {"息子と娘", "こどもとこども"},
      {"てあて", "手当"},
      {"相談先", "窓口"},
      {"問い合わせ先", "窓口"},
      {"問い合わせ", "問い合わせ"},
      {"TEL", "電話番号"},
      {"でんわ", "電話"},
      {"病院代", "医療費"},
      {"住宅費", "家賃"},
      {"やちん", "家賃"},
      {"収入制限", "所得制限"},
      {"年間収入", "年収"},
      {"保育所", "保育園"},
      // Longest match first: 一時保育 is not 一時 + 保育.
      {"一時保育", "一時預かり"},
      {"自立支援員", "相談員"},
      // ASCII variants need word boundaries.
      {"hotel", "hotel"},
      {"tel 042-341-1211", "電話番号 042-341-1211"},
      // Program names keep their own words except synonyms.
      {"母子父子福祉資金", "母子父子福祉資金"},
  };
  for (const auto& c : cases) {
    EXPECT_EQ(nlu.Canonical(c.in), c.want) << "input: " << c.in;
  }
}

}  // namespace
}  // namespace yorisoi::text
