// Feasibility probe, not part of the product: would a small learned 2D network fix what the classical lung mask
// misses (dense disease at the pleura, a consolidated lobe; docs/LUNG.md, "Accuracy")? Trains a U-Net on phantoms
// of other seeds than the acceptance test's, then reports the lung Dice of the classical mask, the network and their
// union on the 24 acceptance phantoms, and the lung volumes it gives on real series. Inputs per slice, resampled to
// 128 x 128: HU in a lung and a soft-tissue window, and the classical mask.
#include <torch/torch.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <fstream>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <iostream>
#include <sstream>
#include <string>
#include <vector>

#include "core/dicom/load.h"
#include "core/dicom/scan.h"
#include "core/hybrid/hybrid_set.h"
#include "core/lung/lung_analysis.h"
#include "core/phantom/generator.h"

namespace {

namespace ph = lunglens::core::phantom;
namespace lung = lunglens::core::lung;
using lunglens::core::volume::Volume;

constexpr int kSide = 128;

struct ConvBlockImpl : torch::nn::Module {
  torch::nn::Sequential seq;
  ConvBlockImpl(int in, int out)
      : seq(torch::nn::Conv2d(torch::nn::Conv2dOptions(in, out, 3).padding(1).bias(false)),
            torch::nn::BatchNorm2d(out), torch::nn::ReLU(),
            torch::nn::Conv2d(torch::nn::Conv2dOptions(out, out, 3).padding(1).bias(false)),
            torch::nn::BatchNorm2d(out), torch::nn::ReLU()) {
    register_module("seq", seq);
  }
  torch::Tensor forward(const torch::Tensor& x) { return seq->forward(x); }
};
TORCH_MODULE(ConvBlock);

struct UNetImpl : torch::nn::Module {
  ConvBlock e1{nullptr}, e2{nullptr}, e3{nullptr}, b{nullptr}, d3{nullptr}, d2{nullptr}, d1{nullptr};
  torch::nn::ConvTranspose2d u3{nullptr}, u2{nullptr}, u1{nullptr};
  torch::nn::Conv2d head{nullptr};
  UNetImpl(int in, int w) {
    e1 = register_module("e1", ConvBlock(in, w));
    e2 = register_module("e2", ConvBlock(w, 2 * w));
    e3 = register_module("e3", ConvBlock(2 * w, 4 * w));
    b = register_module("b", ConvBlock(4 * w, 8 * w));
    u3 = register_module("u3", torch::nn::ConvTranspose2d(torch::nn::ConvTranspose2dOptions(8 * w, 4 * w, 2).stride(2)));
    d3 = register_module("d3", ConvBlock(8 * w, 4 * w));
    u2 = register_module("u2", torch::nn::ConvTranspose2d(torch::nn::ConvTranspose2dOptions(4 * w, 2 * w, 2).stride(2)));
    d2 = register_module("d2", ConvBlock(4 * w, 2 * w));
    u1 = register_module("u1", torch::nn::ConvTranspose2d(torch::nn::ConvTranspose2dOptions(2 * w, w, 2).stride(2)));
    d1 = register_module("d1", ConvBlock(2 * w, w));
    head = register_module("head", torch::nn::Conv2d(torch::nn::Conv2dOptions(w, 1, 1)));
  }
  torch::Tensor forward(const torch::Tensor& x) {
    auto a = e1(x);
    auto c = e2(torch::max_pool2d(a, 2));
    auto d = e3(torch::max_pool2d(c, 2));
    auto m = b(torch::max_pool2d(d, 2));
    auto y = d3(torch::cat({u3(m), d}, 1));
    y = d2(torch::cat({u2(y), c}, 1));
    y = d1(torch::cat({u1(y), a}, 1));
    return head(y);
  }
};
TORCH_MODULE(UNet);

// One slice's network input (3 x 128 x 128) from HU and the classical mask.
torch::Tensor sliceInput(const Volume& v, const lung::LungMask& mask, int z) {
  const auto& g = v.geometry();
  auto hu = torch::from_blob(const_cast<std::int16_t*>(v.slice(z)), {1, 1, g.rows, g.cols}, torch::kInt16)
                .to(torch::kFloat32);
  auto m = torch::from_blob(const_cast<std::uint8_t*>(mask.slice(z)), {1, 1, g.rows, g.cols}, torch::kUInt8)
               .to(torch::kFloat32)
               .gt(0)
               .to(torch::kFloat32);
  auto lungw = ((hu + 1000.0) / 1000.0).clamp(0.0, 1.5);
  auto softw = ((hu + 200.0) / 400.0).clamp(0.0, 1.0);
  auto x = torch::cat({lungw, softw, m}, 1);
  namespace F = torch::nn::functional;
  return F::interpolate(x, F::InterpolateFuncOptions().size(std::vector<int64_t>{kSide, kSide}).mode(torch::kArea))
      .squeeze(0);
}

torch::Tensor sliceTarget(const std::vector<std::uint8_t>& labels, const lunglens::core::volume::Geometry& g, int z) {
  auto t = torch::from_blob(const_cast<std::uint8_t*>(labels.data() + static_cast<std::size_t>(z) * g.voxelsPerSlice()),
                            {1, 1, g.rows, g.cols}, torch::kUInt8)
               .gt(0)
               .to(torch::kFloat32);
  namespace F = torch::nn::functional;
  return F::interpolate(t, F::InterpolateFuncOptions().size(std::vector<int64_t>{kSide, kSide}).mode(torch::kArea))
      .squeeze(0);
}

ph::PhantomParams phantomParams(int i, std::uint64_t seed) {
  const ph::Diagnosis dx[4] = {ph::Diagnosis::Covid, ph::Diagnosis::OtherPneumonia, ph::Diagnosis::Covid,
                               ph::Diagnosis::Normal};
  const int sizes[3] = {192, 224, 256};
  const int slices[4] = {30, 40, 48, 60};
  const double thickness[5] = {1.0, 2.0, 3.0, 5.0, 0.0};
  ph::PhantomParams p;
  p.seed = seed;
  p.diagnosis = dx[i % 4];
  p.size = sizes[i % 3];
  p.slices = slices[i % 4];
  p.thickness_mm = thickness[i % 5];
  p.kernel = i % 2 ? ph::Kernel::Sharp : ph::Kernel::Soft;
  p.severity = p.diagnosis == ph::Diagnosis::Normal ? 0.0 : 0.12 + 0.05 * (i % 6);
  p.threads = 2;
  return p;
}

// Full-resolution mask from the network's logits on every slice (bilinear on the logits, > 0).
std::vector<std::uint8_t> predict(UNet& net, const Volume& v, const lung::LungMask& mask) {
  const auto& g = v.geometry();
  std::vector<std::uint8_t> out(g.voxelCount(), 0);
  torch::NoGradGuard no_grad;
  net->eval();
  namespace F = torch::nn::functional;
  for (int z0 = 0; z0 < g.slices; z0 += 16) {
    std::vector<torch::Tensor> xs;
    const int z1 = std::min(g.slices, z0 + 16);
    for (int z = z0; z < z1; ++z) xs.push_back(sliceInput(v, mask, z));
    auto logits = net->forward(torch::stack(xs));
    auto up = F::interpolate(logits, F::InterpolateFuncOptions()
                                         .size(std::vector<int64_t>{g.rows, g.cols})
                                         .mode(torch::kBilinear)
                                         .align_corners(false));
    auto b = up.gt(0).to(torch::kUInt8).contiguous();
    std::copy(b.data_ptr<std::uint8_t>(), b.data_ptr<std::uint8_t>() + (z1 - z0) * g.voxelsPerSlice(),
              out.begin() + static_cast<std::ptrdiff_t>(z0 * g.voxelsPerSlice()));
  }
  return out;
}

// The classical mask plus what the network adds, without the network's boundary slivers: the additions opened
// in-plane by a square of about `mm` (erosion then dilation by max pooling), so only thick missed regions stay.
std::vector<std::uint8_t> filteredUnion(const std::vector<std::uint8_t>& net, const lung::LungMask& mask, double mm) {
  const auto& g = mask.geometry;
  const int k = std::max(1, static_cast<int>(std::lround(mm / g.spacing_mm[0])));
  std::vector<std::uint8_t> add(net.size());
  for (std::size_t i = 0; i < net.size(); ++i) add[i] = (net[i] && !mask.labels[i]) ? 1 : 0;
  auto t = torch::from_blob(add.data(), {g.slices, 1, g.rows, g.cols}, torch::kUInt8).to(torch::kFloat32);
  const auto opts = torch::nn::functional::MaxPool2dFuncOptions(2 * k + 1).stride(1).padding(k);
  auto eroded = -torch::nn::functional::max_pool2d(-t, opts);
  auto opened = torch::nn::functional::max_pool2d(eroded, opts).mul(t).gt(0).to(torch::kUInt8).contiguous();
  std::vector<std::uint8_t> out(net.size());
  const auto* o = opened.data_ptr<std::uint8_t>();
  for (std::size_t i = 0; i < net.size(); ++i) out[i] = (mask.labels[i] || o[i]) ? 1 : 0;
  return out;
}

double dice(const std::vector<std::uint8_t>& a, const std::vector<std::uint8_t>& truth) {
  std::int64_t x = 0, y = 0, both = 0;
  for (std::size_t i = 0; i < a.size(); ++i) {
    const bool p = a[i] != 0, t = truth[i] != 0;
    x += p, y += t, both += p && t;
  }
  return 2.0 * static_cast<double>(both) / static_cast<double>(x + y);
}

}  // namespace

int main(int argc, char** argv) {
  int train_phantoms = 40, steps = 1500, width = 8, train_hybrids = 0, eval_hybrids = 8;
  std::vector<std::string> real;
  std::vector<std::filesystem::path> train_bg, eval_bg;
  auto dirs = [](const std::string& list) {
    std::vector<std::filesystem::path> out;
    std::stringstream ss(list);
    for (std::string d; std::getline(ss, d, ',');) out.emplace_back(d);
    return out;
  };
  for (int i = 1; i < argc; ++i) {
    const std::string a = argv[i];
    if (a == "--train" && i + 1 < argc) train_phantoms = std::stoi(argv[++i]);
    else if (a == "--steps" && i + 1 < argc) steps = std::stoi(argv[++i]);
    else if (a == "--width" && i + 1 < argc) width = std::stoi(argv[++i]);
    else if (a == "--hybrids" && i + 1 < argc) train_hybrids = std::stoi(argv[++i]);
    else if (a == "--eval-hybrids" && i + 1 < argc) eval_hybrids = std::stoi(argv[++i]);
    else if (a == "--train-backgrounds" && i + 1 < argc) train_bg = dirs(argv[++i]);
    else if (a == "--eval-backgrounds" && i + 1 < argc) eval_bg = dirs(argv[++i]);
    else real.push_back(a);
  }
  torch::manual_seed(7);
  torch::set_num_threads(2);
  lung::AnalysisOptions options;
  options.threads = 2;
  const auto t0 = std::chrono::steady_clock::now();
  auto secs = [&] { return std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count(); };

  std::vector<torch::Tensor> xs, ys;
  for (int i = 0; i < train_phantoms; ++i) {
    // Another order of the same parameter grid, and seeds the acceptance test does not use.
    const ph::Phantom p = ph::generatePhantom(phantomParams((i * 7 + 3) % 24 + i / 24, 3001 + static_cast<std::uint64_t>(i)));
    const lung::LungAnalysis a = lung::analyzeLungs(*p.volume, options);
    const auto& g = p.volume->geometry();
    for (int z = 0; z < g.slices; ++z) {
      xs.push_back(sliceInput(*p.volume, a.mask, z));
      ys.push_back(sliceTarget(p.labels, g, z));
    }
  }
  if (train_hybrids > 0 && !train_bg.empty()) {
    auto make = lunglens::core::hybrid::hybridSubjectMaker(lunglens::core::hybrid::loadBackgrounds(train_bg), 1.0);
    for (int i = 0; i < train_hybrids; ++i) {
      const ph::Phantom p = make(i, phantomParams(i, 4001 + static_cast<std::uint64_t>(i)));
      const lung::LungAnalysis a = lung::analyzeLungs(*p.volume, options);
      const auto& g = p.volume->geometry();
      for (int z = 0; z < g.slices; ++z) {
        xs.push_back(sliceInput(*p.volume, a.mask, z));
        ys.push_back(sliceTarget(p.labels, g, z));
      }
    }
    std::printf("with %d hybrid subjects (%.0f s)\n", train_hybrids, secs());
  }
  auto X = torch::stack(xs), Y = torch::stack(ys);
  xs.clear(), ys.clear();
  std::printf("training set: %lld slices from %d phantoms (%.0f s)\n", static_cast<long long>(X.size(0)),
              train_phantoms, secs());

  UNet net(3, width);
  torch::optim::Adam opt(net->parameters(), torch::optim::AdamOptions(1e-3));
  const int batch = 16;
  net->train();
  for (int s = 0; s < steps; ++s) {
    auto idx = torch::randint(X.size(0), {batch}, torch::kLong);
    auto x = X.index_select(0, idx), y = Y.index_select(0, idx);
    if (s % 2) x = x.flip({3}), y = y.flip({3});  // left-right mirror
    auto logits = net->forward(x);
    auto bce = torch::binary_cross_entropy_with_logits(logits, y);
    auto pr = torch::sigmoid(logits);
    auto soft_dice = 1.0 - (2.0 * (pr * y).sum() + 1.0) / (pr.sum() + y.sum() + 1.0);
    auto loss = bce + soft_dice;
    opt.zero_grad();
    loss.backward();
    opt.step();
    if (s % 100 == 0 || s == steps - 1)
      std::printf("step %d loss %.4f (%.0f s)\n", s, loss.item<double>(), secs()), std::fflush(stdout);
  }

  std::printf("\nacceptance phantoms: Dice classical / network / union / filtered union\n");
  int ok_c = 0, ok_n = 0, ok_u = 0, ok_f = 0;
  for (int i = 0; i < 24; ++i) {
    const ph::Phantom p = ph::generatePhantom(phantomParams(i, 1201 + static_cast<std::uint64_t>(i)));
    const lung::LungAnalysis a = lung::analyzeLungs(*p.volume, options);
    const auto n = predict(net, *p.volume, a.mask);
    std::vector<std::uint8_t> u(n.size());
    for (std::size_t k = 0; k < n.size(); ++k) u[k] = (n[k] || a.mask.labels[k]) ? 1 : 0;
    const double dc = dice(a.mask.labels, p.labels), dn = dice(n, p.labels), du = dice(u, p.labels);
    const double df = dice(filteredUnion(n, a.mask, 4.0), p.labels);
    ok_c += dc >= 0.97, ok_n += dn >= 0.97, ok_u += du >= 0.97, ok_f += df >= 0.97;
    std::printf("seed %d %-16s dice %.4f / %.4f / %.4f / %.4f\n", 1201 + i,
                ph::diagnosisName(p.params.diagnosis).c_str(), dc, dn, du, df);
  }
  std::printf(">= 0.97: classical %d, network %d, union %d, filtered union %d of 24\n", ok_c, ok_n, ok_u, ok_f);

  if (!eval_bg.empty()) {
    std::printf("\nheld-out hybrids: Dice classical / network / union / filtered union\n");
    auto make = lunglens::core::hybrid::hybridSubjectMaker(lunglens::core::hybrid::loadBackgrounds(eval_bg), 1.0);
    for (int i = 0; i < eval_hybrids; ++i) {
      const ph::Phantom p = make(i, phantomParams(i, 5001 + static_cast<std::uint64_t>(i)));
      const lung::LungAnalysis a = lung::analyzeLungs(*p.volume, options);
      const auto n = predict(net, *p.volume, a.mask);
      std::vector<std::uint8_t> u(n.size());
      for (std::size_t k = 0; k < n.size(); ++k) u[k] = (n[k] || a.mask.labels[k]) ? 1 : 0;
      std::printf("hybrid %d %-16s dice %.4f / %.4f / %.4f / %.4f\n", 5001 + i,
                  ph::diagnosisName(p.params.diagnosis).c_str(), dice(a.mask.labels, p.labels), dice(n, p.labels),
                  dice(u, p.labels), dice(filteredUnion(n, a.mask, 4.0), p.labels));
    }
  }

  for (const auto& dir : real) {
    const auto catalog = lunglens::core::dicom::scan(dir);
    const auto volume = lunglens::core::dicom::loadSeries(catalog.series.front());
    const lung::LungAnalysis a = lung::analyzeLungs(*volume, options);
    const auto n = predict(net, *volume, a.mask);
    const auto& g = volume->geometry();
    const double ml = g.spacing_mm[0] * g.spacing_mm[1] * g.spacing_mm[2] / 1000.0;
    std::int64_t c = 0, nn = 0, added = 0, removed = 0;
    for (std::size_t k = 0; k < n.size(); ++k) {
      const bool m = a.mask.labels[k] != 0;
      c += m, nn += n[k] != 0, added += n[k] && !m, removed += m && !n[k];
    }
    const auto f = filteredUnion(n, a.mask, 4.0);
    std::int64_t fa = 0;
    for (std::size_t k = 0; k < n.size(); ++k) fa += f[k] && !a.mask.labels[k];
    std::printf("%s: classical %.0f mL, network %.0f mL (adds %.0f, drops %.0f), Dice between them %.4f; "
                "filtered union adds %.1f mL\n",
                dir.c_str(), static_cast<double>(c) * ml, static_cast<double>(nn) * ml,
                static_cast<double>(added) * ml, static_cast<double>(removed) * ml, dice(n, a.mask.labels),
                static_cast<double>(fa) * ml);
    if (const char* dump = std::getenv("PROBE_DUMP")) {
      // raw: int16 HU volume, then uint8 classical (0/1), network, filtered union; dims in the name
      static int count = 0;
      const std::string name = std::string(dump) + "/real" + std::to_string(++count) + "_" + std::to_string(g.cols) +
                               "x" + std::to_string(g.rows) + "x" + std::to_string(g.slices) + ".raw";
      std::ofstream o(name, std::ios::binary);
      for (int z = 0; z < g.slices; ++z)
        o.write(reinterpret_cast<const char*>(volume->slice(z)), static_cast<std::streamsize>(g.voxelsPerSlice() * 2));
      std::vector<std::uint8_t> cm(n.size());
      for (std::size_t k = 0; k < n.size(); ++k) cm[k] = a.mask.labels[k] ? 1 : 0;
      o.write(reinterpret_cast<const char*>(cm.data()), static_cast<std::streamsize>(cm.size()));
      o.write(reinterpret_cast<const char*>(n.data()), static_cast<std::streamsize>(n.size()));
      o.write(reinterpret_cast<const char*>(f.data()), static_cast<std::streamsize>(f.size()));
    }
  }
  return 0;
}
