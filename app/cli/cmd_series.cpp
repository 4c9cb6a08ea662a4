// lunglens-cli series DIR [--json]: every image series in a folder, and every file left out with why.
#include <iostream>

#include <nlohmann/json.hpp>

#include "app/cli/args.h"
#include "app/cli/command_registry.h"
#include "core/dicom/scan.h"

namespace lunglens::cli {
namespace {

using core::dicom::SeriesInfo;

std::array<double, 3> spacingXyz(const SeriesInfo& s) {
  return {s.pixel_spacing_mm[1], s.pixel_spacing_mm[0], s.slice_spacing_mm};
}

nlohmann::ordered_json toJson(const core::dicom::Catalog& catalog) {
  nlohmann::ordered_json out{{"series", nlohmann::ordered_json::array()}, {"skipped", nlohmann::ordered_json::array()}};
  for (const auto& s : catalog.series) {
    nlohmann::ordered_json windows = nlohmann::ordered_json::array();
    for (const auto& w : s.window_presets) windows.push_back({{"width", w.width}, {"level", w.level}, {"name", w.name}});
    out["series"].push_back({{"series_uid", s.series_uid},
                             {"study_uid", s.study_uid},
                             {"modality", s.modality},
                             {"description", s.series_description},
                             {"series_number", s.series_number},
                             {"patient_id", s.patient_id},
                             {"study_date", s.study_date},
                             {"study_description", s.study_description},
                             {"convolution_kernel", s.convolution_kernel},
                             {"slice_thickness_mm", s.slice_thickness_mm},
                             {"slices", s.slices.size()},
                             {"rows", s.rows},
                             {"cols", s.cols},
                             {"spacing", spacingXyz(s)},
                             {"window_presets", windows},
                             {"warnings", s.warnings}});
  }
  for (const auto& f : catalog.skipped) out["skipped"].push_back({{"path", f.path}, {"reason", f.reason}});
  out["dicomdirs"] = catalog.dicomdirs;
  return out;
}

void printText(const core::dicom::Catalog& catalog, std::ostream& out) {
  out << catalog.series.size() << " image series, " << catalog.skipped.size() << " file(s) skipped\n";
  for (const auto& s : catalog.series) {
    const auto sp = spacingXyz(s);
    out << "\nseries " << s.series_uid << "\n  study " << s.study_uid << "\n  " << s.modality << " \""
        << s.series_description << "\"  " << s.slices.size() << " slices of " << s.cols << "x" << s.rows
        << "  spacing " << sp[0] << " x " << sp[1] << " x " << sp[2] << " mm\n";
    for (const auto& w : s.warnings) out << "  warning: " << w << "\n";
  }
  if (!catalog.skipped.empty()) out << "\nskipped:\n";
  for (const auto& f : catalog.skipped) out << "  " << f.path << ": " << f.reason << "\n";
}

int runSeries(const Args& args) {
  if (args.positionals().size() != 1) throw UsageError("expected one folder (or DICOMDIR, or file)");
  const auto catalog = core::dicom::scan(args.positionals().front());
  if (args.flag("json")) {
    // DICOM text arrives decoded (core/dicom/text_decode.h); file names may still hold any bytes: replace what
    // is not UTF-8 rather than fail.
    std::cout << toJson(catalog).dump(2, ' ', false, nlohmann::ordered_json::error_handler_t::replace) << "\n";
  } else {
    printText(catalog, std::cout);
  }
  if (catalog.series.empty()) {
    std::cerr << "lunglens-cli series: no image series found in " << args.positionals().front() << "\n";
    return kBadInput;
  }
  return kOk;
}

const RegisterCommand reg{
    {"series", "DIR",
     "Lists the image series in DIR (slices, size, spacing, warnings) and every file skipped, with why.",
     {{"json", "", "prints the catalog as JSON instead of text"}},
     &runSeries}};

}  // namespace
}  // namespace lunglens::cli
