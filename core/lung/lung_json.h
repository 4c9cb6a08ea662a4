#pragma once
// The JSON form of a lung analysis (schema in docs/LUNG.md): volumes, densities, % ground glass and
// consolidation per lung, per zone and per slice, the zone scores and the total severity score.
#include <string>

#include <nlohmann/json.hpp>

#include "core/lung/lung_analysis.h"

namespace lunglens::core::lung {

inline constexpr const char* kLungJsonSchema = "lunglens.lung_analysis/1";

nlohmann::ordered_json regionJson(const RegionStats& r);
// `per_slice`: include the per-slice array (one entry per slice; slices without lung have voxels 0).
nlohmann::ordered_json toJson(const LungAnalysis& analysis, bool per_slice = true);

}  // namespace lunglens::core::lung
