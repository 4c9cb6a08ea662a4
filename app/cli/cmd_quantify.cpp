// lunglens-cli quantify DIR [--series UID] [--json] [--mask-out FILE.nii.gz]
// Segments the lungs of a chest CT series and measures them: volumes, density, % ground glass and consolidation
// per lung and zone, and the 6-zone CT severity score (docs/LUNG.md). --mask-out writes the zone mask as NIfTI.
#include <iomanip>
#include <iostream>

#include "app/cli/args.h"
#include "app/cli/command_registry.h"
#include "core/common/error.h"
#include "core/dicom/load.h"
#include "core/dicom/scan.h"
#include "core/io/nifti.h"
#include "core/lung/lung_analysis.h"
#include "core/lung/lung_json.h"
#include "app/cli/export_inputs.h"

namespace lunglens::cli {
namespace {

namespace lung = core::lung;

const core::dicom::SeriesInfo& pickSeries(const core::dicom::Catalog& catalog, const std::optional<std::string>& uid,
                                          const std::string& dir) {
  if (catalog.series.empty()) throw core::InputError(dir, "no image series found");
  if (!uid) {
    if (catalog.series.size() > 1) {
      std::cerr << "lunglens-cli quantify: " << catalog.series.size() << " series found, analysing the first ("
                << catalog.series.front().series_uid << "); choose one with --series\n";
    }
    return catalog.series.front();
  }
  for (const auto& s : catalog.series) {
    if (s.series_uid == *uid) return s;
  }
  throw core::InputError(dir, "no series with UID " + *uid + " (see `lunglens-cli series`)");
}

void writeMask(const std::string& path, const lung::LungMask& mask) {
  const auto& g = mask.geometry;
  core::io::NiftiVolume nii;
  nii.dims = {g.cols, g.rows, g.slices};
  nii.spacing_mm = {g.spacing_mm[0], g.spacing_mm[1], g.spacing_mm[2]};
  nii.affine = core::io::affineFromLps(g.origin_mm, g.row_dir, g.col_dir, g.normal, g.spacing_mm);
  nii.type = core::io::NiftiType::UInt8;
  nii.description = "LungLens lung zones: 1-3 right upper/middle/lower, 4-6 left";
  nii.data.assign(reinterpret_cast<const char*>(mask.labels.data()), mask.labels.size());
  core::io::writeNifti(path, nii);
}

void printTable(const lung::LungAnalysis& a) {
  auto row = [](const std::string& name, const lung::RegionStats& r, const std::string& score) {
    std::cout << std::left << std::setw(14) << name << std::right << std::fixed << std::setprecision(1)
              << std::setw(10) << r.volume_ml << std::setw(10) << r.mean_hu << std::setw(9) << r.ggo_percent
              << std::setw(9) << r.consolidation_percent << std::setw(7) << score << "\n";
  };
  std::cout << std::left << std::setw(14) << "region" << std::right << std::setw(10) << "mL" << std::setw(10)
            << "mean HU" << std::setw(9) << "GGO %" << std::setw(9) << "cons %" << std::setw(7) << "score"
            << "\n";
  for (int k = 0; k < lung::kZoneCount; ++k)
    row(lung::zoneName(static_cast<lung::Zone>(k + 1)), a.zones[static_cast<std::size_t>(k)],
        std::to_string(a.zone_scores[static_cast<std::size_t>(k)]));
  row("right", a.right, "");
  row("left", a.left, "");
  row("both", a.both, std::to_string(a.severity_score) + "/24");
  for (const auto& w : a.warnings) std::cout << "warning: " << w << "\n";
}

int runQuantify(const Args& args) {
  if (args.positionals().size() != 1) throw UsageError("expected one folder (or DICOMDIR, or file)");
  const std::string dir = args.positionals().front();
  const auto catalog = core::dicom::scan(dir);
  const auto& series = pickSeries(catalog, args.value("series"), dir);
  const auto volume = core::dicom::loadSeries(series);
  lung::LungAnalysis analysis;
  try {
    analysis = lung::analyzeLungs(*volume);
  } catch (const core::InputError& e) {
    // Name the series: the analysis only knows it was handed a volume.
    throw core::InputError(dir + " (series " + series.series_uid + ")", e.what());
  }
  if (const auto out = args.value("mask-out")) writeMask(*out, analysis.mask);
  if (args.flag("json")) {
    auto j = lung::toJson(analysis);
    j["series_uid"] = series.series_uid;
    std::cout << j.dump(2) << "\n";
  } else {
    std::cout << "series " << series.series_uid << " (" << series.slices.size() << " slices)\n";
    printTable(analysis);
  }
  return kOk;
}

const RegisterCommand reg{
    {"quantify", "DIR",
     "Segments the lungs and reports volumes, % ground glass / consolidation per zone and the CT severity score "
     "(0-24).",
     {seriesOption(),
      {"json", "", "prints the analysis as JSON (schema in docs/LUNG.md) instead of a table"},
      {"mask-out", "FILE.nii.gz", "also writes the zone mask (1-3 right upper/middle/lower, 4-6 left) as NIfTI"}},
     &runQuantify}};

}  // namespace
}  // namespace lunglens::cli
