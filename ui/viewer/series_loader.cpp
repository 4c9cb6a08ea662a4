#include "ui/viewer/series_loader.h"

#include "core/dicom/load.h"

namespace lunglens::ui::viewer {

SeriesLoader::SeriesLoader(QObject* parent) : QObject(parent), job_(this) {}

SeriesLoader::~SeriesLoader() { job_.cancelAndWait(); }

core::volume::VolumePtr SeriesLoader::open(const core::dicom::SeriesInfo& series, int focusSlice) {
  job_.cancelAndWait();
  std::shared_ptr<core::volume::Volume> volume = core::dicom::allocateVolume(series);
  volume_ = volume;
  const int total = volume->slices();
  // The work: series and volume in, the count of decoded slices out; each slice is reported as it lands.
  auto work = [series, volume, focusSlice, threads = threads_](const core::CancelToken& token, const AsyncJob<int, int>::Report& report) {
    core::dicom::LoadOptions options;
    options.threads = threads;
    options.focus_slice = focusSlice;
    options.cancel = token;
    options.on_slice_ready = [&report](int z) { report(z); };
    core::dicom::fillVolume(series, *volume, options);
    return volume->readySliceCount();
  };
  AsyncJob<int, int>::Handlers handlers;
  handlers.progress = [this, total](int z) {
    emit sliceReady(z);
    emit progress(volume_ ? volume_->readySliceCount() : 0, total);
  };
  handlers.done = [this](int slices) { emit finished(slices); };
  handlers.failed = [this](const std::string& message) { emit failed(QString::fromStdString(message)); };
  job_.start(std::move(work), std::move(handlers));
  return volume_;
}

void SeriesLoader::cancel() { job_.cancel(); }

}  // namespace lunglens::ui::viewer
