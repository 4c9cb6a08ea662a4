#pragma once
// The inference engine's to-do list for one series, ordered by distance from the focus slice (re-ordered simply by
// moving the focus: the order is computed when work is taken). Not thread-safe; the engine guards it.
#include <cstddef>
#include <functional>
#include <vector>

namespace lunglens::core::inference {

enum class JobKind {
  Diagnosis,              // score a slice with the diagnosis model
  DiagnosisHeatmap,       // Grad-CAM of the diagnosis model
  Manifestation,          // score a slice with the manifestation model
  ManifestationHeatmap,   // Grad-CAM of the manifestation model
};

struct Job {
  JobKind kind = JobKind::Diagnosis;
  int slice = 0;
  int class_index = -1;  // heatmaps: the class to explain; -1 = the predicted one
  bool urgent = false;   // asked for explicitly (on demand): goes before everything else
};

class WorkQueue {
 public:
  void setFocus(int slice) { focus_ = slice; }
  int focus() const { return focus_; }

  // Adds a job; an equal one (kind, slice, class) already queued is kept once, urgent if either is.
  void push(const Job& job);
  bool contains(JobKind kind, int slice) const;
  bool containsKind(JobKind kind) const;
  bool empty() const { return jobs_.empty(); }
  std::size_t size() const { return jobs_.size(); }
  void clear() { jobs_.clear(); }

  // Removes and returns the best job whose slice is ready, then up to max_batch - 1 more of the same kind in order
  // (heatmaps are never batched). Order: urgent first, then distance from the focus, then kind (as declared), then
  // the lower slice. Empty if no queued job's slice is ready.
  std::vector<Job> popBatch(int max_batch, const std::function<bool(int slice)>& ready);

  // The whole queue in the order popBatch would take it (for tests and diagnostics).
  std::vector<Job> ordered() const;

 private:
  bool before(const Job& a, const Job& b) const;
  int focus_ = 0;
  std::vector<Job> jobs_;
};

}  // namespace lunglens::core::inference
