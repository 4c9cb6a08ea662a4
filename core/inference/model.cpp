#include "core/inference/model.h"

#include <atomic>
#include <cmath>
#include <mutex>
#include <optional>
#include <sstream>

#include <ATen/Parallel.h>
#include <c10/core/InferenceMode.h>
#include <torch/csrc/autograd/autograd.h>
#include <torch/csrc/jit/runtime/graph_executor.h>
#include <torch/script.h>

#include "core/common/error.h"
#include "core/common/parallel.h"
#include "core/inference/score_check.h"
#include "core/common/sha256.h"

namespace fs = std::filesystem;

namespace lunglens::core::inference {
namespace {

std::atomic<int> g_threads{0};

std::string firstLine(const std::string& text) {
  const auto nl = text.find('\n');
  return nl == std::string::npos ? text : text.substr(0, nl);
}

std::string shapeOf(const at::Tensor& t) {
  std::ostringstream s;
  s << t.sizes();
  return s.str();
}

struct CamResult {
  at::Tensor logits;  // [1, K], detached
  at::Tensor cam;     // [h, w], normalised to max 1
  int cls = 0;
};

// Grad-CAM on one image [1, C, H, W] with `module` (eval mode), gradients on, a fresh forward.
CamResult gradCam(torch::jit::Module& module, const Manifest& m, const at::Tensor& image, int class_index) {
  torch::AutoGradMode grad_on(true);
  // Without graph optimisation: the JIT would otherwise fuse the head and the trunk into one differentiable
  // subgraph after a few runs, and the feature map would no longer be on the path from the logits (thread-local).
  torch::jit::GraphOptimizerEnabledGuard plain_graph(false);
  const at::Tensor x = image.clone().requires_grad_(true);  // the feature map carries a graph whatever the params
  const auto out = module.forward({x}).toTuple()->elements();
  const at::Tensor logits = out[m.logits_output].toTensor();
  const at::Tensor feats = out[m.feature_map_output].toTensor();
  CamResult r;
  r.cls = class_index >= 0 ? class_index : static_cast<int>(logits.argmax(1).item<int64_t>());
  // Differentiate the class score before softmax with respect to the feature map (the last conv map, or an earlier
  // stage a bundle chose for a finer grid; the layers between are part of what the gradient explains).
  const at::Tensor grads = torch::autograd::grad({logits.select(1, r.cls).sum()}, {feats})[0];
  torch::NoGradGuard no_grad;
  const at::Tensor weights = grads.mean({2, 3}, /*keepdim=*/true);
  const at::Tensor cam = (weights * feats).sum(1).relu()[0];
  r.cam = (cam / (cam.max() + 1e-7)).to(torch::kFloat32).contiguous();
  r.logits = logits.detach();
  return r;
}

}  // namespace

int configureInferenceThreads(int threads) {
  if (threads <= 0) threads = std::max(1, defaultThreadCount() - 1);
  static std::once_flag interop_once;
  std::call_once(interop_once, [] {
    try {
      at::set_num_interop_threads(1);  // one model runs at a time; intra-op threads do the work
    } catch (const c10::Error&) {
      // Someone already started the inter-op pool: its size stays, which is harmless.
    }
  });
  // Called again on each worker thread: with OpenMP the count is also a per-thread setting.
  at::set_num_threads(threads);
  g_threads.store(threads);
  return threads;
}

int inferenceThreads() {
  const int t = g_threads.load();
  return t > 0 ? t : at::get_num_threads();
}

struct Model::Impl {
  fs::path dir;
  Manifest manifest;
  ModelOptions options;
  torch::jit::Module graded;  // eval mode, parameters intact: Grad-CAM's fresh forward with gradients on
  torch::jit::Module fast;    // scoring path (frozen + optimised when that works and agrees with `graded`)
  torch::jit::Module explainer;  // Grad-CAM path: frozen (BN folded, still differentiable) when it agrees
  std::string paths;  // which of the above are in use, for diagnostics and benchmarks
  int feature_length = 0;
  std::optional<OodGuard> guard;

  std::vector<c10::IValue> outputs(torch::jit::Module& module, const at::Tensor& x) const {
    const c10::IValue out = module.forward({x});
    return out.toTuple()->elements().vec();
  }
};

Model::Model(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
Model::~Model() = default;
const Manifest& Model::manifest() const { return impl_->manifest; }
const fs::path& Model::dir() const { return impl_->dir; }
const std::string& Model::executionPaths() const { return impl_->paths; }
int Model::featureLength() const { return impl_->feature_length; }
const OodGuard* Model::oodGuard() const { return impl_->guard ? &*impl_->guard : nullptr; }

std::shared_ptr<Model> Model::load(const fs::path& bundle_dir, const ModelOptions& options) {
  const std::string ctx = bundle_dir.string();
  std::error_code ec;
  if (!fs::is_directory(bundle_dir, ec)) throw InputError(ctx, "model bundle folder not found");
  auto impl = std::make_unique<Impl>();
  impl->dir = bundle_dir;
  impl->options = options;
  impl->manifest = readManifest(bundle_dir);
  const Manifest& m = impl->manifest;
  const fs::path pt = bundle_dir / "model.pt";
  if (!fs::is_regular_file(pt, ec)) throw InputError(ctx, "model.pt is missing");
  const std::string sum = sha256File(pt);
  if (sum != m.model_sha256)
    throw InputError(ctx, "model.pt: checksum mismatch: manifest field 'model_sha256' says " + m.model_sha256 +
                              " but the file's sha256 is " + sum + " (file changed or corrupted)");
  try {
    impl->graded = torch::jit::load(pt.string(), torch::kCPU);
  } catch (const std::exception& e) {
    throw InputError(ctx, "model.pt: not a loadable TorchScript module: " + firstLine(e.what()));
  }
  impl->graded.eval();

  // Dry forward with gradients on: the output tuple, shapes and class count, and that the logits depend on the
  // feature map (Grad-CAM differentiates the logits with respect to it).
  const auto& in = m.input;
  const int64_t C = static_cast<int64_t>(in.channels.size());
  // The input requires grad so the feature map does even when the parameters do not (frozen exports);
  // autograd::grad then only walks the layers between feature map and logits.
  const at::Tensor x = torch::sin(torch::arange(2 * C * in.height * in.width, torch::kFloat32) * 0.37f)
                           .reshape({2, C, in.height, in.width});
  const at::Tensor x_grad = x.clone().requires_grad_(true);
  const int K = static_cast<int>(m.classes.size());
  const std::string lg = "output " + std::to_string(m.logits_output) + " (logits)";
  const std::string fm = "output " + std::to_string(m.feature_map_output) + " (feature map)";
  at::Tensor logits, feats;
  {
    torch::AutoGradMode grad_on(true);
    torch::jit::GraphOptimizerEnabledGuard plain_graph(false);  // as in explain()
    c10::IValue out;
    try {
      out = impl->graded.forward({x_grad});
    } catch (const std::exception& e) {
      throw InputError(ctx, "model.pt: dry forward on a [2, " + std::to_string(C) + ", " + std::to_string(in.height) +
                                ", " + std::to_string(in.width) + "] input (manifest field 'input') failed: " +
                                firstLine(e.what()));
    }
    if (!out.isTuple())
      throw InputError(ctx, "model.pt: forward must return a tuple (logits, feature_map), it returned " +
                                out.tagKind());
    const auto elems = out.toTuple()->elements();
    const int n = static_cast<int>(elems.size());
    if (m.logits_output >= n || m.feature_map_output >= n)
      throw InputError(ctx, "manifest field 'outputs': the model returns " + std::to_string(n) +
                                " outputs; logits/feature_map indices must be below that");
    if (!elems[m.logits_output].isTensor()) throw InputError(ctx, "model.pt: " + lg + " is not a tensor");
    if (!elems[m.feature_map_output].isTensor()) throw InputError(ctx, "model.pt: " + fm + " is not a tensor");
    logits = elems[m.logits_output].toTensor();
    feats = elems[m.feature_map_output].toTensor();
    if (logits.dim() != 2 || logits.size(0) != 2 || logits.size(1) != K)
      throw InputError(ctx, "model.pt: " + lg + " has shape " + shapeOf(logits) + ", expected [2, " +
                                std::to_string(K) + "] for a batch of 2 (one logit per entry of manifest field 'classes')");
    if (feats.dim() != 4 || feats.size(0) != 2)
      throw InputError(ctx, "model.pt: " + fm + " has shape " + shapeOf(feats) + ", expected [2, F, h, w]");
    if (logits.scalar_type() != torch::kFloat32 || feats.scalar_type() != torch::kFloat32)
      throw InputError(ctx, "model.pt: outputs must be float32");
    if (!torch::isfinite(logits).all().item<bool>())
      throw InputError(ctx, "model.pt: " + lg + " are not finite on the dry-run input");
    at::Tensor grad;
    if (feats.requires_grad()) {
      grad = torch::autograd::grad({logits.sum()}, {feats}, {}, false, false, /*allow_unused=*/true)[0];
    }
    if (!grad.defined())
      throw InputError(ctx, "model.pt: the logits do not depend on the " + fm +
                                " (Grad-CAM needs logits computed from it, e.g. global average pool + fc)");
  }

  impl->feature_length = static_cast<int>(feats.size(1));
  const fs::path guard_file = bundle_dir / "ood_guard.json";
  if (fs::exists(guard_file, ec)) {
    impl->guard = readOodGuard(guard_file, m.model_sha256);
    if (impl->guard->dim != impl->feature_length)
      throw InputError(ctx, "ood_guard.json: field 'dim' is " + std::to_string(impl->guard->dim) + " but the " + fm +
                                " has " + std::to_string(impl->feature_length) + " channels");
  }

  impl->fast = impl->graded;
  if (options.optimize) {
    try {
      torch::jit::Module copy = impl->graded.clone();
      copy.eval();
      torch::jit::Module optimized = torch::jit::optimize_for_inference(copy);
      c10::InferenceMode guard;
      const at::Tensor probe = options.channels_last ? x.contiguous(at::MemoryFormat::ChannelsLast) : x;
      const at::Tensor got = impl->outputs(optimized, probe)[m.logits_output].toTensor();
      const double tol = 1e-3 * (1.0 + logits.abs().max().item<double>());
      // Keep the optimised path only if it computes the same logits as the plain module.
      if (got.sizes() == logits.sizes() && (got - logits.detach()).abs().max().item<double>() <= tol)
        impl->fast = optimized;
    } catch (const std::exception&) {
      // Some graphs cannot be frozen or converted; the plain module scores them correctly, just slower.
    }
  }
  // Grad-CAM: a frozen clone (constants folded, plain aten ops, so autograd still reaches the feature map) is
  // faster than the module as saved; kept only if it explains the dry-run image the same way.
  impl->explainer = impl->graded;
  if (options.optimize) {
    try {
      torch::jit::Module copy = impl->graded.clone();
      copy.eval();
      torch::jit::Module frozen = torch::jit::freeze(copy);
      const at::Tensor one = x.narrow(0, 0, 1);
      const CamResult a = gradCam(impl->graded, m, one, 0), b = gradCam(frozen, m, one, 0);
      if (a.cam.sizes() == b.cam.sizes() && (a.cam - b.cam).abs().max().item<double>() <= 1e-3 &&
          (a.logits - b.logits).abs().max().item<double>() <= 1e-3 * (1.0 + a.logits.abs().max().item<double>()))
        impl->explainer = frozen;
    } catch (const std::exception&) {
      // Not freezable: Grad-CAM runs on the module as saved.
    }
  }
  const bool fast_optimized = impl->fast._ivalue() != impl->graded._ivalue();
  const bool cam_frozen = impl->explainer._ivalue() != impl->graded._ivalue();
  impl->paths = std::string("scoring: ") + (fast_optimized ? "frozen+optimized" : "as saved") +
                (impl->options.channels_last ? " (channels-last)" : "") +
                "; Grad-CAM: " + (cam_frozen ? "frozen" : "as saved");
  return std::shared_ptr<Model>(new Model(std::move(impl)));
}

std::vector<float> Model::predict(const float* images, int n) const { return predict(images, n, nullptr); }

std::vector<float> Model::predict(const float* images, int n, std::vector<float>* features) const {
  const Manifest& m = impl_->manifest;
  const int64_t C = static_cast<int64_t>(m.input.channels.size());
  const int64_t K = static_cast<int64_t>(m.classes.size());
  std::vector<float> probs(static_cast<std::size_t>(n * K));
  if (n <= 0) return probs;
  c10::InferenceMode guard;
  at::Tensor x = torch::from_blob(const_cast<float*>(images), {n, C, m.input.height, m.input.width}, torch::kFloat32);
  if (impl_->options.channels_last) x = x.contiguous(at::MemoryFormat::ChannelsLast);
  const auto outs = impl_->outputs(impl_->fast, x);
  const at::Tensor logits = outs[m.logits_output].toTensor().to(torch::kFloat32);
  if (features) {
    const at::Tensor pooled = outs[m.feature_map_output].toTensor().to(torch::kFloat32).mean({2, 3}).contiguous();
    features->assign(pooled.data_ptr<float>(), pooled.data_ptr<float>() + pooled.numel());
  }
  const at::Tensor p =
      (m.activation == Activation::Softmax ? logits.softmax(1) : logits.sigmoid()).contiguous();
  std::copy(p.data_ptr<float>(), p.data_ptr<float>() + n * K, probs.begin());
  requireFiniteScores(probs.data(), probs.size(), impl_->dir.string());
  return probs;
}

Model::Explained Model::explain(const float* image, int class_index) const {
  if (c10::InferenceMode::is_enabled()) throw InternalError("Grad-CAM cannot run under InferenceMode");
  const Manifest& m = impl_->manifest;
  const int64_t C = static_cast<int64_t>(m.input.channels.size());
  const int K = static_cast<int>(m.classes.size());
  if (class_index >= K) throw InternalError("Grad-CAM class index out of range");
  const at::Tensor image_t =
      torch::from_blob(const_cast<float*>(image), {1, C, m.input.height, m.input.width}, torch::kFloat32);
  const CamResult r = gradCam(impl_->explainer, m, image_t, class_index);
  const at::Tensor& logits = r.logits;
  const at::Tensor& cam = r.cam;
  const int cls = r.cls;

  Explained result;
  const at::Tensor p = (m.activation == Activation::Softmax ? logits.softmax(1) : logits.sigmoid()).contiguous();
  result.probabilities.assign(p.data_ptr<float>(), p.data_ptr<float>() + K);
  result.heatmap.height = static_cast<int>(cam.size(0));
  result.heatmap.width = static_cast<int>(cam.size(1));
  result.heatmap.values.assign(cam.data_ptr<float>(), cam.data_ptr<float>() + cam.numel());
  result.heatmap.class_index = cls;
  result.heatmap.class_name = m.classes[static_cast<std::size_t>(cls)];
  return result;
}

}  // namespace lunglens::core::inference
