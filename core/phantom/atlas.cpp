#include "core/phantom/atlas.h"

#include <algorithm>

#include "core/phantom/generator.h"
#include "core/volume/window.h"

namespace lunglens::core::phantom {

namespace {

struct TileSpec {
  const char* title;
  Diagnosis dx;
  std::vector<Finding> findings;
  std::uint64_t seed;
  double severity;
};

}  // namespace

std::vector<AtlasTile> atlasTiles(int tile_px, int threads) {
  const std::vector<TileSpec> specs{
      {"GGO", Diagnosis::Covid, {Finding::Ggo}, 11, 0.25},
      {"Crazy paving", Diagnosis::Covid, {Finding::CrazyPaving}, 12, 0.25},
      {"Consolidation (COVID)", Diagnosis::Covid, {Finding::Consolidation, Finding::Ggo}, 21, 0.25},
      {"Fibrotic streaks", Diagnosis::Covid, {Finding::FibroticStreaks}, 14, 0.7},
      {"Lobar consolidation", Diagnosis::OtherPneumonia, {Finding::LobarConsolidation}, 15, 0.2},
      {"Bronchopneumonia", Diagnosis::OtherPneumonia, {Finding::Bronchopneumonia}, 16, 0.15},
      {"TB tree-in-bud", Diagnosis::OtherPneumonia, {Finding::TreeInBud}, 17, 0.4},
      {"TB cavity", Diagnosis::OtherPneumonia, {Finding::Cavity}, 18, 0.3},
      {"Incidental nodule", Diagnosis::Normal, {Finding::Nodule}, 19, 0.0},
      {"Normal", Diagnosis::Normal, {}, 20, 0.0},
  };
  std::vector<AtlasTile> tiles;
  for (const TileSpec& spec : specs) {
    PhantomParams p;
    p.seed = spec.seed;
    p.diagnosis = spec.dx;
    p.manifestations = spec.findings;
    p.severity = spec.severity;
    p.slices = 120;
    p.size = 512;
    p.threads = threads;
    const Phantom ph = generatePhantom(p);
    const volume::Geometry& g = ph.layout.geometry;
    // The slice showing the finding best beside aerated lung (most finding voxels times most clear lung voxels;
    // normal: the slice with the most lung).
    // Above the domes (where the liver and stomach crowd the bases) and below the apices.
    int first = g.slices, last = -1;
    for (const SliceTruth& t : ph.slices)
      if (t.lung_voxels > 0) first = std::min(first, t.index), last = std::max(last, t.index);
    int best = g.slices / 2;
    double best_score = -1;
    for (const SliceTruth& t : ph.slices) {
      if (t.index < first + (last - first) / 4 || t.index > last - (last - first) / 10) continue;
      const double lung = static_cast<double>(t.voxels_by_label[kLabelLung]);
      const double score =
          spec.findings.empty() ? lung : static_cast<double>(t.voxels_by_label[static_cast<std::size_t>(spec.findings[0])]) * lung;
      if (score > best_score) best_score = score, best = t.index;
    }
    // Centre the crop on the finding's centroid in that slice (normal: on the right lung).
    const std::uint8_t* lab = ph.labels.data() + static_cast<std::size_t>(best) * g.voxelsPerSlice();
    const std::uint8_t want = spec.findings.empty() ? kLabelLung : static_cast<std::uint8_t>(spec.findings[0]);
    double sx = 0, sy = 0, n = 0;
    for (int y = 0; y < g.rows; ++y)
      for (int x = 0; x < (spec.findings.empty() ? g.cols / 2 : g.cols); ++x)
        if (lab[static_cast<std::size_t>(y) * g.cols + x] == want) sx += x, sy += y, ++n;
    const int cx = n > 0 ? static_cast<int>(sx / n) : g.cols / 2, cy = n > 0 ? static_cast<int>(sy / n) : g.rows / 2;
    const int x0 = std::clamp(cx - tile_px / 2, 0, g.cols - tile_px), y0 = std::clamp(cy - tile_px / 2, 0, g.rows - tile_px);
    const auto grey = volume::windowSlice(ph.volume->slice(best), g.voxelsPerSlice(), volume::lungWindow());
    AtlasTile tile{spec.title, spec.findings.empty() ? "normal" : findingName(spec.findings[0]), best, tile_px, tile_px, {}};
    tile.grey.resize(static_cast<std::size_t>(tile_px) * tile_px);
    for (int y = 0; y < tile_px; ++y)
      std::copy_n(&grey[static_cast<std::size_t>(y0 + y) * g.cols + x0], tile_px, &tile.grey[static_cast<std::size_t>(y) * tile_px]);
    tiles.push_back(std::move(tile));
  }
  return tiles;
}

}  // namespace lunglens::core::phantom
