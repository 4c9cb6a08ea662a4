#pragma once
// What the finding placer needs to know of a chest: where the lungs are, their lobes, how deep a point lies under
// the pleura, and a few landmarks. The stylised Subject (anatomy.h) answers from its formulas; a real CT's lung
// mask answers for hybrid phantoms (core/hybrid). Patient LPS in mm, centred so that x < 0 is the right lung.
#include <cstdint>
#include <vector>

#include "core/phantom/tubes.h"

namespace lunglens::core::phantom {

enum class Lobe : std::int8_t { None = -1, RightUpper, RightMiddle, RightLower, LeftUpper, LeftLower };
const char* lobeName(Lobe lobe);

class LungGeometry {
 public:
  struct Box {
    double x0 = 0, x1 = 0, y0 = 0, y1 = 0;  // where the placer draws its sample points in the plane
  };
  virtual ~LungGeometry() = default;

  virtual Box sampleBox() const = 0;
  virtual double zLow() const = 0;   // lowest and highest z the findings may use
  virtual double zHigh() const = 0;
  virtual int lungSideAt(V3 p) const = 0;  // 0 right, 1 left, -1 outside both lungs
  virtual Lobe lobeAt(V3 p) const = 0;     // None outside the lungs
  // Distance (mm) from p to the nearest pleural surface, <= 0 outside the lungs; `inPlane`: as seen on an axial
  // slice (costal and mediastinal pleura only).
  virtual double lungDepth(V3 p, bool inPlane = false) const = 0;
  virtual V3 lungCentre(int side, double z) const = 0;  // centre of a lung's cross-section at height z
  virtual V3 hilum(int side) const = 0;
  virtual const std::vector<Tube>& airways() const = 0;  // the bronchial tree inside the lungs (may be empty)
  virtual std::uint32_t textureSeed() const = 0;         // seeds the lesions' edge noise
};

}  // namespace lunglens::core::phantom
