#pragma once
// Predictions as CSV, the exchange format between `evaluate`, `classify` and `metrics`:
//   subject_id,label,p_<class1>,p_<class2>,...[,slice_index][,study_label]
// `label` and `study_label` are class names; the class list is read from the p_ columns, in order.
#include <filesystem>
#include <functional>
#include <string>
#include <vector>

#include "core/metrics/classification_report.h"

namespace lunglens::core::metrics {

struct PredictionTable {
  std::vector<std::string> classes;
  std::vector<Prediction> rows;
};

// Throws InputError naming the file and line for anything malformed.
PredictionTable readPredictionsCsv(const std::filesystem::path& file);
std::string toPredictionsCsv(const PredictionTable& table);

// Study rule: slice probabilities of one subject -> the subject's probabilities (the inference engine's rule).
using StudyRule = std::function<std::vector<double>(const std::vector<std::vector<double>>& sliceProbabilities)>;

// One row per subject. The subject's label is its study_label when given, else the most frequent non-`normal`
// slice label (a subject with any finding is not normal), else `normal`.
std::vector<Prediction> aggregateBySubject(const PredictionTable& slices, const StudyRule& rule,
                                           const std::string& normalClass = "normal");

}  // namespace lunglens::core::metrics
