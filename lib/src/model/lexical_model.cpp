#include "model/lexical_model.hpp"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <unordered_map>

namespace helpmark::model {

FeatureTable FeatureTable::from_examples(const std::vector<TextFeatures>& examples) {
  std::unordered_map<std::uint64_t, std::uint32_t> df;
  for (const auto& e : examples) {
    // Once per example (repeats are adjacent).
    for (const FeatureCounts* block : {&e.words, &e.chars})
      for (std::size_t i = 0; i < block->size(); ++i)
        if (i == 0 || (*block)[i] != (*block)[i - 1]) ++df[(*block)[i]];
  }
  FeatureTable t;
  t.hashes_.reserve(df.size());
  for (const auto& [h, n] : df) t.hashes_.push_back(h);
  std::sort(t.hashes_.begin(), t.hashes_.end());
  const double n = static_cast<double>(examples.size());
  t.idf_.reserve(t.hashes_.size());
  for (std::uint64_t h : t.hashes_)
    t.idf_.push_back(static_cast<float>(std::log((n + 1) / (df[h] + 1.0)) + 1.0));
  return t;
}

std::size_t FeatureTable::find(std::uint64_t hash) const {
  auto it = std::lower_bound(hashes_.begin(), hashes_.end(), hash);
  return it != hashes_.end() && *it == hash ? static_cast<std::size_t>(it - hashes_.begin()) : hashes_.size();
}

void FeatureTable::append_block(const FeatureCounts& counts, std::vector<std::pair<std::uint32_t, float>>& out) const {
  const std::size_t first = out.size();
  double norm = 0;
  for (std::size_t i = 0; i < counts.size();) {
    const std::uint64_t hash = counts[i];
    std::size_t count = 0;
    for (; i < counts.size() && counts[i] == hash; ++i) ++count;
    const std::size_t pos = find(hash);
    if (pos == hashes_.size()) continue;
    const double value = (1.0 + std::log(static_cast<double>(count))) * idf_[pos];
    out.emplace_back(static_cast<std::uint32_t>(pos), static_cast<float>(value));
    norm += value * value;
  }
  if (norm <= 0) return;
  const double scale = 1.0 / std::sqrt(norm);
  for (std::size_t i = first; i < out.size(); ++i) out[i].second = static_cast<float>(out[i].second * scale);
}

void FeatureTable::vectorize(const TextFeatures& features, std::vector<std::pair<std::uint32_t, float>>& out) const {
  out.clear();
  append_block(features.words, out);
  append_block(features.chars, out);
  std::sort(out.begin(), out.end());
}

LexicalModel::LexicalModel(std::vector<std::string> classes, FeatureTable table,
                           const std::vector<std::vector<std::pair<std::uint32_t, float>>>& weights,
                           std::vector<float> bias)
    : classes_(std::move(classes)), bias_(std::move(bias)), table_(std::move(table)) {
  bias_.resize(classes_.size(), 0.0f);
  // Transpose class-major weights into feature-major postings.
  std::vector<std::uint32_t> per_feature(table_.size() + 1, 0);
  for (std::size_t c = 0; c < weights.size() && c < classes_.size(); ++c)
    for (const auto& [f, w] : weights[c])
      if (f < table_.size()) ++per_feature[f + 1];
  for (std::size_t f = 0; f < table_.size(); ++f) per_feature[f + 1] += per_feature[f];
  posting_begin_ = per_feature;
  posting_class_.resize(posting_begin_.back());
  posting_weight_.resize(posting_begin_.back());
  std::vector<std::uint32_t> next(posting_begin_.begin(), posting_begin_.end() - 1);
  for (std::size_t c = 0; c < weights.size() && c < classes_.size(); ++c)
    for (const auto& [f, w] : weights[c]) {
      if (f >= table_.size()) continue;
      posting_class_[next[f]] = static_cast<std::uint32_t>(c);
      posting_weight_[next[f]++] = w;
    }
}

void LexicalModel::score(const TextFeatures& text, std::vector<float>& scores) const {
  scores.assign(bias_.begin(), bias_.end());
  std::vector<std::pair<std::uint32_t, float>> x;
  table_.vectorize(text, x);
  for (const auto& [f, value] : x)
    for (std::uint32_t p = posting_begin_[f]; p < posting_begin_[f + 1]; ++p)
      scores[posting_class_[p]] += value * posting_weight_[p];
}

namespace {

constexpr char kMagic[4] = {'H', 'M', 'L', 'M'};

class Writer {
 public:
  void bytes(const void* data, std::size_t n) { out_.append(static_cast<const char*>(data), n); }
  void u32(std::uint32_t v) {
    for (int b = 0; b < 4; ++b) out_ += static_cast<char>((v >> (8 * b)) & 0xff);
  }
  void u64(std::uint64_t v) {
    for (int b = 0; b < 8; ++b) out_ += static_cast<char>((v >> (8 * b)) & 0xff);
  }
  void f32(float v) {
    std::uint32_t bits;
    std::memcpy(&bits, &v, 4);
    u32(bits);
  }
  std::string take() { return std::move(out_); }

 private:
  std::string out_;
};

class Reader {
 public:
  explicit Reader(std::string_view data) : data_(data) {}
  bool ok() const { return ok_; }
  bool at_end() const { return pos_ == data_.size(); }
  std::uint32_t u32() {
    if (!need(4)) return 0;
    std::uint32_t v = 0;
    for (int b = 0; b < 4; ++b) v |= static_cast<std::uint32_t>(static_cast<unsigned char>(data_[pos_++])) << (8 * b);
    return v;
  }
  std::uint64_t u64() {
    if (!need(8)) return 0;
    std::uint64_t v = 0;
    for (int b = 0; b < 8; ++b) v |= static_cast<std::uint64_t>(static_cast<unsigned char>(data_[pos_++])) << (8 * b);
    return v;
  }
  float f32() {
    const std::uint32_t bits = u32();
    float v;
    std::memcpy(&v, &bits, 4);
    return v;
  }
  std::string_view bytes(std::size_t n) {
    if (!need(n)) return {};
    std::string_view v = data_.substr(pos_, n);
    pos_ += n;
    return v;
  }
  /// A count of items of `item_bytes` each that must fit in what is left.
  std::uint32_t count(std::size_t item_bytes) {
    const std::uint32_t n = u32();
    if (ok_ && static_cast<std::uint64_t>(n) * item_bytes > data_.size() - pos_) ok_ = false;
    return ok_ ? n : 0;
  }

 private:
  bool need(std::size_t n) {
    if (!ok_ || data_.size() - pos_ < n) ok_ = false;
    return ok_;
  }
  std::string_view data_;
  std::size_t pos_ = 0;
  bool ok_ = true;
};

}  // namespace

std::string LexicalModel::serialize() const {
  Writer w;
  w.bytes(kMagic, 4);
  w.u32(kFormatVersion);
  w.u32(static_cast<std::uint32_t>(classes_.size()));
  for (std::size_t c = 0; c < classes_.size(); ++c) {
    w.u32(static_cast<std::uint32_t>(classes_[c].size()));
    w.bytes(classes_[c].data(), classes_[c].size());
    w.f32(bias_[c]);
  }
  w.u32(static_cast<std::uint32_t>(table_.size()));
  for (std::size_t f = 0; f < table_.size(); ++f) {
    w.u64(table_.hashes_[f]);
    w.f32(table_.idf_[f]);
    w.u32(posting_begin_[f + 1] - posting_begin_[f]);
  }
  w.u32(static_cast<std::uint32_t>(posting_class_.size()));
  for (std::size_t p = 0; p < posting_class_.size(); ++p) {
    w.u32(posting_class_[p]);
    w.f32(posting_weight_[p]);
  }
  return w.take();
}

Result<LexicalModel> LexicalModel::deserialize(std::string_view data) {
  auto corrupt = [](const std::string& why) {
    return Status(ErrorCode::kCorrupt, "the index's lexical model is damaged (" + why + "); re-index with --retrain");
  };
  Reader r(data);
  if (r.bytes(4) != std::string_view(kMagic, 4)) return corrupt("no model header");
  if (std::uint32_t v = r.u32(); v != kFormatVersion)
    return corrupt("format " + std::to_string(v) + ", this helpmark reads " + std::to_string(kFormatVersion));
  LexicalModel m;
  const std::uint32_t n_classes = r.count(8);
  m.classes_.reserve(n_classes);
  m.bias_.reserve(n_classes);
  for (std::uint32_t c = 0; c < n_classes && r.ok(); ++c) {
    const std::uint32_t len = r.u32();
    m.classes_.emplace_back(r.bytes(len));
    m.bias_.push_back(r.f32());
    if (!std::isfinite(m.bias_.back())) return corrupt("a weight is not a number");
  }
  const std::uint32_t n_features = r.count(16);
  m.table_.hashes_.reserve(n_features);
  m.table_.idf_.reserve(n_features);
  m.posting_begin_.reserve(n_features + 1);
  m.posting_begin_.push_back(0);
  for (std::uint32_t f = 0; f < n_features && r.ok(); ++f) {
    const std::uint64_t h = r.u64();
    if (!m.table_.hashes_.empty() && h <= m.table_.hashes_.back()) return corrupt("features out of order");
    m.table_.hashes_.push_back(h);
    m.table_.idf_.push_back(r.f32());
    if (!std::isfinite(m.table_.idf_.back())) return corrupt("a weight is not a number");
    const std::uint64_t end = static_cast<std::uint64_t>(m.posting_begin_.back()) + r.u32();
    if (end > data.size()) return corrupt("more weights than bytes");
    m.posting_begin_.push_back(static_cast<std::uint32_t>(end));
  }
  const std::uint32_t n_postings = r.count(8);
  if (!r.ok() || n_postings != m.posting_begin_.back()) return corrupt("weights do not add up");
  m.posting_class_.reserve(n_postings);
  m.posting_weight_.reserve(n_postings);
  for (std::uint32_t p = 0; p < n_postings; ++p) {
    const std::uint32_t c = r.u32();
    if (c >= n_classes) return corrupt("a weight names no article");
    m.posting_class_.push_back(c);
    m.posting_weight_.push_back(r.f32());
    if (!std::isfinite(m.posting_weight_.back())) return corrupt("a weight is not a number");
  }
  if (!r.ok() || !r.at_end()) return corrupt("truncated or trailing bytes");
  return m;
}

}  // namespace helpmark::model
