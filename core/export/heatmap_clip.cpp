#include "core/export/heatmap_clip.h"

#include "core/common/error.h"
#include "core/inference/heatmap_grid.h"

namespace lunglens::core::exporting {

HeatmapClip heatmapClip(const lung::LungMask* mask, int slice, const std::int16_t* hu, int cols, int rows) {
  HeatmapClip clip;
  const std::size_t n = static_cast<std::size_t>(cols) * static_cast<std::size_t>(rows);
  if (mask) {
    if (mask->geometry.cols != cols || mask->geometry.rows != rows || slice < 0 ||
        slice >= mask->geometry.slices || mask->labels.size() != n * static_cast<std::size_t>(mask->geometry.slices))
      throw InputError("heatmap mask", "the lung mask is not of this series (" + std::to_string(mask->geometry.cols) +
                                           " x " + std::to_string(mask->geometry.rows) + " for a " +
                                           std::to_string(cols) + " x " + std::to_string(rows) + " slice)");
    clip.lung = true;
    // A slice without lung allows nothing: a heatmap on the neck or the upper abdomen explains no lung finding.
    clip.allowed = mask->sliceHasLung(slice) ? lung::dilatedSliceMask(*mask, slice, kHeatmapLungMargin_mm)
                                             : std::vector<std::uint8_t>(n, 0);
    return clip;
  }
  clip.allowed.assign(n, 1);
  if (hu) {
    const auto outside = inference::outsideBodyAir(hu, cols, rows);
    for (std::size_t i = 0; i < n; ++i) clip.allowed[i] = outside[i] ? 0 : 1;
  }
  return clip;
}

namespace {
template <class T>
void clipValues(std::vector<T>& values, const HeatmapClip& clip) {
  if (clip.allowed.size() != values.size())
    throw InternalError("heatmap clip of " + std::to_string(clip.allowed.size()) + " pixels for a map of " +
                        std::to_string(values.size()));
  for (std::size_t i = 0; i < values.size(); ++i)
    if (!clip.allowed[i]) values[i] = T(0);
}
}  // namespace

void applyHeatmapClip(std::vector<float>& values, const HeatmapClip& clip) { clipValues(values, clip); }
void applyHeatmapClip(std::vector<std::uint8_t>& values, const HeatmapClip& clip) { clipValues(values, clip); }

std::shared_ptr<const lung::LungAnalysis> lungAnalysisOrWhyNot(const volume::Volume& volume, std::string& why,
                                                                const CancelToken& cancel) {
  try {
    return std::make_shared<const lung::LungAnalysis>(lung::analyzeLungs(volume, {}, cancel));
  } catch (const InputError& e) {
    why = e.what();
    return nullptr;
  }
}

std::vector<std::uint8_t> lungSliceEligibility(const lung::LungAnalysis* analysis) {
  std::vector<std::uint8_t> out;
  if (!analysis) return out;
  for (int z = 0; z < analysis->mask.geometry.slices; ++z) out.push_back(analysis->mask.sliceHasLung(z) ? 1 : 0);
  return out;
}

std::string heatmapClipNote(bool lung, const std::string& why_not) {
  if (lung) return "heatmap kept inside the lungs (lung mask + " + std::to_string(static_cast<int>(kHeatmapLungMargin_mm)) + " mm)";
  return "no lung mask" + (why_not.empty() ? std::string() : " (" + why_not + ")") +
         ": heatmap kept off the air outside the body only";
}

}  // namespace lunglens::core::exporting
