#pragma once
// A classification report as JSON (for tools) and Markdown (for people), the latter beside the numbers that
// Chen et al. (J Digit Imaging 2021) reported, the bar for training on real data.
#include <nlohmann/json.hpp>
#include <string>

#include "core/metrics/classification_report.h"

namespace lunglens::core::metrics {

nlohmann::json toJson(const ClassificationReport& report);

// `title` heads the section (e.g. "Slice level, test split"); `task` is "diagnosis" or "manifestation" and picks
// which of the paper's numbers are shown for comparison; `synthetic` adds the synthetic-data caveat.
std::string toMarkdown(const ClassificationReport& report, const std::string& title, const std::string& task,
                       bool synthetic);

}  // namespace lunglens::core::metrics
