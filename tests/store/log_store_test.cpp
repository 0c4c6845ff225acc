#include "store/log_store.h"

#include <SQLiteCpp/SQLiteCpp.h>
#include <gtest/gtest.h>

#include <filesystem>
#include <string>
#include <thread>
#include <vector>

#include "store/log_query.h"

namespace yorisoi::store {
namespace {

namespace fs = std::filesystem;

// 2026-11-24 00:00 JST in UTC epoch ms.
constexpr int64_t kDay0 = 1795446000000;
constexpr int64_t kMinute = 60 * 1000;
constexpr int64_t kDayMs = 24 * 60 * kMinute;

TEST(MaskPersonalDataTest, MasksEachKind) {
  struct Case {
    const char* in;
    const char* want;
  };
  const Case cases[] = {
      // Mobile and landline numbers keep the first and last group.
      {"090-1234-5678", "090-****-5678"},
      {"電話は090-1234-5678です", "電話は090-****-5678です"},
      {"09012345678に", "090****5678に"},
      {"03-1234-5678", "03-****-5678"},
      {"(042)576-2111", "(042)***-2111"},
      {"０９０ー１２３４ー５６７８", "０９０ー****ー５６７８"},
      {"+81-90-1234-5678", "+81-**-****-5678"},
      {"+81 3-1234-5678", "+81 *-****-5678"},
      {"0120-123-456", "0120-***-456"},
      // E-mail addresses.
      {"mail: taro.yamada+x@example.co.jp まで", "mail: ***@*** まで"},
      {"ＡＢＣ taro@example.com", "ＡＢＣ ***@***"},
      // 12-digit マイナンバー-like numbers, with or without separators.
      {"123456789012", "************"},
      {"番号 1234 5678 9012 です", "番号 **** **** **** です"},
      // Postal codes.
      {"〒186-8501 国立市", "〒***-**** 国立市"},
      {"〒 1868501", "〒 *******"},
      {"186-8501", "***-****"},
      // Card-like numbers keep the last four digits.
      {"4111-1111-1111-1111", "****-****-****-1111"},
      {"4111111111111111", "************1111"},
      {"3714 496353 98431", "**** ****** *8431"},
      // Left alone: amounts, dates, ages, short numbers.
      {"月額46,690円です", "月額46,690円です"},
      {"2026-11-24に申請", "2026-11-24に申請"},
      {"子ども2人、3歳と5歳", "子ども2人、3歳と5歳"},
      {"年収 2,300,000円", "年収 2,300,000円"},
      {"12345", "12345"},
      {"", ""},
      {"@ だけ a@b", "@ だけ a@b"},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.in);
    EXPECT_EQ(MaskPersonalData(c.in), c.want);
  }
}

TEST(MaskPersonalDataTest, InvalidUtf8PassesThrough) {
  const std::string in = "a\xff\xfe 090-1234-5678";
  EXPECT_EQ(MaskPersonalData(in), "a\xff\xfe 090-****-5678");
}

TEST(ReviewKeyTest, Folds) {
  struct Case {
    const char* a;
    const char* b;
  };
  const Case cases[] = {
      {"児童手当は？", "児童手当は"},
      {"ＡＢＣって何？", "abcって何"},
      {"保育園 の 申し込み。", "保育園の申し込み"},
      {"  ？だれ！", "だれ"},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.a);
    EXPECT_EQ(ReviewKey(c.a), c.b);
  }
}

class LogStoreTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() /
           ("yorisoi_log_" + std::to_string(::getpid()) + "_" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(dir_);
    fs::create_directories(dir_);
    Open();
  }
  void TearDown() override {
    store_.reset();
    fs::remove_all(dir_);
  }
  void Open(int retention_days = 0) {
    store_.reset();
    auto r = OpenSqliteLogStore((dir_ / "log.sqlite").string(), retention_days, clock_);
    ASSERT_TRUE(r.ok()) << r.error();
    store_ = std::move(r).value();
    query_ = &store_->query();
    ASSERT_NE(query_, nullptr);
  }
  static LogEntry In(const std::string& user, int64_t at, const std::string& text) {
    LogEntry e;
    e.at_ms = at;
    e.user = user;
    e.direction = "in";
    e.text = text;
    e.municipality = "kunitachi";
    e.intent = "jido_fuyo";
    e.confidence = 0.9;
    e.flow = "program";
    e.answered = true;
    return e;
  }
  static LogEntry Out(const std::string& user, int64_t at, const std::string& text) {
    LogEntry e = In(user, at, text);
    e.direction = "out";
    e.programs = {"jido-fuyo-teate"};
    return e;
  }
  int64_t CountRows(const std::string& table) {
    SQLite::Database db((dir_ / "log.sqlite").string());
    return db.execAndGet("SELECT count(*) FROM " + table).getInt64();
  }

  fs::path dir_;
  FakeClock clock_{kDay0};  // declared before the store, which borrows it
  std::unique_ptr<LogStore> store_;
  LogQuery* query_ = nullptr;
};

TEST_F(LogStoreTest, StoresMaskedTextOnly) {
  store_->writer().Append(In("u1", kDay0, "電話は090-1234-5678、メールはa.b@example.jpです"));
  ASSERT_TRUE(store_->writer().Flush().ok());
  SQLite::Database db((dir_ / "log.sqlite").string());
  const std::string text = db.execAndGet("SELECT text FROM messages").getString();
  EXPECT_EQ(text, "電話は090-****-5678、メールは***@***です");
  // Nothing unmasked anywhere in the file's tables.
  for (const char* sql : {"SELECT count(*) FROM messages WHERE text LIKE '%1234%'",
                          "SELECT count(*) FROM conversations WHERE excerpt LIKE '%1234%'",
                          "SELECT count(*) FROM msg_fts WHERE msg_fts MATCH 'example'",
                          "SELECT count(*) FROM msg_fts WHERE msg_fts MATCH '1234'"}) {
    SCOPED_TRACE(sql);
    EXPECT_EQ(db.execAndGet(sql).getInt64(), 0);
  }
}

TEST_F(LogStoreTest, AppendFromManyThreadsThenFlushCommitsAll) {
  constexpr int kThreads = 4, kPerThread = 500;
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t)
    threads.emplace_back([&, t] {
      for (int i = 0; i < kPerThread; ++i)
        store_->writer().Append(
            In("user" + std::to_string(t), kDay0 + i * 1000, "質問 " + std::to_string(i)));
    });
  for (auto& th : threads) th.join();
  ASSERT_TRUE(store_->writer().Flush().ok());
  EXPECT_EQ(CountRows("messages"), kThreads * kPerThread);
  EXPECT_EQ(CountRows("conversations"), kThreads);  // 1 s apart: one conversation per user
  // Flush with nothing queued returns at once.
  EXPECT_TRUE(store_->writer().Flush().ok());
}

TEST_F(LogStoreTest, EntriesSurviveReopenAndDestructionFlushes) {
  for (int i = 0; i < 100; ++i) store_->writer().Append(In("u", kDay0 + i, "x"));
  store_.reset();  // destructor drains the queue
  Open();
  EXPECT_EQ(CountRows("messages"), 100);
  // The next message continues the same conversation (within 30 minutes).
  store_->writer().Append(In("u", kDay0 + 10 * kMinute, "y"));
  ASSERT_TRUE(store_->writer().Flush().ok());
  EXPECT_EQ(CountRows("conversations"), 1);
}

TEST_F(LogStoreTest, SearchIndexHoldsOneDocumentPerMessage) {
  // Three batches into one conversation: each message is indexed once, under
  // its conversation's id in the rowid's high bits.
  for (const char* text : {"りんごの質問", "みかんの質問", "ぶどうの質問"}) {
    store_->writer().Append(In("u", kDay0 + CountRows("messages") * kMinute, text));
    ASSERT_TRUE(store_->writer().Flush().ok());
  }
  ASSERT_EQ(CountRows("conversations"), 1);
  SQLite::Database db((dir_ / "log.sqlite").string(), SQLite::OPEN_READWRITE);
  struct Case {
    const char* term;
    int64_t docs, hits;
  };
  const Case cases[] = {{"りんご", 1, 1}, {"ぶどう", 1, 1}, {"の質問", 3, 3}, {"質問\n", 3, 3}};
  for (const Case& c : cases) {
    SCOPED_TRACE(c.term);
    const std::string term = c.term;
    SQLite::Statement st(db, "SELECT doc, cnt FROM msg_fts_vocab WHERE term = :t");
    st.bind(":t", term);
    ASSERT_TRUE(st.executeStep());
    EXPECT_EQ(st.getColumn(0).getInt64(), c.docs);
    EXPECT_EQ(st.getColumn(1).getInt64(), c.hits);
  }
  const int64_t conv = db.execAndGet("SELECT id FROM conversations").getInt64();
  EXPECT_EQ(
      db.execAndGet("SELECT group_concat(rowid >> 20) || '/' || group_concat(rowid & 1048575) "
                    "FROM (SELECT rowid FROM msg_fts WHERE msg_fts MATCH 'の質問' ORDER BY rowid)")
          .getString(),
      std::to_string(conv) + "," + std::to_string(conv) + "," + std::to_string(conv) + "/0,1,2");
  db.exec("INSERT INTO msg_fts(msg_fts, rank) VALUES('integrity-check', 0)");
  ASSERT_TRUE(store_->retention().DeleteOlderThan(kDay0 + kDayMs).ok());
  EXPECT_EQ(db.execAndGet("SELECT count(*) FROM msg_fts_vocab").getInt64(), 0);
}

TEST_F(LogStoreTest, SearchTermsMayBeInDifferentMessagesOfAConversation) {
  store_->writer().Append(In("a", kDay0, "保育園の申し込み"));
  store_->writer().Append(Out("a", kDay0 + 1000, "児童扶養手当のご案内です"));
  store_->writer().Append(In("b", kDay0 + 2000, "保育園のこと"));
  ASSERT_TRUE(store_->writer().Flush().ok());
  struct Case {
    const char* q;
    int64_t want;
  };
  const Case cases[] = {{"保育園 扶養手当", 1}, {"保育園", 2}, {"扶 保", 1},
                        {"保育園 猫", 0},       {"の", 2},     {"こと 申し込み", 0}};
  for (const Case& c : cases) {
    SCOPED_TRACE(c.q);
    ConversationFilter f;
    f.q = c.q;
    auto r = query_->ListConversations(f);
    ASSERT_TRUE(r.ok()) << r.error();
    EXPECT_EQ(r->total, c.want);
  }
}

TEST_F(LogStoreTest, SchemaOneFileIsMigratedToPerMessageIndex) {
  store_.reset();
  fs::remove(dir_ / "log.sqlite");
  {
    // A schema-1 file: no ord column, one conv_fts document per conversation.
    SQLite::Database db((dir_ / "log.sqlite").string(),
                        SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE);
    db.exec(
        "CREATE TABLE meta(key TEXT PRIMARY KEY, value TEXT NOT NULL);"
        "INSERT INTO meta VALUES('schema', '1');"
        "CREATE TABLE conversations(id INTEGER PRIMARY KEY, user TEXT NOT NULL,"
        "  started_ms INTEGER NOT NULL, last_ms INTEGER NOT NULL,"
        "  municipality TEXT NOT NULL DEFAULT '', flags INTEGER NOT NULL DEFAULT 0,"
        "  n_in INTEGER NOT NULL DEFAULT 0, n_out INTEGER NOT NULL DEFAULT 0,"
        "  excerpt TEXT NOT NULL DEFAULT '', tags TEXT NOT NULL DEFAULT '[]',"
        "  reviewed_by TEXT NOT NULL DEFAULT '', reviewed_ms INTEGER NOT NULL DEFAULT 0);"
        "CREATE TABLE messages(id INTEGER PRIMARY KEY, conv INTEGER NOT NULL,"
        "  at_ms INTEGER NOT NULL, dir INTEGER NOT NULL, text TEXT NOT NULL,"
        "  municipality TEXT NOT NULL, intent TEXT NOT NULL, confidence REAL NOT NULL,"
        "  flow TEXT NOT NULL, programs TEXT NOT NULL, flags INTEGER NOT NULL, review INTEGER);"
        "CREATE VIRTUAL TABLE conv_fts USING fts5(text, content='', tokenize='trigram');"
        "CREATE VIRTUAL TABLE conv_fts_vocab USING fts5vocab(conv_fts, row);");
    db.exec(
        "INSERT INTO conversations(id, user, started_ms, last_ms, n_in, n_out) VALUES"
        "(7, 'u', " +
        std::to_string(kDay0) + ", " + std::to_string(kDay0 + 2000) + ", 2, 1)");
    const char* texts[] = {"りんごの質問", "みかんの答え", "ぶどうの質問"};
    for (int i = 0; i < 3; ++i)
      db.exec(
          "INSERT INTO messages(conv, at_ms, dir, text, municipality, intent, confidence, "
          "flow, programs, flags) VALUES(7, " +
          std::to_string(kDay0 + i * 1000) + ", " + std::to_string(i == 1 ? 1 : 0) + ", '" +
          texts[i] + "', '', '', 0, '', '[]', 0)");
    db.exec(
        "INSERT INTO conv_fts(rowid, text) VALUES(7, "
        "'りんごの質問\nみかんの答え\nぶどうの質問\n')");
  }
  Open();
  struct Case {
    const char* q;
    int64_t want;
  };
  for (const Case& c : {Case{"みかん", 1}, Case{"りんご ぶどう", 1}, Case{"すいか", 0}}) {
    SCOPED_TRACE(c.q);
    ConversationFilter f;
    f.q = c.q;
    auto r = query_->ListConversations(f);
    ASSERT_TRUE(r.ok()) << r.error();
    EXPECT_EQ(r->total, c.want);
  }
  // A new message continues conversation 7 with the next place (3).
  store_->writer().Append(In("u", kDay0 + 3000, "すいかの質問"));
  ASSERT_TRUE(store_->writer().Flush().ok());
  SQLite::Database db((dir_ / "log.sqlite").string());
  EXPECT_EQ(db.execAndGet("SELECT group_concat(ord) FROM (SELECT ord FROM messages ORDER BY id)")
                .getString(),
            "0,1,2,3");
  EXPECT_EQ(db.execAndGet("SELECT value FROM meta WHERE key = 'schema'").getString(), "2");
  EXPECT_FALSE(db.tableExists("conv_fts"));
  ConversationFilter f;
  f.q = "すいか";
  EXPECT_EQ(query_->ListConversations(f)->total, 1);
  // Retention removes the migrated documents too.
  ASSERT_TRUE(store_->retention().DeleteOlderThan(kDay0 + kDayMs).ok());
  EXPECT_EQ(db.execAndGet("SELECT count(*) FROM msg_fts_vocab").getInt64(), 0);
}

TEST_F(LogStoreTest, ThirtyMinutesOfSilenceStartsANewConversation) {
  struct Step {
    const char* user;
    int64_t minute;
    int64_t want_conversations;
  };
  const Step steps[] = {
      {"a", 0, 1},   {"a", 29, 1}, {"a", 58, 1},  // each gap < 30 min
      {"a", 89, 2},                               // 31 min of silence
      {"b", 90, 3},                               // another user
      {"a", 100, 3},
  };
  for (const Step& s : steps) {
    SCOPED_TRACE(std::string(s.user) + " @" + std::to_string(s.minute));
    store_->writer().Append(In(s.user, kDay0 + s.minute * kMinute, "こんにちは"));
    ASSERT_TRUE(store_->writer().Flush().ok());
    EXPECT_EQ(CountRows("conversations"), s.want_conversations);
  }
}

TEST_F(LogStoreTest, DeleteOlderThanRemovesOldRowsEverywhere) {
  store_->writer().Append(In("old", kDay0 - 400 * kDayMs, "古い質問 090-1111-2222"));
  LogEntry fb = In("old", kDay0 - 400 * kDayMs + 1, "わからない質問");
  fb.fallback = true;
  fb.answered = false;
  store_->writer().Append(fb);
  store_->writer().Append(In("new", kDay0, "新しい質問"));
  ASSERT_TRUE(store_->writer().Flush().ok());
  auto r = store_->retention().DeleteOlderThan(kDay0 - 365 * kDayMs);
  ASSERT_TRUE(r.ok()) << r.error();
  EXPECT_EQ(*r, 2);
  EXPECT_EQ(CountRows("messages"), 1);
  EXPECT_EQ(CountRows("conversations"), 1);
  EXPECT_EQ(CountRows("review_groups"), 0);
  EXPECT_EQ(CountRows("conv_facets WHERE conv NOT IN (SELECT id FROM conversations)"), 0);
  SQLite::Database db((dir_ / "log.sqlite").string());
  EXPECT_EQ(db.execAndGet("SELECT count(*) FROM msg_fts WHERE msg_fts MATCH '古い質問'").getInt64(),
            0);
}

TEST_F(LogStoreTest, RetentionTrimsAConversationAcrossTheCutoff) {
  // One conversation: a message before the cutoff, then one after it.
  store_->writer().Append(In("u", kDay0 - 10 * kMinute, "古い話題です"));
  store_->writer().Append(In("u", kDay0 + 10 * kMinute, "新しい話題です"));
  ASSERT_TRUE(store_->writer().Flush().ok());
  ASSERT_EQ(CountRows("conversations"), 1);
  auto r = store_->retention().DeleteOlderThan(kDay0);
  ASSERT_TRUE(r.ok()) << r.error();
  EXPECT_EQ(*r, 1);
  ConversationFilter f;
  f.q = "古い話題";
  EXPECT_EQ(query_->ListConversations(f)->total, 0) << "deleted text is no longer searchable";
  f.q = "新しい話題";
  auto page = query_->ListConversations(f);
  ASSERT_EQ(page->total, 1);
  EXPECT_EQ(page->items[0].started_ms, kDay0 + 10 * kMinute);
}

TEST_F(LogStoreTest, RetentionRunsOnOpen) {
  const int64_t now = kDay0 + 3 * kDayMs;
  clock_.Set(now);
  store_->writer().Append(In("old", now - 40 * kDayMs, "古い"));
  store_->writer().Append(In("new", now - 1 * kDayMs, "新しい"));
  ASSERT_TRUE(store_->writer().Flush().ok());
  Open(/*retention_days=*/30);  // the writer applies retention when it starts
  // The writer applies retention before any other work; a no-op job waits for it.
  ASSERT_TRUE(store_->retention().DeleteOlderThan(0).ok());
  EXPECT_EQ(CountRows("messages"), 1);
}

TEST_F(LogStoreTest, ListFiltersPagesAndSearches) {
  // 30 conversations, one per hour; every third about 保育園 in kodaira,
  // every fifth a fallback.
  for (int i = 0; i < 30; ++i) {
    const int64_t at = kDay0 + i * 60 * kMinute;
    LogEntry e = In("user" + std::to_string(i), at,
                    i % 3 == 0 ? "保育園の申し込み 090-1234-" + std::to_string(1000 + i)
                               : "児童扶養手当について");
    if (i % 3 == 0) {
      e.municipality = "kodaira";
      e.intent = "hoikuen";
    }
    if (i % 5 == 0) {
      e.fallback = true;
      e.answered = false;
    }
    store_->writer().Append(e);
    LogEntry reply = Out(e.user, at + 1000, "ご案内します");
    reply.municipality = e.municipality;
    reply.intent = e.intent;
    store_->writer().Append(reply);
  }
  ASSERT_TRUE(store_->writer().Flush().ok());

  struct Case {
    const char* name;
    ConversationFilter f;
    int64_t want_total;
    size_t want_items;
  };
  auto filter = [](auto fn) {
    ConversationFilter f;
    fn(f);
    return f;
  };
  const Case cases[] = {
      {"all", filter([](auto&) {}), 30, 30},
      {"page size", filter([](auto& f) { f.page_size = 7; }), 30, 7},
      {"last page", filter([](auto& f) { f.page_size = 7, f.page = 5; }), 30, 2},
      {"past the end", filter([](auto& f) { f.page = 9; }), 30, 0},
      {"municipality", filter([](auto& f) { f.municipality = "kodaira"; }), 10, 10},
      {"intent", filter([](auto& f) { f.intent = "hoikuen"; }), 10, 10},
      {"program", filter([](auto& f) { f.program = "jido-fuyo-teate"; }), 30, 30},
      {"flag", filter([](auto& f) { f.flag = "fallback"; }), 6, 6},
      {"flag+municipality",
       filter([](auto& f) { f.flag = "fallback", f.municipality = "kodaira"; }), 2, 2},
      {"from/to", filter([](auto& f) {
         f.from_ms = kDay0 + 10 * 60 * kMinute, f.to_ms = kDay0 + 19 * 60 * kMinute;
       }),
       10, 10},
      {"search fts", filter([](auto& f) { f.q = "扶養手当"; }), 20, 20},
      {"search short", filter([](auto& f) { f.q = "保育"; }), 10, 10},
      {"search masked phone", filter([](auto& f) { f.q = "090-1234-1003"; }), 1, 1},
      {"search none", filter([](auto& f) { f.q = "存在しない言葉"; }), 0, 0},
      {"search short none", filter([](auto& f) { f.q = "猫"; }), 0, 0},
      {"search one char", filter([](auto& f) { f.q = "扶"; }), 20, 20},
      {"search all terms", filter([](auto& f) { f.q = "保育園　申し込み"; }), 10, 10},
      {"search terms disjoint", filter([](auto& f) { f.q = "保育園 扶養"; }), 0, 0},
      {"search + filter", filter([](auto& f) { f.q = "扶養手当", f.flag = "fallback"; }), 4, 4},
      {"search paged", filter([](auto& f) { f.q = "扶養手当", f.page_size = 6, f.page = 4; }), 20,
       2},
      {"unreviewed", filter([](auto& f) { f.flag = "unreviewed"; }), 30, 30},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.name);
    auto r = query_->ListConversations(c.f);
    ASSERT_TRUE(r.ok()) << r.error();
    EXPECT_EQ(r->total, c.want_total);
    EXPECT_EQ(r->items.size(), c.want_items);
    for (size_t i = 1; i < r->items.size(); ++i)
      EXPECT_GE(r->items[i - 1].last_ms, r->items[i].last_ms) << "newest first";
  }

  ConversationFilter f;
  f.q = "保育園";
  auto r = query_->ListConversations(f);
  ASSERT_TRUE(r.ok());
  ASSERT_FALSE(r->items.empty());
  ASSERT_FALSE(r->items[0].excerpts.empty());
  EXPECT_EQ(r->items[0].excerpts[0], "保育園の申し込み 090-****-1027");
  EXPECT_EQ(r->items[0].intents, std::vector<std::string>{"hoikuen"});

  ConversationFilter bad;
  bad.flag = "nonsense";
  EXPECT_FALSE(query_->ListConversations(bad).ok());
  bad = {};
  bad.page = 0;
  EXPECT_FALSE(query_->ListConversations(bad).ok());
}

TEST_F(LogStoreTest, ConversationTranscriptAndTags) {
  store_->writer().Append(In("u", kDay0, "児童扶養手当はいくら？ 090-1234-5678"));
  store_->writer().Append(Out("u", kDay0 + 1000, "月額の目安をご案内します。"));
  ASSERT_TRUE(store_->writer().Flush().ok());
  auto page = query_->ListConversations({});
  ASSERT_TRUE(page.ok());
  ASSERT_EQ(page->items.size(), 1u);
  const int64_t id = page->items[0].id;
  auto c = query_->GetConversation(id);
  ASSERT_TRUE(c.ok()) << c.error();
  ASSERT_TRUE(c->has_value());
  const Conversation& conv = **c;
  ASSERT_EQ(conv.messages.size(), 2u);
  EXPECT_EQ(conv.messages[0].direction, "in");
  EXPECT_EQ(conv.messages[0].text, "児童扶養手当はいくら？ 090-****-5678");
  EXPECT_EQ(conv.messages[1].direction, "out");
  EXPECT_EQ(conv.messages[1].programs, std::vector<std::string>{"jido-fuyo-teate"});
  EXPECT_EQ(conv.summary.inbound, 1);
  EXPECT_EQ(conv.summary.outbound, 1);

  auto missing = query_->GetConversation(id + 100);
  ASSERT_TRUE(missing.ok());
  EXPECT_FALSE(missing->has_value());

  auto t =
      query_->SetConversationTags(id, {"要フォロー", "要フォロー", "手当"}, true, "sato", kDay0);
  ASSERT_TRUE(t.ok()) << t.error();
  EXPECT_TRUE(*t);
  EXPECT_FALSE(*query_->SetConversationTags(id + 100, {"x"}, std::nullopt, "sato", kDay0));
  c = query_->GetConversation(id);
  EXPECT_EQ((*c)->summary.tags, (std::vector<std::string>{"要フォロー", "手当"}));
  EXPECT_EQ((*c)->summary.reviewed_by, "sato");
  ConversationFilter f;
  f.tag = "要フォロー";
  EXPECT_EQ(query_->ListConversations(f)->total, 1);
  f = {};
  f.flag = "reviewed";
  EXPECT_EQ(query_->ListConversations(f)->total, 1);
  auto facets = query_->ListFacets();
  ASSERT_TRUE(facets.ok());
  EXPECT_EQ(facets->tags, (std::vector<std::string>{"手当", "要フォロー"}));
  EXPECT_EQ(facets->municipalities, std::vector<std::string>{"kunitachi"});
}

TEST_F(LogStoreTest, ReviewQueueGroupsByNormalizedText) {
  auto fallback = [](const std::string& user, int64_t at, const std::string& text) {
    LogEntry e = In(user, at, text);
    e.fallback = true;
    e.answered = false;
    return e;
  };
  store_->writer().Append(fallback("a", kDay0, "ファミサポって何？"));
  store_->writer().Append(fallback("b", kDay0 + kMinute, "ファミサポって何"));
  store_->writer().Append(fallback("c", kDay0 + 2 * kMinute, "ファミサポ って 何！"));
  LogEntry amb = In("d", kDay0 + 3 * kMinute, "手当");
  amb.ambiguous = true;
  store_->writer().Append(amb);
  store_->writer().Append(In("e", kDay0 + 4 * kMinute, "児童手当"));  // answered: not queued
  ASSERT_TRUE(store_->writer().Flush().ok());

  auto r = query_->ListReview("pending", 1, 50);
  ASSERT_TRUE(r.ok()) << r.error();
  ASSERT_EQ(r->total, 2);
  EXPECT_EQ(r->items[0].sample, "手当");
  EXPECT_EQ(r->items[0].kinds, kFlagAmbiguous);
  EXPECT_EQ(r->items[1].count, 3);
  EXPECT_EQ(r->items[1].conversations.size(), 3u);
  EXPECT_EQ(r->items[1].sample, "ファミサポ って 何！");

  const int64_t id = r->items[1].id;
  auto u = query_->UpdateReview(id, "resolved", "KBにファミサポを追加", "sato", kDay0 + kDayMs);
  ASSERT_TRUE(u.ok()) << u.error();
  EXPECT_TRUE(*u);
  EXPECT_FALSE(query_->UpdateReview(id, "done", "", "sato", kDay0).ok());
  EXPECT_FALSE(*query_->UpdateReview(id + 99, "ignored", "", "sato", kDay0));
  EXPECT_EQ(query_->ListReview("pending", 1, 50)->total, 1);
  auto resolved = query_->ListReview("resolved", 1, 50);
  ASSERT_EQ(resolved->items.size(), 1u);
  EXPECT_EQ(resolved->items[0].note, "KBにファミサポを追加");
  EXPECT_EQ(resolved->items[0].updated_by, "sato");
  EXPECT_EQ(resolved->items[0].count_since_update, 0);
  // Asked again after it was resolved: counted as new since the update.
  store_->writer().Append(fallback("f", kDay0 + 2 * kDayMs, "ファミサポって何？"));
  ASSERT_TRUE(store_->writer().Flush().ok());
  resolved = query_->ListReview("resolved", 1, 50);
  EXPECT_EQ(resolved->items[0].count, 4);
  EXPECT_EQ(resolved->items[0].count_since_update, 1);
}

TEST_F(LogStoreTest, StatsPerJstDay) {
  // Day 0: two users; one fallback turn that was also a handoff and a crisis
  // answer (flags on both entries of the turn, as the runtime logs them).
  // Day 2: one user.
  LogEntry a = In("a", kDay0 + 10 * kMinute, "児童扶養手当");
  a.programs = {"jido-fuyo-teate"};
  store_->writer().Append(a);
  LogEntry b = In("b", kDay0 + 23 * 60 * kMinute + 59 * kMinute, "わからない");  // 23:59 JST
  b.fallback = true;
  b.answered = false;
  b.intent = "";
  b.handoff = true;
  b.crisis = true;
  store_->writer().Append(b);
  LogEntry o = Out("b", kDay0 + 23 * 60 * kMinute + 59 * kMinute + 500, "窓口へ");
  o.intent = "";
  o.programs = {};
  o.fallback = true;
  o.answered = false;
  o.handoff = true;
  o.crisis = true;
  store_->writer().Append(o);
  store_->writer().Append(In("c", kDay0 + 2 * kDayMs, "保育園"));
  ASSERT_TRUE(store_->writer().Flush().ok());

  auto r = query_->Stats(kDay0, kDay0 + 3 * kDayMs - 1, "");
  ASSERT_TRUE(r.ok()) << r.error();
  ASSERT_EQ(r->size(), 3u);
  const DayStats& d0 = (*r)[0];
  EXPECT_EQ(d0.date, "2026-11-24");
  EXPECT_EQ(d0.users, 2);
  EXPECT_EQ(d0.conversations, 2);
  EXPECT_EQ(d0.messages, 3);
  EXPECT_EQ(d0.inbound, 2);
  EXPECT_EQ(d0.fallbacks, 1);
  EXPECT_DOUBLE_EQ(d0.fallback_rate, 0.5);
  EXPECT_EQ(d0.handoffs, 1);
  EXPECT_EQ(d0.crisis, 1);
  ASSERT_EQ(d0.top_intents.size(), 1u);
  EXPECT_EQ(d0.top_intents[0], (std::pair<std::string, int64_t>{"jido_fuyo", 1}));
  ASSERT_EQ(d0.top_programs.size(), 1u);
  EXPECT_EQ((*r)[1].messages, 0);
  EXPECT_EQ((*r)[2].date, "2026-11-26");
  EXPECT_EQ((*r)[2].users, 1);
  EXPECT_FALSE(query_->Stats(kDay0, kDay0 + 500 * kDayMs, "").ok());
  EXPECT_FALSE(query_->Stats(kDay0, kDay0 - 1, "").ok());
}

TEST_F(LogStoreTest, ExportInTimeOrder) {
  store_->writer().Append(In("u", kDay0 + 2000, "二番目"));
  store_->writer().Append(In("v", kDay0 + 1000, "一番目"));
  store_->writer().Append(In("w", kDay0 + 5 * kDayMs, "範囲外"));
  ASSERT_TRUE(store_->writer().Flush().ok());
  std::vector<std::string> texts;
  Status s = query_->Export(kDay0, kDay0 + kDayMs, [&](const ExportRow& r) {
    texts.push_back(r.user + ":" + r.message.text);
    return true;
  });
  ASSERT_TRUE(s.ok()) << s.message();
  EXPECT_EQ(texts, (std::vector<std::string>{"v:一番目", "u:二番目"}));
}

}  // namespace
}  // namespace yorisoi::store
