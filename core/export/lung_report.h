#pragma once
// The texts every export of a lung analysis shares (the study report, the DICOM SR, the annotated image's scores
// box), so they say the same thing in the same words. The analysis is a quantitative CT density measurement in HU
// bands (core/lung, docs/LUNG.md), not an AI score: each export says so next to the numbers.
#include <string>

#include "core/lung/lung_analysis.h"

namespace lunglens::core::exporting {

// "Quantitative CT density measurement of the segmented lungs (HU bands), not an AI score."
extern const char* const kLungKindNote;

// "Right upper", ... (the patient's right and left).
std::string lungZoneLabel(lung::Zone zone);
// "Ground glass -700 to -250 HU, consolidation -250 to 100 HU"
std::string lungBandsText(const lung::HuBands& bands);
// Whole millilitres: "5250 mL".
std::string lungMillilitres(double volume_ml);
// The scores box's line: "CT severity score 7 / 24 · lungs 5250 mL".
std::string lungSummaryLine(const lung::LungAnalysis& analysis);

}  // namespace lunglens::core::exporting
