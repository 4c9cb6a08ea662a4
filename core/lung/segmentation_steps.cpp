// What the segmentation's steps share (segmentation_steps.h).
#include "core/lung/segmentation_steps.h"

#include <algorithm>

namespace lunglens::core::lung {

double voxelMl(const itk::ImageBase<3>* image) {
  const auto s = image->GetSpacing();
  return s[0] * s[1] * s[2] / 1000.0;
}

std::vector<ComponentStats> componentStats(const LabelImage::Pointer& labels, const HuImage::Pointer& hu,
                                           std::size_t k) {
  const Dims d(labels);
  std::vector<ComponentStats> st(k);
  const auto* l = labels->GetBufferPointer();
  const auto* h = hu->GetBufferPointer();
  std::size_t i = 0;
  for (int z = 0; z < d.nz; ++z)
    for (int y = 0; y < d.ny; ++y)
      for (int x = 0; x < d.nx; ++x, ++i) {
        const auto v = l[i];
        if (v == 0 || v > k) continue;
        auto& s = st[v - 1];
        ++s.n;
        s.sx += x;
        s.sy += y;
        s.sz += z;
        s.shu += h[i];
        s.x0 = std::min(s.x0, x), s.x1 = std::max(s.x1, x);
        s.y0 = std::min(s.y0, y), s.y1 = std::max(s.y1, y);
        s.z0 = std::min(s.z0, z), s.z1 = std::max(s.z1, z);
        if (x == 0 || y == 0 || x == d.nx - 1 || y == d.ny - 1) s.border = true;
      }
  return st;
}

}  // namespace lunglens::core::lung
