#pragma once
// A series shown while it is retrieved ("opened progressively while it arrives", issue 14). The retrieval reports
// each file as it lands in its hidden staging folder; once a first batch has arrived, the files so far are scanned
// and decoded off the UI thread (ui::AsyncJob, a pure function) into a preview of the slices present, and
// previewReady() hands it to the viewer; later batches refresh it. A preview holds no file open, so the staging
// folder may be moved into place or removed at any moment. finish() and abort() end it: a preview still being built
// is then dropped, never applied.
//
// A preview is for looking only. At the end the viewer opens the committed folder through its normal path (scan,
// load, AI and lung analysis on the complete series); on a cancel or failure previewClosed() tells it to drop the
// preview, as the files it came from are gone (nothing half-imported, on disk or on screen).
#include <QObject>
#include <QString>
#include <filesystem>
#include <string>
#include <vector>

#include "core/common/cancel.h"
#include "core/dicom/series.h"
#include "core/volume/volume.h"
#include "ui/common/async_job.h"

namespace lunglens::ui::pacs {

struct SeriesPreview {
  core::dicom::SeriesInfo series;  // the slices present so far, sorted as the loader sorts them
  core::volume::VolumePtr volume;  // every one of them decoded
  int arrived = 0;                 // files the preview was built from
  int expected = -1;               // files the retrieval expects; -1 when the node did not say
  int retrieval = 0;               // which retrieval it belongs to (counts begin() calls), so a viewer can tell
                                   // a refresh from a new series and ignore one it was told to leave
};

// When to build a preview: the first at `first_batch` files, then whenever `step` more have arrived, step being
// the larger of min_step and step_fraction of the expected count. Never once everything expected has arrived
// (the complete series opens next).
struct PreviewPolicy {
  int first_batch = 8;
  int min_step = 8;
  double step_fraction = 0.25;
};
bool previewDue(int arrived, int built, int expected, const PreviewPolicy& policy = {});

// The pure work: scans `files`, takes series `series_uid` (empty: the one with the most slices) and decodes it.
// Throws core::InputError when the files hold no image series yet, core::Cancelled when cancelled.
SeriesPreview buildPreview(const std::vector<std::filesystem::path>& files, const std::string& series_uid, int expected,
                           const core::CancelToken& cancel);

class ProgressiveSeries : public QObject {
  Q_OBJECT
 public:
  explicit ProgressiveSeries(QObject* parent = nullptr);

  void setPolicy(const PreviewPolicy& policy) { policy_ = policy; }
  // A retrieval of `series_uid` (empty: a whole study) starts; forgets any earlier one.
  void begin(const QString& series_uid);
  // UI thread: one more file is whole in the staging folder.
  void fileArrived(const std::filesystem::path& file, int expected);
  // The retrieval succeeded: no more previews (the complete folder is opened instead).
  void finish();
  // The retrieval was cancelled or failed: drops any preview (previewClosed() if one was shown).
  void abort();
  bool showing() const { return shown_ > 0; }
  bool building() const { return job_.busy(); }

 signals:
  void previewReady(const lunglens::ui::pacs::SeriesPreview& preview);
  void previewClosed();

 private:
  void buildIfDue();
  void end();

  AsyncJob<SeriesPreview> job_;
  PreviewPolicy policy_;
  std::vector<std::filesystem::path> files_;
  std::string seriesUid_;
  int expected_ = -1;
  int built_ = 0;  // files the latest build (applied or in flight) started from
  int shown_ = 0;  // files of the preview on screen
  int retrieval_ = 0;
  bool active_ = false;
};

}  // namespace lunglens::ui::pacs
