#include "core/export/lung_verdict.h"

#include "core/export/heatmap_clip.h"

namespace lunglens::core::exporting {

LungSliceSummary summariseLungSlices(const std::vector<inference::SliceResult>& slices,
                                     const inference::Manifest& diagnosis, bool guarded,
                                     const lung::LungAnalysis* analysis) {
  LungSliceSummary out;
  inference::VerdictRule rule;
  rule.eligible = lungSliceEligibility(analysis);
  out.verdict = inference::verdictOf(slices, diagnosis, rule);
  out.ood = inference::oodOf(slices, guarded, rule.eligible);
  out.eligible = std::move(rule.eligible);
  return out;
}

}  // namespace lunglens::core::exporting
