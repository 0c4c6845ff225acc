// LIBLINEAR wrapper: feature hashes → dense 1-based indices (only features
// seen in training), a bias node, L2R_LR, predict_probability.
#include "text/classifier.h"

#include <linear.h>

#include <algorithm>
#include <cmath>
#include <unordered_map>

namespace yorisoi::text::internal {

uint64_t FeatureKey(std::string_view tag, std::string_view name) {
  uint64_t h = 1469598103934665603ULL;
  auto mix = [&](std::string_view s) {
    for (unsigned char c : s) {
      h ^= c;
      h *= 1099511628211ULL;
    }
  };
  mix(tag);
  h ^= 0xFF;
  h *= 1099511628211ULL;
  mix(name);
  return h;
}

void LinearClassifier::ModelDeleter::operator()(void* m) const {
  model* p = static_cast<model*>(m);
  free_and_destroy_model(&p);
}

LinearClassifier::~LinearClassifier() = default;

namespace {

void Quiet(const char*) {}

// Sorted, merged LIBLINEAR nodes for `x`; unknown features are dropped. The
// bias node and the terminator are appended.
std::vector<feature_node> Nodes(const SparseVector& x,
                                const std::vector<std::pair<uint64_t, int>>& index, int bias_index) {
  std::vector<feature_node> nodes;
  nodes.reserve(x.size() + 2);
  for (const auto& [key, value] : x) {
    auto it = std::lower_bound(index.begin(), index.end(), std::make_pair(key, 0),
                               [](const auto& a, const auto& b) { return a.first < b.first; });
    if (it == index.end() || it->first != key) continue;
    nodes.push_back({it->second, value});
  }
  std::sort(nodes.begin(), nodes.end(),
            [](const feature_node& a, const feature_node& b) { return a.index < b.index; });
  std::vector<feature_node> merged;
  merged.reserve(nodes.size() + 2);
  for (const feature_node& n : nodes) {
    if (!merged.empty() && merged.back().index == n.index) {
      merged.back().value += n.value;
    } else {
      merged.push_back(n);
    }
  }
  merged.push_back({bias_index, 1.0});
  merged.push_back({-1, 0.0});
  return merged;
}

}  // namespace

std::unique_ptr<LinearClassifier> LinearClassifier::Train(const std::vector<SparseVector>& x,
                                                          const std::vector<int>& y, int classes,
                                                          double c,
                                                          const std::vector<double>& weights) {
  if (x.empty() || x.size() != y.size() || classes < 2) return nullptr;
  set_print_string_function(&Quiet);
  std::unique_ptr<LinearClassifier> out(new LinearClassifier());
  out->classes_ = classes;
  // Feature indices in order of the sorted keys: independent of example order.
  std::vector<uint64_t> keys;
  for (const SparseVector& v : x)
    for (const auto& [k, value] : v) keys.push_back(k);
  std::sort(keys.begin(), keys.end());
  keys.erase(std::unique(keys.begin(), keys.end()), keys.end());
  out->index_.reserve(keys.size());
  for (size_t i = 0; i < keys.size(); ++i) out->index_.push_back({keys[i], static_cast<int>(i) + 1});
  const int bias_index = static_cast<int>(keys.size()) + 1;

  std::vector<std::vector<feature_node>> rows;
  rows.reserve(x.size());
  for (const SparseVector& v : x) rows.push_back(Nodes(v, out->index_, bias_index));
  std::vector<feature_node*> row_ptrs;
  std::vector<double> labels;
  for (size_t i = 0; i < rows.size(); ++i) {
    row_ptrs.push_back(rows[i].data());
    labels.push_back(static_cast<double>(y[i]));
  }
  problem prob{};
  prob.l = static_cast<int>(rows.size());
  prob.n = bias_index;
  prob.y = labels.data();
  prob.x = row_ptrs.data();
  prob.bias = 1.0;
  parameter param{};
  param.solver_type = L2R_LR;
  param.eps = 0.02;  // 0.01: CV +0.1 %, training 1.6× as long (text/data/README.md)
  param.C = c;
  std::vector<int> weight_label;
  std::vector<double> weight;
  if (static_cast<int>(weights.size()) == classes) {
    for (int k = 0; k < classes; ++k) {
      weight_label.push_back(k);
      weight.push_back(weights[static_cast<size_t>(k)]);
    }
  }
  param.nr_weight = static_cast<int>(weight.size());
  param.weight_label = weight_label.empty() ? nullptr : weight_label.data();
  param.weight = weight.empty() ? nullptr : weight.data();
  param.p = 0.1;
  param.init_sol = nullptr;
  if (check_parameter(&prob, &param) != nullptr) return nullptr;
  model* m = train(&prob, &param);
  if (m == nullptr) return nullptr;
  out->model_.reset(m);
  // The model's rows may hold fewer features than we indexed only if the last
  // ones never occur; LIBLINEAR sets nr_feature = prob.n - 1 with a bias.
  out->label_to_class_.assign(static_cast<size_t>(get_nr_class(m)), 0);
  std::vector<int> labels_out(static_cast<size_t>(get_nr_class(m)));
  get_labels(m, labels_out.data());
  for (size_t i = 0; i < labels_out.size(); ++i) out->label_to_class_[i] = labels_out[i];
  return out;
}

std::vector<double> LinearClassifier::Predict(const SparseVector& x) const {
  std::vector<double> probs(static_cast<size_t>(classes_), 0.0);
  const model* m = static_cast<const model*>(model_.get());
  const int bias_index = static_cast<int>(index_.size()) + 1;
  std::vector<feature_node> nodes = Nodes(x, index_, bias_index);
  std::vector<double> p(label_to_class_.size(), 0.0);
  predict_probability(m, nodes.data(), p.data());
  double sum = 0;
  for (size_t i = 0; i < p.size(); ++i) {
    probs[static_cast<size_t>(label_to_class_[i])] = p[i];
    sum += p[i];
  }
  if (sum > 0)
    for (double& v : probs) v /= sum;
  return probs;
}

}  // namespace yorisoi::text::internal
