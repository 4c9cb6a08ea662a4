// Per-pixel composition of one plane: body layers, bones, mediastinum, abdomen and lungs with their findings.
// The tube and finding buffers were splatted just before (slice_renderer.cpp).
#include <algorithm>
#include <cmath>

#include "core/phantom/random.h"
#include "core/phantom/slice_renderer.h"
#include "core/phantom/slice_scratch.h"

namespace lunglens::core::phantom {

namespace {
inline float mix(float a, float b, float t) { return a + (b - a) * t; }
inline float clamp01(double v) { return static_cast<float>(v < 0 ? 0 : (v > 1 ? 1 : v)); }

// Vertebra at (x, y): returns the bone HU blend weight and value, or false outside the spine.
bool vertebra(const Section& s, double x, double y, float& hu) {
  const double ax = std::abs(x);
  if (ax > 48 || y < s.vb_y - s.vb_r - 2) return false;
  const double dvb = std::sqrt(x * x + (y - s.vb_y) * (y - s.vb_y));
  if (dvb < s.vb_r) {
    hu = s.disc ? 85.0f : (dvb > s.vb_r - 1.8 ? 1150.0f : 230.0f);
    return true;
  }
  const double dc = std::sqrt(x * x + (y - s.canal_y) * (y - s.canal_y));
  if (dc < s.canal_r) {
    hu = 18.0f;
    return true;
  }
  if (s.disc) return false;
  const bool arch = dc < s.canal_r + 5.0 && y > s.canal_y - 3.0;
  const bool pedicle = ax > s.canal_r - 1.0 && ax < s.canal_r + 5.0 && y > s.vb_y && y < s.canal_y;
  const bool spinous = ax < 3.5 && y > s.canal_y + s.canal_r && y < s.canal_y + s.canal_r + 26.0;
  const bool transverse = std::abs(y - s.canal_y + 2.0) < 4.5 && ax > s.canal_r && ax < s.canal_r + 24.0;
  if (arch || pedicle || spinous || transverse) {
    hu = 560.0f;
    return true;
  }
  return false;
}
}  // namespace

void SliceRenderer::renderPlane(double z, double zc, bool withLabels, Scratch& s, float* hu,
                                std::uint8_t* labels) const {
  const PlaneGrid& g = grid_;
  s.reset(static_cast<std::size_t>(g.cols) * g.rows);
  splatTubes(z, s);
  (void)zc;
  const Section sec = subject_.section(z);
  const float paren = static_cast<float>(subject_.parenchymaHu());
  const double table_y = sec.body_ay_post + 1.0;
  const std::uint32_t seed = subject_.textureSeed();
  const bool fissures = subject_.fissures();
  for (int j = 0; j < g.rows; ++j) {
    const double y = g.y0 + j * g.px;
    const double ay = y < 0 ? sec.body_ay_ant : sec.body_ay_post;
    const double cay = y < 0 ? sec.cav_ay_ant : sec.cav_ay_post;
    for (int i = 0; i < g.cols; ++i) {
      const double x = g.x0 + i * g.px;
      const std::size_t idx = static_cast<std::size_t>(j) * g.cols + i;
      std::uint8_t label = 0;
      float h;
      const double bx = x / sec.body_ax, by = y / ay;
      const double r2 = bx * bx + by * by;
      const double r = r2 > 1.1 ? 1.1 : std::sqrt(r2);
      const double radial = r > 1e-6 ? std::sqrt(x * x + y * y) / r : ay;  // centre-to-surface length along this ray
      const double depth = r2 > 1.1 ? -1e9 : (1.0 - r) * radial;           // distance inside the skin surface (mm)
      if (depth <= -0.5 * g.px) {
        h = -1000.0f;
        if (std::abs(x) < 210.0) {  // the table: carbon shell around a foam core
          const double ty = y - table_y + 0.0004 * x * x;  // a cradle, higher at the sides
          if (ty > 0 && ty < 5) h = 160.0f;
          else if (ty >= 5 && ty < 34) h = -930.0f;
          else if (ty >= 34 && ty < 38) h = 160.0f;
        }
      } else {
        const float tex = s.texture.at(i, j);
        const double fat = sec.fat_mm * (1.0 + 0.25 * by);
        if (depth < sec.skin_mm) {
          h = mix(-1000.0f, 25.0f, clamp01(depth / g.px + 0.5));
        } else if (depth < sec.skin_mm + fat) {
          h = -105.0f + 30.0f * (tex - 0.5f);
        } else if ((x / sec.cav_ax) * (x / sec.cav_ax) + (y / cay) * (y / cay) >= 1.0 ||
                   (y > sec.vb_y && std::abs(x) < sec.vb_r + 24.0)) {
          h = 45.0f + 16.0f * (tex - 0.5f);  // chest wall and paraspinal muscle
        } else {
          const int side_guess = x < 0 ? 0 : 1;
          if (z <= subject_.domeZ(side_guess, x, y)) {
            // Abdomen under the diaphragm: liver on the right, stomach (with a gas cap) and spleen on the left.
            if (x < 20.0) {
              h = 58.0f + 12.0f * (tex - 0.5f);
            } else {
              const double sx = (x - 0.45 * sec.cav_ax) / (0.4 * sec.cav_ax), sy = (y + 0.2 * cay) / (0.5 * cay);
              if (sx * sx + sy * sy < 1.0)
                h = (z > subject_.domeZ(1, x, y) - 22.0 && y < -0.2 * cay) ? -990.0f : 30.0f;
              else
                h = 46.0f + 12.0f * (tex - 0.5f);
            }
          } else {
            const int side = subject_.lungSideInSection(sec, x, y, s.med[idx] != 0);
            if (side >= 0) {
              label = s.label[idx] ? s.label[idx] : kLabelLung;
              // Dependent (posterior) lung is a little denser; fine texture on top.
              h = paren + 25.0f * static_cast<float>(std::max(0.0, y) / sec.cav_ay_post) + 34.0f * (tex - 0.5f);
              if (fissures) {
                const double obl = std::abs(subject_.obliqueFissure(side, x, y, z));
                if (obl < 1.0) h = mix(h, -120.0f, 0.5f * static_cast<float>(1.0 - obl));
              }
              if (s.any_lesion) {
                float o = s.ggo[idx] * (0.85f + 0.3f * tex);
                if (s.crazy[idx] > 0.0f) {
                  // Thickened interlobular septa: polygonal lines about 1.5 mm wide, 8-9 mm apart.
                  const float line = 1.0f - clamp01((cellBorderDistance2(static_cast<float>(x / 8.5),
                                                                         static_cast<float>(y / 8.5), seed) -
                                                     0.05) /
                                                    0.08);
                  o += s.crazy[idx] * 0.45f * line;
                }
                h = mix(h, -250.0f, std::min(o, 1.0f));
              }
              h = mix(h, 40.0f, s.blood[idx]);
              h = mix(h, 20.0f, s.wall[idx]);
              if (s.any_lesion) {
                h = mix(h, s.dense_hu[idx] + 30.0f * (tex - 0.5f), s.dense[idx]);
                h = mix(h, -1000.0f, std::max(s.lumen[idx], s.bronchogram[idx]));
                h = mix(h, -1000.0f, s.cav_air[idx]);
              } else {
                h = mix(h, -1000.0f, s.lumen[idx]);
              }
            } else {
              // Mediastinum: fat, heart, great vessels, central airways.
              h = -92.0f + 24.0f * (tex - 0.5f);
              if (sec.heart_present) {
                const double hr = sec.heart.rho2(x, y);
                if (hr < 1.0) h = mix(h, 42.0f + 10.0f * (tex - 0.5f), clamp01((1.0 - std::sqrt(hr)) * sec.heart.ay / g.px + 0.5));
              }
              h = mix(h, 40.0f, s.blood[idx]);
              h = mix(h, 25.0f, s.wall[idx]);
              h = mix(h, -1000.0f, s.lumen[idx]);
            }
          }
        }
        float bone = 0.0f;
        if (vertebra(sec, x, y, bone)) h = bone;
        if (s.cortex[idx] > 0.0f) {
          h = mix(h, 1050.0f, s.cortex[idx]);
          h = mix(h, 240.0f, s.marrow[idx]);
        }
      }
      hu[idx] = h;
      if (withLabels) labels[idx] = label;
    }
  }
}

}  // namespace lunglens::core::phantom
