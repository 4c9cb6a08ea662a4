#include "core/training/bundle_writer.h"

#include <sstream>

#include "core/common/error.h"
#include "core/common/paths.h"
#include "core/common/sha256.h"
#include "core/training/torchscript_export.h"

namespace lunglens::core::training {

void writeBundle(const ClassifierNet& net, inference::Manifest manifest, const std::filesystem::path& dir,
                 bool overwrite) {
  const std::string context = dir.string();
  if (static_cast<int>(manifest.classes.size()) != net.numClasses())
    throw InputError(context, "the manifest lists " + std::to_string(manifest.classes.size()) +
                                  " classes, the network has " + std::to_string(net.numClasses()));
  if (manifest.input.channels.size() != 3)
    throw InputError(context, "the networks take 3 input channels; the manifest's input has " +
                                  std::to_string(manifest.input.channels.size()));
  if (manifest.architecture.empty()) manifest.architecture = architectureName(net.architecture());

  torch::jit::Module module = exportTorchScript(net);
  std::ostringstream bytes;
  module.save(bytes);
  const std::string model = bytes.str();
  manifest.model_sha256 = core::sha256Hex(model);
  const std::string json = inference::manifestToJson(manifest);
  inference::parseManifest(json, context);  // the same validation a reader applies, before anything is written

  std::filesystem::create_directories(dir);
  writeFileAtomically(dir / "model.pt", model, overwrite);
  writeFileAtomically(dir / "manifest.json", json, overwrite);
}

}  // namespace lunglens::core::training
