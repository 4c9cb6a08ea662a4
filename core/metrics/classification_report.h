#pragma once
// Evaluation as the paper reports it, and more: accuracy, per-class sensitivity / specificity / precision / F1,
// one-vs-rest AUC and their macro mean, the confusion matrix, and a positive-class-vs-rest summary (COVID-19 vs
// the rest), each with a 95% bootstrap confidence interval.
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "core/metrics/roc.h"

namespace lunglens::core::metrics {

struct Prediction {
  std::string subject_id;
  int label = 0;                     // index into the class list
  std::vector<double> probabilities;  // one per class, summing to ~1
  int slice_index = -1;               // -1 for subject-level rows
  std::string study_label;            // optional: the subject's own label (for subject-level aggregation)
  int predicted() const;              // the class with the highest probability (the first on a tie)
};

struct ClassStats {
  std::string name;
  int support = 0;  // cases whose true label is this class
  double sensitivity = 0, specificity = 0, precision = 0, f1 = 0, auc = 0;
};

struct BinaryStats {
  std::string positive_class;
  double threshold = 0.5;  // positive when p(positive class) >= threshold
  int tp = 0, fp = 0, tn = 0, fn = 0;
  double sensitivity = 0, specificity = 0, accuracy = 0, auc = 0;
  std::vector<RocPoint> roc;
};

struct Interval {
  double low = 0, high = 0;
};

struct ClassificationReport {
  std::vector<std::string> classes;
  int n = 0;
  double accuracy = 0;  // argmax prediction against the label
  std::vector<ClassStats> per_class;
  double macro_auc = 0;
  std::vector<std::vector<int>> confusion;  // [true class][predicted class]
  std::optional<BinaryStats> positive_vs_rest;
  std::map<std::string, Interval> ci95;  // keyed like scalars(): "accuracy", "macro_auc", "covid.sensitivity", ...
  int bootstrap_iterations = 0;
  std::string bootstrap_unit;  // "subject" (clusters resampled) or "case"
};

struct EvaluateOptions {
  std::string positive_class = "covid";  // for the vs-rest summary; skipped if not among the classes
  double threshold = 0.5;
  int bootstrap_iterations = 1000;  // 0 = no intervals
  unsigned seed = 20210101;
};

// Point estimates only (no intervals).
ClassificationReport evaluatePoint(const std::vector<std::string>& classes, const std::vector<Prediction>& cases,
                                   const EvaluateOptions& options);

// Point estimates plus 95% percentile bootstrap intervals. Cases of one subject are resampled together (slices of
// a subject are not independent); without subject ids each case is its own unit.
ClassificationReport evaluate(const std::vector<std::string>& classes, const std::vector<Prediction>& cases,
                              const EvaluateOptions& options = {});

// The report's headline numbers by name, the keys used for ci95.
std::map<std::string, double> scalars(const ClassificationReport& report);

}  // namespace lunglens::core::metrics
