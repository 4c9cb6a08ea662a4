#include "app/cli/bundle_evaluation.h"

#include <algorithm>
#include <cstdio>

#include "app/cli/roc_plot.h"
#include "core/common/error.h"
#include "core/common/paths.h"
#include "core/inference/model.h"
#include "core/inference/preprocess.h"
#include "core/inference/verdict.h"
#include "core/metrics/predictions_csv.h"
#include "core/metrics/report_writers.h"

namespace lunglens::cli {

namespace fs = std::filesystem;
namespace inf = core::inference;
namespace mt = core::metrics;

namespace {

// The slice-level table: every slice scored by the bundle, in the dataset's order.
// With an OOD guard, `ood_flags` (when given) gets one flag per slice: out of distribution or not.
mt::PredictionTable scoreSlices(const inf::Model& model, const core::training::Dataset& data,
                                const BundleEvaluationOptions& options, std::vector<bool>* ood_flags = nullptr) {
  const inf::OodGuard* guard = model.oodGuard();
  std::vector<float> features;
  const inf::Manifest& manifest = model.manifest();
  if (manifest.classes != data.classes)
    throw core::InputError(model.dir().string(), "the bundle's classes do not match the data's (task " +
                                                     inf::taskName(manifest.task) + ")");
  mt::PredictionTable table;
  table.classes = manifest.classes;
  const std::size_t per_image = model.valuesPerImage();
  const int k = static_cast<int>(manifest.classes.size());
  const int n = static_cast<int>(data.samples.size());
  std::vector<float> batch;
  std::vector<int> slice_index_of_subject;
  std::map<std::string, int> next_index;  // slice position within its subject, in dataset order
  for (int start = 0; start < n; start += options.batch) {
    const int count = std::min(options.batch, n - start);
    batch.assign(per_image * static_cast<std::size_t>(count), 0.0f);
    for (int i = 0; i < count; ++i) {
      const auto& sample = data.samples[static_cast<std::size_t>(start + i)];
      float* input = batch.data() + per_image * static_cast<std::size_t>(i);
      if (options.cached_input && options.cached_input(sample, input)) continue;
      const core::training::HuSlice hu = core::training::loadHu(sample);
      inf::preprocessSlice(hu.hu.data(), hu.rows, hu.cols, manifest.input, input);
    }
    const std::vector<float> probs = model.predict(batch.data(), count, guard && ood_flags ? &features : nullptr);
    if (guard && ood_flags)
      for (int i = 0; i < count; ++i)
        ood_flags->push_back(guard->outOfDistribution(guard->score(features.data() + i * guard->dim)));
    for (int i = 0; i < count; ++i) {
      const auto& sample = data.samples[static_cast<std::size_t>(start + i)];
      mt::Prediction p;
      p.subject_id = sample.subject_id;
      p.label = sample.label;
      // The slice's own index where the data has one (phantom sets), else its position within the subject.
      const int position = next_index[sample.subject_id]++;
      p.slice_index = sample.slice_index >= 0 ? sample.slice_index : position;
      const auto study = data.subject_labels.find(sample.subject_id);
      if (study != data.subject_labels.end() && manifest.classIndex(study->second) >= 0)
        p.study_label = study->second;
      for (int c = 0; c < k; ++c) p.probabilities.push_back(probs[static_cast<std::size_t>(i * k + c)]);
      table.rows.push_back(std::move(p));
    }
    if (options.progress) options.progress(start + count, n);
  }
  return table;
}

mt::StudyRule studyRuleOf(const inf::Manifest& manifest) {
  return [&manifest](const std::vector<std::vector<double>>& slices) {
    std::vector<std::vector<float>> probs;
    for (const auto& row : slices) probs.emplace_back(row.begin(), row.end());
    const inf::StudyVerdict verdict = inf::studyVerdict(probs, manifest);
    std::vector<double> out;
    for (const auto& s : verdict.scores) out.push_back(s.score);
    const int normal = manifest.classIndex("normal");
    if (normal >= 0) {
      double highest_disease = 0.0;
      for (int c = 0; c < static_cast<int>(out.size()); ++c)
        if (c != normal) highest_disease = std::max(highest_disease, out[static_cast<std::size_t>(c)]);
      out[static_cast<std::size_t>(normal)] = 1.0 - highest_disease;
    }
    return out;
  };
}

}  // namespace

BundleEvaluation evaluateBundle(const fs::path& bundle_dir, const core::training::Dataset& data,
                                const fs::path& out_dir, const BundleEvaluationOptions& options) {
  if (data.samples.empty()) throw core::InputError(bundle_dir.string(), "no slices to evaluate on");
  const auto model = inf::Model::load(bundle_dir);
  const inf::Manifest& manifest = model->manifest();
  const std::string task = inf::taskName(manifest.task);

  std::vector<bool> ood_flags;
  const mt::PredictionTable slices = scoreSlices(*model, data, options, &ood_flags);
  const inf::OodSummary ood = inf::summarizeOod(model->oodGuard() != nullptr, ood_flags);
  core::training::Dataset traces = data;
  traces.samples = data.trace_samples;
  const mt::PredictionTable trace_table =
      traces.samples.empty() ? mt::PredictionTable{} : scoreSlices(*model, traces, options);
  // Subject level over every slice of the subject, trace slices included: the study verdict the app shows sees
  // the whole series.
  mt::PredictionTable every = slices;
  every.rows.insert(every.rows.end(), trace_table.rows.begin(), trace_table.rows.end());
  mt::PredictionTable subjects;
  subjects.classes = slices.classes;
  subjects.rows = mt::aggregateBySubject(every, studyRuleOf(manifest), "normal");

  mt::EvaluateOptions eo;
  eo.positive_class = manifest.classIndex("covid") >= 0 ? "covid" : "";
  eo.threshold = manifest.threshold("covid", 0.5);
  eo.bootstrap_iterations = options.bootstrap_iterations;

  BundleEvaluation result;
  result.slice_level = mt::evaluate(slices.classes, slices.rows, eo);
  result.subject_level = mt::evaluate(subjects.classes, subjects.rows, eo);
  result.slices = static_cast<int>(slices.rows.size());
  result.subjects = static_cast<int>(subjects.rows.size());
  auto correct = [](const mt::PredictionTable& t) {
    return static_cast<int>(
        std::count_if(t.rows.begin(), t.rows.end(), [](const mt::Prediction& p) { return p.predicted() == p.label; }));
  };
  result.trace_slices = static_cast<int>(trace_table.rows.size());
  result.trace_correct = correct(trace_table);
  result.accuracy_including_traces =
      static_cast<double>(correct(slices) + result.trace_correct) / (result.slices + result.trace_slices);

  fs::create_directories(out_dir);
  const std::string split = options.split_name;
  core::writeFileAtomically(out_dir / ("predictions_" + split + ".csv"), mt::toPredictionsCsv(slices), true);
  core::writeFileAtomically(out_dir / ("predictions_" + split + "_subjects.csv"), mt::toPredictionsCsv(subjects),
                            true);

  nlohmann::json json;
  json["model"] = manifest.name;
  json["model_version"] = manifest.version;
  json["task"] = task;
  json["split"] = split;
  json["synthetic"] = options.synthetic;
  if (!options.dataset_note.empty()) json["dataset"] = options.dataset_note;
  json["study_rule"] = core::inference::verdictRuleText();
  json["slice_level"] = mt::toJson(result.slice_level);
  json["subject_level"] = mt::toJson(result.subject_level);
  json["ood"] = ood.guarded ? nlohmann::json{{"guarded", true},
                                              {"threshold", model->oodGuard()->threshold},
                                              {"scored_slices", ood.scored},
                                              {"flagged_slices", ood.flagged},
                                              {"flagged_fraction", ood.flaggedFraction()}}
                             : nlohmann::json{{"guarded", false}};
  result.ood_flagged_fraction = ood.guarded ? ood.flaggedFraction() : -1.0;
  const std::string ood_note =
      ood.guarded ? "**Out-of-distribution guard.** " + std::to_string(ood.flagged) + " of " +
                        std::to_string(ood.scored) + " slices flagged as unlike the training data.\n\n"
                  : "**Out-of-distribution guard.** This bundle has none (fit one with `lunglens-cli ood-fit`).\n\n";
  std::string trace_note;
  if (result.trace_slices > 0) {
    core::writeFileAtomically(out_dir / ("predictions_" + split + "_traces.csv"), mt::toPredictionsCsv(trace_table),
                              true);
    json["trace_findings"] = {{"min_finding_area_mm2", data.min_finding_area_mm2},
                              {"slices", result.trace_slices},
                              {"called_as_labelled", result.trace_correct},
                              {"slice_accuracy_including_traces", result.accuracy_including_traces}};
    char line[512];
    std::snprintf(line, sizeof line,
                  "**Trace findings set aside.** %d diseased slices of these subjects carry a finding smaller than "
                  "%.0f mm² on the slice (a lesion's end, a few partial-volumed pixels) and are not in the slice "
                  "level below; the model calls %d of them by their label. Slice accuracy with them put back: "
                  "%.1f%%. Subject level uses every slice, these included (as the study verdict does).\n\n",
                  result.trace_slices, data.min_finding_area_mm2, result.trace_correct,
                  100.0 * result.accuracy_including_traces);
    trace_note = line;
  }
  core::writeFileAtomically(out_dir / "report.json", json.dump(2) + "\n", true);

  const std::string counts = " (" + std::to_string(result.slices) + " slices of " +
                             std::to_string(result.subjects) + " subjects)";
  result.markdown = "# Evaluation: " + manifest.name + " " + manifest.version + ", " + split + " split\n\n" +
                    "Scored through the inference engine (core/inference: the bundle's model.pt, the shared "
                    "preprocessing); subject level by the engine's study rule (core/inference/verdict.h).\n\n" +
                    (options.dataset_note.empty() ? std::string() : "Data: " + options.dataset_note + ".\n\n") +
                    ood_note + trace_note +
                    mt::toMarkdown(result.slice_level, "Slice level, " + split + " split" + counts, task,
                                   options.synthetic) +
                    "\n" +
                    mt::toMarkdown(result.subject_level, "Subject level, " + split + " split" + counts, task,
                                   options.synthetic);
  core::writeFileAtomically(out_dir / "report.md", result.markdown, true);
  writeRocPng(result.slice_level, slices.rows, manifest.name + ": slices, " + split + " split",
              out_dir / "roc_slice.png");
  writeRocPng(result.subject_level, subjects.rows, manifest.name + ": subjects, " + split + " split",
              out_dir / "roc_subject.png");
  return result;
}

}  // namespace lunglens::cli
