// Private: a multi-class L2-regularized logistic regression (LIBLINEAR,
// solver L2R_LR) over sparse hashed features. Training is deterministic (the
// primal trust-region solver draws no random numbers; one thread) and
// prediction is thread-safe.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace yorisoi::text::internal {

// A feature: the 64-bit hash of its name and its value.
using SparseVector = std::vector<std::pair<uint64_t, double>>;

// FNV-1a of `tag` + `name`, so feature families never collide by accident.
uint64_t FeatureKey(std::string_view tag, std::string_view name);

class LinearClassifier {
 public:
  // `x[i]` has label `y[i]` in [0, classes). `c` is LIBLINEAR's C.
  // `weights` (empty, or one per class) scale each class's C.
  static std::unique_ptr<LinearClassifier> Train(const std::vector<SparseVector>& x,
                                                 const std::vector<int>& y, int classes, double c,
                                                 const std::vector<double>& weights = {});
  ~LinearClassifier();
  // Class probabilities (size = classes), summing to 1.
  std::vector<double> Predict(const SparseVector& x) const;
  int classes() const { return classes_; }
  size_t features() const { return index_.size(); }

 private:
  LinearClassifier() = default;
  std::vector<std::pair<uint64_t, int>> index_;  // sorted by key → LIBLINEAR index (1-based)
  struct ModelDeleter {
    void operator()(void* m) const;
  };
  std::unique_ptr<void, ModelDeleter> model_;
  int classes_ = 0;
  std::vector<int> label_to_class_;  // LIBLINEAR's label order → our class
};

}  // namespace yorisoi::text::internal
