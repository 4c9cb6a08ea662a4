#pragma once
// Evaluates a model bundle on labelled slices through the inference code path (core/inference: Model::load, the
// shared preprocessing, the study rule), so the numbers measure what users get. Used by `evaluate` and by `train`
// (which evaluates its bundle on the held-out test split and keeps the report in the bundle).
#include <filesystem>
#include <functional>
#include <string>

#include "core/metrics/classification_report.h"
#include "core/training/dataset.h"

namespace lunglens::cli {

struct BundleEvaluationOptions {
  std::string split_name = "test";  // only for titles and file names
  bool synthetic = false;           // the report carries the synthetic-data caveat
  int batch = 16;
  int bootstrap_iterations = 1000;
  std::function<void(int done, int total)> progress;
  // The data's name and licence (an imported dataset): written into report.md and report.json.
  std::string dataset_note;
  // Fills a sample's model input from a preprocessed cache (returns false to decode it instead); may be empty.
  std::function<bool(const core::training::SliceSample&, float*)> cached_input;
};

struct BundleEvaluation {
  core::metrics::ClassificationReport slice_level, subject_level;
  int slices = 0, subjects = 0;
  // The data's trace-finding slices (set aside by --min-finding-mm2), scored too: how many, how many of them the
  // model calls by their label, and the slice accuracy over every slice with them put back.
  int trace_slices = 0, trace_correct = 0;
  double accuracy_including_traces = 0.0;
  double ood_flagged_fraction = -1.0;  // share of slices the bundle's OOD guard flags; -1 without a guard
  std::string markdown;  // the report.md text
};

// Scores every slice of `data` with the bundle and writes into `out_dir` (created; files replaced):
//   predictions_<split>.csv          slice level (subject_id,label,p_<class>...,slice_index,study_label)
//   predictions_<split>_subjects.csv subject level (the study rule applied to each subject's slices)
//   report.json, report.md           both levels, 95% bootstrap CIs (subjects resampled as clusters)
//   roc_slice.png, roc_subject.png   one-vs-rest ROC curves
//   predictions_<split>_traces.csv   the trace-finding slices, if the data set any aside (not in the metrics above)
// Subject level aggregates every slice of the subject, trace slices included (the app's verdict sees them all).
// Subject probabilities: each class's study score (mean of its top-k slice probabilities, verdict.h); with a
// "normal" class, p(normal) = 1 - the highest disease score, so with thresholds of 0.5 the argmax is the study
// verdict. Throws InputError (naming the bundle or the slice) for anything unreadable.
BundleEvaluation evaluateBundle(const std::filesystem::path& bundle_dir, const core::training::Dataset& data,
                                const std::filesystem::path& out_dir, const BundleEvaluationOptions& options);

}  // namespace lunglens::cli
