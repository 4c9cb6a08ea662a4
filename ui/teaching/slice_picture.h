#pragma once
// A library slice as a picture: lung window, radiological orientation, optionally the stored Grad-CAM map over
// it. Plain QImage work (no widgets), so it runs on worker threads and in tests without a display.
#include <QImage>

#include "core/library/records.h"
#include "core/library/slice_source.h"
#include "core/volume/window.h"

namespace lunglens::ui::teaching {

// The slice windowed to 8-bit grey in display orientation, full size (lung window unless given).
QImage slicePicture(const core::library::SliceImage& slice, const core::volume::Window& window);
QImage slicePicture(const core::library::SliceImage& slice);

// `picture` with the row's Grad-CAM map drawn over it (unchanged when the row has none).
QImage withHeatmap(const QImage& picture, const core::library::SliceImage& slice,
                   const core::library::QueryRow& row);

// Loads the row's slice and makes a square thumbnail of `size` pixels (aspect kept, dark border); the heatmap when
// asked. Throws core::InputError when the file is gone or unreadable.
QImage galleryThumbnail(const core::library::QueryRow& row, int size, bool heatmap);

}  // namespace lunglens::ui::teaching
