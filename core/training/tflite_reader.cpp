#include "core/training/tflite_reader.h"

#include <flatbuffers/flatbuffers.h>

#include <algorithm>
#include <cstring>
#include <fstream>
#include <iterator>

#include "core/common/error.h"

namespace lunglens::core::training::tflite {

namespace {

namespace fb = flatbuffers;
using TableVector = fb::Vector<fb::Offset<fb::Table>>;

// A field id of the TFLite schema -> its vtable offset.
constexpr fb::voffset_t field(int id) { return static_cast<fb::voffset_t>(4 + 2 * id); }

// Reads tables by field id, verifying each table, vector and string before touching it.
class Reader {
 public:
  Reader(const std::vector<std::uint8_t>& bytes, std::string context)
      : verifier_(bytes.data(), bytes.size()), bytes_(bytes), context_(std::move(context)) {}

  [[noreturn]] void fail(const std::string& what) const {
    throw InputError(context_, "not a valid TFLite model: " + what);
  }

  const fb::Table* root() {
    if (bytes_.size() < 8 || !fb::BufferHasIdentifier(bytes_.data(), "TFL3")) fail("no TFL3 identifier");
    if (!verifier_.VerifyOffset(0)) fail("bad root offset");
    const auto* table = fb::GetRoot<fb::Table>(bytes_.data());
    checkTable(table, "model");
    return table;
  }

  void checkTable(const fb::Table* table, const char* what) {
    if (!table || !table->VerifyTableStart(verifier_)) fail(std::string("damaged ") + what + " table");
    verifier_.EndTable();  // depth bookkeeping only: fields are verified one by one as they are read
  }

  template <typename T>
  T scalar(const fb::Table* table, int id, T fallback) const {
    if (!table->VerifyField<T>(verifier_, field(id), sizeof(T))) fail("field out of bounds");
    return table->GetField<T>(field(id), fallback);
  }

  template <typename T>
  const fb::Vector<T>* vector(const fb::Table* table, int id) const {
    if (!table->VerifyOffset(verifier_, field(id))) fail("bad offset");
    const auto* v = table->GetPointer<const fb::Vector<T>*>(field(id));
    if (!verifier_.VerifyVector(v)) fail("vector out of bounds");
    return v;
  }

  const fb::Table* child(const fb::Table* table, int id, const char* what) {
    if (!table->VerifyOffset(verifier_, field(id))) fail("bad offset");
    const auto* t = table->GetPointer<const fb::Table*>(field(id));
    if (t) checkTable(t, what);
    return t;
  }

  const fb::Table* element(const TableVector* tables, unsigned i, const char* what) {
    const auto* t = tables->Get(i);
    checkTable(t, what);
    return t;
  }

  std::string string(const fb::Table* table, int id) const {
    if (!table->VerifyOffset(verifier_, field(id))) fail("bad offset");
    const auto* s = table->GetPointer<const fb::String*>(field(id));
    if (!verifier_.VerifyString(s)) fail("string out of bounds");
    return s ? s->str() : std::string();
  }

  template <typename T, typename Out>
  std::vector<Out> list(const fb::Table* table, int id) const {
    const auto* v = vector<T>(table, id);
    std::vector<Out> out;
    if (v) out.assign(v->begin(), v->end());
    return out;
  }

 private:
  fb::Verifier verifier_;
  const std::vector<std::uint8_t>& bytes_;
  std::string context_;
};

// Schema field ids (tensorflow/lite/schema/schema.fbs).
namespace model_f {
enum { kOperatorCodes = 1, kSubgraphs = 2, kBuffers = 4 };
}
namespace opcode_f {
enum { kDeprecatedBuiltin = 0, kBuiltin = 3 };
}
namespace subgraph_f {
enum { kTensors = 0, kInputs = 1, kOutputs = 2, kOperators = 3 };
}
namespace tensor_f {
enum { kShape = 0, kType = 1, kBuffer = 2, kName = 3, kQuantization = 4 };
}
namespace quant_f {
enum { kScale = 2, kZeroPoint = 3, kQuantizedDimension = 6 };
}
namespace operator_f {
enum { kOpcodeIndex = 0, kInputs = 1, kOutputs = 2, kOptionsType = 3, kOptions = 4 };
}
// BuiltinOptions union members and their fields.
enum { kConv2DOptions = 1, kDepthwiseConv2DOptions = 2 };

Tensor readTensor(Reader& r, const fb::Table* t, const TableVector* buffers) {
  Tensor tensor;
  tensor.shape = r.list<std::int32_t, int>(t, tensor_f::kShape);
  tensor.type = r.scalar<std::int8_t>(t, tensor_f::kType, 0);
  tensor.name = r.string(t, tensor_f::kName);
  const auto buffer = r.scalar<std::uint32_t>(t, tensor_f::kBuffer, 0);
  if (buffers && buffer < buffers->size()) {
    const fb::Table* b = r.element(buffers, buffer, "buffer");
    if (const auto* data = r.vector<std::uint8_t>(b, 0)) tensor.data.assign(data->begin(), data->end());
  } else if (buffer != 0) {
    r.fail("tensor '" + tensor.name + "' names buffer " + std::to_string(buffer) + " that does not exist");
  }
  if (const fb::Table* q = r.child(t, tensor_f::kQuantization, "quantization")) {
    tensor.scale = r.list<float, float>(q, quant_f::kScale);
    tensor.zero_point = r.list<std::int64_t, std::int64_t>(q, quant_f::kZeroPoint);
    tensor.quantized_dimension = r.scalar<std::int32_t>(q, quant_f::kQuantizedDimension, 0);
  }
  return tensor;
}

Operator readOperator(Reader& r, const fb::Table* o, const std::vector<int>& builtin_of_opcode) {
  Operator op;
  const auto opcode = r.scalar<std::uint32_t>(o, operator_f::kOpcodeIndex, 0);
  if (opcode >= builtin_of_opcode.size()) r.fail("operator with opcode index " + std::to_string(opcode));
  op.builtin = builtin_of_opcode[opcode];
  op.inputs = r.list<std::int32_t, int>(o, operator_f::kInputs);
  op.outputs = r.list<std::int32_t, int>(o, operator_f::kOutputs);
  const auto options_type = r.scalar<std::uint8_t>(o, operator_f::kOptionsType, 0);
  if (options_type != kConv2DOptions && options_type != kDepthwiseConv2DOptions) return op;
  const fb::Table* options = r.child(o, operator_f::kOptions, "operator options");
  if (!options) return op;
  // Conv2DOptions{padding 0, stride_w 1, stride_h 2, fused_activation_function 3};
  // DepthwiseConv2DOptions{padding 0, stride_w 1, stride_h 2, depth_multiplier 3, fused_activation_function 4}.
  op.padding = r.scalar<std::int8_t>(options, 0, kSame);
  op.stride_w = r.scalar<std::int32_t>(options, 1, 0);
  op.stride_h = r.scalar<std::int32_t>(options, 2, 0);
  if (options_type == kConv2DOptions) {
    op.fused_activation = r.scalar<std::int8_t>(options, 3, kNone);
  } else {
    op.depth_multiplier = r.scalar<std::int32_t>(options, 3, 0);
    op.fused_activation = r.scalar<std::int8_t>(options, 4, kNone);
  }
  return op;
}

void checkTensorIndices(const Reader& r, const std::vector<int>& indices, size_t tensors) {
  for (int i : indices)
    if (i < -1 || i >= static_cast<int>(tensors)) r.fail("tensor index " + std::to_string(i) + " out of range");
}

}  // namespace

Model readModel(const std::vector<std::uint8_t>& bytes, const std::string& context) {
  Reader r(bytes, context);
  const fb::Table* root = r.root();
  std::vector<int> builtin_of_opcode;
  if (const auto* codes = r.vector<fb::Offset<fb::Table>>(root, model_f::kOperatorCodes)) {
    for (unsigned i = 0; i < codes->size(); ++i) {
      const fb::Table* c = r.element(codes, i, "operator code");
      // Newer files carry the code in builtin_code (int32), older ones in deprecated_builtin_code (int8).
      builtin_of_opcode.push_back(std::max<int>(r.scalar<std::int8_t>(c, opcode_f::kDeprecatedBuiltin, 0),
                                                r.scalar<std::int32_t>(c, opcode_f::kBuiltin, 0)));
    }
  }
  const auto* subgraphs = r.vector<fb::Offset<fb::Table>>(root, model_f::kSubgraphs);
  if (!subgraphs || subgraphs->size() == 0) r.fail("no subgraph");
  const auto* buffers = r.vector<fb::Offset<fb::Table>>(root, model_f::kBuffers);
  const fb::Table* graph = r.element(subgraphs, 0, "subgraph");

  Model model;
  if (const auto* tensors = r.vector<fb::Offset<fb::Table>>(graph, subgraph_f::kTensors))
    for (unsigned i = 0; i < tensors->size(); ++i)
      model.tensors.push_back(readTensor(r, r.element(tensors, i, "tensor"), buffers));
  if (const auto* ops = r.vector<fb::Offset<fb::Table>>(graph, subgraph_f::kOperators))
    for (unsigned i = 0; i < ops->size(); ++i) {
      model.operators.push_back(readOperator(r, r.element(ops, i, "operator"), builtin_of_opcode));
      checkTensorIndices(r, model.operators.back().inputs, model.tensors.size());
      checkTensorIndices(r, model.operators.back().outputs, model.tensors.size());
    }
  model.inputs = r.list<std::int32_t, int>(graph, subgraph_f::kInputs);
  model.outputs = r.list<std::int32_t, int>(graph, subgraph_f::kOutputs);
  checkTensorIndices(r, model.inputs, model.tensors.size());
  checkTensorIndices(r, model.outputs, model.tensors.size());
  return model;
}

Model readModel(const std::filesystem::path& file) {
  std::ifstream in(file, std::ios::binary);
  if (!in) throw InputError(file.string(), "cannot open the TFLite file");
  const std::vector<std::uint8_t> bytes{std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
  return readModel(bytes, file.string());
}

std::vector<float> dequantize(const Tensor& tensor, const std::string& context) {
  const std::string where = context + ": tensor '" + tensor.name + "'";
  size_t width = 0;
  switch (tensor.type) {
    case kFloat32:
    case kInt32:
      width = 4;
      break;
    case kUInt8:
    case kInt8:
      width = 1;
      break;
    default:
      throw InputError(where, "unsupported tensor type " + std::to_string(tensor.type));
  }
  size_t count = 1;
  for (int d : tensor.shape) {
    if (d < 0) throw InputError(where, "negative dimension");
    count *= static_cast<size_t>(d);
  }
  if (tensor.data.size() != count * width)
    throw InputError(where, "holds " + std::to_string(tensor.data.size()) + " bytes, its shape needs " +
                                std::to_string(count * width));
  std::vector<float> values(count);
  if (tensor.type == kFloat32) {
    std::memcpy(values.data(), tensor.data.data(), count * 4);
    return values;
  }
  if (tensor.scale.empty()) throw InputError(where, "quantised but has no scale");
  // Per-axis quantisation: the index along quantized_dimension picks the scale/zero point.
  size_t inner = 1, axis = 1;
  if (tensor.scale.size() > 1) {
    const int dim = tensor.quantized_dimension;
    if (dim < 0 || dim >= static_cast<int>(tensor.shape.size()) ||
        static_cast<size_t>(tensor.shape[dim]) != tensor.scale.size())
      throw InputError(where, "per-axis scales do not match its shape");
    axis = tensor.scale.size();
    for (size_t d = dim + 1; d < tensor.shape.size(); ++d) inner *= static_cast<size_t>(tensor.shape[d]);
  }
  for (size_t i = 0; i < count; ++i) {
    const size_t channel = axis > 1 ? (i / inner) % axis : 0;
    const double scale = tensor.scale[channel];
    const double zero = channel < tensor.zero_point.size() ? static_cast<double>(tensor.zero_point[channel]) : 0.0;
    double q = 0;
    if (tensor.type == kUInt8)
      q = tensor.data[i];
    else if (tensor.type == kInt8)
      q = static_cast<std::int8_t>(tensor.data[i]);
    else {
      std::int32_t v;
      std::memcpy(&v, tensor.data.data() + 4 * i, 4);
      q = v;
    }
    values[i] = static_cast<float>(scale * (q - zero));
  }
  return values;
}

}  // namespace lunglens::core::training::tflite
