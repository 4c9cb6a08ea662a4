#include "ui/pacs/progressive_series.h"

#include <algorithm>
#include <cmath>

#include "core/common/error.h"
#include "core/dicom/load.h"
#include "core/dicom/scan.h"

namespace lunglens::ui::pacs {

bool previewDue(int arrived, int built, int expected, const PreviewPolicy& policy) {
  if (expected >= 0 && arrived >= expected) return false;
  if (built == 0) return arrived >= policy.first_batch;
  const int step = std::max(policy.min_step, static_cast<int>(std::ceil(policy.step_fraction * std::max(expected, 0))));
  return arrived - built >= step;
}

SeriesPreview buildPreview(const std::vector<std::filesystem::path>& files, const std::string& series_uid, int expected,
                           const core::CancelToken& cancel) {
  core::dicom::ScanOptions scan;
  scan.cancel = cancel;
  const core::dicom::Catalog catalog = core::dicom::scanFiles(files, scan);
  const core::dicom::SeriesInfo* chosen = nullptr;
  for (const auto& s : catalog.series) {
    if (series_uid.empty() ? (!chosen || s.slices.size() > chosen->slices.size()) : s.series_uid == series_uid) {
      chosen = &s;
    }
  }
  if (!chosen)
    throw core::InputError("retrieval",
                           "no image series among the " + std::to_string(files.size()) + " files arrived so far");
  core::dicom::LoadOptions load;
  load.cancel = cancel;
  SeriesPreview p;
  p.series = *chosen;
  p.volume = core::dicom::loadSeries(p.series, load);
  p.arrived = static_cast<int>(files.size());
  p.expected = expected;
  return p;
}

ProgressiveSeries::ProgressiveSeries(QObject* parent) : QObject(parent), job_(this) {}

void ProgressiveSeries::begin(const QString& series_uid) {
  end();
  shown_ = 0;
  seriesUid_ = series_uid.toStdString();
  ++retrieval_;
  active_ = true;
}

void ProgressiveSeries::fileArrived(const std::filesystem::path& file, int expected) {
  if (!active_) return;
  files_.push_back(file);
  expected_ = expected;
  buildIfDue();
}

void ProgressiveSeries::buildIfDue() {
  if (!active_ || job_.busy() || !previewDue(static_cast<int>(files_.size()), built_, expected_, policy_)) return;
  built_ = static_cast<int>(files_.size());
  decltype(job_)::Handlers handlers;
  handlers.done = [this](SeriesPreview preview) {
    shown_ = preview.arrived;
    preview.retrieval = retrieval_;
    emit previewReady(preview);
    buildIfDue();  // more may have arrived meanwhile
  };
  // Too few slices for a series yet, or a file gone with the staging folder: wait for the next batch.
  handlers.failed = [this](const std::string&) { buildIfDue(); };
  job_.start([files = files_, uid = seriesUid_, expected = expected_](
                 const core::CancelToken& token,
                 const decltype(job_)::Report&) { return buildPreview(files, uid, expected, token); },
             std::move(handlers));
}

void ProgressiveSeries::finish() { end(); }

void ProgressiveSeries::abort() {
  const bool wasShowing = showing();
  end();
  shown_ = 0;
  if (wasShowing) emit previewClosed();
}

void ProgressiveSeries::end() {
  job_.cancel();  // a build in flight becomes stale: its result is never applied
  active_ = false;
  files_.clear();
  expected_ = -1;
  built_ = 0;
}

}  // namespace lunglens::ui::pacs
