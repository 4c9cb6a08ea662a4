#pragma once
// TRAINING-INTERNAL header (includes <torch/torch.h>).
//
// Imports the ImageNet MobileNetV2 of a TFLite file (mobilenet_v2_1.0_224_quant.tflite: uint8 weights, BatchNorm
// folded into the convolutions, ReLU6 fused) into torchvision's MobileNetV2 layout:
//   - weights dequantised (scale * (q - zero_point)); CONV_2D [O,kh,kw,I] -> [O,I,kh,kw];
//     DEPTHWISE_CONV_2D [1,kh,kw,C] -> [C,1,kh,kw]; the 1x1 logits conv -> classifier.1 (1001 outputs,
//     0 = background, ImageNet class k at k + 1);
//   - folded BN: each conv keeps no bias (as torchvision), its BN becomes the identity carrying the folded bias
//     (weight 1, bias b, mean 0, var 1 - eps) and is frozen (eval mode even while training), so fine-tuning
//     starts from exactly the pretrained function and batch statistics never rescale it;
//   - TensorFlow "SAME" padding on the strided convs (the network is built with tensorflow_padding).
// Input: RGB in [-1, 1] ((pixel - 128) / 128), i.e. mean 0.5 / std 0.5 on [0, 1] values.
#include <filesystem>
#include <memory>

#include "core/training/mobilenet_v2.h"

namespace lunglens::core::training {

// Throws InputError naming the file and the layer if the file is not this network (shapes, strides, activations
// are checked op by op against torchvision's layout).
std::shared_ptr<MobileNetV2> importTfliteMobileNetV2(const std::filesystem::path& tflite_file);

}  // namespace lunglens::core::training
