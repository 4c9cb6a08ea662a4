#include "core/inference/work_queue.h"

#include <algorithm>
#include <cstdlib>
#include <tuple>

namespace lunglens::core::inference {

bool WorkQueue::before(const Job& a, const Job& b) const {
  const auto key = [this](const Job& j) {
    return std::make_tuple(j.urgent ? 0 : 1, std::abs(j.slice - focus_), static_cast<int>(j.kind), j.slice);
  };
  return key(a) < key(b);
}

void WorkQueue::push(const Job& job) {
  for (Job& j : jobs_) {
    if (j.kind == job.kind && j.slice == job.slice && j.class_index == job.class_index) {
      j.urgent = j.urgent || job.urgent;
      return;
    }
  }
  jobs_.push_back(job);
}

bool WorkQueue::contains(JobKind kind, int slice) const {
  return std::any_of(jobs_.begin(), jobs_.end(), [&](const Job& j) { return j.kind == kind && j.slice == slice; });
}

bool WorkQueue::containsKind(JobKind kind) const {
  return std::any_of(jobs_.begin(), jobs_.end(), [&](const Job& j) { return j.kind == kind; });
}

std::vector<Job> WorkQueue::ordered() const {
  std::vector<Job> out = jobs_;
  std::stable_sort(out.begin(), out.end(), [this](const Job& a, const Job& b) { return before(a, b); });
  return out;
}

std::vector<Job> WorkQueue::popBatch(int max_batch, const std::function<bool(int)>& ready) {
  // A few hundred jobs at most per series: sorting on each take is cheap and keeps re-focusing trivial.
  std::stable_sort(jobs_.begin(), jobs_.end(), [this](const Job& a, const Job& b) { return before(a, b); });
  std::vector<Job> batch;
  std::vector<Job> kept;
  kept.reserve(jobs_.size());
  for (const Job& j : jobs_) {
    const bool heatmap = j.kind == JobKind::DiagnosisHeatmap || j.kind == JobKind::ManifestationHeatmap;
    const bool fits = batch.empty() ? true
                                    : (j.kind == batch.front().kind && !heatmap &&
                                       static_cast<int>(batch.size()) < std::max(1, max_batch));
    if (fits && ready(j.slice)) {
      batch.push_back(j);
    } else {
      kept.push_back(j);
    }
  }
  jobs_ = std::move(kept);
  return batch;
}

}  // namespace lunglens::core::inference
