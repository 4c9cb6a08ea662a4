#include "core/training/architecture.h"

#include "core/common/error.h"
#include "core/volume/window.h"

namespace lunglens::core::training {

namespace {
struct NamedArchitecture {
  Architecture architecture;
  const char* name;
};
constexpr NamedArchitecture kArchitectures[] = {
    {Architecture::ResNet18, "resnet18"},
    {Architecture::ResNet34, "resnet34"},
    {Architecture::ResNet50, "resnet50"},
    {Architecture::MobileNetV2, "mobilenet_v2"},
};
}  // namespace

std::string architectureName(Architecture architecture) {
  for (const auto& a : kArchitectures)
    if (a.architecture == architecture) return a.name;
  throw InternalError("architectureName: unknown architecture");
}

std::vector<std::string> architectureNames() {
  std::vector<std::string> names;
  for (const auto& a : kArchitectures) names.emplace_back(a.name);
  return names;
}

Architecture parseArchitecture(const std::string& name) {
  for (const auto& a : kArchitectures)
    if (name == a.name) return a.architecture;
  std::string accepted;
  for (const auto& a : kArchitectures) accepted += std::string(accepted.empty() ? "" : ", ") + a.name;
  throw InputError("architecture '" + name + "'", "unknown; expected one of " + accepted);
}

InputNormalization inputNormalizationFor(const NetworkSpec& spec) {
  // The TFLite graph maps pixels p in [0, 255] to (p - 128) / 128, i.e. (x - 0.5) / 0.5 for x = p / 255
  // (to within 1/256), so its features expect that range, not ImageNet's mean/std.
  if (spec.init == InitSource::TfliteMobileNetV2) return {{0.5f, 0.5f, 0.5f}, {0.5f, 0.5f, 0.5f}};
  return {{0.485f, 0.456f, 0.406f}, {0.229f, 0.224f, 0.225f}};
}

inference::Manifest trainingManifest(inference::Task task, int input_size, const NetworkSpec& spec) {
  inference::Manifest m;
  m.task = task;
  m.classes = inference::taskClasses(task);
  m.input.height = m.input.width = input_size;
  m.input.channels = {volume::lungWindow(), volume::mediastinumWindow(), volume::lungWindow()};
  const InputNormalization norm = inputNormalizationFor(spec);
  m.input.mean.assign(norm.mean.begin(), norm.mean.end());
  m.input.std.assign(norm.std.begin(), norm.std.end());
  if (task == inference::Task::Diagnosis) m.thresholds = {{"covid", 0.5}};
  return m;
}

}  // namespace lunglens::core::training
