// LIBLINEAR wrapper: feature hashes → dense 1-based indices (only features
// seen in training), a bias node, L2R_LR; the trained weights are kept as
// floats in our own table (LIBLINEAR's model is freed) and saved as a small
// binary file.
#include "text/classifier.h"

#include <linear.h>
#include <openssl/evp.h>
#include <unistd.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>

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

LinearClassifier::~LinearClassifier() = default;

namespace {

void Quiet(const char*) {}

// LIBLINEAR's stopping tolerance. 0.01: CV +0.1 %, training about 6 %
// longer (text/data/README.md).
constexpr double kEps = 0.02;

// Sorted, merged LIBLINEAR nodes for `x`; unknown features are dropped. The
// bias node and the terminator are appended.
std::vector<feature_node> Nodes(const SparseVector& x,
                                const std::vector<std::pair<uint64_t, int>>& index,
                                int bias_index) {
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
  std::vector<std::pair<uint64_t, int>> index;
  index.reserve(keys.size());
  for (size_t i = 0; i < keys.size(); ++i) index.push_back({keys[i], static_cast<int>(i) + 1});
  const int bias_index = static_cast<int>(keys.size()) + 1;

  std::vector<std::vector<feature_node>> rows;
  rows.reserve(x.size());
  for (const SparseVector& v : x) rows.push_back(Nodes(v, index, bias_index));
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
  param.eps = kEps;
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
  // Our own table, in our class order: LIBLINEAR's coefficient accessors
  // hide its layout (and the two-class case's single weight vector).
  const int nr_class = get_nr_class(m);
  std::vector<int> labels_out(static_cast<size_t>(nr_class));
  get_labels(m, labels_out.data());
  const size_t n = keys.size();
  out->keys_ = std::move(keys);
  out->w_.assign(n * static_cast<size_t>(classes), 0.0f);
  out->bias_.assign(static_cast<size_t>(classes), 0.0f);
  out->seen_.assign(static_cast<size_t>(classes), 0);
  for (int li = 0; li < nr_class; ++li) {
    const int k = labels_out[static_cast<size_t>(li)];
    if (k < 0 || k >= classes) continue;
    out->seen_[static_cast<size_t>(k)] = 1;
    out->bias_[static_cast<size_t>(k)] = static_cast<float>(get_decfun_bias(m, li));
    for (size_t j = 0; j < n; ++j)
      out->w_[j * static_cast<size_t>(classes) + static_cast<size_t>(k)] =
          static_cast<float>(get_decfun_coef(m, static_cast<int>(j) + 1, li));
  }
  free_and_destroy_model(&m);
  return out;
}

std::vector<double> LinearClassifier::Predict(const SparseVector& x) const {
  const size_t k_n = static_cast<size_t>(classes_);
  std::vector<double> dec(bias_.begin(), bias_.end());
  for (const auto& [key, value] : x) {
    auto it = std::lower_bound(keys_.begin(), keys_.end(), key);
    if (it == keys_.end() || *it != key) continue;
    const float* row = w_.data() + static_cast<size_t>(it - keys_.begin()) * k_n;
    for (size_t k = 0; k < k_n; ++k) dec[k] += static_cast<double>(row[k]) * value;
  }
  std::vector<double> probs(k_n, 0.0);
  double sum = 0;
  for (size_t k = 0; k < k_n; ++k) {
    if (!seen_[k]) continue;
    probs[k] = 1.0 / (1.0 + std::exp(-dec[k]));
    sum += probs[k];
  }
  if (sum > 0)
    for (double& v : probs) v /= sum;
  return probs;
}

namespace {

constexpr char kMagic[8] = {'Y', 'R', 'S', 'L', 'R', 'v', '1', '\n'};

template <typename T>
void Put(std::ofstream& out, const std::vector<T>& v) {
  out.write(reinterpret_cast<const char*>(v.data()),
            static_cast<std::streamsize>(v.size() * sizeof(T)));
}

template <typename T>
bool Get(std::ifstream& in, std::vector<T>& v, size_t count) {
  v.resize(count);
  in.read(reinterpret_cast<char*>(v.data()), static_cast<std::streamsize>(count * sizeof(T)));
  return static_cast<size_t>(in.gcount()) == count * sizeof(T);
}

}  // namespace

// Layout (host byte order: the file is a cache on this machine): magic,
// uint64 classes, uint64 features, keys, seen, bias, weights.
bool LinearClassifier::Save(const std::string& path) const {
  // One temporary file per process: two starts sharing data/ never write
  // into the same one.
  const std::string tmp = path + ".tmp." + std::to_string(::getpid());
  {
    std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
    if (!out) return false;
    out.write(kMagic, sizeof kMagic);
    const uint64_t header[2] = {static_cast<uint64_t>(classes_), keys_.size()};
    out.write(reinterpret_cast<const char*>(header), sizeof header);
    Put(out, keys_);
    Put(out, seen_);
    Put(out, bias_);
    Put(out, w_);
    out.flush();
    if (!out) return false;
  }
  std::error_code ec;
  std::filesystem::rename(tmp, path, ec);
  if (ec) std::filesystem::remove(tmp, ec);
  return !ec;
}

std::unique_ptr<LinearClassifier> LinearClassifier::Load(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return nullptr;
  char magic[sizeof kMagic];
  uint64_t header[2];
  if (!in.read(magic, sizeof magic) || std::memcmp(magic, kMagic, sizeof kMagic) != 0)
    return nullptr;
  if (!in.read(reinterpret_cast<char*>(header), sizeof header)) return nullptr;
  const uint64_t classes = header[0];
  const uint64_t features = header[1];
  // Bounds before allocating: a damaged header must not ask for gigabytes.
  if (classes < 2 || classes > 4096 || features > (uint64_t{1} << 26)) return nullptr;
  std::unique_ptr<LinearClassifier> c(new LinearClassifier());
  c->classes_ = static_cast<int>(classes);
  if (!Get(in, c->keys_, features) || !Get(in, c->seen_, classes) || !Get(in, c->bias_, classes) ||
      !Get(in, c->w_, features * classes))
    return nullptr;
  if (in.peek() != std::char_traits<char>::eof()) return nullptr;  // trailing bytes
  if (!std::is_sorted(c->keys_.begin(), c->keys_.end())) return nullptr;
  return c;
}

namespace {

// Hex SHA-256 of the training inputs; "" when OpenSSL fails.
std::string TrainingDigest(const std::vector<SparseVector>& x, const std::vector<int>& y,
                           int classes, double c, const std::vector<double>& weights) {
  std::unique_ptr<EVP_MD_CTX, decltype(&EVP_MD_CTX_free)> ctx(EVP_MD_CTX_new(), EVP_MD_CTX_free);
  if (!ctx || EVP_DigestInit_ex(ctx.get(), EVP_sha256(), nullptr) != 1) return "";
  auto add = [&](const void* p, size_t n) { EVP_DigestUpdate(ctx.get(), p, n); };
  const char solver[] = "L2R_LR bias 1 v1";
  add(solver, sizeof solver);
  add(&kEps, sizeof kEps);
  add(&classes, sizeof classes);
  add(&c, sizeof c);
  add(weights.data(), weights.size() * sizeof(double));
  add(y.data(), y.size() * sizeof(int));
  for (const SparseVector& v : x) {
    const uint64_t size = v.size();
    add(&size, sizeof size);
    add(v.data(), v.size() * sizeof(v[0]));
  }
  unsigned char md[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  if (EVP_DigestFinal_ex(ctx.get(), md, &len) != 1) return "";
  static const char kHex[] = "0123456789abcdef";
  std::string hex;
  for (unsigned int i = 0; i < len; ++i) {
    hex.push_back(kHex[md[i] >> 4]);
    hex.push_back(kHex[md[i] & 15]);
  }
  return hex;
}

}  // namespace

std::unique_ptr<LinearClassifier> LinearClassifier::TrainCached(const std::vector<SparseVector>& x,
                                                                const std::vector<int>& y,
                                                                int classes, double c,
                                                                const std::vector<double>& weights,
                                                                const std::string& cache_dir) {
  const std::string digest = cache_dir.empty() ? "" : TrainingDigest(x, y, classes, c, weights);
  if (digest.empty()) return Train(x, y, classes, c, weights);
  namespace fs = std::filesystem;
  const fs::path file = fs::path(cache_dir) / ("classifier-" + digest.substr(0, 32) + ".bin");
  if (auto cached = Load(file.string()); cached && cached->classes_ == classes) return cached;
  std::unique_ptr<LinearClassifier> trained = Train(x, y, classes, c, weights);
  if (!trained) return nullptr;
  std::error_code ec;
  fs::create_directories(cache_dir, ec);
  if (trained->Save(file.string())) {
    // Models of earlier corpora are of no further use.
    for (fs::directory_iterator it(cache_dir, ec), end; !ec && it != end; it.increment(ec)) {
      const std::string name = it->path().filename().string();
      if (name.rfind("classifier-", 0) == 0 && it->path() != file) fs::remove(it->path(), ec);
    }
  }
  return trained;
}

}  // namespace yorisoi::text::internal
