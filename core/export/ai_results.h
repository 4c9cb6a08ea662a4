#pragma once
// The AI results of one series as the exporters need them (screenshot scores box, DICOM SR, study report): plain
// values, independent of the inference engine, which the app maps into this struct. Also readable from a JSON file
// so the CLI can export results computed earlier.
//
// JSON (format "lunglens-ai-results", version 1):
//   {"format": "lunglens-ai-results", "version": 1, "study_uid": "...", "series_uid": "...",
//    "model": {"name": "...", "version": "...", "provenance": "...", "trained_on_synthetic": true},
//    "classes": ["covid", "pneumonia", "normal"], "manifestation_classes": ["ggo", "consolidation", "fibrosis"],
//    "slices": [{"index": 0, "sop_instance_uid": "...", "probabilities": [..], "manifestation": [..]}, ...],
//    "verdict": {"class": "covid", "numbers": {"suspicious_slices": 12, ...}, "rule": "...", "flagged_slices": [..]},
//    "ood": {"guarded": true, "scored_slices": 40, "flagged_slices": 38, "out_of_distribution": true,
//            "shown_anyway": false}}          (optional; slices may carry "ood_score" and "out_of_distribution")
#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/inference/ood_guard.h"

namespace lunglens::core::exporting {

struct ModelInfo {
  std::string name, version;
  std::string provenance;            // where the weights come from (training data, date, bundle hash)
  bool trained_on_synthetic = true;  // the demo models are trained on synthetic phantoms: say so everywhere
};

struct SliceScores {
  int index = 0;                     // slice index in the series (core::dicom order)
  std::string sop_instance_uid;
  std::vector<double> probabilities;   // by AiResults::classes
  std::vector<double> manifestation;   // by AiResults::manifestation_classes; empty when not computed
  std::optional<double> ood_score{};   // the diagnosis model's OOD guard score; absent without a guard
  bool out_of_distribution = false;    // that score is over the guard's threshold
};

struct StudyVerdict {
  std::string class_name;                // one of AiResults::classes, or empty when there is no verdict
  std::map<std::string, double> numbers;  // what the verdict rests on (e.g. "suspicious_slices": 12)
  std::string rule;                       // the rule in words
  std::vector<int> flagged_slices;        // slice indices the verdict points at; empty = use suspiciousSlices()
};

struct AiResults {
  std::string study_uid, series_uid;
  ModelInfo model;
  std::vector<std::string> classes;                // e.g. covid, pneumonia, normal
  std::vector<std::string> manifestation_classes;  // e.g. ggo, consolidation, fibrosis
  std::vector<SliceScores> slices;                 // in slice order; slices not scored are absent
  StudyVerdict verdict;
  inference::OodSummary ood;  // the guard over the series' lung slices (ood_guard.h)
  bool shown_anyway = false;  // the reader asked for the scores of an out-of-distribution series (warning kept)

  // The series is unlike the model's training data and the reader did not ask to see it anyway: exports show the
  // warning in place of the verdict, the flagged slices and the score bars.
  bool withheld() const { return ood.out_of_distribution && !shown_anyway; }
  const SliceScores* slice(int index) const;
  // The class with the highest probability on a slice ("" when the slice has no scores).
  std::string topClass(const SliceScores& scores) const;
};

// Human-readable class names: "covid" -> "COVID-19", "pneumonia" -> "Other pneumonia", "ggo" -> "Ground-glass
// opacity", ...; anything unknown is returned unchanged.
std::string displayClassName(const std::string& name);

// The out-of-distribution warning every export prints when the series is out of distribution ("" otherwise):
// the headline ("scores withheld", or "shown anyway" when the reader chose so) and the counts.
std::string oodWarningText(const AiResults& results);

// None when the scores are withheld. Otherwise the flagged slices: verdict.flagged_slices when given, else the scored slices where some class is strictly more
// probable than "normal" (a tie is not a finding; without a "normal" class, none). Ascending indices.
std::vector<int> suspiciousSlices(const AiResults& results);

// The reading-aid disclaimer every export carries.
std::string disclaimerText(const ModelInfo& model);

nlohmann::json toJson(const AiResults& results);
// The "ood" object of both JSON forms (the classify output has the same fields, without shown_anyway).
nlohmann::json oodJson(const AiResults& results);
void readOodJson(const nlohmann::json& ood, AiResults& results, const std::string& context);
// Validates: probabilities per slice match the classes in count and lie in [0, 1]. Throws InputError with context.
AiResults aiResultsFromJson(const nlohmann::json& json, const std::string& context);
AiResults loadAiResultsFile(const std::filesystem::path& file);

// The JSON that `lunglens-cli classify` prints (series_uid, study_uid, diagnosis_model, manifestation_model, study,
// slices[{index, diagnosis{class: p}, manifestation{class: p} | null}]). Classes are ordered covid,
// other_pneumonia, normal / ggo, consolidation, fibrotic_streaks when those are the names, else alphabetically.
// The verdict's numbers are the per-class top-k means and counts over threshold; SOP instance UIDs are left empty
// (the classify output has none: fill them from the series). Throws InputError naming the field.
AiResults aiResultsFromClassifyJson(const nlohmann::json& json, const std::string& context);
// Either format, told apart by its fields.
AiResults loadAnyAiResultsFile(const std::filesystem::path& file);

}  // namespace lunglens::core::exporting
