#pragma once
// A series' thumbnail: one slice, windowed, shown the way the viewer shows it (radiological flips, true aspect).
#include <QImage>

#include "core/volume/volume.h"
#include "core/volume/window.h"

namespace lunglens::ui::viewer {

// A size x size image with the slice fitted and centred on black. Null if the slice is not ready.
QImage makeThumbnail(const core::volume::Volume& volume, int z, const core::volume::Window& window, int size);

}  // namespace lunglens::ui::viewer
