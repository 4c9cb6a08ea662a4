#include "ui/ai/lung_model.h"

#include "core/export/heatmap_clip.h"
#include "core/export/lung_report.h"

#include <cmath>
#include <cstdio>

namespace lunglens::ui::ai {

namespace lung = core::lung;

namespace {
std::string fixed(double v, int decimals) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.*f", decimals, v);
  return buf;
}
// Volumes as whole millilitres with a thin space between thousands ("5 250 mL"): SI style, no locale surprises.
std::string millilitres(double ml) {
  std::string digits = std::to_string(static_cast<long long>(std::llround(ml)));
  for (int i = static_cast<int>(digits.size()) - 3; i > 0; i -= 3) digits.insert(static_cast<std::size_t>(i), "\u2009");
  return digits + " mL";
}
}  // namespace

LungModel::LungModel(QObject* parent) : QObject(parent) {}

void LungModel::openSeries(const std::string& series_uid, int slices) {
  uid_ = series_uid;
  slices_ = slices;
  state_ = State::Waiting;
  message_.clear();
  analysis_.reset();
  emit changed();
}

void LungModel::clear() {
  uid_.clear();
  slices_ = 0;
  state_ = State::NoSeries;
  message_.clear();
  analysis_.reset();
  emit changed();
}

bool LungModel::setRunning(const std::string& series_uid) {
  if (uid_.empty() || series_uid != uid_) return false;
  state_ = State::Running;
  message_.clear();
  analysis_.reset();
  emit changed();
  return true;
}

bool LungModel::applyResult(const std::string& series_uid, std::shared_ptr<const lung::LungAnalysis> analysis) {
  if (uid_.empty() || series_uid != uid_ || !analysis) return false;
  const auto& g = analysis->mask.geometry;
  if (g.slices != slices_ || analysis->mask.lung_voxels_per_slice.size() != static_cast<std::size_t>(slices_) ||
      analysis->slices.size() != static_cast<std::size_t>(slices_))
    return applyFailure(series_uid, "the lung analysis does not match the series (" + std::to_string(g.slices) +
                                        " slices for " + std::to_string(slices_) + ")");
  state_ = State::Ready;
  message_.clear();
  analysis_ = std::move(analysis);
  emit changed();
  return true;
}

bool LungModel::applyFailure(const std::string& series_uid, const std::string& message) {
  if (uid_.empty() || series_uid != uid_) return false;
  state_ = State::Failed;
  message_ = message;
  analysis_.reset();
  emit changed();
  return true;
}

std::string LungModel::zoneLabel(lung::Zone zone) { return core::exporting::lungZoneLabel(zone); }  // one wording

const char* LungModel::kindNote() {
  return "Quantitative CT density measurement (HU bands), not an AI score.";
}

std::string LungModel::statusText() const {
  switch (state_) {
    case State::NoSeries: return "No series open";
    case State::Waiting: return "Waiting for the series to finish loading…";
    case State::Running: return "Analysing the lungs…";
    case State::Failed: return "No lung analysis: " + message_;
    case State::Ready: break;
  }
  std::string text;
  for (const auto& w : analysis_->warnings) text += (text.empty() ? "" : "\n") + std::string("Note: ") + w;
  return text;
}

std::string LungModel::heatmapClipNote() const {
  switch (state_) {
    case State::Ready: return core::exporting::heatmapClipNote(true);
    case State::Failed: return core::exporting::heatmapClipNote(false, "the lung analysis failed");
    case State::Waiting:
    case State::Running:
      return "Until the lung analysis is done, the heatmap is kept off the air outside the body only";
    case State::NoSeries: break;
  }
  return "";
}

std::vector<ZoneRow> LungModel::zoneRows() const {
  std::vector<ZoneRow> rows;
  if (!analysis_) return rows;
  for (int i = 0; i < lung::kZoneCount; ++i) {
    const auto& s = analysis_->zones[static_cast<std::size_t>(i)];
    rows.push_back({zoneLabel(static_cast<lung::Zone>(i + 1)), s.ggo_percent, s.consolidation_percent, s.volume_ml,
                    analysis_->zone_scores[static_cast<std::size_t>(i)]});
  }
  return rows;
}

std::string LungModel::severityText() const {
  if (!analysis_) return "";
  return "CT severity score " + std::to_string(analysis_->severity_score) + " / 24";
}

std::string LungModel::volumesText() const {
  if (!analysis_) return "";
  return "Right " + millilitres(analysis_->right.volume_ml) + " · Left " + millilitres(analysis_->left.volume_ml) +
         " · Total " + millilitres(analysis_->both.volume_ml);
}

std::string LungModel::involvementText() const {
  if (!analysis_) return "";
  const auto& b = analysis_->both;
  return "Involved " + fixed(b.involved_percent(), 1) + " % of lung volume (ground glass " + fixed(b.ggo_percent, 1) +
         " %, consolidation " + fixed(b.consolidation_percent, 1) + " %) · mean " + fixed(b.mean_hu, 0) + " HU";
}

std::string LungModel::bandsText() const {
  const lung::HuBands b = analysis_ ? analysis_->bands : lung::HuBands{};
  return "Ground glass " + fixed(b.ggo_min_hu, 0) + " to " + fixed(b.ggo_max_hu, 0) + " HU, consolidation " +
         fixed(b.consolidation_min_hu, 0) + " to " + fixed(b.consolidation_max_hu, 0) + " HU";
}

std::string LungModel::sliceText(int z) const {
  if (!analysis_ || z < 0 || z >= slices_) return "";
  if (!analysis_->mask.sliceHasLung(z)) return "This slice: no lung";
  const auto& s = analysis_->slices[static_cast<std::size_t>(z)];
  return "This slice: " + fixed(s.involved_percent(), 1) + " % of its lung involved (ground glass " +
         fixed(s.ggo_percent, 1) + " %, consolidation " + fixed(s.consolidation_percent, 1) + " %)";
}

std::vector<float> LungModel::involvementCurve() const {
  std::vector<float> out;
  if (!analysis_) return out;
  out.reserve(static_cast<std::size_t>(slices_));
  for (int z = 0; z < slices_; ++z)
    out.push_back(analysis_->mask.sliceHasLung(z)
                      ? static_cast<float>(analysis_->slices[static_cast<std::size_t>(z)].involved_percent())
                      : -1.0f);
  return out;
}

std::vector<std::uint8_t> LungModel::sliceEligibility() const {
  std::vector<std::uint8_t> out;
  if (!analysis_) return out;
  for (int z = 0; z < slices_; ++z) out.push_back(analysis_->mask.sliceHasLung(z) ? 1 : 0);
  return out;
}

bool LungModel::noLung(int z) const {
  return analysis_ && z >= 0 && z < slices_ && !analysis_->mask.sliceHasLung(z);
}

}  // namespace lunglens::ui::ai
