#include "core/training/torchvision_import.h"

#include <torch/script.h>

#include <fstream>
#include <iterator>
#include <set>

#include "core/common/error.h"

namespace lunglens::core::training {

namespace {

std::vector<char> readBytes(const std::filesystem::path& file) {
  std::ifstream in(file, std::ios::binary);
  if (!in) throw InputError(file.string(), "cannot open the weights file");
  return std::vector<char>(std::istreambuf_iterator<char>(in), {});
}

bool isTorchScriptArchive(const std::vector<char>& bytes) {
  // TorchScript archives hold "<name>/constants.pkl" and "<name>/code/..."; torch.save archives only data.pkl.
  const std::string needle = "constants.pkl";
  return std::search(bytes.begin(), bytes.end(), needle.begin(), needle.end()) != bytes.end();
}

std::map<std::string, torch::Tensor> fromTorchScript(const std::filesystem::path& file) {
  torch::jit::Module module = torch::jit::load(file.string(), torch::kCPU);
  std::map<std::string, torch::Tensor> weights;
  for (const auto& p : module.named_parameters(/*recurse=*/true)) weights[p.name] = p.value.detach();
  for (const auto& b : module.named_buffers(/*recurse=*/true)) weights[b.name] = b.value.detach();
  return weights;
}

std::map<std::string, torch::Tensor> fromPickle(const std::filesystem::path& file, const std::vector<char>& bytes) {
  const c10::IValue value = torch::pickle_load(bytes);
  if (!value.isGenericDict())
    throw InputError(file.string(), "expected a dict of tensors (torch.save(dict(model.state_dict()), path))");
  std::map<std::string, torch::Tensor> weights;
  for (const auto& entry : value.toGenericDict()) {
    if (!entry.key().isString() || !entry.value().isTensor())
      throw InputError(file.string(), "the dict must map parameter names to tensors");
    weights[entry.key().toStringRef()] = entry.value().toTensor();
  }
  return weights;
}

std::string shapeText(const torch::Tensor& t) {
  std::ostringstream s;
  s << t.sizes();
  return s.str();
}

}  // namespace

std::map<std::string, torch::Tensor> readTorchvisionStateDict(const std::filesystem::path& file) {
  const std::vector<char> bytes = readBytes(file);
  try {
    return isTorchScriptArchive(bytes) ? fromTorchScript(file) : fromPickle(file, bytes);
  } catch (const c10::Error& e) {
    throw InputError(file.string(),
                     "not a TorchScript file nor a torch.save()d plain dict of tensors (save the state dict with "
                     "torch.save(dict(model.state_dict()), path); see docs/TRAINING.md): " +
                         std::string(e.what_without_backtrace()));
  }
}

WeightLoadReport loadStateDict(ClassifierNet& net, const std::map<std::string, torch::Tensor>& weights,
                               const std::string& context) {
  torch::NoGradGuard no_grad;
  WeightLoadReport report;
  std::set<std::string> used;
  const std::string head = net.headPrefix();
  auto copy = [&](const std::string& name, torch::Tensor& target) {
    const auto found = weights.find(name);
    if (found == weights.end()) throw InputError(context, "has no tensor '" + name + "' (a different architecture?)");
    used.insert(name);
    const torch::Tensor& source = found->second;
    if (source.sizes() != target.sizes()) {
      if (name.rfind(head, 0) == 0) {
        report.head_skipped.push_back(name);
        return;
      }
      throw InputError(
          context, "tensor '" + name + "' has shape " + shapeText(source) + ", the network needs " + shapeText(target));
    }
    target.copy_(source.to(target.dtype()));
    report.loaded.push_back(name);
  };
  for (auto& p : net.named_parameters(/*recurse=*/true)) copy(p.key(), p.value());
  for (auto& b : net.named_buffers(/*recurse=*/true)) copy(b.key(), b.value());
  for (const auto& [name, tensor] : weights)
    if (!used.count(name)) throw InputError(context, "tensor '" + name + "' has no place in " + net.name());
  return report;
}

}  // namespace lunglens::core::training
