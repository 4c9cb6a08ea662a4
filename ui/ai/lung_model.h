#pragma once
// The presenter model of the dock's "Lung analysis" section and of everything the viewer takes from the lung
// analysis (overlays, the involvement curve, which slices have lung): the analysis of the open series, keyed by
// series UID, so a late result for a closed or replaced series is dropped, never shown. Plain values out, testable
// without a display. The numbers are CT density measurements in HU bands, not an AI score, and it says so.
#include <QObject>
#include <memory>
#include <string>
#include <vector>

#include "core/lung/lung_analysis.h"

namespace lunglens::ui::ai {

struct ZoneRow {
  std::string label;  // "Right upper", ...
  double ggo_percent = 0, consolidation_percent = 0, volume_ml = 0;
  int score = 0;  // 0..4
};

class LungModel : public QObject {
  Q_OBJECT
 public:
  enum class State {
    NoSeries,  // nothing open
    Waiting,   // the series is still loading: the analysis starts once every slice is in
    Running,   // analysing in the background
    Ready,     // analysis() holds the result
    Failed,    // message() says why (no lungs found, one slice, the series could not be loaded completely, ...)
  };
  explicit LungModel(QObject* parent = nullptr);

  void openSeries(const std::string& series_uid, int slices);  // Waiting
  void clear();                                                // NoSeries
  // Each returns false (and changes nothing) when `series_uid` is not the open series.
  bool setRunning(const std::string& series_uid);
  bool applyResult(const std::string& series_uid, std::shared_ptr<const core::lung::LungAnalysis> analysis);
  bool applyFailure(const std::string& series_uid, const std::string& message);

  State state() const { return state_; }
  const std::string& seriesUid() const { return uid_; }
  int sliceCount() const { return slices_; }
  const std::string& message() const { return message_; }
  // Null unless Ready.
  const core::lung::LungAnalysis* analysis() const { return analysis_.get(); }
  std::shared_ptr<const core::lung::LungAnalysis> sharedAnalysis() const { return analysis_; }

  // The section's texts.
  static std::string zoneLabel(core::lung::Zone zone);  // "Right upper"
  static const char* kindNote();  // "Quantitative CT density measurement (HU bands) — not an AI score"
  std::string statusText() const;                  // one line for every state ("" when Ready without warnings)
  std::vector<ZoneRow> zoneRows() const;           // 6 rows when Ready (right upper .. left lower), else none
  std::string severityText() const;                // "CT severity score 7 / 24"
  std::string volumesText() const;                 // "Right 2 810 mL · Left 2 440 mL · Total 5 250 mL"
  std::string involvementText() const;             // "Involved 12.4 % (ground glass 10.1 %, consolidation 2.3 %)"
  std::string bandsText() const;                   // the HU bands used
  std::string sliceText(int z) const;              // this slice's involvement, or "no lung on this slice"
  // Where the AI heatmap may be drawn now (core/export/heatmap_clip.h): inside the lungs once Ready, else the
  // body-air fallback, saying why; "" without a series.
  std::string heatmapClipNote() const;

  // Per slice: % of the slice's lung in either band, or a negative value where the slice has no lung. Empty
  // unless Ready.
  std::vector<float> involvementCurve() const;
  // Per slice: 1 when it has lung; empty unless Ready (then the AI's verdict and navigation count every slice).
  std::vector<std::uint8_t> sliceEligibility() const;
  // True when the analysis found no lung on slice z (false while unknown).
  bool noLung(int z) const;

 signals:
  void changed();  // state or result

 private:
  std::string uid_;
  int slices_ = 0;
  State state_ = State::NoSeries;
  std::string message_;
  std::shared_ptr<const core::lung::LungAnalysis> analysis_;
};

}  // namespace lunglens::ui::ai
