#pragma once
// The search the PACS dialog runs in the background: studies matching the query, each with its series (one
// study-level query, then one series-level query per study, as every PACS answers both), patient by patient.
#include <vector>

#include "core/common/cancel.h"
#include "core/pacs/client.h"

namespace lunglens::ui::pacs {

struct StudyHit {
  core::pacs::Match study;
  std::vector<core::pacs::Match> series;  // by series number
};

// At most `max_studies` studies (the rest are dropped; `truncated` says so). Sorted by patient, then date.
std::vector<StudyHit> searchStudies(const core::pacs::Connection& c, const core::pacs::Query& query,
                                    const core::CancelToken& cancel, int max_studies, bool* truncated);

}  // namespace lunglens::ui::pacs
