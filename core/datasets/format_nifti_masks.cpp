// nifti-masks: NIfTI CT volumes (HU) + infection masks; slice labels and manifestation fractions from the masks
// (importer.h).
#include <algorithm>
#include <cmath>
#include <map>

#include "core/common/error.h"
#include "core/datasets/csv_table.h"
#include "core/datasets/importer.h"
#include "core/io/nifti.h"
#include "core/io/nifti_slice.h"

namespace lunglens::core::datasets {

namespace fs = std::filesystem;

namespace {

bool isNifti(const fs::path& p) {
  const std::string name = toLower(p.filename().string());
  return (name.size() > 4 && name.compare(name.size() - 4, 4, ".nii") == 0) ||
         (name.size() > 7 && name.compare(name.size() - 7, 7, ".nii.gz") == 0);
}

std::string stemOf(const fs::path& p) {
  std::string name = p.filename().string();
  const std::string lower = toLower(name);
  if (lower.size() > 7 && lower.compare(lower.size() - 7, 7, ".nii.gz") == 0) return name.substr(0, name.size() - 7);
  return name.substr(0, name.size() - 4);
}

fs::path findFolder(const fs::path& source, const std::string& given, const std::vector<std::string>& names) {
  if (!given.empty()) return source / given;
  for (const auto& name : names)
    for (const auto& e : fs::directory_iterator(source))
      if (e.is_directory() && toLower(e.path().filename().string()) == toLower(name)) return e.path();
  return {};
}

std::vector<fs::path> niftiFiles(const fs::path& dir) {
  std::vector<fs::path> out;
  for (const auto& e : fs::recursive_directory_iterator(dir))
    if (e.is_regular_file() && isNifti(e.path())) out.push_back(e.path());
  std::sort(out.begin(), out.end());
  return out;
}

// The mask's case name: its stem without a _mask / _seg / _label(s) / _infection suffix.
std::string caseOfMask(const std::string& stem) {
  const std::string lower = toLower(stem);
  for (const std::string suffix : {"_mask", "_seg", "_labels", "_label", "_infection", "-mask", "_gt"})
    if (lower.size() > suffix.size() && lower.compare(lower.size() - suffix.size(), suffix.size(), suffix) == 0)
      return stem.substr(0, stem.size() - suffix.size());
  return stem;
}

}  // namespace

void importNiftiMasks(const ImportOptions& o, CanonicalDataset& d, Problems& problems) {
  const fs::path images = findFolder(o.source, o.images_dir,
                                     {"ct", "images", "volumes", "studies", "COVID-19-CT-Seg_20cases", "tr_im", "image"});
  const fs::path masks = findFolder(o.source, o.masks_dir,
                                    {"masks", "infection_mask", "infection_masks", "labels", "mask", "tr_mask"});
  if (images.empty() || !fs::is_directory(images) || masks.empty() || !fs::is_directory(masks)) {
    problems.add(o.source.string(), "no volume folder and mask folder found (--images DIR --masks DIR)");
    return;
  }
  std::map<std::string, fs::path> mask_of;  // case name (lower case) -> mask file
  for (const auto& m : niftiFiles(masks)) {
    const std::string name = toLower(caseOfMask(stemOf(m)));
    if (!mask_of.emplace(name, m).second) problems.add(m.string(), "second mask for case '" + name + "'");
  }
  int unmasked = 0;
  for (const auto& file : niftiFiles(images)) {
    const std::string id = stemOf(file);
    const auto m = mask_of.find(toLower(id));
    if (m == mask_of.end()) {
      ++unmasked;
      continue;
    }
    const fs::path mask_file = m->second;
    mask_of.erase(m);
    if (o.progress) o.progress("reading " + file.filename().string());
    io::NiftiVolume volume, mask;
    try {
      volume = io::readNifti(file);
      mask = io::readNifti(mask_file);
    } catch (const InputError& e) {
      problems.add(e.context(), e.what());
      continue;
    }
    if (volume.dims != mask.dims) {
      problems.add(mask_file.string(), "mask is " + std::to_string(mask.dims[0]) + "x" + std::to_string(mask.dims[1]) +
                                           "x" + std::to_string(mask.dims[2]) + ", its volume " +
                                           std::to_string(volume.dims[0]) + "x" + std::to_string(volume.dims[1]) +
                                           "x" + std::to_string(volume.dims[2]));
      continue;
    }
    bool same_spacing = true;
    for (int i = 0; i < 3; ++i)
      same_spacing = same_spacing && std::abs(volume.spacing_mm[i] - mask.spacing_mm[i]) <=
                                         1e-3 * std::max(1.0, std::abs(volume.spacing_mm[i]));
    if (!same_spacing) {
      problems.add(mask_file.string(), "inconsistent spacing: mask " + std::to_string(mask.spacing_mm[0]) + " x " +
                                           std::to_string(mask.spacing_mm[1]) + " x " +
                                           std::to_string(mask.spacing_mm[2]) + " mm, volume " +
                                           std::to_string(volume.spacing_mm[0]) + " x " +
                                           std::to_string(volume.spacing_mm[1]) + " x " +
                                           std::to_string(volume.spacing_mm[2]) + " mm");
      continue;
    }
    if (volume.spacing_mm[0] <= 0 || volume.spacing_mm[1] <= 0 || volume.spacing_mm[2] <= 0) {
      problems.add(file.string(), "inconsistent spacing: a voxel spacing is not positive");
      continue;
    }
    const io::SliceLayout layout = io::sliceLayout(mask);
    CanonicalSubject subject;
    subject.id = id;
    subject.label = "covid";
    CanonicalSeries series;
    series.uid = id;
    series.path = relativeTo(file, o.source);
    series.rows = layout.rows;
    series.cols = layout.cols;
    series.spacing_mm = volume.spacing_mm;
    const double pixel_mm2 = volume.spacing_mm[0] * volume.spacing_mm[1];
    // Most inferior first: k runs superior when the third axis points up (RAS +z).
    const bool upward = volume.affine[2][2] >= 0;
    const int slices = volume.dims[2];
    for (int n = 0; n < slices; ++n) {
      const int k = upward ? n : slices - 1 - n;
      const std::vector<std::int16_t> values = io::niftiSlice(mask, k, layout);
      std::size_t infected = 0;
      std::array<std::size_t, 3> by_kind{0, 0, 0};
      for (std::int16_t v : values) {
        if (v == 0) continue;
        ++infected;
        const auto kind = o.mask_manifestation.find(v);
        if (kind != o.mask_manifestation.end()) ++by_kind[static_cast<std::size_t>(kind->second)];
      }
      CanonicalSlice sl;
      sl.file = series.path;
      sl.frame = k;
      sl.instance_number = n + 1;
      sl.label = infected >= static_cast<std::size_t>(std::max(1, o.min_finding_pixels)) ? "covid" : "normal";
      sl.finding_area_mm2 = static_cast<double>(infected) * pixel_mm2;
      if (!o.mask_manifestation.empty()) {
        std::array<double, 3> f{0, 0, 0};
        for (int c = 0; c < 3; ++c) f[c] = infected ? static_cast<double>(by_kind[c]) / infected : 0.0;
        sl.manifestation = f;
      }
      series.slices.push_back(std::move(sl));
    }
    subject.series.push_back(std::move(series));
    d.subjects.push_back(std::move(subject));
  }
  for (const auto& [name, file] : mask_of) problems.add(file.string(), "mask without a volume named '" + name + "'");
  if (unmasked > 0) d.notes.push_back(std::to_string(unmasked) + " volumes without a mask: left out");
  if (d.subjects.empty() && problems.empty())
    problems.add(images.string(), "no NIfTI volume with a mask in " + masks.string());
}

}  // namespace lunglens::core::datasets
