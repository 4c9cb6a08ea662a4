#include "core/export/lung_report.h"

#include <cmath>

#include "core/common/number_format.h"

namespace lunglens::core::exporting {

const char* const kLungKindNote =
    "Quantitative CT density measurement of the segmented lungs (HU bands), not an AI score.";

std::string lungZoneLabel(lung::Zone zone) {
  switch (zone) {
    case lung::Zone::RightUpper: return "Right upper";
    case lung::Zone::RightMiddle: return "Right middle";
    case lung::Zone::RightLower: return "Right lower";
    case lung::Zone::LeftUpper: return "Left upper";
    case lung::Zone::LeftMiddle: return "Left middle";
    case lung::Zone::LeftLower: return "Left lower";
    case lung::Zone::None: break;
  }
  return "";
}

std::string lungBandsText(const lung::HuBands& b) {
  return "Ground glass " + fixed(b.ggo_min_hu, 0) + " to " + fixed(b.ggo_max_hu, 0) + " HU, consolidation " +
         fixed(b.consolidation_min_hu, 0) + " to " + fixed(b.consolidation_max_hu, 0) + " HU";
}

std::string lungMillilitres(double volume_ml) { return fixed(std::round(volume_ml), 0) + " mL"; }

std::string lungSummaryLine(const lung::LungAnalysis& a) {
  return "CT severity score " + std::to_string(a.severity_score) + " / " + std::to_string(4 * lung::kZoneCount) +
         " \u00b7 lungs " + lungMillilitres(a.both.volume_ml);
}

}  // namespace lunglens::core::exporting
