// lunglens-cli render DIR [--series UID] --slice N|im:N --window lung|mediastinum|bone|W,L --out FILE.png
// Writes one slice at native resolution, windowed to 8-bit grey, in radiological orientation.
#include <iostream>

#include "app/cli/args.h"
#include "app/cli/command_registry.h"
#include "core/common/error.h"
#include "core/dicom/display_orientation.h"
#include "core/dicom/image_number.h"
#include "core/dicom/load.h"
#include "core/dicom/scan.h"
#include "core/io/png.h"

namespace lunglens::cli {
namespace {

const core::dicom::SeriesInfo& pickSeries(const core::dicom::Catalog& catalog, const std::optional<std::string>& uid,
                                          const std::string& dir) {
  if (catalog.series.empty()) throw core::InputError(dir, "no image series found");
  if (!uid) {
    if (catalog.series.size() > 1) {
      std::cerr << "lunglens-cli render: " << catalog.series.size() << " series found, rendering the first ("
                << catalog.series.front().series_uid << "); choose one with --series\n";
    }
    return catalog.series.front();
  }
  for (const auto& s : catalog.series) {
    if (s.series_uid == *uid) return s;
  }
  throw core::InputError(dir, "no series with UID " + *uid + " (see `lunglens-cli series`)");
}

int runRender(const Args& args) {
  if (args.positionals().size() != 1) throw UsageError("expected one folder (or DICOMDIR, or file)");
  const std::string dir = args.positionals().front();
  if (!args.value("slice")) throw UsageError("--slice is required");
  const auto window = core::volume::parseWindow(args.require("window"));
  if (!window) throw UsageError("--window must be lung, mediastinum, bone or W,L (e.g. 400,40)");
  const std::string out = args.require("out");

  const auto catalog = core::dicom::scan(dir);
  const auto& series = pickSeries(catalog, args.value("series"), dir);
  // "N" = index (0 = lowest), "im:N" = the DICOM image number (core/dicom/image_number.h).
  const int z = core::dicom::parseSliceSpec(series, *args.value("slice"));
  const std::vector<std::int16_t> hu = core::dicom::loadSlice(series, z);
  std::vector<std::uint8_t> grey = core::volume::windowSlice(hu.data(), hu.size(), *window);
  core::dicom::applyFlip(grey, series.rows, series.cols, core::dicom::radiologicalFlip(series.orientation));
  core::io::writeGreyPng(out, series.cols, series.rows, grey);
  std::cout << "wrote " << out << ": " << core::dicom::imageLabel(series, z) << " (index " << z << " of "
            << series.slices.size() << ") of series "
            << series.series_uid << ", " << series.cols << "x" << series.rows << ", window W" << window->width << "/L"
            << window->level << "\n";
  return kOk;
}

const RegisterCommand reg{
    {"render", "DIR",
     "Writes slice N (0 = lowest; im:N = DICOM image number N) of a series as an 8-bit windowed PNG in radiological orientation.",
     {{"series", "UID", "the series to render (default: the only one in DIR)"},
      {"slice", "N|im:N", "the slice: N = index, 0 = lowest; im:N = the DICOM image number", true},
      {"window", "lung|mediastinum|bone|W,L", "the display window", true},
      {"out", "FILE.png", "the PNG to write", true}},
     &runRender}};

}  // namespace
}  // namespace lunglens::cli
