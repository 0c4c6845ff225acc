// Shared fixture for the text tests: a small hand-made Lexicon (so the tests
// do not depend on the knowledge base) and the real text/data files.
#pragma once

#include <memory>
#include <string>

#include "text/nlu.h"
#include "yorisoi_source_dir.h"

namespace yorisoi::text::testing {

inline Lexicon TestLexicon() {
  Lexicon lex;
  lex.prefectures = {
      {"tokyo", {"東京都", "とうきょうと", "東京"}, 1.0, ""},
      {"okayama", {"岡山県", "おかやまけん", "岡山"}, 1.0, ""},
      {"wakayama", {"和歌山県", "わかやまけん"}, 1.0, ""},
      {"hiroshima", {"広島県"}, 1.0, ""},
      {"kyoto", {"京都府", "京都"}, 1.0, ""},
  };
  lex.municipalities = {
      {"kodaira", {"小平市", "こだいらし"}, 1.0, "tokyo"},
      {"kunitachi", {"国立市", "くにたちし", "国立", "くにたち"}, 1.0, "tokyo"},
      {"arida", {"有田市", "ありだし", "ありだ"}, 1.0, "wakayama"},
      {"okayama-shi", {"岡山市", "おかやまし"}, 1.0, "okayama"},
      {"kurashiki", {"倉敷市", "くらしきし"}, 1.0, "okayama"},
      {"fuchu-tokyo", {"府中市", "ふちゅうし"}, 1.0, "tokyo"},
      {"fuchu-hiroshima", {"府中市", "ふちゅうし"}, 1.0, "hiroshima"},
      {"kokubunji", {"国分寺市", "こくぶんじし"}, 1.0, "tokyo"},
      {"chuo", {"中央区", "ちゅうおうく"}, 1.0, "tokyo"},
      {"misaki", {"美咲町", "みさきちょう"}, 1.0, "okayama"},
  };
  lex.programs = {
      {"jido_fuyo", {"児童扶養手当", "じどうふようてあて"}, 1.0, "手当・給付金"},
      {"jido_teate", {"児童手当", "じどうてあて"}, 1.0, "手当・給付金"},
      {"iryo", {"ひとり親家庭等医療費助成制度", "マル親", "ひとり親医療"}, 1.0, "医療"},
      {"koutou_kyufu", {"高等職業訓練促進給付金", "高等職業訓練"}, 1.0, "就業・資格"},
      {"koutou_shikin",
       {"ひとり親家庭高等職業訓練促進資金貸付事業", "高等職業訓練促進資金"},
       1.0,
       "貸付"},
      {"ikusei", {"児童育成手当", "育成手当"}, 1.0, "手当・給付金"},
      {"boshi_fukushi", {"母子父子福祉資金", "母子福祉資金", "福祉資金"}, 1.0, "貸付"},
      {"josei_fukushi", {"女性福祉資金", "福祉資金"}, 1.0, "貸付"},
      {"homehelp", {"ひとり親家庭ホームヘルプサービス"}, 1.0, "子育て・生活"},
      {"jiritsu_in", {"母子・父子自立支援員"}, 1.0, "相談"},
      {"tokyo_iryo", {"ひとり親家庭等医療費助成（マル親）"}, 0.5, "医療"},
      {"kyoiku_kunren", {"自立支援教育訓練給付金"}, 1.0, "就業・資格"},
      {"suido", {"水道料金の減免", "水道料金減免"}, 1.0, "税・減免"},
      {"jr", {"JR通勤定期乗車券の割引", "JR定期の割引"}, 1.0, "交通・料金"},
  };
  return lex;
}

inline std::string DataDir() { return std::string(YORISOI_SOURCE_DIR) + "/text/data"; }

// One Nlu for the whole binary (construction compiles the tables once).
inline const Nlu& SharedNlu() {
  static const std::unique_ptr<Nlu> nlu = [] {
    auto r = Nlu::Create(DataDir(), TestLexicon());
    if (!r.ok()) {
      fprintf(stderr, "Nlu::Create failed: %s\n", r.error().c_str());
      abort();
    }
    return std::move(r).value();
  }();
  return *nlu;
}

// Tuesday, the `at` date of most conversation cases.
inline Date Today() { return Date{2026, 11, 24}; }

}  // namespace yorisoi::text::testing
