#include <gtest/gtest.h>

#include <sstream>
#include <string>
#include <vector>

#include "test_nlu.h"

namespace yorisoi::text {
namespace {

std::string Describe(const Understanding& u) {
  std::ostringstream out;
  out << "intent=" << u.intent << " conf=" << u.confidence << (u.ambiguous ? " ambiguous" : "")
      << " [";
  for (const auto& s : u.intents) out << s.id << ":" << s.score << " ";
  out << "] programs=[";
  for (const auto& p : u.programs) out << p.id << " ";
  out << "] categories=[";
  for (const auto& c : u.categories) out << c << " ";
  out << "] canonical=" << testing::SharedNlu().Canonical(u.raw);
  return out.str();
}

struct IntentCase {
  std::string text;
  std::string intent;
  // Another reading whose answer also holds what is asked (the conversation
  // suite checks the reply itself): 「どこで申請」 gets the window either way,
  // 「休みの日に相談できるところ」 the windows with their days either way.
  std::string also = "";
};

TEST(Intents, RealisticQuestions) {
  const std::vector<IntentCase> cases = {
      // From the external sample (shared/eval/dev_qa.jsonl).
      {"小平市でひとり親の相談をするにはどうすればいいですか", "program.window"},
      {"小平市で母子父子福祉資金を借りたい", "program.apply"},
      {"小平市のひとり親家庭ホームヘルプサービスについて", "program.overview"},
      {"離婚前後の法律相談はどこでできますか。東京都です", "program.window"},
      {"小平市の窓口は今日やってる？", "window.open_now"},
      {"国立市で子どもの悩みを聞いてくれる訪問の支援はある？", "program.list"},
      {"国立市の夜間・休日女性相談の電話番号", "window.phone"},
      {"東京都ひとり親家庭福祉協議会の電話相談はいつ？", "window.hours"},
      {"国立市で仕事を探したいひとり親です", "program.list"},
      {"国立市の児童育成手当の所得制限は？子ども1人", "program.income_limit"},
      {"国立市のひとり親医療費助成はどうやって使うの？", "program.apply"},
      {"国立市の女性福祉資金の対象は？", "program.eligibility"},
      {"国立市で水道料金の減免を受けられるのは誰？", "program.eligibility"},
      {"有田市の税務課の電話番号", "window.phone"},
      {"有田市の民生委員に相談したい", "program.window"},
      {"有田市でJR定期の割引の対象は？", "program.eligibility"},
      {"岡山県の高卒認定の給付金は子どもも対象？", "program.eligibility"},
      {"岡山県の高等職業訓練促進給付金の期間は？", "program.overview"},
      {"岡山の高等職業訓練促進資金の利子は？", "program.loan"},
      {"子ども1人で児童扶養手当を全額もらえる所得の上限は？", "program.income_limit"},
      {"児童扶養手当は誰がもらえますか", "program.eligibility"},
      {"DV保護命令が出ていても児童扶養手当の対象になる？", "program.eligibility"},
      {"2歳の子の児童手当はいくら", "program.amount"},
      {"児童手当に所得制限はありますか", "program.income_limit"},
      {"年収200万円で子どもが1人、養育費はもらっていません。児童扶養手当は？", "calc"},
      {"給与が年250万円、子ども2人です。児童扶養手当の月額は？", "calc"},
      {"自立支援教育訓練給付金は何割もらえる？", "program.amount"},
      {"ヒトリオヤの医療費助成について 国立市", "program.overview"},
      {"一人親の手当について教えて", "program.list"},
      {"カレーの作り方を教えて", "out_of_scope"},
      {"有田市に住んでいます", "municipality.set"},
      {"子どもを夜預けられるところはありますか", "program.list"},
      {"国立市です", "municipality.set"},
      {"やっぱり小平市です", "municipality.set"},
      {"相談窓口の電話番号は？", "window.phone"},
      // Phone-style messages.
      {"ｼﾞﾄﾞｳﾌﾖｳﾃｱﾃいくら", "program.amount"},
      {"シンママです。医療費の助成ってある？国立市", "program.list"},
      {"年収200万で子ども2人だと？", "calc"},
      {"今から相談できるところある？", "window.open_now"},
      {"児童扶養手当", "program.overview"},
      {"児童扶養手当って何？", "program.overview"},
      {"児童扶養手当とは", "program.overview"},
      {"じどうふようてあてについて知りたい", "program.overview"},
      {"児童扶養手当の金額を教えて", "program.amount"},
      {"児童扶養手当っていくらもらえるの", "program.amount"},
      {"児童手当の月額は？", "program.amount"},
      {"児童扶養手当の申請方法", "program.apply"},
      {"児童扶養手当の手続きはどうすればいい？", "program.apply"},
      {"児童扶養手当の申請に必要な書類は？", "program.documents"},
      {"申請に何が必要ですか？児童扶養手当", "program.documents"},
      {"児童扶養手当の持ち物", "program.documents"},
      {"児童扶養手当はいつ振り込まれますか", "program.payment_date"},
      {"児童扶養手当の支給日", "program.payment_date"},
      {"児童手当はいつもらえる？", "program.payment_date"},
      {"児童扶養手当の所得制限", "program.income_limit"},
      {"収入制限はありますか？児童育成手当", "program.income_limit"},
      {"児童扶養手当の窓口はどこ？", "program.window"},
      {"児童育成手当はどこで申請するの", "program.apply", "program.window"},
      {"医療証の手続きはどこに行けばいい？", "program.window"},
      {"小平市の子育て支援課の電話番号", "window.phone"},
      {"国立市役所のTEL", "window.phone"},
      {"連絡先を教えて", "window.phone"},
      {"窓口の場所はどこですか", "window.place"},
      {"市役所の住所", "window.place"},
      {"国立市役所への行き方", "window.place"},
      {"窓口は何時まで？", "window.hours"},
      {"受付時間を教えて", "window.hours"},
      {"土曜日はやってる？", "window.hours"},
      {"明日は開いてますか", "window.hours"},
      {"今日って窓口開いてる？", "window.open_now"},
      {"今やってる？", "window.open_now"},
      {"今すぐ相談したい", "window.open_now"},
      {"年収300万、子ども1人だといくらもらえる？", "calc"},
      {"月収15万で子ども3人の場合", "calc"},
      {"所得120万の場合は？", "calc"},
      {"計算して", "calc"},
      {"私が使える制度を知りたい", "diagnose"},
      {"うちは何がもらえる？", "diagnose"},
      {"受けられる支援を診断して", "diagnose"},
      {"どんな支援がある？", "program.list"},
      {"医療の制度は？", "program.list"},
      {"住まいの支援を教えて", "program.list"},
      // "Is there a way to borrow money": the loan category's programs. Was
      // program.loan by keyword; the classifier (c 64) reads the list of the
      // 貸付 category, and the dialogs give the same reply to both (「「貸付」の
      // 制度は2件です」 with both loans).
      {"お金を借りられる制度はありますか", "program.list"},
      {"こんにちは", "greeting"},
      {"はじめまして", "greeting"},
      {"ありがとうございます", "thanks"},
      {"助かりました！", "thanks"},
      {"使い方を教えて", "help"},
      {"何ができるの？", "help"},
      {"最初からやり直したい", "reset"},
      {"リセット", "reset"},
      {"キャンセル", "cancel"},
      {"やっぱりいいです", "cancel"},
      {"人と話したい", "handoff"},
      {"担当者と直接話したい", "handoff"},
      {"明日の天気は？", "out_of_scope"},
      {"おすすめの映画を教えて", "out_of_scope"},
      {"小平に住んでます", "municipality.set"},
      {"くにたちしです", "municipality.set"},
      {"国立市在住です", "municipality.set"},
      {"福祉資金の利子は？", "program.loan"},
      {"母子父子福祉資金の返済はいつから", "program.loan"},
      {"離婚したばかりです。何か使える手当はありますか", "program.list", "diagnose"},
      {"児童扶養手当の更新の手続きっていつ？", "program.renewal"},
      {"現況届はいつまでに出せばいい？", "program.renewal"},
      {"児童手当っていつ振り込まれるの", "program.payment_date"},
      {"国立市の子ども家庭支援センターの電話", "window.phone"},
      {"休みの日に相談できるところ", "program.window", "window.hours"},
      {"保育園に入りたい", "program.list"},
      {"子どもの医療費は無料？", "program.list"},
      {"看護師の資格を取りたい", "program.list"},
      {"都営住宅に申し込みたい", "program.apply"},
      {"パートの月収12万です", "calc"},
      {"子ども2人、年収250万、養育費月2万", "calc"},
      {"いくらもらえるか計算してほしい", "calc"},
      {"児童扶養手当、もらえる？", "program.eligibility"},
      {"所得制限に引っかかるかも", "program.income_limit"},
      {"何がもらえるか知りたい", "diagnose"},
      {"土日に開いてる窓口ある？", "window.hours"},
      {"小平市の子育て支援課は何時から？", "window.hours"},
      {"ありがとう、助かった", "thanks"},
      {"もういいです", "cancel"},
      {"ｺﾝﾆﾁﾊ", "greeting"},
      {"ﾃﾞﾝﾜﾊﾞﾝｺﾞｳ", "window.phone"},
      {"塾代の助成はある？", "program.list"},
      {"よくわからない", "help"},
      {"元夫が養育費を払わない。どうしたらいい？", "program.list"},
      {"児童扶養手当の額が知りたい", "program.amount"},
      {"ひとり親の支援って何がありますか", "program.list"},
      {"お金に困っています", "program.list"},
      {"子どもの預け先を探しています", "program.list"},
      {"母子父子福祉資金の種類は？", "program.overview", "program.list"},
      {"高校の入学金が払えない", "program.list"},
      {"医療費助成の対象年齢は？", "program.eligibility"},
      {"子どもが3人いて年収180万円です", "calc"},
      {"給料が月20万円で子ども1人", "calc"},
      {"今週の土曜日に相談できますか", "window.hours"},
      {"児童扶養手当の振込日っていつ？", "program.payment_date"},
  };
  const Nlu& nlu = testing::SharedNlu();
  int failures = 0;
  for (const auto& c : cases) {
    Understanding u = nlu.Understand(c.text, testing::Today());
    const bool ok = u.intent == c.intent || (!c.also.empty() && u.intent == c.also);
    EXPECT_TRUE(ok) << c.text << ": expected " << c.intent
                    << (c.also.empty() ? "" : " or " + c.also) << "\n  " << Describe(u);
    if (!ok) ++failures;
  }
  EXPECT_GE(cases.size(), 80u);
  EXPECT_EQ(failures, 0);
}

TEST(Intents, ConfidenceInRange) {
  const Nlu& nlu = testing::SharedNlu();
  for (const char* text : {"児童扶養手当はいくら", "こんにちは", "あ", "", "国立市です",
                           "年収200万で子ども2人だと？"}) {
    Understanding u = nlu.Understand(text, testing::Today());
    EXPECT_GE(u.confidence, 0.0) << text;
    EXPECT_LE(u.confidence, 1.0) << text;
    for (size_t i = 1; i < u.intents.size(); ++i) {
      EXPECT_GE(u.intents[i - 1].score, u.intents[i].score) << text;
    }
    if (u.intent.empty()) {
      EXPECT_EQ(u.confidence, 0.0) << text;
    }
  }
}

TEST(Intents, NothingMatchedGivesEmptyIntent) {
  const Nlu& nlu = testing::SharedNlu();
  // Nothing, one character, fillers, and kana that spell no word the
  // dictionary knows.
  for (const char* text : {"", "あ", "ｗｗｗ", "えっと", "🙂", "ぱぴぷぺぽ", "ぴよぴよぽん"}) {
    Understanding u = nlu.Understand(text, testing::Today());
    EXPECT_EQ(u.intent, "") << text << " → " << Describe(u);
    EXPECT_FALSE(u.ambiguous) << text;
  }
}

TEST(Intents, AmbiguousWhenTopTwoAreClose) {
  const Nlu& nlu = testing::SharedNlu();
  // Two questions in one message: the dialogs ask which one is meant.
  const std::vector<std::string> ambiguous = {"電話番号と住所", "児童扶養手当の対象と金額"};
  for (const auto& text : ambiguous) {
    Understanding u = nlu.Understand(text, testing::Today());
    EXPECT_TRUE(u.ambiguous) << text << " → " << Describe(u);
    EXPECT_LT(u.confidence, 0.6) << text << " → " << Describe(u);
  }
  const std::vector<std::string> clear = {"児童扶養手当の支給日", "小平市の窓口の電話番号",
                                          "こんにちは"};
  for (const auto& text : clear) {
    Understanding u = nlu.Understand(text, testing::Today());
    EXPECT_FALSE(u.ambiguous) << text << " → " << Describe(u);
    EXPECT_GT(u.confidence, 0.6) << text << " → " << Describe(u);
  }
}

struct CategoryCase {
  std::string text;
  std::vector<std::string> categories;
};

TEST(Intents, Categories) {
  const std::vector<CategoryCase> cases = {
      {"医療の制度は？", {"医療"}},
      {"病院代が払えない", {"医療"}},
      {"家賃が払えない", {"住まい"}},
      {"お金を借りたい", {"貸付"}},
      {"資格を取って就職したい", {"就業・資格"}},
      {"夜に子どもを預けたい", {"子育て・生活"}},
      {"ショートステイを使いたい", {"子育て・生活"}},
      {"JRの定期", {"交通・料金"}},
      {"住民税の減免", {"税・減免"}},
      {"手当について", {"手当・給付金"}},
      {"相談したい", {"相談"}},
      {"こんにちは", {}},
  };
  const Nlu& nlu = testing::SharedNlu();
  for (const auto& c : cases) {
    Understanding u = nlu.Understand(c.text, testing::Today());
    EXPECT_EQ(u.categories, c.categories) << c.text << " → " << Describe(u);
  }
}

}  // namespace
}  // namespace yorisoi::text
