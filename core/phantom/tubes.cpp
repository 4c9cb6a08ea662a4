#include "core/phantom/tubes.h"

namespace lunglens::core::phantom {

void TubeIndex::build(const std::vector<Tube>& tubes, double bin_mm, double margin_mm) {
  bin_ = bin_mm;
  bins_.clear();
  if (tubes.empty()) return;
  double lo = 1e300, hi = -1e300;
  for (const Tube& t : tubes) {
    const double r = std::max(t.ra, t.rb) + margin_mm;
    lo = std::min(lo, std::min(t.a.z, t.b.z) - r);
    hi = std::max(hi, std::max(t.a.z, t.b.z) + r);
  }
  z0_ = lo;
  bins_.resize(static_cast<std::size_t>((hi - lo) / bin_) + 1);
  for (std::size_t k = 0; k < tubes.size(); ++k) {
    const Tube& t = tubes[k];
    const double r = std::max(t.ra, t.rb) + margin_mm;
    const int b0 = static_cast<int>((std::min(t.a.z, t.b.z) - r - z0_) / bin_);
    const int b1 = static_cast<int>((std::max(t.a.z, t.b.z) + r - z0_) / bin_);
    for (int b = std::max(b0, 0); b <= b1 && b < static_cast<int>(bins_.size()); ++b)
      bins_[static_cast<std::size_t>(b)].push_back(static_cast<int>(k));
  }
}

const std::vector<int>& TubeIndex::near(double z) const {
  if (bins_.empty()) return none_;
  const double f = (z - z0_) / bin_;
  if (f < 0 || f >= static_cast<double>(bins_.size())) return none_;
  return bins_[static_cast<std::size_t>(f)];
}

double tubeDistance(const Tube& t, V3 p, double* radius_out) {
  const V3 ab = t.b - t.a;
  const double len2 = dot(ab, ab);
  double s = len2 > 1e-12 ? dot(p - t.a, ab) / len2 : 0.0;
  s = std::clamp(s, 0.0, 1.0);
  if (radius_out) *radius_out = t.ra + s * (t.rb - t.ra);
  return norm(p - (t.a + ab * s));
}

}  // namespace lunglens::core::phantom
