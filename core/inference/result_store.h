#pragma once
// Thread-safe store of per-slice AI results, keyed by series UID + slice index. Results for a series that is not
// open are dropped on arrival, so a late result for a closed series can never be shown.
#include <functional>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "core/inference/heatmap.h"

namespace lunglens::core::inference {

// The diagnosis model's OOD guard on one slice (ood_guard.h): the score and whether it is above the threshold.
struct OodScore {
  double score = 0;
  bool out_of_distribution = false;
};

struct SliceResult {
  int slice = -1;
  std::vector<float> diagnosis;      // one probability per diagnosis class; empty until scored
  std::vector<float> manifestation;  // one per manifestation class; empty unless computed
  Heatmap diagnosis_heatmap;         // empty unless computed
  Heatmap manifestation_heatmap;
  std::optional<OodScore> ood;       // set with the diagnosis when the model has a guard
};

class ResultStore {
 public:
  void open(const std::string& series_uid, int slices);
  void close(const std::string& series_uid);  // forgets its results; later updates for it are dropped
  bool isOpen(const std::string& series_uid) const;

  // Applies `change` to the slice's result if the series is open and the slice exists; returns the updated copy,
  // or nothing if dropped.
  std::optional<SliceResult> update(const std::string& series_uid, int slice,
                                    const std::function<void(SliceResult&)>& change);
  std::optional<SliceResult> get(const std::string& series_uid, int slice) const;
  std::vector<SliceResult> all(const std::string& series_uid) const;  // by slice index; empty if not open
  int diagnosedCount(const std::string& series_uid) const;

 private:
  struct Series {
    std::vector<SliceResult> slices;
    int diagnosed = 0;
  };
  mutable std::mutex mutex_;
  std::map<std::string, Series> series_;
};

}  // namespace lunglens::core::inference
