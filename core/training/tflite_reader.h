#pragma once
// A minimal, verifying reader of TensorFlow Lite flatbuffers: tensors (shape, type, quantisation, constant data)
// and operators (builtin code, inputs/outputs, conv options) of the first subgraph. There is no generated TFLite
// schema header on these machines, so tables are read by field id (the TFLite schema's ids) and every table,
// vector and string is checked with flatbuffers::Verifier before it is read: a damaged file is an InputError,
// never a crash. Torch-free.
#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

namespace lunglens::core::training::tflite {

// TFLite TensorType values used here.
enum TensorType : int { kFloat32 = 0, kInt32 = 2, kUInt8 = 3, kInt8 = 9 };
// TFLite BuiltinOperator values used here.
enum Builtin : int { kAdd = 0, kAveragePool2d = 1, kConv2d = 3, kDepthwiseConv2d = 4, kReshape = 22, kSoftmax = 25 };
// TFLite ActivationFunctionType and Padding values.
enum FusedActivation : int { kNone = 0, kRelu = 1, kReluN1To1 = 2, kRelu6 = 3 };
enum Padding : int { kSame = 0, kValid = 1 };

struct Tensor {
  std::string name;
  std::vector<int> shape;
  int type = -1;
  std::vector<float> scale;  // per tensor (1 value) or per axis
  std::vector<std::int64_t> zero_point;
  int quantized_dimension = 0;
  std::vector<std::uint8_t> data;  // constant contents (empty for activations)
};

struct Operator {
  int builtin = -1;
  std::vector<int> inputs, outputs;  // tensor indices (-1: optional input absent)
  // Conv2D / DepthwiseConv2D options (defaults otherwise).
  int padding = kSame, stride_w = 1, stride_h = 1, depth_multiplier = 1;
  int fused_activation = kNone;
};

struct Model {
  std::vector<Tensor> tensors;
  std::vector<Operator> operators;  // in execution order
  std::vector<int> inputs, outputs;
};

// Throws InputError (naming the file and what is wrong) for anything that is not a readable TFLite model.
Model readModel(const std::filesystem::path& file);
Model readModel(const std::vector<std::uint8_t>& bytes, const std::string& context);

// Real values of a constant tensor: scale * (q - zero_point) for uint8/int8/int32, as-is for float32; per-axis
// quantisation along quantized_dimension. Throws InputError if the tensor has no data or an unsupported type.
std::vector<float> dequantize(const Tensor& tensor, const std::string& context);

}  // namespace lunglens::core::training::tflite
