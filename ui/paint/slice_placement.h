#pragma once
// Where a slice's voxels land on a painter: the rectangle the whole slice fills (in painter pixels; it may reach
// past the visible area when zoomed) and the radiological flips. The exporter builds one from its layout; the
// viewer can build one from its camera and reuse the same annotation and heatmap painters.
#include <QPointF>
#include <QRectF>

#include "core/dicom/display_orientation.h"
#include "core/annotation/annotations.h"

namespace lunglens::ui::paint {

struct SlicePlacement {
  QRectF target;  // the displayed slice: voxel edges map to this rectangle's edges
  int cols = 0, rows = 0;
  core::dicom::DisplayFlip flip;

  // Voxel coordinates (centre of voxel (c, r) at (c, r)) to painter pixels, flips applied, and back.
  QPointF toPainter(core::annotation::VoxelPoint p) const;
  core::annotation::VoxelPoint toVoxel(QPointF p) const;
  // Painter pixels per voxel along x and y.
  double pixelsPerColumn() const { return cols > 0 ? target.width() / cols : 0.0; }
  double pixelsPerRow() const { return rows > 0 ? target.height() / rows : 0.0; }
};

}  // namespace lunglens::ui::paint
