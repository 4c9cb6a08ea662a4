#pragma once
// Opens one series at a time, progressively: the volume is allocated at once and handed to the view, then filled
// on a worker thread (focus slice first), each decoded slice announced on the UI thread. Opening another series, or
// destroying the loader, cancels the load in flight.
#include <QObject>
#include <QString>

#include "core/dicom/series.h"
#include "core/volume/volume.h"
#include "ui/common/async_job.h"

namespace lunglens::ui::viewer {

class SeriesLoader : public QObject {
  Q_OBJECT
 public:
  explicit SeriesLoader(QObject* parent = nullptr);
  ~SeriesLoader() override;

  // Returns the volume, empty and filling. Throws core::InputError if the series cannot be allocated.
  core::volume::VolumePtr open(const core::dicom::SeriesInfo& series, int focusSlice);
  void cancel();
  bool loading() const { return job_.busy(); }
  // Decoding threads for the next open(); 0 = all cores.
  void setThreads(int threads) { threads_ = threads; }

 signals:
  void sliceReady(int z);
  void progress(int ready, int total);
  void finished(int slices);
  void failed(const QString& message);

 private:
  AsyncJob<int, int> job_;
  core::volume::VolumePtr volume_;
  int threads_ = 0;
};

}  // namespace lunglens::ui::viewer
