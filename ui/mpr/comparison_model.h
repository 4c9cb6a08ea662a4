#pragma once
// Two series side by side, scrolled together: moving either one's axial plane moves the other's to the same patient
// position (registered by a shared frame of reference) or to the position plus a manual offset (not registered).
// Each side is a full MprModel, so each keeps its own window, zoom and crosshair.
#include <QObject>
#include <QString>
#include <string>

#include "ui/mpr/comparison_sync.h"
#include "ui/mpr/mpr_model.h"

namespace lunglens::ui::mpr {

struct ComparedSeries {
  core::volume::VolumePtr volume;
  std::string frame_of_reference_uid;
  std::vector<core::volume::Vec3> positions;  // ImagePositionPatient per slice
  std::vector<int> image_numbers;             // core::dicom::imageNumbers
  QString title;                              // e.g. "Series 2 — 5mm (2007-04-04)"
};

class ComparisonModel : public QObject {
  Q_OBJECT
 public:
  explicit ComparisonModel(QObject* parent = nullptr);

  // Shows two series; the offset starts at 0 when registered, else at the offset that lines up their centres.
  void setSeries(const ComparedSeries& left, const ComparedSeries& right);

  MprModel& side(int i) const { return i == 0 ? *left_ : *right_; }
  const QString& title(int i) const { return titles_[i == 0 ? 0 : 1]; }
  bool registered() const { return registered_; }
  double offset_mm() const { return offset_mm_; }
  void setOffset_mm(double offset);  // right minus left, along the normal; used only when not registered
  bool synced() const { return synced_; }
  void setSynced(bool on);
  // The right side's position relative to its stack: outside = the left's position is not in the right series.
  bool partnerInside() const { return inside_; }

 signals:
  void changed();  // registration, offset, sync or the matched slice changed

 private:
  void follow(int leader);

  MprModel* left_;
  MprModel* right_;
  QString titles_[2];
  bool registered_ = false, synced_ = true, inside_ = true, following_ = false;
  double offset_mm_ = 0.0;
};

}  // namespace lunglens::ui::mpr
