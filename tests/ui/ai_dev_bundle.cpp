#include "tests/ui/ai_dev_bundle.h"

#include <torch/script.h>
#include <torch/torch.h>

#include <fstream>

#include "core/common/sha256.h"

namespace fs = std::filesystem;
using namespace lunglens::core::inference;
using lunglens::core::sha256File;

namespace lunglens::test {
namespace {

constexpr int kSize = 128;

const char* kForward = R"(
def forward(self, x):
    a = torch.relu(torch.conv2d(x, self.w_select, self.b_select))
    f = torch.conv2d(a, self.w_pool, None, [4, 4])
    p = torch.mean(f, [2, 3])
    return (torch.matmul(p, self.fc_w.t()) + self.fc_b, f)
)";

// fc: logit_k = gain_k * mean(feature) + bias_k.
torch::jit::Module makeNet(const std::vector<float>& gains, const std::vector<float>& biases) {
  torch::jit::Module m("DevLesionNet");
  const int K = static_cast<int>(gains.size());
  at::Tensor w_select = torch::zeros({1, 2, 1, 1});
  w_select[0][0][0][0] = 1.0;
  w_select[0][1][0][0] = -1.0;
  at::Tensor b_select = torch::full({1}, -0.1);
  at::Tensor w_pool = torch::full({1, 1, 4, 4}, 1.0 / 16.0);
  at::Tensor fc_w = torch::from_blob(const_cast<float*>(gains.data()), {K, 1}).clone();
  at::Tensor fc_b = torch::from_blob(const_cast<float*>(biases.data()), {K}).clone();
  m.register_parameter("w_select", w_select, false);
  m.register_parameter("b_select", b_select, false);
  m.register_parameter("w_pool", w_pool, false);
  m.register_parameter("fc_w", fc_w, false);
  m.register_parameter("fc_b", fc_b, false);
  m.define(kForward);
  return m;
}

Manifest devManifest(Task task, const std::string& name) {
  Manifest m;
  m.name = name;
  m.version = "0.1.0-dev";
  m.task = task;
  m.classes = taskClasses(task);
  m.architecture = "hand-set lesion-density filter (not trained)";
  m.input.height = m.input.width = kSize;
  m.input.channels = {{400.0, -450.0, ""}, {20.0, -230.0, ""}};
  m.input.mean = {0.0, 0.0};
  m.input.std = {1.0, 1.0};
  m.thresholds["covid"] = 0.5;
  m.provenance.training_data = "none: hand-set weights for LungLens UI tests, validated on synthetic phantoms only";
  m.provenance.synthetic = true;
  m.provenance.date = "2026-11-26";
  return m;
}

void save(const fs::path& dir, torch::jit::Module net, Manifest manifest) {
  fs::create_directories(dir);
  net.save((dir / "model.pt").string());
  manifest.model_sha256 = sha256File(dir / "model.pt");
  std::ofstream(dir / "manifest.json") << manifestToJson(manifest);
}

}  // namespace

DevBundles writeDevBundles(const fs::path& root) {
  DevBundles out{root / "dev-diagnosis", root / "dev-manifestation"};
  // Diagnosis (covid, other_pneumonia, normal): normal wins on clean slices, covid where ground-glass is.
  save(out.diagnosis,
       makeNet({static_cast<float>(kDevCovidGain), 60.0f, 0.0f}, {static_cast<float>(-kDevCovidOffset), -2.5f, 0.0f}),
       devManifest(Task::Diagnosis, "dev-diagnosis"));
  // Manifestation (ggo, consolidation, fibrotic_streaks), independent yes/no per class.
  Manifest mm = devManifest(Task::Manifestation, "dev-manifestation");
  mm.activation = Activation::Sigmoid;
  mm.thresholds = {{"ggo", 0.5}, {"consolidation", 0.5}, {"fibrotic_streaks", 0.5}};
  save(out.manifestation, makeNet({400.0f, 150.0f, 60.0f}, {-2.0f, -2.5f, -3.0f}), mm);
  return out;
}

}  // namespace lunglens::test
