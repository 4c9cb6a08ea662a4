// The ImageNet MobileNetV2 imported from the TFLite file gets the obviously right top-1 class on five natural
// photographs; the reader reads the file's structure and refuses damaged files without crashing.
#include <gtest/gtest.h>

#include <fstream>
#include <iostream>

#include "core/common/error.h"
#include "core/training/network_factory.h"
#include "core/training/tflite_mobilenet_import.h"
#include "core/training/tflite_reader.h"
#include "tests/common/test_paths.h"
// After LibTorch (its ivalue.h has a member named slots(); the target also sets QT_NO_KEYWORDS).
#include <QImage>

namespace lunglens::core::training {
namespace {

namespace fs = std::filesystem;

fs::path pretrained() { return test::sharedData() / "pretrained"; }
fs::path tfliteFile() { return pretrained() / "mobilenet_v2_1.0_224_quant.tflite"; }

std::vector<std::string> labels() {
  std::ifstream in(pretrained() / "imagenet_labels.txt");
  std::vector<std::string> lines;
  for (std::string line; std::getline(in, line);) lines.push_back(line);
  return lines;
}

// The photo resized to 224x224 (as the TFLite classification examples do), RGB (p - 128) / 128, [1,3,224,224].
torch::Tensor loadPhoto(const fs::path& file) {
  QImage image(QString::fromStdString(file.string()));
  if (image.isNull()) throw std::runtime_error("cannot read " + file.string());
  image =
      image.convertToFormat(QImage::Format_RGB888).scaled(224, 224, Qt::IgnoreAspectRatio, Qt::SmoothTransformation);
  torch::Tensor x = torch::empty({1, 3, 224, 224});
  auto a = x.accessor<float, 4>();
  for (int y = 0; y < 224; ++y) {
    const uchar* row = image.constScanLine(y);
    for (int col = 0; col < 224; ++col)
      for (int c = 0; c < 3; ++c) a[0][c][y][col] = (row[3 * col + c] - 128.0f) / 128.0f;
  }
  return x;
}

TEST(TfliteReader, ReadsTheMobileNetV2Structure) {
  const tflite::Model model = tflite::readModel(tfliteFile());
  EXPECT_EQ(model.tensors.size(), 174u);
  EXPECT_EQ(model.operators.size(), 66u);
  ASSERT_EQ(model.inputs.size(), 1u);
  const tflite::Tensor& input = model.tensors[model.inputs[0]];
  EXPECT_EQ(input.shape, (std::vector<int>{1, 224, 224, 3}));
  EXPECT_EQ(input.type, tflite::kUInt8);
  ASSERT_EQ(input.scale.size(), 1u);
  EXPECT_FLOAT_EQ(input.scale[0], 0.0078125f);
  EXPECT_EQ(input.zero_point[0], 128);
  int convs = 0, depthwise = 0, adds = 0;
  for (const auto& op : model.operators) {
    convs += op.builtin == tflite::kConv2d;
    depthwise += op.builtin == tflite::kDepthwiseConv2d;
    adds += op.builtin == tflite::kAdd;
  }
  EXPECT_EQ(convs, 36);      // stem + 16 expansions + 17 projections + last 1x1 + logits
  EXPECT_EQ(depthwise, 17);  // one per inverted residual block
  EXPECT_EQ(adds, 10);       // torchvision's residual connections
}

TEST(TfliteReader, DamagedFilesAreInputErrorsNotCrashes) {
  std::ifstream in(tfliteFile(), std::ios::binary);
  const std::vector<std::uint8_t> good{std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
  for (size_t length : {size_t{0}, size_t{7}, size_t{64}, size_t{4096}, good.size() / 3}) {
    std::vector<std::uint8_t> cut(good.begin(), good.begin() + static_cast<std::ptrdiff_t>(length));
    EXPECT_THROW(tflite::readModel(cut, "truncated"), InputError) << length;
  }
  // Corrupt the offsets near the start (root, vtables, vectors of tables) a byte at a time.
  int rejected = 0;
  for (size_t at = 8; at < 400; at += 3) {
    std::vector<std::uint8_t> bad = good;
    bad[at] ^= 0xA5;
    try {
      tflite::readModel(bad, "corrupted");
    } catch (const InputError&) {
      ++rejected;
    }
  }
  EXPECT_GT(rejected, 0);
  EXPECT_THROW(importTfliteMobileNetV2(test::sharedData() / "pretrained" / "cat.bmp"), InputError);
}

TEST(TfliteMobileNetV2, ImageNetTop1IsObviouslyRightOnFivePhotos) {
  const auto names = labels();
  ASSERT_EQ(names.size(), 1001u);
  ASSERT_EQ(names[0], "background");
  auto net = importTfliteMobileNetV2(tfliteFile());
  net->eval();
  torch::NoGradGuard no_grad;
  const std::vector<std::pair<std::string, std::vector<std::string>>> photos = {
      {"cat.bmp", {"tabby, tabby cat", "tiger cat", "Egyptian cat"}},
      {"bird.bmp", {"chickadee"}},
      {"dragonfly.bmp",
       {"dragonfly, darning needle, devil's darning needle, sewing needle, snake feeder, snake doctor, mosquito hawk, "
        "skeeter hawk"}},
      {"grace_hopper.bmp", {"military uniform"}},
      {"hot_dog.jpg", {"hotdog, hot dog, red hot"}},
  };
  for (const auto& [photo, accepted] : photos) {
    const torch::Tensor probabilities = torch::softmax(net->forward(loadPhoto(pretrained() / photo)), 1);
    const int64_t top = probabilities.argmax(1).item<int64_t>();
    const std::string& label = names.at(static_cast<size_t>(top));
    std::cout << photo << ": top-1 '" << label << "' p=" << probabilities[0][top].item<float>() << "\n";
    EXPECT_NE(std::find(accepted.begin(), accepted.end(), label), accepted.end())
        << photo << ": top-1 '" << label << "' p=" << probabilities[0][top].item<float>();
  }
}

TEST(TfliteMobileNetV2, TaskNetworkKeepsBackboneFrozenBatchNormAndNewHead) {
  NetworkSpec spec;
  spec.architecture = Architecture::MobileNetV2;
  spec.num_classes = 3;
  spec.init = InitSource::TfliteMobileNetV2;
  spec.weights_file = tfliteFile();
  auto net = createNetwork(spec);
  EXPECT_EQ(net->numClasses(), 3);
  EXPECT_TRUE(net->batchNormFrozen());
  EXPECT_TRUE(net->is_training());
  // Eval-mode BN is the identity + folded bias: in train mode too (frozen), the backbone computes the same features.
  const torch::Tensor x = loadPhoto(pretrained() / "cat.bmp");
  torch::NoGradGuard no_grad;
  const torch::Tensor train_features = net->forwardWithFeatures(x).feature_map;
  net->eval();
  EXPECT_TRUE(torch::allclose(train_features, net->forwardWithFeatures(x).feature_map));
  const auto norm = inputNormalizationFor(spec);
  EXPECT_EQ(norm.mean, (std::vector<float>{0.5f, 0.5f, 0.5f}));
}

}  // namespace
}  // namespace lunglens::core::training
