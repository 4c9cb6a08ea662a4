// lunglens-cli phantom: one synthetic chest CT study with known ground truth (DICOM series, truth.json,
// labels.nii.gz); or, with --atlas, the labelled atlas image of every finding type.
#include <QColor>
#include <QFont>
#include <QImage>
#include <QPainter>
#include <chrono>
#include <iostream>

#include "app/cli/args.h"
#include "app/cli/command_registry.h"
#include "app/cli/export_inputs.h"
#include "app/cli/offscreen_gui.h"
#include "core/common/error.h"
#include "core/dicom/load.h"
#include "core/dicom/scan.h"
#include "core/hybrid/hybrid_phantom.h"
#include "core/io/png.h"
#include "core/phantom/atlas.h"
#include "core/phantom/dicom_writer.h"
#include "core/phantom/generator.h"
#include "core/phantom/study_writer.h"
#include "core/volume/window.h"

namespace lunglens::cli {
namespace {

namespace ph = core::phantom;
namespace fs = std::filesystem;

ph::PhantomParams paramsFrom(const Args& args) {
  ph::PhantomParams p;
  const std::string seed = args.value("seed").value_or("1");
  char* end = nullptr;
  p.seed = std::strtoull(seed.c_str(), &end, 10);
  if (seed.empty() || *end != '\0') throw UsageError("--seed must be a whole number, not '" + seed + "'");
  p.diagnosis = ph::parseDiagnosis(args.value("diagnosis").value_or("covid"));
  if (const auto m = args.value("manifestations"))
    for (const std::string& name : splitList(*m)) p.manifestations.push_back(ph::parseFinding(name));
  p.severity = args.doubleValue("severity", p.diagnosis == ph::Diagnosis::Normal ? 0.0 : 0.3);
  p.slices = args.intValue("slices", 120);
  p.thickness_mm = args.doubleValue("thickness", 0.0);
  p.size = args.intValue("size", 512);
  const std::string kernel = args.value("kernel").value_or("soft");
  if (kernel != "soft" && kernel != "sharp") throw UsageError("--kernel must be soft or sharp");
  p.kernel = kernel == "soft" ? ph::Kernel::Soft : ph::Kernel::Sharp;
  p.noise_sigma_hu = args.doubleValue("noise", 0.0);
  p.fissures = !args.flag("no-fissures");
  p.threads = args.intValue("threads", 0);
  p.validate();
  return p;
}

// Lung-window PNG of the slice where each finding is largest (and the middle slice), for a quick look.
void writePreviews(const ph::Phantom& phantom, const fs::path& dir) {
  fs::create_directories(dir);
  const auto& g = phantom.layout.geometry;
  auto save = [&](int k, const std::string& name) {
    const auto grey =
        core::volume::windowSlice(phantom.volume->slice(k), g.voxelsPerSlice(), core::volume::lungWindow());
    core::io::writeGreyPng(dir / (name + ".png"), g.cols, g.rows, grey);
  };
  save(g.slices / 2, "middle");
  for (ph::Finding f : phantom.findings) {
    int best = -1;
    std::int64_t most = 0;
    for (const auto& t : phantom.slices)
      if (t.voxels_by_label[static_cast<std::size_t>(f)] > most)
        most = t.voxels_by_label[static_cast<std::size_t>(f)], best = t.index;
    if (best >= 0) save(best, ph::findingName(f));
  }
}

int writeAtlas(const fs::path& png, int threads) {
  ensureOffscreenGui();
  const int tile = 256, cols = 5, header = 22;
  const auto tiles = ph::atlasTiles(tile, threads);
  const int rows = static_cast<int>((tiles.size() + cols - 1) / cols);
  QImage atlas(cols * tile, rows * (tile + header), QImage::Format_RGB888);
  atlas.fill(QColor(20, 20, 20));
  QPainter painter(&atlas);
  QFont font("DejaVu Sans");
  font.setPixelSize(14);
  painter.setFont(font);
  for (std::size_t i = 0; i < tiles.size(); ++i) {
    const auto& t = tiles[i];
    const int x = static_cast<int>(i % cols) * tile, y = static_cast<int>(i / cols) * (tile + header);
    QImage img(t.grey.data(), t.cols, t.rows, t.cols, QImage::Format_Grayscale8);
    painter.drawImage(x, y + header, img);
    painter.setPen(QColor(235, 235, 235));
    painter.drawText(QRect(x + 6, y, tile - 12, header), Qt::AlignVCenter | Qt::AlignLeft,
                     QString::fromStdString(t.title));
    painter.setPen(QColor(60, 60, 60));
    painter.drawRect(x, y, tile - 1, tile + header - 1);
  }
  painter.end();
  if (!atlas.save(QString::fromStdString(png.string()), "PNG"))
    throw core::InputError(png.string(), "cannot write the atlas");
  std::cout << "atlas: " << png.string() << " (" << tiles.size() << " tiles, lung window W1500/L-600)\n";
  return kOk;
}

// --background: the findings go into the lungs of a real series (core/hybrid), on its grid.
ph::Phantom hybridPhantom(const Args& args, const ph::PhantomParams& params) {
  for (const char* ignored : {"slices", "thickness", "size", "kernel", "noise"})
    if (args.value(ignored))
      throw UsageError(std::string("--") + ignored +
                       " does not apply with --background (the "
                       "real series sets the grid, thickness, kernel and noise)");
  const std::string dir = *args.value("background");
  const auto catalog = core::dicom::scan(dir);
  const auto& series = chooseExportSeries(catalog, dir, args.value("series"), "phantom");
  const auto volume = core::dicom::loadSeries(series);
  core::hybrid::HybridParams hp;
  hp.phantom = params;
  hp.transform.flip_left_right = args.flag("flip");
  hp.transform.extra_noise_hu = args.doubleValue("extra-noise", 0.0);
  if (hp.transform.extra_noise_hu < 0 || hp.transform.extra_noise_hu > 100)
    throw UsageError("--extra-noise must be between 0 and 100 HU");
  hp.transform.rotation_deg = args.doubleValue("rotate", 0.0);
  if (std::abs(hp.transform.rotation_deg) > 45) throw UsageError("--rotate must be within 45 degrees");
  hp.transform.fov_scale = args.doubleValue("fov-scale", 1.0);
  if (!(hp.transform.fov_scale >= 0.5 && hp.transform.fov_scale <= 2.0))
    throw UsageError("--fov-scale must be between 0.5 and 2");
  hp.transform.slab_slices = args.intValue("slab", 1);
  if (hp.transform.slab_slices < 1 || hp.transform.slab_slices > 4) throw UsageError("--slab must be 1 to 4 slices");
  hp.transform.sharpen = args.doubleValue("sharpen", 0.0);
  if (!(hp.transform.sharpen >= -1.0 && hp.transform.sharpen <= 3.0))
    throw UsageError("--sharpen must be between -1 (softer) and 3 (sharper)");
  if (const auto shift = args.value("shift")) {
    const auto parts = splitList(*shift);
    if (parts.size() != 2) throw UsageError("--shift must be DX,DY in mm");
    for (int i = 0; i < 2; ++i) {
      char* end = nullptr;
      hp.transform.shift_mm[i] = std::strtod(parts[static_cast<std::size_t>(i)].c_str(), &end);
      if (*end != '\0' || std::abs(hp.transform.shift_mm[i]) > 100)
        throw UsageError("--shift must be DX,DY in mm, each within 100");
    }
  }
  try {
    return core::hybrid::makeHybridPhantom(series, *volume, hp);
  } catch (const core::InputError& e) {
    throw core::InputError(dir + " (series " + series.series_uid + ")", e.what());  // name the background
  }
}

int runPhantom(const Args& args) {
  if (!args.positionals().empty()) throw UsageError("unexpected argument '" + args.positionals().front() + "'");
  if (const auto atlas = args.value("atlas")) return writeAtlas(*atlas, args.intValue("threads", 0));
  const fs::path out = args.require("out");
  const ph::PhantomParams params = paramsFrom(args);
  const auto t0 = std::chrono::steady_clock::now();
  const ph::Phantom phantom = args.value("background") ? hybridPhantom(args, params) : ph::generatePhantom(params);
  const auto paths = ph::writePhantomStudy(phantom, out, params.threads);
  if (args.flag("preview")) writePreviews(phantom, out / "preview");
  const double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  int with_findings = 0;
  for (const auto& t : phantom.slices) with_findings += !t.findings.empty();
  const auto ids = ph::seriesIds(phantom);
  std::cout << "phantom " << ph::diagnosisName(params.diagnosis) << " seed " << params.seed << ": "
            << phantom.layout.geometry.slices << " slices of " << phantom.layout.geometry.cols << "x"
            << phantom.layout.geometry.rows
            << (params.background.empty() && !args.value("background") ? "" : " (hybrid)") << ", " << with_findings
            << " with findings\n  series  " << paths.series_dir.string() << "\n  truth   " << paths.truth_json.string()
            << "\n  labels  " << paths.labels_nifti.string() << "\n  series uid " << ids.series_uid << "\n  " << secs
            << " s\n";
  return kOk;
}

const RegisterCommand reg{
    {"phantom",
     "",
     "write a synthetic chest CT phantom (DICOM series + truth.json + labels.nii.gz); with --atlas, a PNG atlas of "
     "the findings instead",
     {{"out", "DIR", "the study folder (required unless --atlas)"},
      {"seed", "S", "the random seed (default 1)"},
      {"diagnosis", "covid|other_pneumonia|normal", "the phantom's diagnosis (default covid)"},
      {"manifestations", "ggo,consolidation,fibrotic_streaks,...", "the findings drawn (default: by diagnosis)"},
      {"severity", "0..1", "how much lung the findings involve (default 0.3; 0 for normal)"},
      {"slices", "N", "number of slices (default 120)"},
      {"thickness", "MM", "slice thickness (default: from the slice count)"},
      {"size", "PX", "rows and columns per slice (default 512)"},
      {"kernel", "soft|sharp", "the reconstruction kernel (default soft)"},
      {"noise", "HU", "added noise, standard deviation in HU (default 0: the kernel's own)"},
      {"no-fissures", "", "leaves out the lung fissures"},
      {"preview", "", "also writes lung-window PNGs of the middle slice and each finding's largest slice"},
      {"threads", "N", "worker threads (default: all cores)"},
      {"atlas", "PNG", "writes a tiled atlas of every finding to PNG instead of a study"},
      {"background", "DIR",
       "a hybrid phantom: the findings go into the lungs of this real CT series (its grid, "
       "thickness, kernel and noise); normal = the series untouched"},
      {"series", "UID", "with --background: the series to use (default: the only one, else the first)"},
      {"flip", "", "with --background: mirror the background left-right"},
      {"shift", "DX,DY", "with --background: move the background in the plane (mm)"},
      {"extra-noise", "HU", "with --background: add Gaussian noise (standard deviation)"},
      {"rotate", "DEG", "with --background: rotate the background in the plane about the image centre"},
      {"fov-scale", "F", "with --background: pixel spacing x F, same matrix and centre (< 1: smaller field of view)"},
      {"slab", "N", "with --background: average N consecutive slices (a thicker reconstruction; default 1)"},
      {"sharpen", "A", "with --background: kernel change, v + A (v - Gaussian 1 px); < 0 softer (default 0)"}},
     &runPhantom}};

}  // namespace
}  // namespace lunglens::cli
