// Fitting the OOD guard (ood_guard.h). LibTorch does the linear algebra in double precision.
#include <algorithm>
#include <cmath>

#include <torch/torch.h>

#include "core/common/error.h"
#include "core/inference/ood_guard.h"

namespace lunglens::core::inference {

OodGuard fitOodGuard(const std::vector<float>& train, const std::vector<int>& labels,
                     const std::vector<float>& validation, int dim, const std::vector<std::string>& classes,
                     double quantile, double shrinkage) {
  const std::string ctx = "OOD guard";
  if (dim <= 0) throw InputError(ctx, "feature length must be positive");
  const int64_t n = static_cast<int64_t>(labels.size());
  if (static_cast<int64_t>(train.size()) != n * dim) throw InternalError("OOD fit: train rows and labels differ");
  const int64_t nv = static_cast<int64_t>(validation.size()) / dim;
  if (nv < 1) throw InputError(ctx, "no validation slices to choose the threshold on");
  if (quantile <= 0.5 || quantile >= 1.0) throw InputError(ctx, "threshold quantile must be in (0.5, 1)");

  const auto opts = torch::TensorOptions().dtype(torch::kFloat64);
  const at::Tensor x = torch::from_blob(const_cast<float*>(train.data()), {n, dim}, torch::kFloat32).to(torch::kFloat64);
  OodGuard g;
  g.dim = dim;
  g.classes = classes;
  g.shrinkage = shrinkage;
  g.threshold_quantile = quantile;
  g.training_slices = static_cast<int>(n);
  g.validation_slices = static_cast<int>(nv);

  // Class means (classes without training rows are left out: they have no distribution to compare with) and
  // the shared covariance of the rows around their own class mean.
  at::Tensor centred = torch::empty({n, dim}, opts);
  std::vector<std::string> kept;
  for (int c = 0; c < static_cast<int>(classes.size()); ++c) {
    std::vector<int64_t> rows;
    for (int64_t i = 0; i < n; ++i)
      if (labels[static_cast<std::size_t>(i)] == c) rows.push_back(i);
    if (rows.empty()) continue;
    if (rows.size() < 2) throw InputError(ctx, "class '" + classes[static_cast<std::size_t>(c)] + "' has one slice");
    const at::Tensor idx = torch::tensor(rows, torch::kInt64);
    const at::Tensor xc = x.index_select(0, idx);
    const at::Tensor mean = xc.mean(0);
    centred.index_copy_(0, idx, xc - mean);
    const at::Tensor mf = mean.to(torch::kFloat32).contiguous();
    g.means.emplace_back(mf.data_ptr<float>(), mf.data_ptr<float>() + dim);
    kept.push_back(classes[static_cast<std::size_t>(c)]);
  }
  if (g.means.empty()) throw InputError(ctx, "no training slices");
  g.classes = kept;
  at::Tensor cov = centred.t().mm(centred) / static_cast<double>(std::max<int64_t>(n - 1, 1));
  // Shrinkage towards a scaled identity keeps the inverse stable when features outnumber slices or are collinear.
  const double avg_var = cov.diagonal().mean().item<double>();
  cov = (1.0 - shrinkage) * cov + shrinkage * std::max(avg_var, 1e-12) * torch::eye(dim, opts);
  const at::Tensor precision = torch::linalg_inv(cov).to(torch::kFloat32).contiguous();
  g.precision.assign(precision.data_ptr<float>(), precision.data_ptr<float>() + dim * dim);

  std::vector<double> scores(static_cast<std::size_t>(nv));
  for (int64_t i = 0; i < nv; ++i) scores[static_cast<std::size_t>(i)] = g.score(validation.data() + i * dim);
  std::vector<double> sorted = scores;
  std::sort(sorted.begin(), sorted.end());
  // Linear interpolation between order statistics (numpy's default quantile).
  const double pos = quantile * static_cast<double>(nv - 1);
  const auto lo = static_cast<std::size_t>(std::floor(pos));
  const std::size_t hi = std::min(lo + 1, sorted.size() - 1);
  g.threshold = sorted[lo] + (pos - static_cast<double>(lo)) * (sorted[hi] - sorted[lo]);
  if (!(g.threshold > 0) || !std::isfinite(g.threshold)) throw InputError(ctx, "validation scores are degenerate");
  int flagged = 0;
  for (double s : scores) flagged += g.outOfDistribution(s) ? 1 : 0;
  g.validation_flag_rate = static_cast<double>(flagged) / static_cast<double>(nv);
  return g;
}

}  // namespace lunglens::core::inference
