#include "core/training/network_factory.h"

#include "core/common/error.h"
#include "core/training/mobilenet_v2.h"
#include "core/training/resnet.h"
#include "core/training/tflite_mobilenet_import.h"
#include "core/training/torchvision_import.h"

namespace lunglens::core::training {

std::shared_ptr<ClassifierNet> makeNetwork(Architecture architecture, int num_classes) {
  if (num_classes < 1) throw InputError("network", "needs at least one class");
  if (architecture == Architecture::MobileNetV2) return std::make_shared<MobileNetV2>(num_classes);
  return std::make_shared<ResNet>(architecture, num_classes);
}

std::shared_ptr<ClassifierNet> createNetwork(const NetworkSpec& spec) {
  torch::manual_seed(spec.seed);
  std::shared_ptr<ClassifierNet> net;
  switch (spec.init) {
    case InitSource::Random:
      return makeNetwork(spec.architecture, spec.num_classes);
    case InitSource::TorchvisionFile: {
      net = makeNetwork(spec.architecture, spec.num_classes);
      const auto weights = readTorchvisionStateDict(spec.weights_file);
      loadStateDict(*net, weights, spec.weights_file.string());
      break;
    }
    case InitSource::TfliteMobileNetV2:
      if (spec.architecture != Architecture::MobileNetV2)
        throw InputError(spec.weights_file.string(),
                         "the TFLite weights are a MobileNetV2, not " + architectureName(spec.architecture));
      net = importTfliteMobileNetV2(spec.weights_file);
      if (net->numClasses() != spec.num_classes) {
        torch::manual_seed(spec.seed);  // the new head's init depends on the seed only
        net->replaceHead(spec.num_classes);
      }
      break;
  }
  net->train();
  return net;
}

}  // namespace lunglens::core::training
