#include "core/lung/lung_json.h"

#include <cmath>

namespace lunglens::core::lung {
namespace {

double round2(double v) { return std::round(v * 100.0) / 100.0; }

}  // namespace

nlohmann::ordered_json regionJson(const RegionStats& r) {
  return {{"voxels", r.voxels},
          {"volume_ml", round2(r.volume_ml)},
          {"mean_hu", round2(r.mean_hu)},
          {"ggo_percent", round2(r.ggo_percent)},
          {"consolidation_percent", round2(r.consolidation_percent)},
          {"involved_percent", round2(r.involved_percent())}};
}

nlohmann::ordered_json toJson(const LungAnalysis& a, bool per_slice) {
  nlohmann::ordered_json j;
  j["schema"] = kLungJsonSchema;
  j["bands_hu"] = {{"ggo", {a.bands.ggo_min_hu, a.bands.ggo_max_hu}},
                   {"consolidation", {a.bands.consolidation_min_hu, a.bands.consolidation_max_hu}}};
  j["both"] = regionJson(a.both);
  j["right"] = regionJson(a.right);
  j["left"] = regionJson(a.left);
  nlohmann::ordered_json zones = nlohmann::ordered_json::array();
  for (int k = 0; k < kZoneCount; ++k) {
    nlohmann::ordered_json z = regionJson(a.zones[static_cast<std::size_t>(k)]);
    z["zone"] = zoneName(static_cast<Zone>(k + 1));
    z["label"] = k + 1;
    z["score"] = a.zone_scores[static_cast<std::size_t>(k)];
    zones.push_back(std::move(z));
  }
  j["zones"] = std::move(zones);
  j["severity_score"] = a.severity_score;
  j["severity_score_max"] = 4 * kZoneCount;
  j["warnings"] = a.warnings;
  if (per_slice) {
    nlohmann::ordered_json slices = nlohmann::ordered_json::array();
    for (std::size_t z = 0; z < a.slices.size(); ++z) {
      const auto& s = a.slices[z];
      slices.push_back({{"index", z},
                        {"voxels", s.voxels},
                        {"volume_ml", round2(s.volume_ml)},
                        {"mean_hu", round2(s.mean_hu)},
                        {"ggo_percent", round2(s.ggo_percent)},
                        {"consolidation_percent", round2(s.consolidation_percent)}});
    }
    j["slices"] = std::move(slices);
  }
  return j;
}

}  // namespace lunglens::core::lung
