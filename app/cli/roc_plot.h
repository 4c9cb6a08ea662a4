#pragma once
// A ROC curve figure for an evaluation report (PNG).
#include <filesystem>
#include <string>

#include "core/metrics/classification_report.h"

namespace lunglens::cli {

// One curve per class (one vs rest); the positive-vs-rest curve drawn boldest. Throws InputError if not writable.
void writeRocPng(const core::metrics::ClassificationReport& report, const std::vector<core::metrics::Prediction>& cases,
                 const std::string& title, const std::filesystem::path& file);

}  // namespace lunglens::cli
