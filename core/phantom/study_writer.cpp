#include "core/phantom/study_writer.h"

#include <algorithm>

#include <nlohmann/json.hpp>

#include "core/common/paths.h"
#include "core/io/nifti.h"
#include "core/phantom/dicom_writer.h"

namespace fs = std::filesystem;
using nlohmann::json;

namespace lunglens::core::phantom {

namespace {

json findingList(const std::vector<Finding>& fs) {
  json a = json::array();
  for (Finding f : fs) a.push_back(findingName(f));
  return a;
}

}  // namespace

std::string truthJson(const Phantom& ph) {
  const PhantomParams& p = ph.params;
  const volume::Geometry& g = ph.layout.geometry;
  const SeriesIds ids = seriesIds(ph);
  json j;
  j["generator"] = "lunglens-phantom";
  j["generator_version"] = kGeneratorVersion;
  j["synthetic"] = true;
  j["seed"] = p.seed;
  if (!p.background.empty()) {  // a hybrid phantom (core/hybrid): real anatomy, synthetic findings
    j["hybrid"] = {{"real_anatomy", true},
                   {"background", p.background},
                   {"note", "synthetic findings inserted into the lungs of a real CT series; lung label = the "
                            "background's lung mask (core/lung)"}};
  }
  j["parameters"] = {{"diagnosis", diagnosisName(p.diagnosis)},
                     {"manifestations", findingList(p.effectiveFindings())},
                     {"severity", p.severity},
                     {"slices", p.slices},
                     {"thickness_mm", ph.layout.thickness_mm},
                     {"size", p.size},
                     {"kernel", p.kernel == Kernel::Soft ? "soft" : "sharp"},
                     {"noise_sigma_hu", ph.noise_sigma_hu},
                     {"fissures", p.fissures}};
  std::int64_t lung = 0, involved = 0;
  std::vector<Finding> present;
  for (const SliceTruth& s : ph.slices) {
    lung += s.lung_voxels;
    for (Finding f : s.findings) {
      involved += s.voxels_by_label[static_cast<std::size_t>(f)];
      if (std::find(present.begin(), present.end(), f) == present.end()) present.push_back(f);
    }
  }
  std::sort(present.begin(), present.end());
  j["study"] = {{"diagnosis", diagnosisName(p.diagnosis)},
                {"findings", findingList(present)},
                {"involved_fraction", lung ? static_cast<double>(involved) / lung : 0.0},
                {"patient_name", ids.patient_name},
                {"patient_id", ids.patient_id},
                {"study_uid", ids.study_uid},
                {"series_uid", ids.series_uid},
                {"frame_of_reference_uid", ids.frame_of_reference_uid}};
  const SubjectSummary& su = ph.subject;
  j["subject"] = {{"body_width_mm", su.body_width_mm}, {"body_depth_mm", su.body_depth_mm},
                  {"lung_height_mm", su.lung_height_mm}, {"breath_level", su.breath_level},
                  {"heart_scale", su.heart_scale},     {"subcutaneous_fat_mm", su.fat_mm}};
  j["geometry"] = {{"rows", g.rows},
                   {"cols", g.cols},
                   {"slices", g.slices},
                   {"pixel_spacing_mm", {g.spacing_mm[1], g.spacing_mm[0]}},
                   {"slice_spacing_mm", g.spacing_mm[2]},
                   {"slice_thickness_mm", ph.layout.thickness_mm},
                   {"origin_lps_mm", g.origin_mm},
                   {"orientation", {1, 0, 0, 0, 1, 0}},
                   {"slice_order", "index 0 is the most inferior slice; index k is dicom/slice_k and labels z = k"}};
  json ids_json = json::object();
  for (int l = 0; l < kLabelCount; ++l) {
    const std::string name = l == 0 ? "none" : (l == 1 ? "lung" : findingName(static_cast<Finding>(l)));
    ids_json[std::to_string(l)] = name;
  }
  j["labels"] = {{"file", kLabelsFile},
                 {"ids", ids_json},
                 {"manifestation_class", {{"crazy_paving", "ggo"}}},
                 {"note", "finding ids take precedence over lung (1); 0 is outside the lungs"}};
  json slices = json::array();
  for (const SliceTruth& s : ph.slices) {
    json fr = json::object();
    for (Finding f : s.findings) fr[findingName(f)] = s.fraction(f);
    slices.push_back({{"index", s.index},
                      {"file", std::string(kSeriesFolder) + "/" + sliceFileName(s.index)},
                      {"z_mm", s.z_mm},
                      {"label", diagnosisName(s.label)},
                      {"manifestations", findingList(s.findings)},
                      {"involved_fraction", s.involved_fraction},
                      {"fractions", fr},
                      {"dominant_manifestation", s.dominant ? json(findingName(*s.dominant)) : json(nullptr)},
                      {"lung_voxels", s.lung_voxels}});
  }
  j["slices"] = slices;
  return j.dump(1);
}

StudyPaths writePhantomStudy(const Phantom& ph, const fs::path& dir, int threads) {
  StudyPaths paths{dir, dir / kSeriesFolder, dir / kTruthFile, dir / kLabelsFile};
  std::error_code ec;
  fs::create_directories(dir, ec);
  if (ec) throw InputError(dir.string(), "cannot create the output folder: " + ec.message());
  writeDicomSeries(ph, paths.series_dir, threads);
  const volume::Geometry& g = ph.layout.geometry;
  io::NiftiVolume labels;
  labels.dims = {g.cols, g.rows, g.slices};
  labels.spacing_mm = {g.spacing_mm[0], g.spacing_mm[1], g.spacing_mm[2]};
  labels.affine = io::affineFromLps(g.origin_mm, g.row_dir, g.col_dir, g.normal, g.spacing_mm);
  labels.type = io::NiftiType::UInt8;
  labels.description = "LungLens phantom labels; ids in truth.json";
  labels.data.assign(reinterpret_cast<const char*>(ph.labels.data()), ph.labels.size());
  io::writeNifti(paths.labels_nifti, labels, threads);
  writeFileAtomically(paths.truth_json, truthJson(ph) + "\n", true);
  return paths;
}

}  // namespace lunglens::core::phantom
