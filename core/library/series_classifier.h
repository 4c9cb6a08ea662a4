#pragma once
// Headless classification of whole series for the library import: loads each series, scores every slice with the
// diagnosis model (and the manifestation model on slices passing the COVID gate), explains every slice the model
// does not call normal with Grad-CAM, and returns the series as a SeriesRecord ready to be written. One inference
// engine (one worker thread, models loaded once) serves all the series of an import.
#include <functional>
#include <memory>

#include "core/common/cancel.h"
#include "core/dicom/series.h"
#include "core/inference/model.h"
#include "core/library/records.h"

namespace lunglens::core::library {

class SeriesClassifier {
 public:
  // `diagnosis` null: series are recorded without AI results. `manifestation` may be null.
  SeriesClassifier(inference::ModelPtr diagnosis, inference::ModelPtr manifestation, int threads);
  ~SeriesClassifier();
  SeriesClassifier(const SeriesClassifier&) = delete;
  SeriesClassifier& operator=(const SeriesClassifier&) = delete;

  bool scores() const { return diagnosis_ != nullptr; }

  // Throws InputError naming the file for a slice that cannot be decoded or a model that fails, Cancelled when
  // cancelled (the engine is stopped before it returns). `progress(done, total)` runs on the engine's thread.
  SeriesRecord classify(const dicom::SeriesInfo& series, const CancelToken& cancel,
                        const std::function<void(int done, int total)>& progress = {});

 private:
  struct Engine;
  inference::ModelPtr diagnosis_, manifestation_;
  int threads_;
  std::unique_ptr<Engine> engine_;
};

// The series' identity and slice files without AI results (what the library records when no model is used).
SeriesRecord seriesRecordWithoutScores(const dicom::SeriesInfo& series);

}  // namespace lunglens::core::library
