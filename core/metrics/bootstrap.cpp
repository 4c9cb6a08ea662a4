// 95% percentile bootstrap intervals for every headline number of a classification report.
#include <algorithm>
#include <cmath>
#include <map>
#include <random>

#include "core/metrics/classification_report.h"

namespace lunglens::core::metrics {

// Resampling units: all cases of one subject form one unit; cases without a subject id are units of their own.
static std::vector<std::vector<std::size_t>> resamplingUnits(const std::vector<Prediction>& cases, bool& bySubject) {
  std::map<std::string, std::vector<std::size_t>> bySubjectId;
  std::vector<std::vector<std::size_t>> units;
  for (std::size_t i = 0; i < cases.size(); ++i) {
    if (cases[i].subject_id.empty()) units.push_back({i});
    else bySubjectId[cases[i].subject_id].push_back(i);
  }
  bySubject = !bySubjectId.empty();
  for (auto& [id, members] : bySubjectId) units.push_back(std::move(members));
  return units;
}

static double percentile(std::vector<double> values, double q) {
  values.erase(std::remove_if(values.begin(), values.end(), [](double v) { return std::isnan(v); }), values.end());
  if (values.empty()) return std::nan("");
  std::sort(values.begin(), values.end());
  const double pos = q * static_cast<double>(values.size() - 1);
  const auto lo = static_cast<std::size_t>(std::floor(pos));
  const auto hi = std::min(lo + 1, values.size() - 1);
  return values[lo] + (pos - static_cast<double>(lo)) * (values[hi] - values[lo]);
}

ClassificationReport evaluate(const std::vector<std::string>& classes, const std::vector<Prediction>& cases,
                              const EvaluateOptions& options) {
  ClassificationReport report = evaluatePoint(classes, cases, options);
  if (options.bootstrap_iterations <= 0 || cases.empty()) return report;

  bool bySubject = false;
  const auto units = resamplingUnits(cases, bySubject);
  std::mt19937_64 rng(options.seed);
  std::uniform_int_distribution<std::size_t> pick(0, units.size() - 1);
  std::map<std::string, std::vector<double>> samples;
  std::vector<Prediction> resample;
  for (int it = 0; it < options.bootstrap_iterations; ++it) {
    resample.clear();
    for (std::size_t u = 0; u < units.size(); ++u) {
      for (std::size_t i : units[pick(rng)]) resample.push_back(cases[i]);
    }
    const auto values = scalars(evaluatePoint(classes, resample, options));
    for (const auto& [name, v] : values) samples[name].push_back(v);
  }
  for (auto& [name, v] : samples) report.ci95[name] = {percentile(v, 0.025), percentile(v, 0.975)};
  report.bootstrap_iterations = options.bootstrap_iterations;
  report.bootstrap_unit = bySubject ? "subject" : "case";
  return report;
}

}  // namespace lunglens::core::metrics
