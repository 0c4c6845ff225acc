// The classifier's own weight table and its model cache: a saved model
// predicts exactly what the trained one did, a damaged or foreign file is
// refused (and the cache trains again), and a cache never keeps models of
// other training data.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "../temp_dir.h"
#include "text/classifier.h"

namespace yorisoi::text::internal {
namespace {

namespace fs = std::filesystem;

// Three separable classes over a handful of hashed features, and one class
// (3) that has no example.
struct Data {
  std::vector<SparseVector> x;
  std::vector<int> y;
};

Data Toy(int extra = 0) {
  Data d;
  const char* words[3][3] = {
      {"手当", "いくら", "金額"}, {"窓口", "どこ", "場所"}, {"こんにちは", "どうも", "やあ"}};
  for (int k = 0; k < 3; ++k) {
    for (int i = 0; i < 6 + extra; ++i) {
      SparseVector v = {{FeatureKey("w", words[k][i % 3]), 1.0},
                        {FeatureKey("w", words[k][(i + 1) % 3]), 0.5},
                        {FeatureKey("n", std::to_string(i)), 0.2}};
      d.x.push_back(v);
      d.y.push_back(k);
    }
  }
  return d;
}

// The toy model, trained and saved to `path`.
std::unique_ptr<LinearClassifier> TrainAndSave(const Data& d, const std::string& path) {
  auto m = LinearClassifier::Train(d.x, d.y, 4, 4.0);
  if (m && !m->Save(path)) m.reset();
  return m;
}

std::vector<std::string> Files(const std::string& dir) {
  std::vector<std::string> out;
  for (const auto& e : fs::directory_iterator(dir)) out.push_back(e.path().filename().string());
  return out;
}

TEST(ModelCache, TrainedModelPredictsSeenClassesOnly) {
  const Data d = Toy();
  auto m = LinearClassifier::Train(d.x, d.y, 4, 4.0);
  ASSERT_TRUE(m);
  const std::vector<double> p = m->Predict({{FeatureKey("w", "窓口"), 1.0}});
  ASSERT_EQ(p.size(), 4u);
  EXPECT_GT(p[1], 0.5);
  EXPECT_EQ(p[3], 0.0);  // no example: never predicted
  EXPECT_NEAR(p[0] + p[1] + p[2] + p[3], 1.0, 1e-9);
  // An unknown feature alone gives the bias only: still a distribution.
  const std::vector<double> q = m->Predict({{FeatureKey("w", "未知"), 1.0}});
  EXPECT_NEAR(q[0] + q[1] + q[2], 1.0, 1e-9);
}

TEST(ModelCache, SavedModelPredictsTheSame) {
  test_util::TempDir dir("yorisoi-model");
  const Data d = Toy();
  const std::string path = dir.path() + "/m.bin";
  auto m = TrainAndSave(d, path);
  ASSERT_TRUE(m);
  EXPECT_EQ(Files(dir.path()), std::vector<std::string>{"m.bin"});
  auto loaded = LinearClassifier::Load(path);
  ASSERT_TRUE(loaded);
  EXPECT_EQ(loaded->classes(), 4);
  EXPECT_EQ(loaded->features(), m->features());
  for (const SparseVector& v : d.x) EXPECT_EQ(loaded->Predict(v), m->Predict(v));
}

TEST(ModelCache, DamagedFilesAreRefused) {
  test_util::TempDir dir("yorisoi-model");
  const std::string path = dir.path() + "/m.bin";
  auto m = TrainAndSave(Toy(), path);
  ASSERT_TRUE(m);
  const auto size = fs::file_size(path);
  struct Row {
    const char* what;
    std::function<void()> damage;
  };
  const std::vector<Row> rows = {
      {"missing", [&] { fs::remove(path); }},
      {"truncated", [&] { fs::resize_file(path, size - 3); }},
      {"trailing bytes", [&] { std::ofstream(path, std::ios::app | std::ios::binary) << "x"; }},
      {"not a model", [&] { std::ofstream(path, std::ios::trunc) << "{\"json\": true}"; }},
      {"huge header",
       [&] {
         std::fstream f(path, std::ios::in | std::ios::out | std::ios::binary);
         f.seekp(8 + 8);
         const uint64_t features = uint64_t{1} << 40;
         f.write(reinterpret_cast<const char*>(&features), sizeof features);
       }},
  };
  for (const Row& r : rows) {
    ASSERT_TRUE(m->Save(path)) << r.what;
    r.damage();
    EXPECT_FALSE(LinearClassifier::Load(path)) << r.what;
  }
}

TEST(ModelCache, LoadsTheSameDataAndKeepsOnlyTheLatest) {
  test_util::TempDir dir("yorisoi-model");
  const std::string cache = dir.path() + "/models";  // created on demand
  const Data d = Toy();
  auto first = LinearClassifier::TrainCached(d.x, d.y, 4, 4.0, {}, cache);
  ASSERT_TRUE(first);
  const std::vector<std::string> files = Files(cache);
  ASSERT_EQ(files.size(), 1u);
  // The same data: the cached file is read, not trained again. Another
  // valid model put under its name proves it: that model comes back.
  const std::string file = cache + "/" + files[0];
  auto other = LinearClassifier::Train(d.x, d.y, 4, 0.01);
  ASSERT_TRUE(other);
  ASSERT_TRUE(other->Save(file));
  auto second = LinearClassifier::TrainCached(d.x, d.y, 4, 4.0, {}, cache);
  ASSERT_TRUE(second);
  EXPECT_EQ(second->Predict(d.x[0]), other->Predict(d.x[0]));
  EXPECT_NE(second->Predict(d.x[0]), first->Predict(d.x[0]));
  // A file that is no model: trained again, and rewritten.
  std::ofstream(file, std::ios::trunc) << "broken";
  auto third = LinearClassifier::TrainCached(d.x, d.y, 4, 4.0, {}, cache);
  ASSERT_TRUE(third);
  for (const SparseVector& v : d.x) EXPECT_EQ(third->Predict(v), first->Predict(v));
  EXPECT_TRUE(LinearClassifier::Load(file)) << "rewritten after training";
  // Other data, or another C: another file, and the old one is removed.
  const Data more = Toy(1);
  ASSERT_TRUE(LinearClassifier::TrainCached(more.x, more.y, 4, 4.0, {}, cache));
  std::vector<std::string> after = Files(cache);
  ASSERT_EQ(after.size(), 1u);
  EXPECT_NE(after[0], files[0]);
  ASSERT_TRUE(LinearClassifier::TrainCached(more.x, more.y, 4, 8.0, {}, cache));
  EXPECT_NE(Files(cache), after);
  // No cache directory: plain training.
  EXPECT_TRUE(LinearClassifier::TrainCached(d.x, d.y, 4, 4.0, {}, ""));
}

}  // namespace
}  // namespace yorisoi::text::internal
