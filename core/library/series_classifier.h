#pragma once
// Headless classification of whole series for the library import: scores each series with
// core/inference/series_scoring.h (the path `classify` uses too), keeps Grad-CAM of every slice the model does not
// call normal, and returns the series as a SeriesRecord ready to be written. One inference engine (one worker
// thread, models loaded once) serves all the series of an import.
#include <functional>
#include <memory>

#include "core/common/cancel.h"
#include "core/dicom/series.h"
#include "core/inference/model.h"
#include "core/inference/series_scoring.h"
#include "core/library/records.h"

namespace lunglens::core::library {

class SeriesClassifier {
 public:
  // `diagnosis` null: series are recorded without AI results. `manifestation` may be null.
  SeriesClassifier(inference::ModelPtr diagnosis, inference::ModelPtr manifestation, int threads);
  ~SeriesClassifier();
  SeriesClassifier(const SeriesClassifier&) = delete;
  SeriesClassifier& operator=(const SeriesClassifier&) = delete;

  bool scores() const { return scorer_ != nullptr; }

  // Throws InputError naming the file for a slice that cannot be decoded or the series for a model that fails,
  // Cancelled when cancelled (the engine is stopped before it returns). `progress(done, total)` runs on the
  // engine's thread.
  SeriesRecord classify(const dicom::SeriesInfo& series, const CancelToken& cancel,
                        const std::function<void(int done, int total)>& progress = {});

 private:
  inference::ModelPtr diagnosis_, manifestation_;
  int threads_;
  std::unique_ptr<inference::SeriesScorer> scorer_;  // one engine for every series of an import
};

// The series' identity and slice files without AI results (what the library records when no model is used).
SeriesRecord seriesRecordWithoutScores(const dicom::SeriesInfo& series);

}  // namespace lunglens::core::library
