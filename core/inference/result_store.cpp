#include "core/inference/result_store.h"

#include <algorithm>

namespace lunglens::core::inference {

void ResultStore::open(const std::string& series_uid, int slices) {
  std::lock_guard<std::mutex> lock(mutex_);
  Series s;
  s.slices.resize(static_cast<std::size_t>(std::max(0, slices)));
  for (int i = 0; i < slices; ++i) s.slices[static_cast<std::size_t>(i)].slice = i;
  series_[series_uid] = std::move(s);
}

void ResultStore::close(const std::string& series_uid) {
  std::lock_guard<std::mutex> lock(mutex_);
  series_.erase(series_uid);
}

bool ResultStore::isOpen(const std::string& series_uid) const {
  std::lock_guard<std::mutex> lock(mutex_);
  return series_.count(series_uid) > 0;
}

std::optional<SliceResult> ResultStore::update(const std::string& series_uid, int slice,
                                               const std::function<void(SliceResult&)>& change) {
  std::lock_guard<std::mutex> lock(mutex_);
  const auto it = series_.find(series_uid);
  if (it == series_.end() || slice < 0 || slice >= static_cast<int>(it->second.slices.size())) return std::nullopt;
  SliceResult& r = it->second.slices[static_cast<std::size_t>(slice)];
  const bool was_diagnosed = !r.diagnosis.empty();
  change(r);
  if (!was_diagnosed && !r.diagnosis.empty()) ++it->second.diagnosed;
  return r;
}

std::optional<SliceResult> ResultStore::get(const std::string& series_uid, int slice) const {
  std::lock_guard<std::mutex> lock(mutex_);
  const auto it = series_.find(series_uid);
  if (it == series_.end() || slice < 0 || slice >= static_cast<int>(it->second.slices.size())) return std::nullopt;
  return it->second.slices[static_cast<std::size_t>(slice)];
}

std::vector<SliceResult> ResultStore::all(const std::string& series_uid) const {
  std::lock_guard<std::mutex> lock(mutex_);
  const auto it = series_.find(series_uid);
  return it == series_.end() ? std::vector<SliceResult>{} : it->second.slices;
}

int ResultStore::diagnosedCount(const std::string& series_uid) const {
  std::lock_guard<std::mutex> lock(mutex_);
  const auto it = series_.find(series_uid);
  return it == series_.end() ? 0 : it->second.diagnosed;
}

}  // namespace lunglens::core::inference
