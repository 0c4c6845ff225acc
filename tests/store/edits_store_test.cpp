// store/edits_store.h: examples and FAQs with versions, authors, rollback,
// the store's own audit trail, errors naming the field, and persistence.
#include "store/edits_store.h"

#include <gtest/gtest.h>

#include "../temp_dir.h"

namespace yorisoi::store {
namespace {

FaqContent Content(const std::string& answer = "12月28日までにご相談ください。") {
  FaqContent c;
  c.phrasings = {"年末年始も相談できますか"};
  c.answer = answer;
  c.municipality = "kodaira";
  c.source_name = "小平市 子育て支援課";
  c.source_url = "https://www.city.kodaira.tokyo.jp/";
  c.valid_from = "2026-12-01";
  c.valid_to = "2027-01-10";
  return c;
}

std::unique_ptr<EditsStore> Memory() { return std::move(EditsStore::Open(":memory:")).value(); }

TEST(EditsStoreTest, ExampleAddRemoveAndAudit) {
  auto st = Memory();
  auto a = st->AddExample({"お金が口座に入る日", "intent", "program.payment_date"}, "hanako", 100);
  ASSERT_TRUE(a.ok()) << a.error();
  EXPECT_EQ(a->author, "hanako");
  EXPECT_EQ(a->created_ms, 100);
  EXPECT_TRUE(a->active);
  auto b = st->AddExample({"受講料が戻る", "program", "jiritsu_kyouiku_kunren"}, "taro", 200);
  ASSERT_TRUE(b.ok());

  auto removed = st->RemoveExample(a->id, "taro", 300);
  ASSERT_TRUE(removed.ok()) << removed.error();
  EXPECT_FALSE(removed->active);
  EXPECT_EQ(removed->removed_by, "taro");
  EXPECT_EQ(removed->removed_ms, 300);
  EXPECT_EQ(st->RemoveExample(a->id, "taro", 301).status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(st->RemoveExample(999, "taro", 301).status().code(), StatusCode::kNotFound);

  auto active = st->ListExamples(false);
  ASSERT_TRUE(active.ok());
  ASSERT_EQ(active->size(), 1u);
  EXPECT_EQ((*active)[0].id, b->id);
  auto all = st->ListExamples(true);
  ASSERT_EQ(all->size(), 2u);
  EXPECT_EQ((*all)[0].id, b->id);  // newest first
  EXPECT_EQ((*all)[1].input.text, "お金が口座に入る日");

  auto audit = st->ListAudit(0, 10);
  ASSERT_TRUE(audit.ok());
  ASSERT_EQ(audit->size(), 3u);
  EXPECT_EQ((*audit)[0].action, "remove_example");
  EXPECT_EQ((*audit)[0].actor, "taro");
  EXPECT_EQ((*audit)[0].kind, "example");
  EXPECT_EQ((*audit)[0].target_id, a->id);
  EXPECT_EQ((*audit)[0].at_ms, 300);
  EXPECT_EQ((*audit)[2].action, "add_example");
  auto older = st->ListAudit((*audit)[0].id, 10);
  ASSERT_TRUE(older.ok());
  EXPECT_EQ(older->size(), 2u);
}

TEST(EditsStoreTest, EverySaveIsAVersionAndRollbackStepsBack) {
  auto st = Memory();
  auto v1 = st->SaveFaq(0, Content(), "hanako", 100);
  ASSERT_TRUE(v1.ok()) << v1.error();
  EXPECT_EQ(v1->active_version, 1);
  EXPECT_EQ(v1->created_by, "hanako");
  auto v2 = st->SaveFaq(v1->id, Content("第2版"), "taro", 200);
  ASSERT_TRUE(v2.ok());
  EXPECT_EQ(v2->active_version, 2);
  EXPECT_EQ(v2->content.answer, "第2版");
  EXPECT_EQ(v2->updated_by, "taro");
  EXPECT_EQ(v2->created_by, "hanako");
  ASSERT_EQ(v2->history.size(), 2u);
  EXPECT_EQ(v2->history[0].author, "hanako");
  EXPECT_EQ(v2->history[1].saved_ms, 200);

  auto back = st->RollbackFaq(v1->id, "jiro", 300);
  ASSERT_TRUE(back.ok());
  EXPECT_EQ(back->active_version, 1);
  EXPECT_EQ(back->content.answer, "12月28日までにご相談ください。");
  EXPECT_EQ(back->history.size(), 2u);  // versions are never deleted

  // A save after a rollback is a new version, not an overwrite.
  auto v3 = st->SaveFaq(v1->id, Content("第3版"), "hanako", 400);
  ASSERT_TRUE(v3.ok());
  EXPECT_EQ(v3->active_version, 3);
  ASSERT_TRUE(st->RollbackFaq(v1->id, "hanako", 500).ok());  // → 2
  ASSERT_TRUE(st->RollbackFaq(v1->id, "hanako", 600).ok());  // → 1
  auto removed = st->RollbackFaq(v1->id, "hanako", 700);     // → removed
  ASSERT_TRUE(removed.ok());
  EXPECT_EQ(removed->active_version, 0);
  EXPECT_EQ(st->RollbackFaq(v1->id, "hanako", 800).status().code(), StatusCode::kInvalidArgument);
  EXPECT_TRUE(st->ListFaqs(false)->empty());
  EXPECT_EQ(st->ListFaqs(true)->size(), 1u);
  // Saving a removed FAQ makes it live again.
  auto again = st->SaveFaq(v1->id, Content("第4版"), "hanako", 900);
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(again->active_version, 4);
  EXPECT_EQ(st->ListFaqs(false)->size(), 1u);

  EXPECT_EQ(st->SaveFaq(999, Content(), "hanako", 1).status().code(), StatusCode::kNotFound);
  EXPECT_EQ(st->RollbackFaq(999, "hanako", 1).status().code(), StatusCode::kNotFound);
  auto none = st->GetFaq(999);
  ASSERT_TRUE(none.ok());
  EXPECT_FALSE(none->has_value());

  auto audit = st->ListAudit(0, 100);
  ASSERT_TRUE(audit.ok());
  std::vector<std::string> actions;
  for (auto it = audit->rbegin(); it != audit->rend(); ++it)
    actions.push_back(it->action + "@" + std::to_string(it->version));
  EXPECT_EQ(actions, (std::vector<std::string>{"save_faq@1", "save_faq@2", "rollback_faq@1",
                                               "save_faq@3", "rollback_faq@2", "rollback_faq@1",
                                               "remove_faq@0", "save_faq@4"}));
  EXPECT_EQ(audit->back().actor, "hanako");
  EXPECT_EQ(audit->back().kind, "faq");
  EXPECT_EQ(audit->back().target_id, v1->id);
}

TEST(EditsStoreTest, ErrorsNameTheField) {
  auto st = Memory();
  auto field = [](const Status& s) { return s.message().substr(0, s.message().find(':')); };
  EXPECT_EQ(field(st->AddExample({"", "intent", "x"}, "a", 1).status()), "text");
  EXPECT_EQ(field(st->AddExample({"x", "faq", "x"}, "a", 1).status()), "target_kind");
  EXPECT_EQ(field(st->AddExample({"x", "intent", ""}, "a", 1).status()), "target");
  EXPECT_EQ(field(st->AddExample({"x", "intent", "y"}, "", 1).status()), "author");
  EXPECT_EQ(field(st->AddExample({std::string(501, 'a'), "intent", "y"}, "a", 1).status()), "text");

  FaqContent c = Content();
  c.phrasings.clear();
  EXPECT_EQ(field(ValidateFaq(c)), "phrasings");
  c = Content();
  c.phrasings.push_back(" ");
  EXPECT_EQ(field(ValidateFaq(c)), "phrasings[1]");
  c = Content();
  c.answer = "";
  EXPECT_EQ(field(ValidateFaq(c)), "answer");
  c = Content();
  c.source_name = "";
  EXPECT_EQ(field(ValidateFaq(c)), "source_name");
  c = Content();
  c.source_url = "ftp://x";
  EXPECT_EQ(field(ValidateFaq(c)), "source_url");
  c = Content();
  c.valid_from = "2026-13-01";
  EXPECT_EQ(field(ValidateFaq(c)), "valid_from");
  c = Content();
  c.valid_to = "2026-11-30";
  EXPECT_EQ(ValidateFaq(c).message(), "valid_to: before valid_from");
  c = Content();
  c.valid_to = "";
  EXPECT_TRUE(ValidateFaq(c).ok());  // open-ended
  c = Content();
  c.municipality = "ko daira";
  EXPECT_EQ(field(ValidateFaq(c)), "municipality");
  EXPECT_EQ(st->SaveFaq(0, c, "a", 1).status().code(), StatusCode::kInvalidArgument);
  EXPECT_TRUE(st->ListFaqs(true)->empty());
  EXPECT_TRUE(st->ListAudit(0, 10)->empty());  // nothing was written
}

TEST(EditsStoreTest, KeptAcrossReopen) {
  test_util::TempDir dir("yorisoi-edits-store");
  const std::string path = EditsStorePath(dir.path());
  int64_t faq = 0;
  {
    auto st = EditsStore::Open(path);
    ASSERT_TRUE(st.ok()) << st.error();
    ASSERT_TRUE((*st)->AddExample({"お金が入る日", "intent", "program.payment_date"}, "a", 1).ok());
    auto f = (*st)->SaveFaq(0, Content(), "a", 2);
    ASSERT_TRUE(f.ok());
    faq = f->id;
    ASSERT_TRUE((*st)->SaveFaq(faq, Content("第2版"), "b", 3).ok());
  }
  auto st = EditsStore::Open(path);
  ASSERT_TRUE(st.ok());
  EXPECT_EQ((*st)->ListExamples(false)->size(), 1u);
  auto f = (*st)->GetFaq(faq);
  ASSERT_TRUE(f.ok() && f->has_value());
  EXPECT_EQ((**f).active_version, 2);
  EXPECT_EQ((**f).content.answer, "第2版");
  EXPECT_EQ((**f).history.size(), 2u);
  EXPECT_EQ((*st)->ListAudit(0, 10)->size(), 3u);
}

}  // namespace
}  // namespace yorisoi::store
