#include "core/metrics/classification_report.h"

#include <algorithm>
#include <cmath>

#include "core/common/error.h"

namespace lunglens::core::metrics {

static double ratio(double num, double den) { return den > 0 ? num / den : std::nan(""); }

int Prediction::predicted() const {
  return static_cast<int>(std::max_element(probabilities.begin(), probabilities.end()) - probabilities.begin());
}

static void validate(const std::vector<std::string>& classes, const std::vector<Prediction>& cases) {
  if (classes.size() < 2) throw InputError("predictions", "need at least two classes");
  for (const auto& c : cases) {
    if (c.probabilities.size() != classes.size()) {
      throw InputError("predictions", "a row has " + std::to_string(c.probabilities.size()) + " probabilities for " +
                                          std::to_string(classes.size()) + " classes");
    }
    if (c.label < 0 || c.label >= static_cast<int>(classes.size())) throw InputError("predictions", "label out of range");
  }
}

static BinaryStats binaryStats(const std::string& name, int k, double threshold, const std::vector<Prediction>& cases) {
  BinaryStats b;
  b.positive_class = name;
  b.threshold = threshold;
  std::vector<double> scores;
  std::vector<bool> positive;
  for (const auto& c : cases) {
    const bool isPos = c.label == k;
    const bool calledPos = c.probabilities[static_cast<std::size_t>(k)] >= threshold;
    if (isPos && calledPos) ++b.tp;
    if (!isPos && calledPos) ++b.fp;
    if (!isPos && !calledPos) ++b.tn;
    if (isPos && !calledPos) ++b.fn;
    scores.push_back(c.probabilities[static_cast<std::size_t>(k)]);
    positive.push_back(isPos);
  }
  b.sensitivity = ratio(b.tp, b.tp + b.fn);
  b.specificity = ratio(b.tn, b.tn + b.fp);
  b.accuracy = ratio(b.tp + b.tn, static_cast<double>(cases.size()));
  b.auc = rocAuc(scores, positive);
  b.roc = rocCurve(scores, positive);
  return b;
}

ClassificationReport evaluatePoint(const std::vector<std::string>& classes, const std::vector<Prediction>& cases,
                                   const EvaluateOptions& options) {
  validate(classes, cases);
  const int k = static_cast<int>(classes.size());
  ClassificationReport r;
  r.classes = classes;
  r.n = static_cast<int>(cases.size());
  r.confusion.assign(static_cast<std::size_t>(k), std::vector<int>(static_cast<std::size_t>(k), 0));
  int correct = 0;
  for (const auto& c : cases) {
    const int predicted = c.predicted();
    r.confusion[static_cast<std::size_t>(c.label)][static_cast<std::size_t>(predicted)]++;
    correct += predicted == c.label;
  }
  r.accuracy = ratio(correct, r.n);

  double aucSum = 0;
  int aucCount = 0;
  for (int i = 0; i < k; ++i) {
    ClassStats s;
    s.name = classes[static_cast<std::size_t>(i)];
    double tp = 0, fp = 0, fn = 0, tn = 0;
    for (int t = 0; t < k; ++t) {
      for (int p = 0; p < k; ++p) {
        const double n = r.confusion[static_cast<std::size_t>(t)][static_cast<std::size_t>(p)];
        if (t == i && p == i) tp += n;
        else if (t == i) fn += n;
        else if (p == i) fp += n;
        else tn += n;
      }
    }
    s.support = static_cast<int>(tp + fn);
    s.sensitivity = ratio(tp, tp + fn);
    s.specificity = ratio(tn, tn + fp);
    s.precision = ratio(tp, tp + fp);
    s.f1 = ratio(2 * tp, 2 * tp + fp + fn);
    std::vector<double> scores;
    std::vector<bool> positive;
    for (const auto& c : cases) {
      scores.push_back(c.probabilities[static_cast<std::size_t>(i)]);
      positive.push_back(c.label == i);
    }
    s.auc = rocAuc(scores, positive);
    if (!std::isnan(s.auc)) {
      aucSum += s.auc;
      ++aucCount;
    }
    r.per_class.push_back(s);
  }
  r.macro_auc = aucCount ? aucSum / aucCount : std::nan("");

  const auto pos = std::find(classes.begin(), classes.end(), options.positive_class);
  if (pos != classes.end()) {
    r.positive_vs_rest = binaryStats(*pos, static_cast<int>(pos - classes.begin()), options.threshold, cases);
  }
  return r;
}

std::map<std::string, double> scalars(const ClassificationReport& r) {
  std::map<std::string, double> s{{"accuracy", r.accuracy}, {"macro_auc", r.macro_auc}};
  for (const auto& c : r.per_class) {
    s[c.name + ".sensitivity"] = c.sensitivity;
    s[c.name + ".specificity"] = c.specificity;
    s[c.name + ".precision"] = c.precision;
    s[c.name + ".f1"] = c.f1;
    s[c.name + ".auc"] = c.auc;
  }
  if (r.positive_vs_rest) {
    const auto& b = *r.positive_vs_rest;
    const std::string p = b.positive_class + "_vs_rest.";
    s[p + "sensitivity"] = b.sensitivity;
    s[p + "specificity"] = b.specificity;
    s[p + "accuracy"] = b.accuracy;
    s[p + "auc"] = b.auc;
  }
  return s;
}

}  // namespace lunglens::core::metrics
