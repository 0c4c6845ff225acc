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
  // Train, through a cache: the model is kept in `cache_dir` under a name
  // derived from the SHA-256 of everything training reads (features, labels,
  // C, weights, solver settings), loaded from there when present, and saved
  // there after training (other models in `cache_dir` are removed). An empty
  // `cache_dir`, or a cache that cannot be read or written, means plain
  // training: the result is the same model either way.
  static std::unique_ptr<LinearClassifier> TrainCached(const std::vector<SparseVector>& x,
                                                       const std::vector<int>& y, int classes,
                                                       double c, const std::vector<double>& weights,
                                                       const std::string& cache_dir);
  // Writes the model to `path` (through a temporary file and a rename, so a reader
  // never sees half a file). False on an I/O error.
  bool Save(const std::string& path) const;
  // The model Save wrote, or null when the file is missing, truncated or not
  // such a model (the caller then trains).
  static std::unique_ptr<LinearClassifier> Load(const std::string& path);
  ~LinearClassifier();
  // Class probabilities (size = classes), summing to 1: one-vs-rest logistic
  // outputs of the classes seen in training, normalized (as LIBLINEAR's
  // predict_probability).
  std::vector<double> Predict(const SparseVector& x) const;
  int classes() const { return classes_; }
  size_t features() const { return keys_.size(); }

 private:
  LinearClassifier() = default;
  int classes_ = 0;
  std::vector<uint64_t> keys_;  // sorted feature keys; feature j is keys_[j]
  std::vector<float> w_;        // keys_.size() × classes_, row-major
  std::vector<float> bias_;     // per class
  std::vector<uint8_t> seen_;   // per class: 1 when it had training examples
};

}  // namespace yorisoi::text::internal
