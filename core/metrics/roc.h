#pragma once
// ROC curves and the area under them for one binary question (positive class vs the rest).
#include <vector>

namespace lunglens::core::metrics {

struct RocPoint {
  double threshold;  // score at or above which a case is called positive
  double fpr;        // 1 - specificity
  double tpr;        // sensitivity
};

// Area under the ROC curve as the Mann-Whitney statistic: the chance that a random positive scores above a random
// negative, ties counting one half. Returns NaN when either class is absent.
double rocAuc(const std::vector<double>& scores, const std::vector<bool>& positive);

// The curve from (0,0) to (1,1), one point per distinct score (tied scores move both rates at once).
std::vector<RocPoint> rocCurve(const std::vector<double>& scores, const std::vector<bool>& positive);

}  // namespace lunglens::core::metrics
