#include "ui/paint/slice_placement.h"

namespace lunglens::ui::paint {

QPointF SlicePlacement::toPainter(core::annotation::VoxelPoint p) const {
  // Voxel c spans [c - 0.5, c + 0.5]; a flip mirrors about the slice's middle.
  const double dx = flip.horizontal ? (cols - 1) - p.x : p.x;
  const double dy = flip.vertical ? (rows - 1) - p.y : p.y;
  return {target.left() + (dx + 0.5) * pixelsPerColumn(), target.top() + (dy + 0.5) * pixelsPerRow()};
}

core::annotation::VoxelPoint SlicePlacement::toVoxel(QPointF p) const {
  const double dx = (p.x() - target.left()) / pixelsPerColumn() - 0.5;
  const double dy = (p.y() - target.top()) / pixelsPerRow() - 0.5;
  return {flip.horizontal ? (cols - 1) - dx : dx, flip.vertical ? (rows - 1) - dy : dy};
}

}  // namespace lunglens::ui::paint
