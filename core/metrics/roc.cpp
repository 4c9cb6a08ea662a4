#include "core/metrics/roc.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>

#include "core/common/error.h"

namespace lunglens::core::metrics {

static std::vector<std::size_t> orderByScoreDescending(const std::vector<double>& scores) {
  std::vector<std::size_t> order(scores.size());
  std::iota(order.begin(), order.end(), 0);
  std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) { return scores[a] > scores[b]; });
  return order;
}

double rocAuc(const std::vector<double>& scores, const std::vector<bool>& positive) {
  if (scores.size() != positive.size()) throw InternalError("rocAuc: scores and labels differ in length");
  // Rank-sum with midranks for ties (ascending ranks, 1-based).
  std::vector<std::size_t> order(scores.size());
  std::iota(order.begin(), order.end(), 0);
  std::sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) { return scores[a] < scores[b]; });
  double positiveRankSum = 0.0;
  std::size_t nPos = 0;
  for (std::size_t i = 0; i < order.size();) {
    std::size_t j = i;
    while (j < order.size() && scores[order[j]] == scores[order[i]]) ++j;
    const double midrank = (static_cast<double>(i + 1) + static_cast<double>(j)) / 2.0;
    for (std::size_t k = i; k < j; ++k) {
      if (positive[order[k]]) {
        positiveRankSum += midrank;
        ++nPos;
      }
    }
    i = j;
  }
  const std::size_t nNeg = scores.size() - nPos;
  if (nPos == 0 || nNeg == 0) return std::numeric_limits<double>::quiet_NaN();
  const double u = positiveRankSum - static_cast<double>(nPos) * static_cast<double>(nPos + 1) / 2.0;
  return u / (static_cast<double>(nPos) * static_cast<double>(nNeg));
}

std::vector<RocPoint> rocCurve(const std::vector<double>& scores, const std::vector<bool>& positive) {
  if (scores.size() != positive.size()) throw InternalError("rocCurve: scores and labels differ in length");
  const auto nPos = static_cast<double>(std::count(positive.begin(), positive.end(), true));
  const double nNeg = static_cast<double>(positive.size()) - nPos;
  std::vector<RocPoint> curve{{std::numeric_limits<double>::infinity(), 0.0, 0.0}};
  if (nPos == 0 || nNeg == 0) return curve;
  const auto order = orderByScoreDescending(scores);
  double tp = 0, fp = 0;
  for (std::size_t i = 0; i < order.size();) {
    const double s = scores[order[i]];
    while (i < order.size() && scores[order[i]] == s) {
      positive[order[i]] ? ++tp : ++fp;
      ++i;
    }
    curve.push_back({s, fp / nNeg, tp / nPos});
  }
  return curve;
}

}  // namespace lunglens::core::metrics
