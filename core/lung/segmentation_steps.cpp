// What the segmentation's steps share (segmentation_steps.h).
#include "core/lung/segmentation_steps.h"

#include <algorithm>
#include <cassert>

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

MaskImage::RegionType nonzeroBox(const MaskImage::Pointer& mask, int margin) {
  const Dims d(mask);
  const auto* m = mask->GetBufferPointer();
  int lo[3] = {d.nx, d.ny, d.nz}, hi[3] = {-1, -1, -1};
  std::size_t i = 0;
  for (int z = 0; z < d.nz; ++z)
    for (int y = 0; y < d.ny; ++y)
      for (int x = 0; x < d.nx; ++x, ++i)
        if (m[i]) {
          lo[0] = std::min(lo[0], x), lo[1] = std::min(lo[1], y), lo[2] = std::min(lo[2], z);
          hi[0] = std::max(hi[0], x), hi[1] = std::max(hi[1], y), hi[2] = std::max(hi[2], z);
        }
  MaskImage::RegionType box;
  if (hi[0] < 0) return box;  // size 0
  const int n[3] = {d.nx, d.ny, d.nz};
  for (int a = 0; a < 3; ++a) {
    const int from = std::max(0, lo[a] - margin), to = std::min(n[a] - 1, hi[a] + margin);
    box.SetIndex(a, from);
    box.SetSize(a, static_cast<itk::SizeValueType>(to - from + 1));
  }
  return box;
}

void pasteBox(const MaskImage::Pointer& part, const MaskImage::RegionType& box, const MaskImage::Pointer& whole) {
  const Dims d(whole);
  // The part is the box's copy (cropped<>), the whole the working grid (index 0): the row copy relies on both.
  assert(part->GetLargestPossibleRegion().GetSize() == box.GetSize());
  assert((whole->GetLargestPossibleRegion().GetIndex() == MaskImage::IndexType{{0, 0, 0}}));
  const auto* p = part->GetBufferPointer();
  auto* w = whole->GetBufferPointer();
  const auto size = box.GetSize();
  const auto start = box.GetIndex();
  for (itk::SizeValueType z = 0; z < size[2]; ++z)
    for (itk::SizeValueType y = 0; y < size[1]; ++y) {
      const std::size_t row =
          (static_cast<std::size_t>(start[2] + static_cast<itk::IndexValueType>(z)) * d.ny +
           static_cast<std::size_t>(start[1] + static_cast<itk::IndexValueType>(y))) * d.nx +
          static_cast<std::size_t>(start[0]);
      std::copy_n(p, size[0], w + row);
      p += size[0];
    }
}

}  // namespace lunglens::core::lung
