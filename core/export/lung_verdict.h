#pragma once
// The study verdict and the out-of-distribution summary counted over the slices that show lung: the ONE headless
// rule that `classify`, `export`, `report` and the library import follow, as the viewer does. Neck and upper
// abdomen slices say nothing about the lungs, so they neither vote for a verdict nor for "unlike the training
// data". Without a lung analysis (no lungs found, one slice) every slice counts.
#include <cstdint>
#include <vector>

#include "core/inference/series_scoring.h"
#include "core/lung/lung_analysis.h"

namespace lunglens::core::exporting {

struct LungSliceSummary {
  std::vector<std::uint8_t> eligible;  // per slice index, 1 = lung on it; empty = every slice counts
  inference::StudyVerdict verdict;
  inference::OodSummary ood;
};

// `guarded`: the diagnosis model carries an OOD guard. `analysis` may be null.
LungSliceSummary summariseLungSlices(const std::vector<inference::SliceResult>& slices,
                                     const inference::Manifest& diagnosis, bool guarded,
                                     const lung::LungAnalysis* analysis);

}  // namespace lunglens::core::exporting
