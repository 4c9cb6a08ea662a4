#include "tests/inference/tiny_models.h"

#include <fstream>

#include <torch/torch.h>

#include "core/common/sha256.h"
#include "tests/inference/tiny_net.h"

namespace fs = std::filesystem;
using namespace lunglens::core::inference;
using lunglens::core::sha256File;

namespace lunglens::test {
namespace {

const char* kTrunk = R"(
def trunk(self, x):
    h = torch.relu(torch.conv2d(x, self.w1, self.b1, [1, 1], [1, 1]))
    f = torch.relu(torch.conv2d(h, self.w2, self.b2, [2, 2], [1, 1]))
    return (h, f)
)";

std::string forwardSource(TinyVariant v) {
  switch (v) {
    case TinyVariant::NotTuple:
      return R"(
def forward(self, x):
    h, f = self.trunk(x)
    return torch.matmul(torch.mean(f, [2, 3]), self.fc_w.t()) + self.fc_b
)";
    case TinyVariant::LogitsIgnoreFeatures:
      return R"(
def forward(self, x):
    h, f = self.trunk(x)
    return (torch.matmul(torch.mean(h, [2, 3]), self.fc_w.t()) + self.fc_b, f)
)";
    case TinyVariant::FlatFeatureMap:
      return R"(
def forward(self, x):
    h, f = self.trunk(x)
    p = torch.mean(f, [2, 3])
    return (torch.matmul(p, self.fc_w.t()) + self.fc_b, p)
)";
    default:
      return R"(
def forward(self, x):
    h, f = self.trunk(x)
    return (torch.matmul(torch.mean(f, [2, 3]), self.fc_w.t()) + self.fc_b, f)
)";
  }
}

}  // namespace

torch::jit::Module makeTinyNet(const TinySpec& spec, int classes) {
  const int C = spec.model_channels, F = spec.features;
  if (spec.variant == TinyVariant::WrongClassCount) classes = 2;
  torch::jit::Module m("TinyNet");
  torch::manual_seed(7);
  at::Tensor w1 = torch::randn({F, C, 3, 3}) * 0.3, b1 = torch::zeros({F});
  at::Tensor w2 = torch::randn({F, F, 3, 3}) * 0.2, b2 = torch::zeros({F});
  at::Tensor fc_w = torch::randn({classes, F}) * 0.5, fc_b = torch::zeros({classes});
  if (spec.variant == TinyVariant::Brightness) {
    // Every feature = the input's channel mean (1x1 centre taps); logit 0 = 20 * (mean - 0.5), others 0.
    w1.zero_();
    w2.zero_();
    for (int f = 0; f < F; ++f) {
      for (int c = 0; c < C; ++c) w1[f][c][1][1] = 1.0 / C;
      w2[f][f][1][1] = 1.0;
    }
    fc_w.zero_();
    fc_b.zero_();
    for (int f = 0; f < F; ++f) fc_w[0][f] = 20.0 / F;
    fc_b[0] = -10.0;
  }
  m.register_parameter("w1", w1, false);
  m.register_parameter("b1", b1, false);
  m.register_parameter("w2", w2, false);
  m.register_parameter("b2", b2, false);
  m.register_parameter("fc_w", fc_w, false);
  m.register_parameter("fc_b", fc_b, false);
  m.define(kTrunk);
  m.define(forwardSource(spec.variant));
  return m;
}

Manifest tinyManifest(const TinySpec& spec) {
  Manifest m;
  m.name = spec.task == Task::Diagnosis ? "tiny-diagnosis" : "tiny-manifestation";
  m.version = "0.1.0";
  m.task = spec.task;
  m.classes = taskClasses(spec.task);
  m.architecture = "tiny_cnn";
  m.input.height = m.input.width = spec.size;
  for (int c = 0; c < spec.model_channels; ++c) {
    m.input.channels.push_back({2000.0, 0.0, ""});
    m.input.mean.push_back(0.0);
    m.input.std.push_back(1.0);
  }
  m.thresholds["covid"] = spec.gate;
  m.provenance.training_data = "synthetic phantoms (test)";
  m.provenance.synthetic = true;
  m.provenance.date = "2026-11-26";
  m.provenance.metrics_json = R"({"auc":0.5})";
  m.model_sha256 = std::string(64, '0');
  return m;
}

void writeManifestFor(const fs::path& dir, Manifest manifest) {
  manifest.model_sha256 = sha256File(dir / "model.pt");
  std::ofstream(dir / "manifest.json") << manifestToJson(manifest);
}

fs::path writeTinyBundle(const fs::path& dir, const TinySpec& spec, Manifest manifest) {
  fs::create_directories(dir);
  makeTinyNet(spec, static_cast<int>(manifest.classes.size())).save((dir / "model.pt").string());
  writeManifestFor(dir, std::move(manifest));
  return dir;
}

fs::path writeTinyBundle(const fs::path& dir, const TinySpec& spec) {
  return writeTinyBundle(dir, spec, tinyManifest(spec));
}

}  // namespace lunglens::test
