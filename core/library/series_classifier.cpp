#include "core/library/series_classifier.h"

#include <algorithm>
#include <filesystem>

#include "core/common/error.h"
#include "core/export/heatmap_clip.h"
#include "core/export/lung_verdict.h"
#include "core/inference/slice_class.h"
#include "core/library/gradcam_summary.h"

namespace lunglens::core::library {

namespace inf = inference;

SeriesRecord seriesRecordWithoutScores(const dicom::SeriesInfo& series) {
  SeriesRecord r;
  r.series_uid = series.series_uid;
  r.modality = series.modality;
  r.description = series.series_description;
  r.rows = series.rows;
  r.cols = series.cols;
  r.pixel_spacing_mm[0] = series.pixel_spacing_mm[0];
  r.pixel_spacing_mm[1] = series.pixel_spacing_mm[1];
  if (!series.slices.empty())
    r.folder = std::filesystem::path(series.slices.front().path).parent_path().string();
  for (std::size_t i = 0; i < series.slices.size(); ++i) {
    const auto& ref = series.slices[i];
    SliceRecord s;
    s.index = static_cast<int>(i);
    s.sop_instance_uid = ref.sop_instance_uid;
    s.file = ref.path;
    s.frame = ref.frame;
    s.position_mm = ref.position_along_normal_mm;
    r.slices.push_back(std::move(s));
  }
  return r;
}

SeriesClassifier::SeriesClassifier(inf::ModelPtr diagnosis, inf::ModelPtr manifestation, int threads)
    : diagnosis_(std::move(diagnosis)), manifestation_(std::move(manifestation)), threads_(threads) {
  if (!diagnosis_) return;
  inf::SeriesScoringOptions options;
  options.threads = threads_;
  options.heatmap_all = true;
  scorer_ = std::make_unique<inf::SeriesScorer>(diagnosis_, manifestation_, options);
}

SeriesClassifier::~SeriesClassifier() = default;

namespace {

std::map<std::string, double> named(const std::vector<std::string>& classes, const std::vector<float>& p) {
  std::map<std::string, double> out;
  for (std::size_t i = 0; i < classes.size() && i < p.size(); ++i) out[classes[i]] = std::clamp(double(p[i]), 0.0, 1.0);
  return out;
}

}  // namespace

SeriesRecord SeriesClassifier::classify(const dicom::SeriesInfo& series, const CancelToken& cancel,
                                        const std::function<void(int, int)>& progress) {
  SeriesRecord record = seriesRecordWithoutScores(series);
  if (!scorer_ || series.slices.empty()) return record;
  const inf::SeriesScores scored = scorer_->score(series, cancel, progress);

  const auto& dm = diagnosis_->manifest();
  record.diagnosis_model = {dm.name, dm.version, dm.provenance.synthetic};
  if (manifestation_) {
    const auto& mm = manifestation_->manifest();
    record.manifestation_model = {mm.name, mm.version, mm.provenance.synthetic};
  }
  const std::vector<std::string> mclasses =
      manifestation_ ? manifestation_->manifest().classes : std::vector<std::string>{};
  // The lung mask, as in the viewer: heatmaps are kept inside the lungs, and slices without lung count neither
  // for the verdict nor for the OOD guard. Without lungs (not a chest series) the older rules apply.
  std::string no_lung_why;
  const auto lung = exporting::lungAnalysisOrWhyNot(*scored.volume, no_lung_why, cancel);
  const volume::Geometry& geometry = scored.volume->geometry();
  for (const auto& r : scored.slices) {
    SliceRecord& s = record.slices[static_cast<std::size_t>(r.slice)];
    s.diagnosis = named(dm.classes, r.diagnosis);
    s.manifestation = named(mclasses, r.manifestation);
    // Grad-CAM of what the model thinks is abnormal; a normal slice's map explains nothing worth keeping.
    if (!r.diagnosis_heatmap.empty() && !inf::calledNormal(r.diagnosis, dm.classes)) {
      const exporting::HeatmapClip clip = exporting::heatmapClip(lung ? &lung->mask : nullptr, r.slice,
                                                                 scored.volume->slice(r.slice), geometry.cols,
                                                                 geometry.rows);
      s.gradcam = summariseGradcamWithin(r.diagnosis_heatmap, dm.input, geometry, r.slice, &clip);
    }
  }
  const auto summary =
      exporting::summariseLungSlices(scored.slices, dm, diagnosis_->oodGuard() != nullptr, lung.get());
  record.verdict = summary.verdict.verdict;
  record.ood = summary.ood;
  return record;
}

}  // namespace lunglens::core::library
