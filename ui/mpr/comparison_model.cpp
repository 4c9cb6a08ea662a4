#include "ui/mpr/comparison_model.h"

namespace lunglens::ui::mpr {

ComparisonModel::ComparisonModel(QObject* parent)
    : QObject(parent), left_(new MprModel(this)), right_(new MprModel(this)) {
  left_->setLayout(Layout::One);
  right_->setLayout(Layout::One);
  connect(left_, &MprModel::cursorChanged, this, [this]() { follow(0); });
  connect(right_, &MprModel::cursorChanged, this, [this]() { follow(1); });
}

void ComparisonModel::setSeries(const ComparedSeries& left, const ComparedSeries& right) {
  following_ = true;  // no syncing while either side is half set up
  titles_[0] = left.title;
  titles_[1] = right.title;
  left_->setVolume(left.volume, left.positions, left.image_numbers);
  right_->setVolume(right.volume, right.positions, right.image_numbers);
  registered_ = registeredByFrame(left.frame_of_reference_uid, right.frame_of_reference_uid);
  offset_mm_ = (registered_ || !left.volume || !right.volume) ? 0.0 : centreOffset_mm(*left.volume, *right.volume);
  following_ = false;
  follow(0);
  emit changed();
}

void ComparisonModel::setOffset_mm(double offset) {
  if (registered_) return;
  offset_mm_ = offset;
  follow(0);
  emit changed();
}

void ComparisonModel::setSynced(bool on) {
  synced_ = on;
  if (on) follow(0);
  emit changed();
}

void ComparisonModel::follow(int leader) {
  if (following_ || !synced_ || !left_->volume() || !right_->volume()) return;
  following_ = true;  // the partner's cursorChanged must not echo back
  MprModel& from = side(leader);
  MprModel& to = side(1 - leader);
  // Offsets are right minus left: going right-to-left subtracts.
  const double offset = leader == 0 ? offset_mm_ : -offset_mm_;
  const SliceMatch m = matchSlice(*from.volume(), from.cursor()[2], *to.volume(), offset);
  auto c = to.cursor();
  c[2] = m.slice;
  to.setCursor(c);
  inside_ = m.inside;
  following_ = false;
  emit changed();
}

}  // namespace lunglens::ui::mpr
