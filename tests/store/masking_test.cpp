// Masking of personal data (issue 15, item 5): a table of what a user may
// write — masked forms and forms that must stay (amounts, dates of program
// rules, counts) — and the false-positive check on the knowledge base's own
// texts (what the bot sends must stay readable: 0 changes).
#include <gtest/gtest.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <functional>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "store/log_store.h"
#include "yorisoi_source_dir.h"

namespace yorisoi::store {
namespace {

struct Row {
  const char* kind;
  const char* in;
  const char* want;  // == in: must not be masked
};

const Row kUserText[] = {
    // Phone numbers: area code and last group stay, the middle is masked.
    {"phone", "090-1234-5678", "090-****-5678"},
    {"phone spaced", "090 - 1234 - 5678", "090 - **** - 5678"},
    {"phone spaces", "090 1234 5678", "090 **** 5678"},
    {"phone full-width", "０９０ー１２３４ー５６７８", "０９０ー****ー５６７８"},
    {"phone kanji digits", "〇九〇ー一二三四ー五六七八", "〇九〇ー****ー五六七八"},
    {"phone kanji digits, no separators", "〇九〇一二三四五六七八", "〇九〇****五六七八"},
    {"phone in a sentence", "電話は090-1234-5678です", "電話は090-****-5678です"},
    {"phone plain", "09012345678に", "090****5678に"},
    {"landline", "03-1234-5678", "03-****-5678"},
    {"landline parentheses", "(042)576-2111", "(042)***-2111"},
    {"international", "+81-90-1234-5678", "+81-**-****-5678"},
    {"toll free", "0120-123-456", "0120-***-456"},
    // E-mail.
    {"e-mail", "mail: taro.yamada+x@example.co.jp まで", "mail: ***@*** まで"},
    {"e-mail full-width", "ｔａｒｏ＠ｅｘａｍｐｌｅ．ｃｏｍ です", "***@*** です"},
    {"e-mail full-width at only", "taro＠example.com", "***@***"},
    // Names with honorifics.
    {"name 様", "山田花子様に送ってください", "〇〇様に送ってください"},
    {"name さん", "鈴木さんから聞きました", "〇〇さんから聞きました"},
    {"name katakana", "ヤマダさんです", "〇〇さんです"},
    {"name after の", "市役所の田中さんに相談", "市役所の〇〇さんに相談"},
    {"name くん", "佐藤健太くんの保育園", "〇〇くんの保育園"},
    // Birth dates.
    {"birth date before 2000", "1988年4月1日", "****年*月*日"},
    {"birth date 昭和", "昭和63年4月1日生まれです", "昭和**年*月*日生まれです"},
    {"birth date child, keyword", "子どもの生年月日は2015年6月3日です", "子どもの生年月日は****年*月*日です"},
    {"birth date slashes", "2016/5/20生まれの娘", "****/*/**生まれの娘"},
    {"birth date short era", "生年月日 H10.4.1", "生年月日 H**.*.*"},
    // Street addresses: the block numbers.
    {"address hyphens", "国立市富士見台2-47-1に住んでいます", "国立市富士見台*-**-*に住んでいます"},
    {"address 丁目番号", "富士見台二丁目47番1号", "富士見台*丁目**番*号"},
    {"address 番地", "中町123番地です", "中町***番地です"},
    {"address two groups", "東1-12のアパート", "東*-**のアパート"},
    // Bank accounts and other numbers after a keyword.
    {"bank 普通", "普通 1234567", "普通 *******"},
    {"bank 口座番号", "口座番号は1234567です", "口座番号は*******です"},
    {"bank 当座", "当座：7654321", "当座：*******"},
    {"ゆうちょ 記号番号", "ゆうちょ 記号12345 番号12345678", "ゆうちょ 記号***** 番号********"},
    {"受給者番号", "受給者番号 0012345", "受給者番号 *******"},
    {"保険証", "保険証の番号は12-3456です", "保険証の番号は**-****です"},
    {"被保険者", "被保険者番号 87654321", "被保険者番号 ********"},
    // マイナンバー, postal codes, card numbers.
    {"my number valid check digit", "123456789018", "************"},
    {"my number spaced", "番号 1234 5678 9018 です", "番号 **** **** **** です"},
    {"12 digits (any check digit)", "123456789012", "************"},
    {"postal 〒", "〒186-8501 国立市", "〒***-**** 国立市"},
    {"postal 〒 space", "〒 1868501", "〒 *******"},
    {"postal bare", "186-8501", "***-****"},
    {"card", "4111-1111-1111-1111", "****-****-****-1111"},
    {"card plain", "4111111111111111", "************1111"},
    {"card 15 digits", "3714 496353 98431", "**** ****** *8431"},
    // Must not mask: amounts, dates of rules, counts, ordinary words.
    {"amount", "月額48,050円です", "月額48,050円です"},
    {"amount 2", "年収 2,300,000円", "年収 2,300,000円"},
    {"amount yen sign", "￥1234567の収入", "￥1234567の収入"},
    {"amount 万円", "年収 3650000 円くらい", "年収 3650000 円くらい"},
    {"rule date", "2025年4月1日から変わりました", "2025年4月1日から変わりました"},
    {"rule date 令和", "令和7年4月1日以降", "令和7年4月1日以降"},
    {"rule date 平成", "平成26年10月1日施行", "平成26年10月1日施行"},
    {"rule date ISO", "2026-11-24に申請", "2026-11-24に申請"},
    {"counts", "子ども2人、3歳と5歳", "子ども2人、3歳と5歳"},
    {"month range", "11月2-3日に行きます", "11月2-3日に行きます"},
    {"article", "第2-3条", "第2-3条"},
    {"short number", "12345", "12345"},
    {"window number", "3番窓口へ", "3番窓口へ"},
    {"皆さん", "皆さんありがとう", "皆さんありがとう"},
    {"お母さん", "お母さんが心配です", "お母さんが心配です"},
    {"お客様", "お客様窓口", "お客様窓口"},
    {"担当者様", "担当者様へ", "担当者様へ"},
    {"同様", "同様に申請します", "同様に申請します"},
    {"様子", "子どもの様子", "子どもの様子"},
    {"息子さん", "息子さんは何歳", "息子さんは何歳"},
    {"account without digits", "口座を作りたい", "口座を作りたい"},
    {"keyword then year", "口座は2024年に作りました", "口座は2024年に作りました"},
    {"一人", "一人親です", "一人親です"},
    {"empty", "", ""},
    {"lone at", "@ だけ a@b", "@ だけ a@b"},
};

TEST(Masking, UserTextTable) {
  int masked_ok = 0, kept_ok = 0, wrong = 0;
  for (const Row& r : kUserText) {
    const std::string got = MaskPersonalData(r.in);
    EXPECT_EQ(got, r.want) << "row [" << r.kind << "] in: " << r.in;
    if (got != r.want) {
      ++wrong;
    } else if (std::string(r.in) == r.want) {
      ++kept_ok;
    } else {
      ++masked_ok;
    }
  }
  std::printf("masking table: %zu rows: %d masked as expected, %d kept as expected, %d wrong\n",
              std::size(kUserText), masked_ok, kept_ok, wrong);
  EXPECT_GE(std::size(kUserText), 60u);
}

TEST(Masking, InvalidUtf8PassesThrough) {
  const std::string in = "a\xff\xfe 090-1234-5678";
  EXPECT_EQ(MaskPersonalData(in), "a\xff\xfe 090-****-5678");
  EXPECT_EQ(MaskBotReply(in), in);
}

// A bot reply keeps the public numbers it gives (windows, postal codes,
// addresses) and never carries an identifier.
TEST(Masking, BotRepliesTable) {
  const Row kRows[] = {
      {"window phone", "国立市役所 子育て支援課 042-576-2111（平日8:30〜17:15）",
       "国立市役所 子育て支援課 042-576-2111（平日8:30〜17:15）"},
      {"toll free", "0120-279-338 におかけください", "0120-279-338 におかけください"},
      {"address", "〒186-8501 国立市富士見台2-47-1", "〒186-8501 国立市富士見台2-47-1"},
      {"amount and date", "2025年4月1日から月額46,690円です", "2025年4月1日から月額46,690円です"},
      {"my number", "番号は123456789018です", "番号は************です"},
      {"card", "4111 1111 1111 1111", "**** **** **** 1111"},
  };
  for (const Row& r : kRows) {
    EXPECT_EQ(MaskBotReply(r.in), r.want) << "row [" << r.kind << "]";
  }
}

// Every string of the knowledge base (what the bot sends) through the bot
// reply masker: nothing may change. The user-text masker is reported too:
// it masks the phone numbers, postal codes and addresses of public windows
// when a user types them, which is intended.
TEST(Masking, NoFalsePositivesOnTheKnowledgeBase) {
  std::vector<std::string> texts;
  std::function<void(const nlohmann::json&)> collect = [&](const nlohmann::json& j) {
    if (j.is_string()) {
      texts.push_back(j.get<std::string>());
    } else if (j.is_structured()) {
      for (const auto& v : j) collect(v);
    }
  };
  const std::filesystem::path dir = YORISOI_SOURCE_DIR "/knowledge/data";
  for (const auto& e : std::filesystem::recursive_directory_iterator(dir)) {
    if (e.path().extension() != ".json") continue;
    std::ifstream in(e.path());
    nlohmann::json j = nlohmann::json::parse(in, nullptr, false);
    ASSERT_FALSE(j.is_discarded()) << e.path();
    collect(j);
  }
  ASSERT_GT(texts.size(), 1000u);
  std::size_t changed = 0, user_changed = 0;
  for (const std::string& t : texts) {
    if (MaskBotReply(t) != t) {
      ++changed;
      ADD_FAILURE() << "bot reply masker changed a knowledge base text: " << t << "\n→ "
                    << MaskBotReply(t);
    }
    if (MaskPersonalData(t) != t) ++user_changed;
  }
  std::printf("knowledge base: %zu texts; bot reply masker changed %zu (false positives);"
              " user-text masker changed %zu (public numbers/addresses typed by a user)\n",
              texts.size(), changed, user_changed);
  EXPECT_EQ(changed, 0u);
}

}  // namespace
}  // namespace yorisoi::store
