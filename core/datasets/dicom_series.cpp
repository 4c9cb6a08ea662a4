#include "core/datasets/dicom_series.h"

#include <set>

#include "core/datasets/importer.h"

namespace lunglens::core::datasets {

namespace fs = std::filesystem;

CanonicalSeries canonicalSeries(const dicom::SeriesInfo& info, const fs::path& root, bool allow_uneven,
                                Problems& problems, std::vector<std::string>& notes) {
  CanonicalSeries s;
  s.uid = info.series_uid;
  s.rows = info.rows;
  s.cols = info.cols;
  s.spacing_mm = {info.pixel_spacing_mm[1], info.pixel_spacing_mm[0], info.slice_spacing_mm};
  const fs::path first = info.slices.empty() ? root : fs::path(info.slices.front().path);
  s.path = info.slices.empty() ? "" : relativeTo(first.parent_path(), root);
  const std::string where = s.path.empty() ? info.series_uid : s.path;
  std::set<std::string> files;
  for (const auto& w : info.warnings) {
    const bool spacing = w.rfind("uneven spacing", 0) == 0 || w.rfind("gap at", 0) == 0 ||
                         w.find("another pixel spacing") != std::string::npos;
    if (spacing && !allow_uneven)
      problems.add(where, "inconsistent spacing: " + w + " (--allow-uneven-spacing imports it anyway)");
    else
      notes.push_back(where + ": " + w);
  }
  int position = 0;
  for (const auto& ref : info.slices) {
    ++position;
    if (!files.insert(ref.path).second || ref.frame > 0) {
      problems.add(ref.path, "multi-frame DICOM files are not supported by the dataset importer");
      break;
    }
    CanonicalSlice sl;
    sl.file = relativeTo(ref.path, root);
    sl.instance_number = ref.instance_number > 0 ? ref.instance_number : position;
    sl.sop_instance_uid = ref.sop_instance_uid;
    s.slices.push_back(std::move(sl));
  }
  return s;
}

}  // namespace lunglens::core::datasets
