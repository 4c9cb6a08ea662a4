#include "core/training/ood_fit.h"

#include <algorithm>

#include "core/common/error.h"
#include "core/inference/preprocess.h"

namespace lunglens::core::training {

std::vector<float> sliceFeatures(const inference::Model& model, const Dataset& data, int batch,
                                 const std::function<void(int, int)>& progress) {
  const std::size_t per = model.valuesPerImage();
  const std::size_t dim = static_cast<std::size_t>(model.featureLength());
  const int n = static_cast<int>(data.samples.size());
  std::vector<float> features(dim * static_cast<std::size_t>(n));
  std::vector<float> inputs, pooled;  // reused batch after batch
  for (int start = 0; start < n; start += batch) {
    const int count = std::min(batch, n - start);
    inputs.resize(per * static_cast<std::size_t>(count));
    for (int i = 0; i < count; ++i) {
      const HuSlice hu = loadHu(data.samples[static_cast<std::size_t>(start + i)]);
      inference::preprocessSlice(hu.hu.data(), hu.rows, hu.cols, model.manifest().input,
                                 inputs.data() + per * static_cast<std::size_t>(i));
    }
    model.predict(inputs.data(), count, &pooled);
    std::copy(pooled.begin(), pooled.end(), features.begin() + static_cast<std::ptrdiff_t>(dim * start));
    if (progress) progress(start + count, n);
  }
  return features;
}

inference::OodGuard fitBundleGuard(const inference::Model& model, const Dataset& train, const Dataset& validation,
                                   double quantile, const std::function<void(int, int)>& progress) {
  if (train.samples.empty()) throw InputError(model.dir().string(), "OOD guard: no training slices");
  if (validation.samples.empty()) throw InputError(model.dir().string(), "OOD guard: no validation slices");
  const int total = static_cast<int>(train.samples.size() + validation.samples.size());
  const int first = static_cast<int>(train.samples.size());
  const auto tf = sliceFeatures(model, train, 16, [&](int d, int) { if (progress) progress(d, total); });
  const auto vf = sliceFeatures(model, validation, 16, [&](int d, int) { if (progress) progress(first + d, total); });
  std::vector<int> labels;
  for (const auto& s : train.samples) labels.push_back(s.label);
  inference::OodGuard g =
      inference::fitOodGuard(tf, labels, vf, model.featureLength(), model.manifest().classes, quantile);
  g.model_sha256 = model.manifest().model_sha256;
  return g;
}

double flaggedFraction(const inference::OodGuard& guard, const std::vector<float>& features) {
  const std::size_t dim = static_cast<std::size_t>(guard.dim);
  const std::size_t n = features.size() / dim;
  if (n == 0) return 0.0;
  std::size_t flagged = 0;
  for (std::size_t i = 0; i < n; ++i) flagged += guard.outOfDistribution(guard.score(features.data() + i * dim));
  return static_cast<double>(flagged) / static_cast<double>(n);
}

}  // namespace lunglens::core::training
