#pragma once
// A teaching set: slices chosen by a library query, exported as anonymized annotated PNGs plus index.json. This
// part is the plain data: item file names and the index. The images are composed by the caller (ui/paint), which
// never draws patient identity unless asked.
//
// index.json (format "lunglens-teaching-set", version 1): no UIDs, no dates, no paths, no names:
//   {"format": "lunglens-teaching-set", "version": 1, "disclaimer": "...", "filter": {...},
//    "items": [{"image": "001_case-0003_slice-012.png", "case": "Case 0003", "slice": 12, "slices": 40,
//               "score": 0.93, "ai": {"diagnosis": "covid", "manifestation": "ggo",
//                                     "probabilities": {...}, "manifestation_probabilities": {...}},
//               "teacher": {"diagnosis": "covid", "manifestations": ["ggo"], "note": "..."} | null,
//               "tags": [...], "gradcam": {"class": "covid", "peak_row": 40, "peak_col": 30,
//                                         "area_over_threshold_mm2": 812.5} | null}, ...]}
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/library/records.h"

namespace lunglens::core::library {

// "001_case-0003_slice-012.png" for the first item (1-based `position`).
std::string teachingImageName(int position, const QueryRow& row);

nlohmann::json filterJson(const QueryFilter& filter);

// `images[i]` is the file written for `rows[i]`.
nlohmann::json teachingIndex(const std::vector<QueryRow>& rows, const std::vector<std::string>& images,
                             const QueryFilter& filter, const std::string& disclaimer);

// One row as JSON for `lunglens-cli library query --json` (identifying fields included: it is the teacher's own
// tool, not an export).
nlohmann::json queryRowJson(const QueryRow& row);

}  // namespace lunglens::core::library
